"""Matches both ways and ad-hoc search through the live API: ranking, explanations, freshness."""

import httpx
import pytest

from service.matching.signals import SIGNALS
from tests.support.records import WATER_LOOKALIKES_EN, WATER_LOOKALIKES_NO


def _create_solutions(api: httpx.Client, pairs: list[tuple[str, str]], **extra: object) -> list[int]:
    ids = []
    for title, description in pairs:
        response = api.post("/api/v1/solutions", json={"title": title, "description": description, **extra})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def _solution_ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["solution"]["id"] for item in response.json()["items"]]


def test_norwegian_need_finds_english_solution_among_norwegian_lookalikes(api: httpx.Client) -> None:
    _create_solutions(api, WATER_LOOKALIKES_NO)
    [target] = _create_solutions(
        api,
        [
            (
                "Acoustic leak detection for water mains",
                "Acoustic loggers on valves and hydrants pinpoint leaking pipes in the distribution network, cutting non-revenue water.",
            )
        ],
    )
    need = api.post(
        "/api/v1/needs",
        json={
            "title": "Store lekkasjer på vannledningene",
            "description": "Nesten en tredjedel av drikkevannet vi produserer forsvinner i lekkasjer før det når abonnentene. Vi finner ikke lekkasjene før det blir synlige skader.",
        },
    ).json()
    assert need["language"] == "no"
    assert target in _solution_ids(api.get(f"/api/v1/needs/{need['id']}/matches", params={"limit": 3}))


def test_english_need_finds_norwegian_solution_among_english_lookalikes(api: httpx.Client) -> None:
    _create_solutions(api, WATER_LOOKALIKES_EN)
    [target] = _create_solutions(
        api,
        [
            (
                "Akustisk lekkasjesøk på vannledningsnettet",
                "Lyttelogger på ventiler og hydranter finner lekkasjer i ledningsnettet tidlig og reduserer vanntapet.",
            )
        ],
    )
    need = api.post(
        "/api/v1/needs",
        json={
            "title": "We lose too much drinking water",
            "description": "About 30 % of the treated water leaks out of old distribution pipes before reaching households, and we only find leaks when the road caves in.",
        },
    ).json()
    assert need["language"] == "en"
    assert target in _solution_ids(api.get(f"/api/v1/needs/{need['id']}/matches", params={"limit": 3}))


def test_matches_are_ranked_limited_and_explained(api: httpx.Client) -> None:
    _create_solutions(api, WATER_LOOKALIKES_EN, kpi_codes=["EC-I-WS-3C"])
    need = api.post(
        "/api/v1/needs",
        json={
            "title": "Water leaks",
            "description": "Our pipes leak.",
            "kpi_codes": ["EC-I-WS-3C", "EN-EN-WS-2C"],
        },
    ).json()
    items = api.get(f"/api/v1/needs/{need['id']}/matches", params={"limit": 4}).json()["items"]
    assert len(items) == 4
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)
    for item in items:
        explanation = item["explanation"]
        assert -1.0 <= explanation["similarity"] <= 1.0
        assert explanation["shared_kpi_codes"] == ["EC-I-WS-3C"]
        # The need has two KPIs; each solution shares one of them: half the shared-KPI weight.
        assert explanation["contributions"]["shared_kpis"] == pytest.approx(
            SIGNALS.weight("shared_kpis") / 2, abs=1e-3
        )
        assert item["score"] == pytest.approx(sum(explanation["contributions"].values()), abs=1e-3)
        assert explanation["shared_kpis"][0]["name_en"] == "Water Supply Loss"
        assert explanation["language_pair"] == "en->en"
        assert "EC-I-WS-3C" in explanation["summary"]


