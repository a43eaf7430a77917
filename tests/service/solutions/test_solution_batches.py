"""Solutions written in batches: one transaction each, all or nothing, unchanged texts not encoded again."""

import httpx
from prometheus_client.parser import text_string_to_metric_families

WATER_LOSS = "EC-I-WS-3C"
SOLUTIONS = [
    {"title": "Akustisk lekkasjesøk", "description": "Sensorer lytter etter lekkasjer i vannledningene."},
    {"title": "Smart parking", "description": "Sensors show free parking spaces in real time.", "trl": 8},
    {"title": "Avfallssensorer", "description": "Fyllingsgrad i avfallsbeholdere styrer tømmeruter."},
]


def _passages_encoded(api: httpx.Client) -> float:
    for family in text_string_to_metric_families(api.get("/metrics").text):
        for sample in family.samples:
            if sample.name == "innomatch_encoder_texts_total" and sample.labels["text_kind"] == "passage":
                return sample.value
    return 0.0


def _total(api: httpx.Client) -> int:
    total: int = api.get("/api/v1/solutions").json()["total"]
    return total


def test_a_batch_is_created_searchable_and_updated_without_encoding_unchanged_texts(
    api: httpx.Client,
) -> None:
    encoded_before = _passages_encoded(api)
    created = api.post("/api/v1/solutions/batch", json={"items": SOLUTIONS})
    assert created.status_code == 201, created.text
    solutions = created.json()
    assert [solution["title"] for solution in solutions] == [item["title"] for item in SOLUTIONS]
    assert [solution["language"] for solution in solutions] == ["no", "en", "no"]
    assert _passages_encoded(api) == encoded_before + 3
    found = api.post("/api/v1/search/solutions", json={"query": "lekkasjer i vannledninger", "limit": 1})
    assert found.json()["items"][0]["solution"]["id"] == solutions[0]["id"]
    encoded_before = _passages_encoded(api) - 3  # a search text is encoded as a passage too

    unchanged = [{"id": solution["id"], "title": solution["title"]} for solution in solutions]
    unchanged[1]["trl"] = 9
    updated = api.patch("/api/v1/solutions/batch", json={"items": unchanged})
    assert updated.status_code == 200, updated.text
    assert [solution["trl"] for solution in updated.json()] == [None, 9, None]
    assert _passages_encoded(api) == encoded_before + 3, "an unchanged text was encoded again"

    retitled = api.patch(
        "/api/v1/solutions/batch",
        json={"items": [{"id": solutions[2]["id"], "description": "Containers report when they are full."}]},
    )
    assert retitled.status_code == 200, retitled.text
    assert retitled.json()[0]["language"] == "en"
    assert _passages_encoded(api) == encoded_before + 4


def test_one_wrong_item_stores_nothing_and_the_answer_names_it(api: httpx.Client) -> None:
    before = _total(api)
    items = [*SOLUTIONS, {"title": "t", "description": "d", "kpi_codes": [WATER_LOSS, "NOPE"]}]
    response = api.post("/api/v1/solutions/batch", json={"items": items})
    assert response.status_code == 422
    assert [detail["loc"] for detail in response.json()["detail"]] == [["body", "items", 3, "kpi_codes", 1]]
    assert _total(api) == before

    first = api.post("/api/v1/solutions/batch", json={"items": SOLUTIONS[:2]}).json()
    changes = [{"id": first[0]["id"], "title": "Nytt navn"}, {"id": first[1]["id"], "trl": 12}]
    assert api.patch("/api/v1/solutions/batch", json={"items": changes}).status_code == 422
    changes = [{"id": first[0]["id"], "title": "Nytt navn"}, {"id": first[1]["id"], "supplier_id": 424242}]
    refused = api.patch("/api/v1/solutions/batch", json={"items": changes})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "items", 1, "supplier_id"]
    assert api.get(f"/api/v1/solutions/{first[0]['id']}").json()["title"] == SOLUTIONS[0]["title"]


def test_a_batch_update_refuses_unknown_and_repeated_ids(api: httpx.Client) -> None:
    solution = api.post("/api/v1/solutions/batch", json={"items": SOLUTIONS[:1]}).json()[0]
    unknown = api.patch(
        "/api/v1/solutions/batch", json={"items": [{"id": solution["id"], "title": "Ny"}, {"id": 999_999}]}
    )
    assert unknown.status_code == 404 and "999999" in unknown.json()["detail"]
    repeated = api.patch(
        "/api/v1/solutions/batch",
        json={"items": [{"id": solution["id"]}, {"id": solution["id"], "title": "Ny"}]},
    )
    assert repeated.status_code == 422
    assert repeated.json()["detail"][0]["loc"] == ["body", "items", 1, "id"]
    assert api.get(f"/api/v1/solutions/{solution['id']}").json()["title"] == SOLUTIONS[0]["title"]
    assert api.post("/api/v1/solutions/batch", json={"items": []}).status_code == 422
