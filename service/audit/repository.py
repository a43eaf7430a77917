"""All SQL about audit events: insert and read, nothing else."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.models import AuditEvent


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    subject_kind: str | None = None
    subject_id: str | None = None
    since: datetime | None = None  # inclusive, timezone-aware
    until: datetime | None = None  # exclusive, timezone-aware


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
    return statement


def list_events(
    session: Session, query: AuditQuery, *, offset: int, limit: int
) -> tuple[Sequence[AuditEvent], int]:
    statement = _selection(query)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(AuditEvent.id).offset(offset).limit(limit)).all()
    return items, total


def all_events(session: Session, query: AuditQuery) -> Sequence[AuditEvent]:
    return session.scalars(_selection(query).order_by(AuditEvent.id)).all()
