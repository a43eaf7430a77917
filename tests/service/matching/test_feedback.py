"""Feedback on a need's matches changes that need's very next ranking, and is kept with who and when."""

import httpx

from service.matching.signals import SIGNALS


def _ranking(api: httpx.Client, need_id: int) -> list[int]:
    return [
        item["solution"]["id"]
        for item in api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": 5}).json()["items"]
    ]


def test_feedback_changes_the_next_ranking(api: httpx.Client) -> None:
    ids = [
        api.post("/api/v1/solutions", json={"title": title, "description": description}).json()["id"]
        for title, description in [
            ("Acoustic leak detection", "Acoustic loggers find leaks in water mains."),
            ("Leak detection by satellite", "Radar images show where water leaks from buried pipes."),
            ("Pressure management", "Valves lower night pressure so that pipes leak less."),
            ("Smart water meters", "Remote-read meters show consumption per household."),
        ]
    ]
    need_id = api.post(
        "/api/v1/needs", json={"title": "Water leaks", "description": "Our water mains leak."}
    ).json()["id"]
    before = _ranking(api, need_id)
    top, last = before[0], before[-1]

    response = api.post(
        f"/api/v1/needs/{need_id}/feedback", json={"solution_id": top, "verdict": "not_useful"}
    )
    assert response.status_code == 201
    assert response.json()["given_by"] == "admin" and response.json()["created_at"]
    assert top not in _ranking(api, need_id)

    api.post(f"/api/v1/needs/{need_id}/feedback", json={"solution_id": last, "verdict": "useful"})
    after = _ranking(api, need_id)
    assert after.index(last) < before.index(last)
    useful = next(
        item
        for item in api.get(f"/api/v1/needs/{need_id}/matches").json()["items"]
        if item["solution"]["id"] == last
    )
    assert useful["explanation"]["contributions"]["feedback"] == SIGNALS.weight("feedback")
    assert "marked it useful" in useful["explanation"]["summary"]

    api.post(
        f"/api/v1/needs/{need_id}/feedback", json={"solution_id": top, "verdict": "contacted"}
    )  # a later verdict replaces
    assert top in _ranking(api, need_id)
    history = api.get(f"/api/v1/needs/{need_id}/feedback").json()
    assert [item["verdict"] for item in history] == ["not_useful", "useful", "contacted"]
    assert set(ids) >= {item["solution_id"] for item in history}


def test_bad_feedback_is_refused(api: httpx.Client) -> None:
    need_id = api.post("/api/v1/needs", json={"title": "Noise", "description": "Traffic noise."}).json()["id"]
    solution_id = api.post(
        "/api/v1/solutions", json={"title": "Noise barriers", "description": "Green noise barriers."}
    ).json()["id"]
    assert (
        api.post(
            f"/api/v1/needs/{need_id}/feedback", json={"solution_id": solution_id, "verdict": "great"}
        ).status_code
        == 422
    )
    assert (
        api.post(
            f"/api/v1/needs/{need_id}/feedback", json={"solution_id": 9999, "verdict": "useful"}
        ).status_code
        == 404
    )
    assert (
        api.post(
            "/api/v1/needs/9999/feedback", json={"solution_id": solution_id, "verdict": "useful"}
        ).status_code
        == 404
    )
    assert (
        httpx.post(
            f"{api.base_url}/api/v1/needs/{need_id}/feedback",
            json={"solution_id": solution_id, "verdict": "useful"},
        ).status_code
        == 401
    )
    assert httpx.get(f"{api.base_url}/api/v1/needs/{need_id}/feedback").status_code == 401
    assert api.get(f"/api/v1/needs/{need_id}/feedback").json() == []
