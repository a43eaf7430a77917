"""HTTP layer of the OCDS publication: release packages of needs and of pilot partnerships."""

from typing import Any

from fastapi import APIRouter, Request

from service.deps import SessionDep, SettingsDep
from service.moments import Moment
from service.ocds import service
from service.ocds.package import release_package
from service.ocds.publication import Publication
from service.ocds.service import ReleasePage
from service.pagination import PageDep, PageParams
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1", tags=["ocds"])

Package = dict[str, Any]


def _publication(settings: SettingsDep) -> Publication:
    return Publication(
        ocid_prefix=settings.ocds_prefix, publisher=settings.ocds_publisher, base_url=settings.public_base_url
    )


def _paged_package(
    request: Request, page: PageParams, publication: Publication, found: ReleasePage
) -> Package:
    """The page's releases as a package, with the next page's address while there is one."""
    following = page.offset + page.limit
    next_uri = None
    if following < found.total:
        next_uri = str(request.url.include_query_params(offset=following, limit=page.limit))
    return release_package(found.releases, uri=str(request.url), next_uri=next_uri, publication=publication)


@router.get("/ocds/releases", response_model=Package)
def list_releases(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    since: Moment = None,
    until: Moment = None,
) -> Package:
    """The OCDS 1.1 release package of every need's planning releases recorded in [since, until), oldest
    first; the next page's address in `links.next`."""
    publication = _publication(settings)
    found = service.need_releases(
        session=session,
        publication=publication,
        since=since,
        until=until,
        offset=page.offset,
        limit=page.limit,
    )
    return _paged_package(request, page, publication, found)


@router.get("/needs/{need_id}/ocds", response_model=Package)
def need_releases(request: Request, session: SessionDep, settings: SettingsDep, need_id: RecordId) -> Package:
    """One need's OCDS releases (each public change of the need is a release), as a release package."""
    publication = _publication(settings)
    releases = service.releases_of_need(session=session, publication=publication, need_id=need_id)
    return release_package(releases, uri=str(request.url), next_uri=None, publication=publication)


@router.get("/ocds/partnership-releases", response_model=Package)
def list_partnership_releases(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    since: Moment = None,
    until: Moment = None,
) -> Package:
    """The OCDS 1.1 release package of the tender and award releases of partnerships that reached pilot,
    recorded in [since, until), oldest first; the next page's address in `links.next`."""
    publication = _publication(settings)
    found = service.partnership_releases(
        session=session,
        publication=publication,
        since=since,
        until=until,
        offset=page.offset,
        limit=page.limit,
    )
    return _paged_package(request, page, publication, found)


@router.get("/partnerships/{partnership_id}/ocds", response_model=Package)
def partnership_releases(
    request: Request, session: SessionDep, settings: SettingsDep, partnership_id: RecordId
) -> Package:
    """A partnership's OCDS releases since it reached pilot (each public change a release), as a release
    package; 404 for a partnership never published."""
    publication = _publication(settings)
    releases = service.releases_of_partnership(
        session=session, publication=publication, partnership_id=partnership_id
    )
    return release_package(releases, uri=str(request.url), next_uri=None, publication=publication)
