"""Notices as demand over a real server: a need's similar notices (API and page, who bought what), the
notice block and origin filter of need answers and matches, contracts won on a supplier's answer."""

import httpx

from tests.service.notices.conftest import sample
from tests.service.notices.test_use import later_copy
from tests.support.servers import LiveServer


def _files(*documents: tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, data, "application/xml")) for name, data in documents]


def test_similar_notices_notice_blocks_and_contracts_won(live_server: LiveServer, api: httpx.Client) -> None:
    imported = api.post(
        "/api/v1/notices/import",
        files=_files(later_copy(), sample("veat_24.xml"), sample("can_24_maximal.xml")),
    )
    assert imported.status_code == 200, imported.text
    assert [item["outcome"] for item in imported.json()["documents"]] == ["imported"] * 3

    beds = api.post(
        "/api/v1/needs",
        json={
            "title": "Pleiesenger og madrasser til hjemmetjenesten",
            "description": "Hjemmetjenesten trenger elektriske senger og trykkavlastende madrasser og puter.",
            "municipality_number": "4601",
        },
    )
    assert beds.status_code == 201, beds.text
    need_id = beds.json()["id"]
    similar = api.get(f"/api/v1/needs/{need_id}/similar-notices", params={"limit": 3})
    assert similar.status_code == 200, similar.text
    first = similar.json()[0]
    assert first["need"]["origin"] == "notice" and first["need"]["notice"]["kind"] == "veat"
    assert first["bought_en"].startswith("Middlesbrough Council bought this in 2020 from ")
    assert first["bought_no"].startswith("Middlesbrough Council kjøpte dette i 2020 fra ")
    assert api.get("/api/v1/needs/999999/similar-notices").status_code == 404
    assert api.get(f"/api/v1/needs/{need_id}/similar-notices", params={"limit": 0}).status_code == 422

    with live_server.client(token=None) as anonymous:
        page = anonymous.get(f"/needs/{need_id}", headers={"Accept-Language": "nb"})
        assert page.status_code == 200
        assert "Lignende kunngjøringer" in page.text
        assert "Middlesbrough Council kjøpte dette i 2020 fra" in page.text

    # The needs list and a solution's matches: origin filter, and the notice block.
    notices = api.get("/api/v1/needs", params={"origin": "notice"}).json()
    assert notices["total"] == 3 and all(item["notice"]["link"] for item in notices["items"])
    assert all(
        item["notice"] is None
        for item in api.get("/api/v1/needs", params={"origin": "manual"}).json()["items"]
    )
    solution = api.post(
        "/api/v1/solutions",
        json={
            "title": "Inspection and testing of electrical equipment",
            "description": "Planned in-service inspection and testing of electrical equipment in public buildings.",
        },
    )
    assert solution.status_code == 201, solution.text
    matches = api.get(f"/api/v1/solutions/{solution.json()['id']}/matches", params={"origin": "notice"})
    assert matches.status_code == 200, matches.text
    items = matches.json()["items"]
    # Open notices only: the VEAT and the award are closed.
    assert [item["need"]["notice"]["kind"] for item in items] == ["cn"]
    assert items[0]["need"]["notice"]["deadline"].startswith("2099-04-03")
    refused = api.post(
        "/api/v1/search/solutions", json={"query": "elektrisk kontroll", "filters": {"origin": "notice"}}
    )
    assert refused.status_code == 422 and "origin" in refused.text

    supplier = api.post(
        "/api/v1/suppliers", json={"name": "The best App", "organisation_number": "928 374 653"}
    )
    assert supplier.status_code == 201, supplier.text
    answer = api.get(f"/api/v1/suppliers/{supplier.json()['id']}").json()
    assert [(won["year"], won["title"]) for won in answer["contracts_won"]] == [
        (2023, "Procurement Title ---")
    ]
