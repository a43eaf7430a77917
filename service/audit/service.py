"""Recording audit events. Every writer adds its event to its own transaction, so the change and its
record are committed together or not at all; only views, which change nothing, commit on their own."""

from typing import Any

from sqlalchemy.orm import Session

from service.access import Principal
from service.audit import repository
from service.audit.repository import AuditQuery
from service.models import AuditEvent, Feedback, Solution

# Verdicts that mean an officer has been in touch with the supplier about a need.
CONTACT_VERDICTS = frozenset({"contacted", "piloted"})


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_kind: str,
    subject_id: int | str,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event to the caller's transaction (not committed here)."""
    audit_event = AuditEvent(
        actor=actor,
        action=action,
        subject_kind=subject_kind,
        subject_id=str(subject_id),
        detail=detail or {},
    )
    repository.add_event(session, audit_event)
    return audit_event


def record_view(
    session: Session,
    *,
    viewer: Principal,
    subject_kind: str,
    subject_id: int | str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record that `viewer` saw a record (e.g. a need's matches) and commit it.

    Call it after the data was read: a view changes nothing else, so its event is its own transaction,
    and a failed read is not recorded as seen. An anonymous reader's view is not recorded: it shows
    only what anyone may see, names no one, and would make every public page view a write.
    """
    if viewer.role == "anonymous":
        return
    record_event(
        session,
        actor=viewer.actor,
        action="viewed",
        subject_kind=subject_kind,
        subject_id=subject_id,
        detail=detail,
    )
    session.commit()


def record_supplier_contact(session: Session, feedback: Feedback) -> None:
    """A verdict saying the supplier was contacted (or piloted) about a need; other verdicts are not contacts."""
    if feedback.verdict not in CONTACT_VERDICTS:
        return
    session.flush()  # the feedback's id, in the same transaction
    solution = session.get(Solution, feedback.solution_id)
    record_event(
        session,
        actor=feedback.given_by,
        action="supplier_contacted",
        subject_kind="need",
        subject_id=feedback.need_id,
        detail={
            "need_id": feedback.need_id,
            "solution_id": feedback.solution_id,
            "supplier_id": solution.supplier_id if solution else None,
            "verdict": feedback.verdict,
            "feedback_id": feedback.id,
        },
    )


def query_events(
    session: Session, query: AuditQuery, *, offset: int, limit: int
) -> tuple[list[AuditEvent], int]:
    items, total = repository.list_events(session, query, offset=offset, limit=limit)
    return list(items), total


def export_rows(session: Session, query: AuditQuery) -> list[list[object]]:
    """Every event the query selects, oldest first, as rows for an export."""
    return [
        [
            item.id,
            item.occurred_at,
            item.actor,
            item.action,
            item.subject_kind,
            item.subject_id,
            item.detail,
        ]
        for item in repository.all_events(session, query)
    ]
