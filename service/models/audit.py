"""Audit events: one row per recorded action, never changed or removed."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utc_now


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_subject", "subject_kind", "subject_id"),
        {"sqlite_autoincrement": True},  # ids only ever grow: a gap shows a lost event
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(50))
    subject_kind: Mapped[str] = mapped_column(String(30))
    # Text, because subjects are also municipality numbers ('0301') and buyer-group keys.
    subject_id: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def _refuse_change(_mapper: object, _connection: object, target: AuditEvent) -> None:
    raise RuntimeError(f"audit event {target.id} is append-only: it may not be changed or deleted")


# The ORM refuses to rewrite history even if application code tries.
event.listen(AuditEvent, "before_update", _refuse_change)
event.listen(AuditEvent, "before_delete", _refuse_change)
