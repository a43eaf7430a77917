"""All SQL about audit events: insert and read, nothing else."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from service.models import AuditEvent, Solution


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    subject_kind: str | None = None
    subject_id: str | None = None
    since: datetime | None = None  # inclusive, timezone-aware
    until: datetime | None = None  # exclusive, timezone-aware
    actor_contains: str | None = None  # part of the actor's name, any case: what a person types
    need_id: int | None = None  # events about the need, or naming it (a contact, a view of its matches)
    supplier_id: int | None = None  # events about the supplier, its solutions' demand, or naming it


def add_event(session: Session, audit_event: AuditEvent) -> None:
    session.add(audit_event)


def _selection(query: AuditQuery) -> Select[AuditEvent]:
    statement = select(AuditEvent)
    if query.actor is not None:
        statement = statement.where(AuditEvent.actor == query.actor)
    if query.subject_kind is not None:
        statement = statement.where(AuditEvent.subject_kind == query.subject_kind)
    if query.subject_id is not None:
        statement = statement.where(AuditEvent.subject_id == query.subject_id)
    if query.since is not None:
        statement = statement.where(AuditEvent.occurred_at >= query.since)
    if query.until is not None:
        statement = statement.where(AuditEvent.occurred_at < query.until)
    if query.actor_contains:
        statement = statement.where(
            func.lower(AuditEvent.actor).contains(query.actor_contains.lower(), autoescape=True)
        )
    if query.need_id is not None:
        statement = statement.where(_about_need(query.need_id))
    if query.supplier_id is not None:
        statement = statement.where(_about_supplier(query.supplier_id))
    return statement


def _detail_number(key: str) -> ColumnElement[int]:
    return cast(AuditEvent.detail[key].as_string(), Integer)


# Events whose detail ends with a list of need ids or of supplier ids (rank by rank) as its last key:
# a view of a solution's demand, of a solution's or a need's matches, of a free-text search's results.
NEED_LISTS = ("solution_demand", "solution_matches", "need_search")
SUPPLIER_LISTS = ("need_matches", "solution_search")


def _listed(key: str, number: int) -> ColumnElement[bool]:
    """The detail's last key `key` is a list holding `number`. Its stored JSON text is matched, the same on
    SQLite and PostgreSQL (json.dumps writes ", " and ": "); as the list is the last value, nothing after
    its opening bracket is another key's."""
    text = cast(AuditEvent.detail, String)
    start = '%"' + key.replace("_", "\\_") + '": ['
    patterns = (
        f"{start}{number}]}}",
        f"{start}{number}, %",
        f"{start}%, {number}, %",
        f"{start}%, {number}]}}",
    )
    return or_(*(text.like(pattern, escape="\\") for pattern in patterns))


def _about_need(need_id: int) -> ColumnElement[bool]:
    return or_(
        (AuditEvent.subject_kind == "need") & (AuditEvent.subject_id == str(need_id)),
        _detail_number("need_id") == need_id,
        AuditEvent.subject_kind.in_(NEED_LISTS) & _listed("need_ids", need_id),
    )


def _about_supplier(supplier_id: int) -> ColumnElement[bool]:
    solutions = select(cast(Solution.id, String)).where(Solution.supplier_id == supplier_id)
    return or_(
        (AuditEvent.subject_kind == "supplier") & (AuditEvent.subject_id == str(supplier_id)),
        (AuditEvent.subject_kind == "solution_demand")
        & AuditEvent.subject_id.in_(solutions.scalar_subquery()),
        _detail_number("supplier_id") == supplier_id,
        AuditEvent.subject_kind.in_(SUPPLIER_LISTS) & _listed("supplier_ids", supplier_id),
    )


def list_events(
    session: Session, query: AuditQuery, *, offset: int, limit: int
) -> tuple[Sequence[AuditEvent], int]:
    statement = _selection(query)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(AuditEvent.id).offset(offset).limit(limit)).all()
    return items, total


def all_events(session: Session, query: AuditQuery) -> Sequence[AuditEvent]:
    return session.scalars(_selection(query).order_by(AuditEvent.id)).all()
