"""Languages through the live API: a text in a language Innomatch does not serve is stored with its own
code, answered with a warning and still matched; Nynorsk is Norwegian; a language can be set explicitly."""

from typing import Any

import httpx

from tests.support.records import WATER_LOOKALIKES_EN, create

SWEDISH_LEAK_NEED = {
    "title": "Läckor i vattenledningsnätet",
    "description": "Kommunen förlorar nästan en fjärdedel av dricksvattnet genom läckor i gamla ledningar. Vi"
    " söker en lösning som visar var vi ska gräva först, så att personalen inte behöver lyssna sig igenom"
    " hela nätet.",
}
NYNORSK_LEAK_NEED = {
    "title": "Lekkasjar i vassleidningane",
    "description": "Kommunen mistar nesten ein firedel av drikkevatnet gjennom lekkasjar i gamle leidningar."
    " Vi treng ei løysing som syner kvar vi bør grava fyrst.",
}
LEAK_SOLUTION = {
    "title": "Acoustic leak detection for water mains",
    "description": "Acoustic loggers on valves and hydrants pinpoint leaking pipes in the distribution"
    " network, so crews dig in the right place and cut non-revenue water.",
}
NOT_SERVED = "Innomatch matches Norwegian and English"


def _warnings(body: dict[str, Any]) -> list[str]:
    """The language warnings (a small test catalogue may also get a fair 'no-good-match')."""
    return [warning["message"] for warning in body["warnings"] if warning["code"] == "language-not-served"]


def test_a_swedish_need_is_stored_as_swedish_with_a_warning_and_is_matched(api: httpx.Client) -> None:
    for title, description in WATER_LOOKALIKES_EN:
        create(api, "solutions", title=title, description=description)
    solution = create(api, "solutions", **LEAK_SOLUTION)
    assert solution["warnings"] == []

    need = create(api, "needs", **SWEDISH_LEAK_NEED)
    assert need["language"] == "sv"
    assert _warnings(need) == [
        "The text looks Swedish (sv). Innomatch matches Norwegian and English; matches for this text may be"
        " weak. Write it in Norwegian or English, or set language if the detection is wrong."
    ]
    assert api.get(f"/api/v1/needs/{need['id']}").json()["language"] == "sv"

    matches = api.get(f"/api/v1/needs/{need['id']}/matches", params={"limit": 3}).json()
    assert solution["id"] in [item["solution"]["id"] for item in matches["items"]]
    assert matches["items"][0]["explanation"]["language_pair"].startswith("sv->")
    assert "the Swedish need" in matches["items"][0]["explanation"]["summary"]
    assert _warnings(matches) == [f"The need is in Swedish (sv). {NOT_SERVED}; its matches may be weak."]

    demand = api.get(f"/api/v1/solutions/{solution['id']}/matches").json()
    assert need["id"] in [item["need"]["id"] for item in demand["items"]]
    assert _warnings(demand) == []
    listed = api.get("/api/v1/needs", params={"language": "sv"}).json()["items"]
    assert [item["id"] for item in listed] == [need["id"]]


def test_nynorsk_is_stored_as_norwegian_without_a_warning(api: httpx.Client) -> None:
    need = create(api, "needs", **NYNORSK_LEAK_NEED)
    assert (need["language"], need["warnings"]) == ("no", [])
    explicit = create(api, "needs", **NYNORSK_LEAK_NEED, language="nn")
    assert (explicit["language"], explicit["warnings"]) == ("no", [])


def test_an_explicit_language_is_any_iso_639_1_code_and_is_kept(api: httpx.Client) -> None:
    # Norwegian text labelled Swedish by its writer: the writer decides, and is told what it means.
    need = create(api, "needs", **NYNORSK_LEAK_NEED, language="SWE")
    assert need["language"] == "sv"
    assert _warnings(need) == [
        f"The language is set to Swedish (sv). {NOT_SERVED}; matches for this text may be weak."
    ]
    changed = api.patch(f"/api/v1/needs/{need['id']}", json={"language": "nb"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["language"], changed.json()["warnings"]) == ("no", [])

    german = {
        "description": "Die Gemeinde verliert fast ein Viertel ihres Trinkwassers durch undichte Leitungen."
    }
    redetected = api.patch(f"/api/v1/needs/{need['id']}", json=german).json()
    assert redetected["language"] == "de"
    assert _warnings(redetected)[0].startswith("The text looks German (de).")

    refused = api.post("/api/v1/needs", json={**NYNORSK_LEAK_NEED, "language": "xx"})
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["loc"] == ["body", "language"]
    assert error["msg"].startswith("language must be an ISO 639-1 code: 'no' (Norwegian, Bokmål or Nynorsk)")


def test_a_batch_of_solutions_warns_for_each_item_in_a_language_not_served(api: httpx.Client) -> None:
    danish = {
        "title": "Skærmbesøg i hjemmeplejen",
        "description": "Borgerne får besøg af hjemmeplejen via en skærm, så medarbejderne får mere tid til dem,"
        " der har brug for fysisk pleje.",
    }
    response = api.post("/api/v1/solutions/batch", json={"items": [LEAK_SOLUTION, danish]})
    assert response.status_code == 201, response.text
    english, stored = response.json()
    assert (english["language"], english["warnings"]) == ("en", [])
    assert stored["language"] == "da"
    assert _warnings(stored)[0].startswith("The text looks Danish (da).")
    changed = api.patch("/api/v1/solutions/batch", json={"items": [{"id": stored["id"], "language": "no"}]})
    assert changed.status_code == 200, changed.text
    assert [(item["language"], item["warnings"]) for item in changed.json()] == [("no", [])]


def test_a_search_in_another_language_is_answered_with_a_warning_and_one_without_words_refused(
    api: httpx.Client,
) -> None:
    solution = create(api, "solutions", **LEAK_SOLUTION)
    create(api, "needs", **SWEDISH_LEAK_NEED)
    found = api.post(
        "/api/v1/search/solutions",
        json={"query": "Vi mister meget drikkevand i utætte ledninger og ved ikke, hvor lækagerne er."},
    )
    assert found.status_code == 200, found.text
    assert [item["solution"]["id"] for item in found.json()["items"]] == [solution["id"]]
    assert _warnings(found.json()) == [
        f"The search text looks Danish (da). {NOT_SERVED}; these results may be weak. Search in Norwegian or"
        " English."
    ]
    norwegian = api.post("/api/v1/search/needs", json={"query": "lekkasjer i vannledningene"}).json()
    assert _warnings(norwegian) == []
    assert norwegian["items"][0]["explanation"]["language_pair"] == "no->sv"

    for path in ("/api/v1/search/solutions", "/api/v1/search/needs"):
        refused = api.post(path, json={"query": "🚰💧🙂"})
        assert refused.status_code == 422
        [error] = refused.json()["detail"]
        assert (error["loc"], error["msg"]) == (
            ["body", "query"],
            "must contain words: it has no letters, only digits, symbols or emoji",
        )
