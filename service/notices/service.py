"""Reading procurement notices: public, as the needs they become are."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from service.errors import NotFoundError
from service.models import ProcurementNotice
from service.needs.notice_brief import notice_link
from service.notices import repository
from service.notices.importer import ImportReport
from service.notices.repository import NoticeQuery
from service.notices.schemas import DocumentOutcomeRead, ImportReportRead, NoticeFilters, NoticeRead


def view(notice: ProcurementNotice) -> NoticeRead:
    return NoticeRead.model_validate({**_columns(notice), "link": notice_link(notice)})


def _columns(notice: ProcurementNotice) -> dict[str, object]:
    return {column.key: getattr(notice, column.key) for column in ProcurementNotice.__mapper__.column_attrs}


def read(*, session: Session, notice_row_id: int) -> NoticeRead:
    notice = repository.get_notice(session, notice_row_id)
    if notice is None:
        raise NotFoundError("Notice", notice_row_id)
    return view(notice)


def _subtree(code: str) -> str:
    """A code's significant digits, at least its division (as needs and solutions filter CPV codes)."""
    return code.rstrip("0").ljust(2, "0")


def list_notices(
    *, session: Session, filters: NoticeFilters, offset: int, limit: int, now: datetime | None = None
) -> tuple[list[NoticeRead], int]:
    """A page of the notices that pass `filters`, newest publication first, and how many pass."""
    query = NoticeQuery(
        kind=filters.kind,
        buyer=filters.buyer,
        municipality_number=filters.municipality,
        county_number=filters.county,
        cpv_prefix=_subtree(filters.cpv) if filters.cpv else None,
        open_at=(now or datetime.now(UTC)) if filters.open_only else None,
        published_since=filters.published_since,
    )
    items, total = repository.list_notices(session, query, offset=offset, limit=limit)
    return [view(item) for item in items], total


@dataclass(frozen=True)
class NoticeLink:
    """What a list of needs shows of a need that carries a notice: the notice's page and its deadline."""

    id: int
    kind: str
    tender_deadline: datetime | None


def notice_links(*, session: Session, need_ids: Iterable[int]) -> dict[int, NoticeLink]:
    """By need id: the notice each of those needs carries (needs of origin "notice"); others are absent."""
    notices = repository.notices_of_needs(session, list(dict.fromkeys(need_ids)))
    return {
        notice.need_id: NoticeLink(notice.id, notice.kind, notice.tender_deadline)
        for notice in notices
        if notice.need_id is not None
    }


def report_read(report: ImportReport) -> ImportReportRead:
    return ImportReportRead(
        documents=[DocumentOutcomeRead.model_validate(document) for document in report.documents],
        summary=report.summary(),
    )
