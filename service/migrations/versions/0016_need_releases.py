"""need releases: each need's public state at every change, published as successive OCDS releases

Every need stored before this revision gets one release of its present state, dated when it last
changed, so that an upgraded database publishes its needs (their earlier states were not kept).

Revision ID: 0016
Revises: 0015
"""

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of service.models.need_release_recorder as of this revision: migrations never import
# the service, whose code moves on. tests/service/ocds/test_backfill.py checks the two agree.
_PUBLISHED = ("open", "in_progress", "closed")
_need = sa.table(
    "need",
    sa.column("id", sa.Integer),
    sa.column("municipality_number", sa.String),
    sa.column("title", sa.String),
    sa.column("description", sa.Text),
    sa.column("language", sa.String),
    sa.column("translations", sa.JSON),
    sa.column("status", sa.String),
    sa.column("origin", sa.String),
    sa.column("kpi_codes", sa.JSON),
    sa.column("cpv_codes", sa.JSON),
    sa.column("evidence", sa.JSON),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
_municipality = sa.table(
    "municipality", sa.column("number"), sa.column("name"), sa.column("organisation_number")
)
_notice = sa.table(
    "procurement_notice", sa.column("need_id"), sa.column("notice_id"), sa.column("source_url")
)


def _hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def upgrade() -> None:
    release = op.create_table(
        "need_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_need_release_need_id_need"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_release")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_need_release_need_id"), "need_release", ["need_id"])
    op.create_index(op.f("ix_need_release_recorded_at"), "need_release", ["recorded_at"])
    connection = op.get_bind()
    buyers = {
        row.number: {"number": row.number, "name": row.name, "organisation_number": row.organisation_number}
        for row in connection.execute(sa.select(_municipality))
    }
    notices = {
        row.need_id: {"notice_id": row.notice_id, "source_url": row.source_url}
        for row in connection.execute(sa.select(_notice).where(_notice.c.need_id.is_not(None)))
    }
    rows = []
    for need in connection.execute(
        sa.select(_need).where(_need.c.status.in_(_PUBLISHED)).order_by(_need.c.id)
    ):
        snapshot = {
            "title": need.title,
            "description": need.description,
            "language": need.language,
            "translations": need.translations or {},
            "status": need.status,
            "origin": need.origin,
            "kpi_codes": list(need.kpi_codes or []),
            "cpv_codes": list(need.cpv_codes or []),
            "evidence": need.evidence,
            "buyer": buyers.get(need.municipality_number) if need.municipality_number else None,
            "notice": notices.get(need.id),
        }
        rows.append(
            {
                "need_id": need.id,
                "recorded_at": need.updated_at,
                "snapshot": snapshot,
                "content_hash": _hash(snapshot),
            }
        )
    if rows:
        op.bulk_insert(release, rows)


def downgrade() -> None:
    op.drop_table("need_release")
