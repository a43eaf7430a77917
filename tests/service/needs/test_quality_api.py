"""POST /api/v1/needs/check and the quality check on a need's create, update and read responses."""

import httpx
import pytest

from tests.support.servers import LiveServer

BRANDED_NEED = {
    "title": "Lekkasjer i ledningsnettet",
    "description": "Vi mister i dag rundt 32 prosent av drikkevannet i lekkasjer, og driftspersonellet finner dem "
    "først når vannet kommer opp i veien. Vi ønsker å teste loggere fra Kamstrup, med mål om under 20 prosent "
    "vanntap innen 2030.",
}


def test_check_answers_anyone_with_findings_and_a_checklist(live_server: LiveServer) -> None:
    with live_server.client(token=None) as anonymous:
        response = anonymous.post("/api/v1/needs/check", json=BRANDED_NEED)
    assert response.status_code == 200, response.text
    quality = response.json()
    assert quality["language"] == "no"
    (finding,) = quality["findings"]
    assert finding["rule"] == "brand-name"
    assert finding["field"] == "description"
    assert BRANDED_NEED["description"][finding["start"] : finding["end"]] == "Kamstrup"
    assert finding["message_no"] and finding["suggestion_en"]
    assert quality["checklist"] == {
        "problem-not-solution": True,
        "brand-name": False,
        "measurable-outcome": True,
        "context": True,
        "too-short": True,
        "personal-data": True,
    }


def test_check_knows_the_catalogues_supplier_names(api: httpx.Client) -> None:
    supplier = api.post(
        "/api/v1/suppliers", json={"name": "Lekkasjelosen AS", "organisation_number": "974760673"}
    )
    assert supplier.status_code == 201, supplier.text
    text = {**BRANDED_NEED, "description": BRANDED_NEED["description"].replace("Kamstrup", "Lekkasjelosen")}
    (finding,) = api.post("/api/v1/needs/check", json=text).json()["findings"]
    assert text["description"][finding["start"] : finding["end"]] == "Lekkasjelosen"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "Vi mister vann."}, "title"),
        ({"title": "Vanntap"}, "description"),
        ({"title": "Vanntap", "description": "12345 !!"}, "description"),
        ({"title": "Vanntap", "description": "Vi mister vann.", "language": "klingon"}, "language"),
    ],
)
def test_check_refuses_bad_input_naming_the_field(
    api: httpx.Client, body: dict[str, str], field: str
) -> None:
    response = api.post("/api/v1/needs/check", json=body)
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


def test_a_need_is_saved_with_its_findings_and_read_with_them(api: httpx.Client) -> None:
    created = api.post("/api/v1/needs", json=BRANDED_NEED)
    assert created.status_code == 201, created.text
    assert [finding["rule"] for finding in created.json()["quality"]["findings"]] == ["brand-name"]
    need_id = created.json()["id"]
    assert api.get(f"/api/v1/needs/{need_id}").json()["quality"]["checklist"]["brand-name"] is False

    fixed = BRANDED_NEED["description"].replace("fra Kamstrup", "fra Kamstrup eller tilsvarende")
    updated = api.patch(f"/api/v1/needs/{need_id}", json={"description": fixed})
    assert updated.status_code == 200, updated.text
    assert updated.json()["quality"]["findings"] == []
    assert all(updated.json()["quality"]["checklist"].values())
