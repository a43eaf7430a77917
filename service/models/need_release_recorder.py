"""Every write of a need that changes what the public sees of it records a need release, in the same
transaction: the OCDS lifecycle of a need (a changed need is a new release, never an edit of the old one).

A session event rather than a call in service.needs, because needs are written on several paths (the
API and pages, KPI-gap generation, the seed, the notice importer) and a path that forgot the call would
publish a stale need. It lives beside the models so that any code that can write a need has loaded it.
"""

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, event, insert, select
from sqlalchemy.orm import Session, UOWTransaction

from service.db import utc_now
from service.models.municipalities import Municipality
from service.models.need_releases import NeedRelease
from service.models.needs import Need
from service.models.notices import ProcurementNotice

# The statuses a need is published in; a status outside them (a draft, should needs get one) is not.
PUBLISHED_NEED_STATUSES = frozenset({"open", "in_progress", "closed"})


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _buyer(connection: Connection, municipality_number: str | None) -> dict[str, Any] | None:
    """The municipality as it was named and registered when the need changed."""
    if municipality_number is None:
        return None
    row = connection.execute(
        select(Municipality.name, Municipality.organisation_number).where(
            Municipality.number == municipality_number
        )
    ).one_or_none()
    return {
        "number": municipality_number,
        "name": row.name if row else None,
        "organisation_number": row.organisation_number if row else None,
    }


def _notice(connection: Connection, need_id: int) -> dict[str, Any] | None:
    row = connection.execute(
        select(ProcurementNotice.notice_id, ProcurementNotice.source_url).where(
            ProcurementNotice.need_id == need_id
        )
    ).one_or_none()
    return {"notice_id": row.notice_id, "source_url": row.source_url} if row else None


def need_snapshot(connection: Connection, need: Need) -> dict[str, Any] | None:
    """What anyone may read of the need (no contact person, no suggestions of ours); None when it is not
    published at all."""
    if need.status not in PUBLISHED_NEED_STATUSES:
        return None
    return {
        "title": need.title,
        "description": need.description,
        "language": need.language,
        "translations": need.translations or {},
        "status": need.status,
        "origin": need.origin,
        "kpi_codes": list(need.kpi_codes or []),
        "cpv_codes": list(need.cpv_codes or []),
        "evidence": need.evidence,
        "buyer": _buyer(connection, need.municipality_number),
        "notice": _notice(connection, need.id),
    }


def record_need_release(connection: Connection, need: Need) -> bool:
    """A release of `need` when its public content differs from its latest one; whether one was written."""
    snapshot = need_snapshot(connection, need)
    if snapshot is None:
        return False
    digest = snapshot_hash(snapshot)
    latest = connection.execute(
        select(NeedRelease.content_hash)
        .where(NeedRelease.need_id == need.id)
        .order_by(NeedRelease.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if latest == digest:
        return False
    connection.execute(
        insert(NeedRelease).values(
            need_id=need.id, recorded_at=utc_now(), snapshot=snapshot, content_hash=digest
        )
    )
    return True


@event.listens_for(Session, "after_flush")
def _record_changed_needs(session: Session, _flush: UOWTransaction) -> None:
    # After the flush: new needs have their ids, defaults and linked notice rows; `new` and `dirty`
    # still name what the flush wrote.
    written = [
        record
        for record in (*session.new, *session.dirty)
        if isinstance(record, Need) and record not in session.deleted
    ]
    if not written:
        return
    connection = session.connection()
    for need in sorted(written, key=lambda need: need.id):  # a stable order: release ids follow need ids
        record_need_release(connection, need)
