"""Every filter keeps the full limit: the index searches among the records that pass, not after."""

import httpx
import pytest

CLOSE = {  # like the query; what an unfiltered search returns first
    "regions_served": ["03"],
    "reference_municipalities": ["0301"],
    "cpv_codes": ["38421100"],
    "trl": 9,
    "kpi_codes": ["EC-I-WS-3C"],
    "sdgs": [6],
    "language": "en",
    "status": "published",
}
FAR = {  # unlike the query; only a filter that selects them brings them back
    "regions_served": ["56"],
    "reference_municipalities": ["5601"],
    "cpv_codes": ["55524000"],
    "trl": 3,
    "kpi_codes": ["SC-SH-FS-1A"],
    "sdgs": [2],
    "language": "no",
    "status": "draft",
}
LIMIT = 5


@pytest.fixture
def solutions(api: httpx.Client) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {"close": [], "far": []}
    for number in range(8):
        close = {
            "title": f"Leak detection {number}",
            "description": f"Acoustic sensors find leaks in water pipes, variant {number}.",
            **CLOSE,
        }
        far = {
            "title": f"Skolemat {number}",
            "description": f"Lokalprodusert mat til skolekantiner, variant {number}.",
            **FAR,
        }
        ids["close"].append(api.post("/api/v1/solutions", json=close).json()["id"])
        ids["far"].append(api.post("/api/v1/solutions", json=far).json()["id"])
    return ids


@pytest.mark.parametrize(
    "params",
    [
        {"county": "56"},
        {"municipality": "5601"},
        {"cpv": "555"},
        {"trl_min": 2, "trl_max": 4},
        {"kpi": "SC: SH: FS: 1A"},
        {"dimension": "Society and Culture"},
        {"sdg": 2},
        {"language": "no"},
        {"status": "draft"},
    ],
)
def test_each_solution_filter_keeps_the_full_limit(
    api: httpx.Client, solutions: dict[str, list[int]], params: dict[str, object]
) -> None:
    need_id = api.post(
        "/api/v1/needs", json={"title": "Leaking water pipes", "description": "Our water pipes leak."}
    ).json()["id"]
    unfiltered = [
        item["solution"]["id"]
        for item in api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": LIMIT}).json()["items"]
    ]
    assert set(unfiltered) <= set(solutions["close"])  # the far ones are not near the top without the filter
    extra = {"status": "draft"} if "status" not in params else {}
    response = api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": LIMIT, **params, **extra})
    assert response.status_code == 200, response.text
    found = [item["solution"]["id"] for item in response.json()["items"]]
    assert len(found) == LIMIT
    assert set(found) <= set(solutions["far"])
    search = api.post(
        "/api/v1/search/solutions",
        json={"query": "leaking water pipes", "limit": LIMIT, "filters": {**params, **extra}},
    )
    assert {item["solution"]["id"] for item in search.json()["items"]} <= set(solutions["far"])
    assert len(search.json()["items"]) == LIMIT


def test_need_filters_keep_the_full_limit_and_refuse_solution_only_ones(api: httpx.Client) -> None:
    water = [
        api.post(
            "/api/v1/needs",
            json={
                "title": f"Leaks {n}",
                "description": "Water pipes leak.",
                "municipality_number": "0301",
                "kpi_codes": ["EC-I-WS-3C"],
            },
        ).json()["id"]
        for n in range(6)
    ]
    food = [
        api.post(
            "/api/v1/needs",
            json={
                "title": f"Skolemat {n}",
                "description": "Vi vil ha lokal mat i skolen.",
                "municipality_number": "5601",
                "kpi_codes": ["SC-SH-FS-1A"],
            },
        ).json()["id"]
        for n in range(6)
    ]
    solution_id = api.post(
        "/api/v1/solutions",
        json={"title": "Leak detection", "description": "Acoustic sensors find leaks in water pipes."},
    ).json()["id"]
    for params in (
        {"county": "56"},
        {"municipality": "5601"},
        {"kpi": "SC-SH-FS-1A"},
        {"dimension": "Society and Culture"},
        {"language": "no"},
    ):
        items = api.get(f"/api/v1/solutions/{solution_id}/matches", params={"limit": LIMIT, **params}).json()[
            "items"
        ]
        assert len(items) == LIMIT, params
        assert {item["need"]["id"] for item in items} <= set(food), params
    assert api.patch(f"/api/v1/needs/{food[0]}", json={"status": "closed"}).status_code == 200
    closed = api.get(f"/api/v1/solutions/{solution_id}/matches", params={"status": "closed"}).json()["items"]
    assert [item["need"]["id"] for item in closed] == [food[0]]
    refused = api.get(f"/api/v1/solutions/{solution_id}/matches", params={"cpv": "38"})
    assert refused.status_code == 422
    assert "applies to solutions" in refused.json()["detail"][0]["msg"]
    bad_language = api.get(f"/api/v1/solutions/{solution_id}/matches", params={"language": "xx"})
    assert bad_language.status_code == 422
    assert bad_language.json()["detail"][0]["loc"] == ["query", "language"]
    assert set(water)  # created, and never part of a filtered answer above


def test_unlisted_solutions_nearest_to_the_need_leave_the_default_ranking_full(api: httpx.Client) -> None:
    # Without filters the search leaves out the unpublished ids instead of listing the published ones:
    # drafts identical to the need must not show, and the page must still be full.
    text = {"title": "Leaking water pipes", "description": "Our water pipes leak under the streets."}
    drafts = [api.post("/api/v1/solutions", json={**text, "status": "draft"}).json()["id"] for _ in range(4)]
    published = [
        api.post(
            "/api/v1/solutions",
            json={
                "title": f"Leak detection {n}",
                "description": "Acoustic loggers find leaking water pipes.",
            },
        ).json()["id"]
        for n in range(5)
    ]
    need_id = api.post("/api/v1/needs", json=text).json()["id"]
    response = api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": 5})
    assert response.status_code == 200, response.text
    assert sorted(item["solution"]["id"] for item in response.json()["items"]) == sorted(published)
    as_drafts = api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": 4, "status": "draft"})
    assert sorted(item["solution"]["id"] for item in as_drafts.json()["items"]) == sorted(drafts)
