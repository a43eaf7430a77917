"""The OCDS validator refuses what the official 1.1.5 schemas refuse, and the release builders' output
passes it: so the release tests of tests/service/ocds fail when a release stops validating."""

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from service.models import NeedRelease
from service.ocds.need_releases import need_release
from service.ocds.package import release_package
from service.ocds.publication import Publication
from service.ocds.validation import package_errors, release_errors

PUBLICATION = Publication(
    ocid_prefix="ocds-test00", publisher="Innomatch test", base_url="https://innomatch.test"
)
SNAPSHOT: dict[str, Any] = {
    "title": "Vanntap i ledningsnettet",
    "description": "Vi mister en tredjedel av drikkevannet i lekkasjer.",
    "language": "no",
    "translations": {
        "en": {"title": "Water loss in the mains", "description": "We lose a third of the water."}
    },
    "status": "open",
    "origin": "kpi_gap",
    "kpi_codes": ["EC-I-WS-3C"],
    "cpv_codes": ["38421100", "50411100"],
    "evidence": {
        "kpi_code": "EC-I-WS-3C",
        "data_point": "",
        "value": 31.5,
        "unit": "%",
        "year": 2023,
        "source": "SSB tabell 12345",
        "synthetic": False,
        "target": 25.0,
        "target_kind": "national",
        "percent_of_target": 79.4,
        "band": 2,
        "link": "/api/v1/municipalities/1804/gaps",
    },
    "buyer": {"number": "1804", "name": "Bodø", "organisation_number": "972418013"},
    "notice": {"notice_id": "abc-123", "source_url": "https://doffin.no/notices/2024-100"},
}


def _release(snapshot: dict[str, Any] = SNAPSHOT, *, first: bool = True) -> dict[str, Any]:
    stored = NeedRelease(
        id=7, need_id=3, recorded_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), snapshot=snapshot
    )
    return need_release(stored, first=first, publication=PUBLICATION)


def test_a_need_release_validates_and_carries_the_mapped_fields() -> None:
    release = _release()
    assert release_errors(release) == []
    assert release["ocid"] == "ocds-test00-need-3" and release["id"] == "ocds-test00-need-3-7"
    assert release["tag"] == ["planning"] and release["date"] == "2026-01-02T03:04:05.000000Z"
    assert release["parties"][0]["identifier"] == {"scheme": "NO-BRC", "id": "972418013", "legalName": "Bodø"}
    assert release["buyer"] == {"id": "NO-BRC-972418013", "name": "Bodø"}
    assert release["planning"]["rationale"] == SNAPSHOT["description"]
    assert release["planning"]["rationale_en"] == "We lose a third of the water."
    assert (
        release["tender"]["status"] == "planning"
        and release["tender"]["title_en"] == "Water loss in the mains"
    )
    assert [item["classification"] for item in release["tender"]["items"]] == [
        {"scheme": "CPV", "id": "38421100"},
        {"scheme": "CPV", "id": "50411100"},
    ]
    documents = {document["id"]: document for document in release["planning"]["documents"]}
    assert set(documents) == {"need", "kpi-gap", "kpi-EC-I-WS-3C", "notice"}
    assert "31.5 % in 2023" in documents["kpi-gap"]["description"]
    assert documents["kpi-gap"]["url"] == "https://innomatch.test/api/v1/municipalities/1804/gaps"


def test_a_later_closed_release_without_organisation_number_validates() -> None:
    closed = {
        **SNAPSHOT,
        "status": "closed",
        "evidence": None,
        "notice": None,
        "cpv_codes": [],
        "buyer": {"number": "1580", "name": "Haram", "organisation_number": None},
    }
    release = _release(closed, first=False)
    assert release_errors(release) == []
    assert release["tag"] == ["planningUpdate"] and release["tender"]["status"] == "withdrawn"
    assert (
        release["buyer"]["id"] == "innomatch-municipality-1580" and "identifier" not in release["parties"][0]
    )
    assert "items" not in release["tender"]


@pytest.mark.parametrize(
    ("break_it", "complaint"),
    [
        (lambda release: release.update(tag="planning"), "tag: 'planning' is not of type 'array'"),
        (lambda release: release["tender"].update(status="open"), "tender/status: 'open' is not one of"),
        (
            lambda release: release.update(date="2 January 2026"),
            "date: '2 January 2026' is not a 'date-time'",
        ),
        (lambda release: release.pop("ocid"), "(top): 'ocid' is a required property"),
        (
            lambda release: release["planning"]["documents"][0].update(url="not a link"),
            "planning/documents/0/url: 'not a link' is not a 'uri'",
        ),
        (lambda release: release["tender"].pop("id"), "tender: 'id' is a required property"),
    ],
)
def test_the_validator_refuses_a_broken_release(break_it: Any, complaint: str) -> None:
    release = copy.deepcopy(_release())
    break_it(release)
    errors = release_errors(release)
    assert any(error.startswith(complaint) for error in errors), errors


def test_a_package_validates_its_releases_through_the_release_schema_offline() -> None:
    releases = [_release(), _release(first=False)]
    package = release_package(
        releases, uri="https://innomatch.test/api/v1/ocds/releases", next_uri=None, publication=PUBLICATION
    )
    assert package_errors(package) == []
    assert package["publishedDate"] == "2026-01-02T03:04:05.000000Z"
    assert package["license"] == "https://data.norge.no/nlod/no/2.0"
    releases[1]["initiationType"] = "auction"  # the release schema, reached by its URL, refuses it
    assert package_errors(package) == ["releases/1/initiationType: 'auction' is not one of ['tender']"]
