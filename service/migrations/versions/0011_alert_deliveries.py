"""alert deliveries: one sending of a saved search's new matches by e-mail or webhook

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "alert_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column("saved_search_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("destination", sa.String(length=500), nullable=False),
        sa.Column("match_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _moment("next_attempt_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        _moment("created_at"),
        _moment("sent_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["saved_search_id"],
            ["saved_search.id"],
            name=op.f("fk_alert_delivery_saved_search_id_saved_search"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_delivery")),
        sa.UniqueConstraint("public_id", name=op.f("uq_alert_delivery_public_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_alert_delivery_saved_search_id"), "alert_delivery", ["saved_search_id"])
    op.create_index(op.f("ix_alert_delivery_status"), "alert_delivery", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_delivery_status"), table_name="alert_delivery")
    op.drop_index(op.f("ix_alert_delivery_saved_search_id"), table_name="alert_delivery")
    op.drop_table("alert_delivery")
