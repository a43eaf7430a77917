"""Every need of the demo seed (written needs and needs generated from KPI gaps) is published, and every
release and package validates against the official OCDS 1.1.5 schemas."""

from typing import Any

from service.ocds.validation import package_errors, release_errors
from tests.support.servers import LiveServer


def test_every_seeded_need_is_published_as_valid_releases(demo_server: LiveServer) -> None:
    with demo_server.client(token=None) as anonymous:
        needs = anonymous.get("/api/v1/needs", params={"limit": 1}).json()["total"]
        releases: list[dict[str, Any]] = []
        next_page: str | None = "/api/v1/ocds/releases?limit=200"
        while next_page is not None:
            response = anonymous.get(next_page)
            assert response.status_code == 200, response.text
            package = response.json()
            assert package_errors(package) == []
            releases.extend(package["releases"])
            next_page = package.get("links", {}).get("next")
        ocids = {release["ocid"] for release in releases}
        assert needs > 20 and len(ocids) == needs  # each need once, none left out
        assert len({release["id"] for release in releases}) == len(releases)
        generated = [release for release in releases if "kpi-gap" in str(release["planning"]["documents"])]
        assert generated, "the needs generated from KPI gaps carry their evidence"
        for release in releases:
            assert release_errors(release) == [], release["id"]
        one = anonymous.get(f"/api/v1/needs/{releases[-1]['ocid'].rsplit('-', 1)[1]}/ocds")
        assert one.status_code == 200 and package_errors(one.json()) == []
