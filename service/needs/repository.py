"""All SQL about needs."""

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from service.db import json_array_holds_any, json_row
from service.models import Municipality, Need, ProcurementNotice, Solution, Supplier
from service.needs.demand_now import notice_deadline_passed


def get_need(session: Session, need_id: int) -> Need | None:
    return session.get(Need, need_id)


def needs_by_id(session: Session, need_ids: Iterable[int]) -> dict[int, Need]:
    wanted = list(set(need_ids))
    if not wanted:
        return {}
    return {need.id: need for need in session.scalars(select(Need).where(Need.id.in_(wanted)))}


class NeedFacts(NamedTuple):
    """What the ranking reads of a candidate: a fraction of loading the whole record."""

    language: str
    kpi_codes: list[str]
    suggested_kpis: list[dict[str, Any]] | None  # [{"code", "confidence"}]; null until derived
    cpv_codes: list[str]
    trl_min: int | None
    municipality_number: str | None
    county_number: str | None


def facts_by_id(session: Session, need_ids: Iterable[int]) -> dict[int, NeedFacts]:
    wanted = list(set(need_ids))
    if not wanted:
        return {}
    facts = json_row(
        session.get_bind().dialect.name,
        Need.language,
        Need.kpi_codes,
        Need.suggested_kpis,
        Need.cpv_codes,
        Need.trl_min,
        Need.municipality_number,
        Municipality.county_number,
    )
    rows = session.execute(
        select(Need.id, facts)
        .outerjoin(Municipality, Need.municipality_number == Municipality.number)
        .where(Need.id.in_(wanted))
    )
    return {owner_id: NeedFacts(*values) for owner_id, values in rows}


def list_needs(
    session: Session,
    *,
    offset: int,
    limit: int,
    municipality_number: str | None = None,
    county_number: str | None = None,
    kpi_code: str | None = None,
    any_kpi_codes: Collection[str] | None = None,
    language: str | None = None,
    status: str | None = None,
    origin: str | None = None,
    newest_first: bool = False,
) -> tuple[Sequence[Need], int]:
    """A page of the needs that pass every filter given, and how many pass; `any_kpi_codes`: tagged
    with at least one of them."""
    dialect = session.get_bind().dialect.name
    statement = select(Need)
    if municipality_number:
        statement = statement.where(Need.municipality_number == municipality_number)
    if county_number:
        in_county = select(Municipality.number).where(Municipality.county_number == county_number)
        statement = statement.where(Need.municipality_number.in_(in_county))
    if kpi_code:
        statement = statement.where(json_array_holds_any(dialect, Need.kpi_codes, [kpi_code]))
    if any_kpi_codes is not None:
        statement = statement.where(json_array_holds_any(dialect, Need.kpi_codes, any_kpi_codes))
    if language:
        statement = statement.where(Need.language == language)
    if status:
        statement = statement.where(Need.status == status)
    if origin:
        statement = statement.where(Need.origin == origin)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    order = Need.id.desc() if newest_first else Need.id
    items = session.scalars(statement.order_by(order).offset(offset).limit(limit)).all()
    return items, total


class CountedNeed(NamedTuple):
    """What counting demand reads of an open need (service/demand/overview.py)."""

    id: int
    title: str
    language: str
    municipality_number: str | None
    kpi_codes: list[str]
    suggested_kpis: list[dict[str, Any]] | None
    demo: bool
    evidence: dict[str, Any] | None
    origin: str
    notice_county: str | None  # a notice's need: the notice's county, also when its buyer is no municipality


def open_needs_to_count(session: Session, *, county_number: str | None) -> Iterator[CountedNeed]:
    """The open needs (of a county) whose notice's deadline, if any, has not passed, oldest first, in one
    pass that reads only what counting needs: no count and no offset per page, which made a large
    catalogue's pages cost more and more."""
    notice_county = (
        select(ProcurementNotice.county_number).where(ProcurementNotice.need_id == Need.id).scalar_subquery()
    )
    columns = [getattr(Need, field) for field in CountedNeed._fields[:-1]]
    statement = select(*columns, notice_county).where(
        Need.status == "open", ~notice_deadline_passed(datetime.now(UTC))
    )
    if county_number:
        in_county = select(Municipality.number).where(Municipality.county_number == county_number)
        statement = statement.where(
            or_(Need.municipality_number.in_(in_county), notice_county == county_number)
        )
    for row in session.execute(statement.order_by(Need.id).execution_options(yield_per=1000)):
        yield CountedNeed._make(row)


class CheckedNeed(NamedTuple):
    """What the needs-quality report reads of an open need (service/needs/quality_report.py)."""

    id: int
    title: str
    description: str
    language: str
    updated_at: datetime
    municipality_number: str | None
    municipality_name: str | None


def open_needs_to_check(session: Session) -> Iterator[CheckedNeed]:
    """Every open need's text and municipality, in one query."""
    statement = (
        select(
            Need.id,
            Need.title,
            Need.description,
            Need.language,
            Need.updated_at,
            Need.municipality_number,
            Municipality.name,
        )
        .outerjoin(Municipality, Municipality.number == Need.municipality_number)
        .where(Need.status == "open")
        .order_by(Need.id)
        .execution_options(yield_per=1000)
    )
    for row in session.execute(statement):
        yield CheckedNeed(*row)


def need_ids_by_gap_key(session: Session, keys: Iterable[str]) -> dict[str, int]:
    wanted = list(set(keys))
    if not wanted:
        return {}
    statement = select(Need.gap_key, Need.id).where(Need.gap_key.in_(wanted))
    return {key: need_id for key, need_id in session.execute(statement) if key is not None}


def needs_by_gap_key(session: Session, keys: Iterable[str]) -> dict[str, Need]:
    wanted = list(set(keys))
    if not wanted:
        return {}
    return {
        need.gap_key: need
        for need in session.scalars(select(Need).where(Need.gap_key.in_(wanted)))
        if need.gap_key
    }


class CatalogueState(NamedTuple):
    """Changes whenever a supplier or a solution is added, changed or removed: a cache key."""

    suppliers: int
    suppliers_changed: Any
    solutions: int
    solutions_changed: Any


def catalogue_state(session: Session) -> CatalogueState:
    row = session.execute(
        select(
            select(func.count(Supplier.id)).scalar_subquery(),
            select(func.max(Supplier.updated_at)).scalar_subquery(),
            select(func.count(Solution.id)).scalar_subquery(),
            select(func.max(Solution.updated_at)).scalar_subquery(),
        )
    ).one()
    return CatalogueState(*row)


def catalogue_names(session: Session) -> tuple[list[str], list[str]]:
    """The suppliers' names, and the solutions' titles that may name a product ("Name: what it does")."""
    titles = select(Solution.title).where(Solution.title.contains(":"))
    return list(session.scalars(select(Supplier.name))), list(session.scalars(titles))
