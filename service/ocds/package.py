"""Release packages: releases with their publisher, licence and the link to the next page."""

from datetime import UTC, datetime
from typing import Any

from service.ocds.publication import LICENSE, OCDS_VERSION, Publication, ocds_date


def release_package(
    releases: list[dict[str, Any]], *, uri: str, next_uri: str | None, publication: Publication
) -> dict[str, Any]:
    """A package of `releases` found at `uri`; dated by its newest release (an on-demand package is as new
    as its contents, as OCDS asks), or now when it is empty."""
    newest = max((release["date"] for release in releases), default=None)
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": newest or ocds_date(datetime.now(UTC)),
        "publisher": {"name": publication.publisher, "uri": publication.link("/")},
        "license": LICENSE,
        "releases": releases,
    }
    if next_uri is not None:
        package["links"] = {"next": next_uri}  # as OCDS record packages page, the schema allows it here
    return package
