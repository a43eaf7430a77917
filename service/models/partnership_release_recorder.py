"""Every write of a partnership that has reached pilot and changes what the public sees of it records a
partnership release, in the same transaction: the OCDS tender and award of the partnership, a changed
partnership a new release, never an edit of the old one.

Partnerships are written two ways: as ORM objects (a new partnership, a changed lead), caught after the
flush, and by the compare-and-set UPDATE that moves the status (service.partnerships.repository
.change_status, so that of two racing requests one wins), caught when the session executes it. Both are
session events, so a write path cannot forget them.
"""

from datetime import UTC
from typing import Any

from sqlalchemy import Connection, event, insert, inspect, select
from sqlalchemy.engine import Result
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from service.db import utc_now
from service.models.municipalities import Municipality
from service.models.need_release_recorder import snapshot_hash
from service.models.needs import Need
from service.models.partnership_releases import PartnershipRelease
from service.models.partnerships import Partnership
from service.models.solutions import Solution
from service.models.suppliers import Supplier

# The statuses in which a partnership has chosen its suppliers: published with tender and award.
PUBLISHED_PARTNERSHIP_STATUSES = frozenset({"pilot", "scaled"})
# A partnership already published stays in the record when it stops, with its stop.
STOPPED = "stopped"


def _municipalities(connection: Connection, partnership: Partnership) -> list[dict[str, Any]]:
    """The municipalities of its needs and its lead, as they were named and registered then."""
    need_numbers = connection.execute(
        select(Need.municipality_number).where(Need.id.in_(set(partnership.need_ids or [])))
    ).scalars()
    numbers = {number for number in need_numbers if number is not None}
    if partnership.lead_municipality_number:
        numbers.add(partnership.lead_municipality_number)
    if not numbers:
        return []
    rows = connection.execute(
        select(Municipality.number, Municipality.name, Municipality.organisation_number)
        .where(Municipality.number.in_(numbers))
        .order_by(Municipality.number)
    )
    return [{"number": n, "name": name, "organisation_number": org} for n, name, org in rows]


def _suppliers(connection: Connection, partnership: Partnership) -> list[dict[str, Any]]:
    """Its published candidate solutions' suppliers (a solution without one stands for its own)."""
    if not partnership.solution_ids:
        return []
    rows = connection.execute(
        select(Solution.id, Solution.title, Supplier.id, Supplier.name, Supplier.organisation_number)
        .outerjoin(Supplier, Supplier.id == Solution.supplier_id)
        .where(Solution.id.in_(set(partnership.solution_ids)), Solution.status == "published")
        .order_by(Solution.id)
    )
    suppliers: list[dict[str, Any]] = []
    for solution_id, title, supplier_id, name, organisation_number in rows:
        if supplier_id is None:
            entry = {
                "name": title,
                "organisation_number": None,
                "local_id": f"innomatch-solution-{solution_id}",
            }
        else:
            entry = {
                "name": name,
                "organisation_number": organisation_number,
                "local_id": f"innomatch-supplier-{supplier_id}",
            }
        if entry not in suppliers:
            suppliers.append(entry)
    return suppliers


def _existing_needs(connection: Connection, partnership: Partnership) -> list[int]:
    if not partnership.need_ids:
        return []
    return list(
        connection.execute(
            select(Need.id).where(Need.id.in_(set(partnership.need_ids))).order_by(Need.id)
        ).scalars()
    )


def _latest(connection: Connection, partnership_id: int) -> tuple[str, dict[str, Any]] | None:
    """The content hash and snapshot of the partnership's latest release."""
    row = connection.execute(
        select(PartnershipRelease.content_hash, PartnershipRelease.snapshot)
        .where(PartnershipRelease.partnership_id == partnership_id)
        .order_by(PartnershipRelease.id.desc())
        .limit(1)
    ).one_or_none()
    return (row.content_hash, row.snapshot) if row else None


def partnership_snapshot(
    connection: Connection, partnership: Partnership, awarded_at: str | None = None
) -> dict[str, Any]:
    """What anyone may read of the partnership: never its notes, who proposed or moved it, the match
    scores of its assessment or the reasons for its lead (which name people)."""
    changed_at = partnership.status_changed_at.astimezone(UTC).isoformat()
    return {
        "title": partnership.title,
        "status": partnership.status,
        "status_changed_at": changed_at,
        # When the suppliers were chosen: the pilot, kept through later releases.
        "awarded_at": awarded_at or changed_at,
        "route": partnership.route,
        "route_reasons": list(partnership.route_reasons or []),
        "lead_municipality_number": partnership.lead_municipality_number,
        "municipalities": _municipalities(connection, partnership),
        "suppliers": _suppliers(connection, partnership),
        "need_ids": _existing_needs(connection, partnership),
    }


def record_partnership_release(connection: Connection, partnership: Partnership) -> bool:
    """A release of `partnership` when it is published and its public content differs from its latest
    one; whether one was written."""
    latest = _latest(connection, partnership.id)
    published = partnership.status in PUBLISHED_PARTNERSHIP_STATUSES
    if not published and not (partnership.status == STOPPED and latest is not None):
        return False
    snapshot = partnership_snapshot(connection, partnership, latest[1]["awarded_at"] if latest else None)
    digest = snapshot_hash(snapshot)
    if latest is not None and latest[0] == digest:
        return False
    connection.execute(
        insert(PartnershipRelease).values(
            partnership_id=partnership.id, recorded_at=utc_now(), snapshot=snapshot, content_hash=digest
        )
    )
    return True


def _record(session: Session, partnerships: list[Partnership]) -> None:
    connection = session.connection()
    for partnership in sorted(partnerships, key=lambda item: item.id):  # release ids follow partnership ids
        record_partnership_release(connection, partnership)


@event.listens_for(Session, "after_flush")
def _record_changed_partnerships(session: Session, _flush: UOWTransaction) -> None:
    written = [
        record
        for record in (*session.new, *session.dirty)
        if isinstance(record, Partnership) and record not in session.deleted
    ]
    if written:
        _record(session, written)


# The columns a partnership's snapshot is made of: an UPDATE that changed one of them may change a release.
_SNAPSHOT_COLUMNS = (
    "title",
    "status",
    "status_changed_at",
    "route",
    "route_reasons",
    "lead_municipality_number",
    "need_ids",
    "solution_ids",
)


def _loaded(partnership: Partnership) -> tuple[Any, ...]:
    """Its snapshot columns as the session holds them, without loading anything (None for one not loaded)."""
    loaded = inspect(partnership).dict
    return tuple(loaded.get(column) for column in _SNAPSHOT_COLUMNS)


@event.listens_for(Session, "do_orm_execute")
def _record_updated_partnerships(state: ORMExecuteState) -> Result[Any] | None:
    """An ORM UPDATE of partnerships: run it, then record the partnerships of the session that it changed
    (the session synchronises its objects with the UPDATE, so what differs afterwards is what it wrote).
    Only partnerships the session holds are seen: the status move loads the partnership to check the
    move first, and an UPDATE of partnerships not loaded would record nothing."""
    if not state.is_update or state.bind_mapper is None or state.bind_mapper.class_ is not Partnership:
        return None
    held = [record for record in state.session.identity_map.values() if isinstance(record, Partnership)]
    before = {id(record): _loaded(record) for record in held}
    result = state.invoke_statement()
    changed = [record for record in held if _loaded(record) != before[id(record)]]
    if changed:
        _record(state.session, changed)
    return result
