"""partnership releases: each pilot partnership's public state at every change, published to everyone as
successive OCDS tender and award releases

Every partnership in pilot or scaled before this revision gets one release of its present state, dated
when it reached that status (its earlier states were not kept; a stopped one was never published).

Revision ID: 0017
Revises: 0016
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of service.models.partnership_release_recorder as of this revision: migrations never
# import the service, whose code moves on. tests/service/ocds/test_partnership_backfill.py checks the two
# agree.
_PUBLISHED = ("pilot", "scaled")
_partnership = sa.table(
    "partnership",
    sa.column("id", sa.Integer),
    sa.column("title", sa.String),
    sa.column("status", sa.String),
    sa.column("need_ids", sa.JSON),
    sa.column("solution_ids", sa.JSON),
    sa.column("lead_municipality_number", sa.String),
    sa.column("route", sa.String),
    sa.column("route_reasons", sa.JSON),
    sa.column("status_changed_at", sa.DateTime(timezone=True)),
)
_need = sa.table("need", sa.column("id"), sa.column("municipality_number"))
_municipality = sa.table(
    "municipality", sa.column("number"), sa.column("name"), sa.column("organisation_number")
)
_solution = sa.table(
    "solution", sa.column("id"), sa.column("title"), sa.column("status"), sa.column("supplier_id")
)
_supplier = sa.table("supplier", sa.column("id"), sa.column("name"), sa.column("organisation_number"))


def _hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _utc(moment: datetime) -> datetime:
    # SQLite hands back a naive moment; Innomatch stores UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _suppliers(solution_ids: list[int], solutions: dict[int, Any], suppliers: dict[int, Any]) -> list[Any]:
    found: list[dict[str, Any]] = []
    for solution_id in sorted(set(solution_ids)):
        solution = solutions.get(solution_id)
        if solution is None or solution.status != "published":
            continue
        supplier = suppliers.get(solution.supplier_id) if solution.supplier_id is not None else None
        if supplier is None:
            entry = {
                "name": solution.title,
                "organisation_number": None,
                "local_id": f"innomatch-solution-{solution.id}",
            }
        else:
            entry = {
                "name": supplier.name,
                "organisation_number": supplier.organisation_number,
                "local_id": f"innomatch-supplier-{supplier.id}",
            }
        if entry not in found:
            found.append(entry)
    return found


def upgrade() -> None:
    release = op.create_table(
        "partnership_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_partnership_release_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership_release")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_partnership_release_partnership_id"), "partnership_release", ["partnership_id"])
    op.create_index(op.f("ix_partnership_release_recorded_at"), "partnership_release", ["recorded_at"])
    connection = op.get_bind()
    partnerships = list(
        connection.execute(
            sa.select(_partnership).where(_partnership.c.status.in_(_PUBLISHED)).order_by(_partnership.c.id)
        )
    )
    if not partnerships:
        return
    need_numbers = {row.id: row.municipality_number for row in connection.execute(sa.select(_need))}
    municipalities = {row.number: row for row in connection.execute(sa.select(_municipality))}
    solutions = {row.id: row for row in connection.execute(sa.select(_solution))}
    suppliers = {row.id: row for row in connection.execute(sa.select(_supplier))}
    rows = []
    for partnership in partnerships:
        need_ids = sorted({need_id for need_id in partnership.need_ids or [] if need_id in need_numbers})
        numbers = {need_numbers[need_id] for need_id in need_ids if need_numbers[need_id] is not None}
        if partnership.lead_municipality_number:
            numbers.add(partnership.lead_municipality_number)
        changed_at = _utc(partnership.status_changed_at)
        snapshot = {
            "title": partnership.title,
            "status": partnership.status,
            "status_changed_at": changed_at.isoformat(),
            "awarded_at": changed_at.isoformat(),
            "route": partnership.route,
            "route_reasons": list(partnership.route_reasons or []),
            "lead_municipality_number": partnership.lead_municipality_number,
            "municipalities": [
                {
                    "number": number,
                    "name": municipalities[number].name,
                    "organisation_number": municipalities[number].organisation_number,
                }
                for number in sorted(numbers)
                if number in municipalities
            ],
            "suppliers": _suppliers(partnership.solution_ids or [], solutions, suppliers),
            "need_ids": need_ids,
        }
        rows.append(
            {
                "partnership_id": partnership.id,
                "recorded_at": changed_at,
                "snapshot": snapshot,
                "content_hash": _hash(snapshot),
            }
        )
    op.bulk_insert(release, rows)


def downgrade() -> None:
    op.drop_table("partnership_release")
