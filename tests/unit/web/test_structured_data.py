"""The JSON-LD of need and solution pages (service/web/structured_data.py): the schema.org mapping, the
synthetic marker of demo records, and text that cannot break out of its <script> block."""

import json
from datetime import UTC, date, datetime
from typing import Any

import extruct

from service.needs.notice_brief import NeedNotice
from service.needs.schemas import NeedRead
from service.solutions.schemas import SolutionRead
from service.web.structured_data import (
    NORWAY,
    SYNTHETIC,
    Area,
    Provider,
    need_demand,
    place,
    script_json,
    solution_service,
)

MOMENT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BODO = place(Area("1804", "Bodø"), Area("18", "Nordland"))


def _need(**changes: Any) -> NeedRead:
    fields: dict[str, Any] = {
        "id": 7,
        "title": "Vanntap i ledningsnettet",
        "description": "Vi mister mye drikkevann i lekkasjer.",
        "language": "no",
        "municipality_number": "1804",
        "municipality_name": "Bodø",
        "origin": "manual",
        "kpi_codes": ["EC-I-WS-3C"],
        "suggested_kpis": None,
        "cpv_codes": ["38421100"],
        "trl_min": None,
        "status": "open",
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@bodo.kommune.no",
        "translations": {},
        "evidence": None,
        "demo": False,
        "created_at": MOMENT,
        "updated_at": MOMENT,
    }
    return NeedRead(**(fields | changes))


def _solution(**changes: Any) -> SolutionRead:
    fields: dict[str, Any] = {
        "id": 3,
        "title": "Acoustic leak detection",
        "description": "Loggers hear leaks in water mains.",
        "language": "en",
        "supplier_id": 2,
        "kpi_codes": [],
        "suggested_kpis": None,
        "sdgs": [6],
        "trl": 9,
        "cpv_codes": ["72000000"],
        "regions_served": [],
        "reference_municipalities": [],
        "status": "published",
        "demo": False,
        "created_at": MOMENT,
        "updated_at": MOMENT,
    }
    return SolutionRead(**(fields | changes))


def _read_back(document: dict[str, Any]) -> dict[str, Any]:
    """The block as a harvester reads it from a page."""
    html = f'<html><head><script type="application/ld+json">{script_json(document)}</script></head></html>'
    found: list[dict[str, Any]] = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    assert len(found) == 1
    return found[0]


def test_a_need_is_a_demand_for_a_service_in_its_municipality() -> None:
    document = need_demand(
        _need(),
        url="https://innomatch.example/needs/7",
        area_served=BODO,
        kpi_names={"EC-I-WS-3C": "Vanntap"},
    )
    read = _read_back(document)
    assert read["@context"] == "https://schema.org" and read["@type"] == "Demand"
    assert read["url"] == "https://innomatch.example/needs/7" and read["identifier"] == "7"
    assert read["name"] == {"@value": "Vanntap i ledningsnettet", "@language": "no"}
    assert read["description"]["@value"].startswith("Vi mister")
    area = read["areaServed"]
    assert (area["@type"], area["name"], area["identifier"]) == ("AdministrativeArea", "Bodø", "1804")
    assert area["containedInPlace"]["name"] == "Nordland"
    assert area["containedInPlace"]["containedInPlace"] == NORWAY
    sought = read["itemOffered"]
    assert sought["@type"] == "Service"
    codes = {(item["codeValue"], item.get("name")) for item in sought["category"]}
    assert ("EC-I-WS-3C", "Vanntap") in codes
    assert any(code == "38421100" and name for code, name in codes)  # named by its CPV division
    assert "disambiguatingDescription" not in read and "availabilityEnds" not in read


def test_a_need_never_carries_its_contact_person() -> None:
    text = json.dumps(need_demand(_need(), url="u", area_served=NORWAY, kpi_names={}))
    assert "kari@bodo.kommune.no" not in text and "Kari Nordmann" not in text


def test_a_notice_need_says_from_when_and_until_when() -> None:
    notice = NeedNotice(
        id=1,
        notice_id="abc-1",
        kind="cn",
        buyer_name="Bodø kommune",
        publication_date=date(2026, 10, 1),
        deadline=MOMENT,
        deadline_passed=False,
        winners=[],
        link="https://doffin.example/notices/abc-1",
        voided=False,
    )
    read = _read_back(
        need_demand(_need(origin="notice", notice=notice), url="u", area_served=BODO, kpi_names={})
    )
    assert read["availabilityStarts"] == "2026-10-01"
    assert datetime.fromisoformat(read["availabilityEnds"]) == MOMENT
    assert read["sameAs"] == "https://doffin.example/notices/abc-1"


def test_demo_records_say_they_are_synthetic() -> None:
    need = _read_back(need_demand(_need(demo=True), url="u", area_served=NORWAY, kpi_names={}))
    assert need["disambiguatingDescription"] == SYNTHETIC
    from_a_synthetic_value = _need(origin="kpi_gap", evidence={"value": 40.0, "synthetic": True})
    read = _read_back(need_demand(from_a_synthetic_value, url="u", area_served=NORWAY, kpi_names={}))
    assert read["disambiguatingDescription"] == SYNTHETIC
    provider = Provider("Demo Lekkasje AS", "999999999", None, demo=True)
    solution = _read_back(
        solution_service(_solution(demo=True), url="u", provider=provider, area_served=[], kpi_names={})
    )
    assert solution["disambiguatingDescription"] == SYNTHETIC
    assert solution["provider"]["disambiguatingDescription"] == SYNTHETIC


def test_a_solution_is_a_service_of_its_supplier_where_it_serves() -> None:
    provider = Provider("Lekkasje AS", "974760673", "https://lekkasje.example/", demo=False)
    read = _read_back(
        solution_service(
            _solution(regions_served=["18"]),
            url="https://innomatch.example/solutions/3",
            provider=provider,
            area_served=[place(None, Area("18", "Nordland"))],
            kpi_names={},
        )
    )
    assert read["@type"] == "Service" and read["name"]["@language"] == "en"
    organisation = read["provider"]
    assert organisation["@type"] == "Organization" and organisation["name"] == "Lekkasje AS"
    assert organisation["identifier"]["value"] == "974760673"
    assert organisation["url"] == "https://lekkasje.example/"
    assert [area["name"] for area in read["areaServed"]] == ["Nordland"]
    assert read["category"][0]["codeValue"] == "72000000"
    everywhere = solution_service(_solution(), url="u", provider=None, area_served=[], kpi_names={})
    assert everywhere["areaServed"] == [NORWAY] and "provider" not in everywhere


def test_a_hostile_title_cannot_leave_the_script_block() -> None:
    hostile = '</script><script>alert(1)</script><!-- & "quoted"'
    block = script_json(need_demand(_need(title=hostile), url="u", area_served=NORWAY, kpi_names={}))
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(str(block))["name"]["@value"] == hostile
    assert (
        _read_back(need_demand(_need(title=hostile), url="u", area_served=NORWAY, kpi_names={}))["name"][
            "@value"
        ]
        == hostile
    )
