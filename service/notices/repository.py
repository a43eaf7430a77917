"""All SQL about procurement notices."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.expression import cast, exists

from service.models import Municipality, ProcurementNotice


def notice_by_notice_id(session: Session, notice_id: str) -> ProcurementNotice | None:
    return session.scalar(select(ProcurementNotice).where(ProcurementNotice.notice_id == notice_id))


def notice_by_content_hash(session: Session, content_hash: str) -> ProcurementNotice | None:
    statement = select(ProcurementNotice).where(ProcurementNotice.content_hash == content_hash).limit(1)
    return session.scalar(statement)


def get_notice(session: Session, notice_row_id: int) -> ProcurementNotice | None:
    return session.get(ProcurementNotice, notice_row_id)


def notices_of_needs(session: Session, need_ids: Sequence[int]) -> Sequence[ProcurementNotice]:
    """The notices that the needs of `need_ids` carry (procurement_notice.need_id)."""
    if not need_ids:
        return []
    return session.scalars(select(ProcurementNotice).where(ProcurementNotice.need_id.in_(need_ids))).all()


def municipality_by_organisation_number(session: Session, organisation_number: str) -> Municipality | None:
    statement = select(Municipality).where(Municipality.organisation_number == organisation_number)
    return session.scalars(statement).first()


@dataclass(frozen=True)
class NoticeQuery:
    kind: str | None = None
    buyer: str | None = None  # part of the buyer's name, any case, or its organisation number
    municipality_number: str | None = None
    county_number: str | None = None
    cpv_prefix: str | None = None  # a code's subtree: its significant digits
    open_at: datetime | None = None  # active, and no deadline or one later than this
    published_since: date | None = None


def _holds_code_with_prefix(
    dialect: str, column: QueryableAttribute[list[str]], prefix: str
) -> ColumnElement[bool]:
    """The JSON array of codes holds one that starts with `prefix` (digits only, checked by the caller)."""
    if dialect == "postgresql":
        elements = func.jsonb_array_elements_text(cast(column, JSONB)).table_valued("value")
    else:
        elements = func.json_each(column).table_valued("value")
    return exists(select(1).select_from(elements).where(elements.c.value.startswith(prefix)))


def list_notices(
    session: Session, query: NoticeQuery, *, offset: int, limit: int
) -> tuple[Sequence[ProcurementNotice], int]:
    """A page of the notices that pass every filter given, newest publication first, and how many pass."""
    dialect = session.get_bind().dialect.name
    statement = select(ProcurementNotice)
    if query.kind:
        statement = statement.where(ProcurementNotice.kind == query.kind)
    if query.buyer:
        statement = statement.where(
            or_(
                func.lower(ProcurementNotice.buyer_name).contains(query.buyer.lower(), autoescape=True),
                ProcurementNotice.buyer_organisation_number == query.buyer,
            )
        )
    if query.municipality_number:
        statement = statement.where(ProcurementNotice.municipality_number == query.municipality_number)
    if query.county_number:
        statement = statement.where(ProcurementNotice.county_number == query.county_number)
    if query.cpv_prefix:
        statement = statement.where(
            or_(
                _holds_code_with_prefix(dialect, ProcurementNotice.main_cpv, query.cpv_prefix),
                _holds_code_with_prefix(dialect, ProcurementNotice.additional_cpv, query.cpv_prefix),
            )
        )
    if query.open_at is not None:
        statement = statement.where(
            ProcurementNotice.status == "active",
            or_(
                ProcurementNotice.tender_deadline.is_(None), ProcurementNotice.tender_deadline > query.open_at
            ),
        )
    if query.published_since is not None:
        statement = statement.where(ProcurementNotice.publication_date >= query.published_since)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    order = (ProcurementNotice.publication_date.desc(), ProcurementNotice.id.desc())
    items = session.scalars(statement.order_by(*order).offset(offset).limit(limit)).all()
    return items, total