def test_a_write_is_matchable_as_soon_as_it_returns(api: httpx.Client) -> None:
    need_id = api.post(
        "/api/v1/needs",
        json={"title": "Snow clearing", "description": "Our snow clearing routes are inefficient."},
    ).json()["id"]
    for number in range(5):
        [solution_id] = _create_solutions(
            api, [(f"Route optimiser {number}", f"Plans winter road maintenance routes, variant {number}.")]
        )
        assert solution_id in _solution_ids(api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": 10}))
    new_need = api.post(
        "/api/v1/needs", json={"title": "Brøyting", "description": "Brøyterutene våre tar for lang tid."}
    ).json()
    found = api.get(f"/api/v1/solutions/{solution_id}/matches").json()["items"]
    assert new_need["id"] in [item["need"]["id"] for item in found]


def test_deleted_and_unpublished_solutions_leave_the_matches(api: httpx.Client) -> None:
    ids = _create_solutions(api, WATER_LOOKALIKES_EN)
    need_id = api.post(
        "/api/v1/needs", json={"title": "Water", "description": "Water quality alarms."}
    ).json()["id"]
    assert api.delete(f"/api/v1/solutions/{ids[0]}").status_code == 204
    assert api.patch(f"/api/v1/solutions/{ids[1]}", json={"status": "archived"}).status_code == 200
    remaining = _solution_ids(api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": 10}))
    assert sorted(remaining) == sorted(ids[2:])


def test_supplier_view_lists_open_needs_with_explanations(api: httpx.Client) -> None:
    [solution_id] = _create_solutions(api, [WATER_LOOKALIKES_EN[3]], kpi_codes=["EC-I-WA-1C"])
    open_need = api.post(
        "/api/v1/needs",
        json={
            "title": "Overfylte containere",
            "description": "Avfallscontainerne i sentrum er overfylte i helgene.",
            "kpi_codes": ["EC-I-WA-1C"],
            "municipality_number": "4601",
        },
    ).json()
    closed_need = api.post(
        "/api/v1/needs", json={"title": "Full bins", "description": "Bins overflow.", "status": "closed"}
    ).json()
    items = api.get(f"/api/v1/solutions/{solution_id}/matches").json()["items"]
    need_ids = [item["need"]["id"] for item in items]
    assert open_need["id"] in need_ids
    assert closed_need["id"] not in need_ids
    first = next(item for item in items if item["need"]["id"] == open_need["id"])
    assert first["explanation"]["shared_kpi_codes"] == ["EC-I-WA-1C"]
    assert first["need"]["municipality_number"] == "4601"


def test_ad_hoc_search_both_ways(api: httpx.Client) -> None:
    solution_ids = _create_solutions(api, WATER_LOOKALIKES_EN)
    hits = api.post(
        "/api/v1/search/solutions", json={"query": "bestille minibuss i distriktene", "limit": 2}
    ).json()["items"]
    assert hits[0]["solution"]["id"] == solution_ids[4]
    need_id = api.post(
        "/api/v1/needs",
        json={"title": "Flooded basements", "description": "Cloudbursts flood basements downtown."},
    ).json()["id"]
    found = api.post(
        "/api/v1/search/needs", json={"query": "oversvømmelse i kjellere etter styrtregn"}
    ).json()["items"]
    assert found[0]["need"]["id"] == need_id
    assert api.post("/api/v1/search/needs", json={"query": "", "limit": 2}).status_code == 422
    assert api.post("/api/v1/search/needs", json={"query": "x", "limit": 0}).status_code == 422


def test_a_search_with_no_good_answer_says_so_and_a_good_one_does_not(api: httpx.Client) -> None:
    _create_solutions(api, WATER_LOOKALIKES_NO)
    good = api.post("/api/v1/search/solutions", json={"query": "lekkasjer i vannledningene"}).json()
    assert not good["items"][0]["weak"]
    assert [warning["code"] for warning in good["warnings"]] == []
    unanswerable = api.post("/api/v1/search/solutions", json={"query": "dog licence fees"}).json()
    assert unanswerable["items"] and all(item["weak"] for item in unanswerable["items"])
    [warning] = unanswerable["warnings"]
    assert warning["code"] == "no-good-match" and "No good match" in warning["message"]
    dense = api.post(
        "/api/v1/search/solutions", json={"query": "dog licence fees", "ranking": "dense"}
    ).json()
    assert dense["warnings"] == [] and not any(item["weak"] for item in dense["items"])
    filtered = api.post(
        "/api/v1/search/solutions", json={"query": "lekkasje", "filters": {"trl_min": 9}}
    ).json()
    assert filtered["items"] == []
    assert [warning["code"] for warning in filtered["warnings"]] == ["no-good-match"]
