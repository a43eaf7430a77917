"""partnerships, their pilot outcomes, and the audit trail

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # AUTOINCREMENT on all three: audit events and outcomes name partnerships by id, and event ids
    # that only grow show a lost event as a gap; SQLite must never hand a deleted id out again.
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("subject_kind", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index("ix_audit_event_subject", ["subject_kind", "subject_id"], unique=False)

    op.create_table(
        "partnership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("need_ids", sa.JSON(), nullable=False),
        sa.Column("solution_ids", sa.JSON(), nullable=False),
        sa.Column("buyer_group_key", sa.String(length=200), nullable=True),
        sa.Column("lead_municipality_number", sa.String(length=4), nullable=True),
        sa.Column("lead_rule", sa.String(length=30), nullable=False),
        sa.Column("lead_reason", sa.Text(), nullable=False),
        sa.Column("route", sa.String(length=40), nullable=False),
        sa.Column("route_rule", sa.String(length=40), nullable=False),
        sa.Column("route_reasons", sa.JSON(), nullable=False),
        sa.Column("candidate_assessment", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_municipality_number"],
            ["municipality.number"],
            name=op.f("fk_partnership_lead_municipality_number_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partnership_buyer_group_key"), ["buyer_group_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_partnership_status"), ["status"], unique=False)

    op.create_table(
        "partnership_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("solution_id", sa.Integer(), nullable=True),
        sa.Column("municipality_number", sa.String(length=4), nullable=False),
        sa.Column("kpi_code", sa.String(length=20), nullable=False),
        sa.Column("data_point", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("observation_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kpi_code"], ["kpi.code"], name=op.f("fk_partnership_outcome_kpi_code_kpi")),
        sa.ForeignKeyConstraint(
            ["municipality_number"],
            ["municipality.number"],
            name=op.f("fk_partnership_outcome_municipality_number_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["kpi_observation.id"],
            name=op.f("fk_partnership_outcome_observation_id_kpi_observation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_partnership_outcome_partnership_id_partnership"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership_outcome")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("partnership_outcome", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partnership_outcome_observation_id"), ["observation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_partnership_outcome_partnership_id"), ["partnership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_partnership_outcome_solution_id"), ["solution_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("partnership_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partnership_outcome_solution_id"))
        batch_op.drop_index(batch_op.f("ix_partnership_outcome_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_partnership_outcome_observation_id"))
    op.drop_table("partnership_outcome")

    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partnership_status"))
        batch_op.drop_index(batch_op.f("ix_partnership_buyer_group_key"))
    op.drop_table("partnership")

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_subject")
        batch_op.drop_index(batch_op.f("ix_audit_event_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor"))
    op.drop_table("audit_event")
