"""Concurrent writers through the live server leave an index equal to the database, without a restart."""

from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI

from tests.support.indexes import assert_index_equals_database
from tests.support.servers import LiveServer

WRITERS = 8
WRITES_PER_WRITER = 8


def test_concurrent_creates_updates_and_deletes(live_server: LiveServer) -> None:
    def writer(number: int) -> list[int]:
        kept = []
        with live_server.client() as api:
            for step in range(WRITES_PER_WRITER):
                response = api.post(
                    "/api/v1/needs",
                    json={
                        "title": f"Writer {number} need {step}",
                        "description": f"Heating problem {number}-{step}.",
                    },
                )
                assert response.status_code == 201, response.text
                need_id = response.json()["id"]
                if step % 3 == 1:
                    assert (
                        api.patch(
                            f"/api/v1/needs/{need_id}", json={"description": f"Changed {number}-{step}."}
                        ).status_code
                        == 200
                    )
                if step % 4 == 3:
                    assert api.delete(f"/api/v1/needs/{need_id}").status_code == 204
                else:
                    kept.append(need_id)
        return kept

    with ThreadPoolExecutor(WRITERS) as pool:
        kept = sorted(need_id for ids in pool.map(writer, range(WRITERS)) for need_id in ids)
    app: FastAPI = live_server.server.config.app
    assert sorted(app.state.indexes.needs.ids().tolist()) == kept
    assert_index_equals_database(app)
