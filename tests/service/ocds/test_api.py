"""The OCDS endpoints through a live server, on SQLite and PostgreSQL: a need's releases as anyone reads
them, paging by links.next, refused dates, and a pilot partnership's releases as anyone reads them: one per
public change from pilot on, nothing private in them."""

from typing import Any

import httpx

from service.ocds.validation import package_errors
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, create, move, propose
from tests.support.servers import LiveServer

SECRET_NOTE = "Hemmelig: leverandøren ringte oss privat"
CONTACT = {"contact_name": "Ola Nordmann", "contact_email": "ola.nordmann@bodo.kommune.no"}


def _package(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    # No params at all for a link that carries its own query (httpx would replace it with an empty one).
    response = client.get(path, params=params) if params else client.get(path)
    assert response.status_code == 200, response.text
    package: dict[str, Any] = response.json()
    assert package_errors(package) == []
    return package


def test_a_need_and_its_pilot_partnership_are_published_as_valid_releases(
    api: httpx.Client, live_server: LiveServer
) -> None:
    need = create(api, "needs", **LEAK_NEED, **CONTACT, municipality_number="1804", cpv_codes=["38421100"])
    other = create(
        api, "needs", title="Overvann", description="Kjellere i sentrum flommer over ved styrtregn."
    )
    with live_server.client(token=None) as anonymous:
        before = _package(anonymous, f"/api/v1/needs/{need['id']}/ocds")
        assert (
            api.patch(f"/api/v1/needs/{need['id']}", json={"title": "Vanntap og lekkasjer"}).status_code
            == 200
        )
        after = anonymous.get(f"/api/v1/needs/{need['id']}/ocds")
        assert package_errors(after.json()) == []
        assert "ola" not in after.text.lower() and "nordmann" not in after.text.lower()
        first, second = after.json()["releases"]
        assert first == before["releases"][0]  # a change is a new release; the first stays as it was
        assert second["tag"] == ["planningUpdate"] and second["tender"]["title"] == "Vanntap og lekkasjer"
        assert first["buyer"] == {"id": "NO-BRC-972418013", "name": "Bodø"}
        assert first["ocid"] == f"ocds-unregistered-need-{need['id']}"

        listed = _package(anonymous, "/api/v1/ocds/releases", limit=2)  # oldest first, over all needs
        assert [release["ocid"] for release in listed["releases"]] == [
            first["ocid"],
            f"ocds-unregistered-need-{other['id']}",
        ]
        following = _package(anonymous, listed["links"]["next"])
        assert following["releases"] == [second]
        assert "links" not in following

        unknown = anonymous.get("/api/v1/needs/999999/ocds")
        assert unknown.status_code == 404 and "Need 999999 does not exist" in unknown.text
        bad_date = anonymous.get("/api/v1/ocds/releases", params={"since": "last tuesday"})
        assert bad_date.status_code == 422 and bad_date.json()["detail"][0]["loc"] == ["query", "since"]
        # A bare number would be read as seconds since 1970; the schema says a date.
        number = anonymous.get("/api/v1/ocds/releases", params={"until": "0"})
        assert number.status_code == 422 and number.json()["detail"][0]["loc"] == ["query", "until"]
        backwards = anonymous.get(
            "/api/v1/ocds/releases", params={"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}
        )
        assert backwards.status_code == 422, backwards.text
        assert "'until' (2026-01-01T00:00:00+00:00) must be later than 'since'" in backwards.text

    supplier = create(api, "suppliers", name="Lekkasjelosen AS", organisation_number="974760673")
    solution = create(api, "solutions", **LEAK_SOLUTION, trl=9, supplier_id=supplier["id"])
    partnership = propose(api, need_ids=[need["id"]], solution_ids=[solution["id"]])
    never = propose(api, need_ids=[other["id"]], title="Overvann i sentrum")
    ocds = f"/api/v1/partnerships/{partnership['id']}/ocds"
    with live_server.client(token=None) as anonymous:
        assert anonymous.get(ocds).status_code == 404  # not at pilot yet: nothing published
        for status in ("in_dialogue", "pilot"):
            assert move(api, partnership["id"], status, note=SECRET_NOTE).status_code == 200
        (release,) = _package(anonymous, ocds)["releases"]
        assert release["tag"] == ["tender", "award"]
        assert release["tender"]["procurementMethodDetails"].startswith(
            {
                "market_dialogue": "Market dialogue",
                "ordinary_competition": "Ordinary competition",
                "innovation_partnership": "Innovation partnership",
                "pre_commercial_procurement": "Pre-commercial",
            }[partnership["route"]]
        )
        assert release["awards"][0]["suppliers"] == [{"id": "NO-BRC-974760673", "name": "Lekkasjelosen AS"}]
        assert release["relatedProcesses"][0]["identifier"] == first["ocid"]

        assert move(api, partnership["id"], "scaled").status_code == 200
        assert move(api, partnership["id"], "stopped", note=SECRET_NOTE).status_code == 200
        assert move(api, never["id"], "stopped", note=SECRET_NOTE).status_code == 200
        history = anonymous.get(ocds)
        assert package_errors(history.json()) == []
        piloted, scaled, stopped = history.json()["releases"]
        assert piloted == release  # a change is a new release; the first stays as it was
        assert [scaled["tag"], stopped["tag"]] == [
            ["tenderUpdate", "awardUpdate"],
            ["tenderUpdate", "awardCancellation"],
        ]
        assert [scaled["awards"][0]["status"], stopped["awards"][0]["status"]] == ["active", "cancelled"]
        for private in ("hemmelig", "ola", "nordmann", "match_score", partnership["created_by"]):
            assert private.lower() not in history.text.lower()
        assert anonymous.get(f"/api/v1/partnerships/{never['id']}/ocds").status_code == 404

        listed = _package(anonymous, "/api/v1/ocds/partnership-releases", limit=2)  # oldest first
        assert listed["releases"] == [piloted, scaled]
        assert _package(anonymous, listed["links"]["next"])["releases"] == [stopped]
        until = _package(anonymous, "/api/v1/ocds/partnership-releases", until=scaled["date"])
        assert until["releases"] == [piloted]
        backwards = anonymous.get(
            "/api/v1/ocds/partnership-releases",
            params={"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"},
        )
        assert backwards.status_code == 422, backwards.text
