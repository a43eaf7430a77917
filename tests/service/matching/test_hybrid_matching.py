"""The hybrid ranking through the live API: BM25 follows the records, structured signals and the
feedback prior move the ranking, and explanations name the signals and the shared words."""

from typing import Any

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from service.matching.signals import SIGNALS
from tests.support.servers import start_server


def _create(api: httpx.Client, kind: str, **fields: Any) -> dict[str, Any]:
    response = api.post(f"/api/v1/{kind}", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _lexical_hits(api: httpx.Client, text: str) -> list[int]:
    response = api.post("/api/v1/search/solutions", json={"query": text, "ranking": "lexical"})
    assert response.status_code == 200, response.text
    return [item["solution"]["id"] for item in response.json()["items"]]


def _matches(api: httpx.Client, need_id: int, **params: Any) -> list[dict[str, Any]]:
    response = api.get(f"/api/v1/needs/{need_id}/matches", params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_bm25_follows_creates_updates_deletes_and_restarts(
    api: httpx.Client, settings: Settings, encoder: Encoder
) -> None:
    solution = _create(
        api,
        "solutions",
        title="Hydrofonlyttere på vannledningsnettet",
        description="Hydrofoner på kummer og ventiler lytter etter lekkasjer hele natten.",
    )
    assert _lexical_hits(api, "hydrofonlyttere") == [solution["id"]]
    response = api.patch(
        f"/api/v1/solutions/{solution['id']}",
        json={"description": "Trykkstyring i soner senker lekkasjetapet om natten."},
    )
    assert response.status_code == 200, response.text
    assert _lexical_hits(api, "trykkstyring") == [solution["id"]]
    assert _lexical_hits(api, "hydrofoner kummer") == []  # the old description's words are gone

    # A second server on the same database builds BM25 from the records at start.
    second = start_server(settings, encoder)
    try:
        with second.client() as other:
            assert _lexical_hits(other, "trykkstyring") == [solution["id"]]
    finally:
        second.stop()

    assert api.delete(f"/api/v1/solutions/{solution['id']}").status_code == 204
    assert _lexical_hits(api, "trykkstyring") == []


def test_explanations_name_the_signals_and_the_words_both_texts_share(api: httpx.Client) -> None:
    solution = _create(
        api,
        "solutions",
        title="Lekkasjesøk med lyttelogger",
        description="Lyttelogger på ventiler finner lekkasjene i vannledningene før de gir skader.",
        kpi_codes=["EC-I-WS-3C"],
    )
    need = _create(
        api,
        "needs",
        title="Store lekkasjer på vannledningene",
        description="En tredjedel av drikkevannet forsvinner i lekkasjer før det når abonnentene.",
        kpi_codes=["EC-I-WS-3C"],
    )
    [top] = _matches(api, need["id"], limit=1)
    assert top["solution"]["id"] == solution["id"]
    explanation = top["explanation"]
    assert explanation["ranking"] == "hybrid"
    assert set(explanation["contributions"]) >= {"similarity", "shared_kpis"}
    assert sum(explanation["contributions"].values()) == pytest.approx(top["score"], abs=1e-3)
    leak = next(term for term in explanation["matched_terms"] if "lekkasjer" in term["query_words"])
    assert "lekkasjene" in leak["result_words"]
    assert any("vannledningene" in term["query_words"] for term in explanation["matched_terms"])
    # BM25 carries weight: the phrase names the need's own words.
    assert "EC-I-WS-3C" in explanation["summary"] and "lekkasjer" in explanation["summary"]


def test_each_ranking_explains_itself_and_a_wrong_one_is_refused(api: httpx.Client) -> None:
    _create(
        api, "solutions", title="Lekkasjesøk", description="Lyttelogger finner lekkasjer i vannledninger."
    )
    need = _create(api, "needs", title="Lekkasjer", description="Vi mister vann i lekkasjer på ledningene.")
    expected = {
        "dense": {"similarity"},
        "lexical": {"lexical"},
        "rrf": {"dense_rank", "lexical_rank"},
    }
    for ranking, signals in expected.items():
        [top] = _matches(api, need["id"], limit=1, ranking=ranking)
        assert set(top["explanation"]["contributions"]) == signals, ranking
        assert top["explanation"]["ranking"] == ranking
    response = api.get(f"/api/v1/needs/{need['id']}/matches", params={"ranking": "magic"})
    assert response.status_code == 422
    assert "ranking" in response.text


@pytest.mark.parametrize(
    ("signal", "need_fields", "better", "worse"),
    [
        ("cpv", {"cpv_codes": ["45230000"]}, {"cpv_codes": ["45232150"]}, {"cpv_codes": ["71000000"]}),
        ("region", {"municipality_number": "4601"}, {"regions_served": ["46"]}, {"regions_served": ["11"]}),
        ("maturity", {"trl_min": 6}, {"trl": 7}, {"trl": 4}),
        (
            "references",
            {"municipality_number": "4601"},
            {"reference_municipalities": ["4602"]},
            {"reference_municipalities": []},
        ),
    ],
)
def test_a_structured_signal_decides_between_equal_texts(
    api: httpx.Client,
    signal: str,
    need_fields: dict[str, Any],
    better: dict[str, Any],
    worse: dict[str, Any],
) -> None:
    text = {
        "title": "Digital tilsynsplattform for hjemmetjenesten",
        "description": "Sensorer i boligen varsler hjemmetjenesten ved fall og uvanlig aktivitet.",
    }
    # The worse one is created first, so that a tie (same text, same vector) would put it first.
    worse_id = _create(api, "solutions", **text, **worse)["id"]
    better_id = _create(api, "solutions", **text, **better)["id"]
    need = _create(
        api,
        "needs",
        title="Trygghet for hjemmeboende eldre",
        description="Eldre som bor hjemme faller og blir liggende lenge før noen oppdager det.",
        **need_fields,
    )
    first, second = _matches(api, need["id"], limit=2)
    assert [first["solution"]["id"], second["solution"]["id"]] == [better_id, worse_id]
    assert first["explanation"]["contributions"][signal] == pytest.approx(SIGNALS.weight(signal), abs=1e-4)
    assert signal not in second["explanation"]["contributions"]


def test_verdicts_on_other_needs_form_a_prior_for_a_new_need(api: httpx.Client) -> None:
    text = {
        "title": "Bestillingsstyrt minibuss",
        "description": "Innbyggere i spredtbygde strøk bestiller en minibuss i en app, og ruten planlegges fortløpende.",
    }
    disliked = _create(api, "solutions", **text)["id"]
    liked = _create(api, "solutions", **text)["id"]

    def bus_need(place: str) -> int:
        return int(
            _create(
                api,
                "needs",
                title=f"Kollektivtilbud i {place}",
                description="Bussene går sjelden, og de som ikke kjører bil kommer seg ikke til legen.",
            )["id"]
        )

    for need_id in (bus_need("Utkant"), bus_need("Fjellbygda")):
        for solution_id, verdict in ((liked, "piloted"), (disliked, "not_useful")):
            response = api.post(
                f"/api/v1/needs/{need_id}/feedback", json={"solution_id": solution_id, "verdict": verdict}
            )
            assert response.status_code == 201, response.text
    first, second = _matches(api, bus_need("Dalen"), limit=2)
    assert [first["solution"]["id"], second["solution"]["id"]] == [liked, disliked]
    assert first["explanation"]["contributions"]["feedback_prior"] > 0
    assert second["explanation"]["contributions"]["feedback_prior"] < 0
    assert "feedback" not in first["explanation"]["contributions"]  # no verdict on this need itself
