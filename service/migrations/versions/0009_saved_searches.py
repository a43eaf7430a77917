"""saved searches and the records each has found new

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("owner_token_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("solution_id", sa.Integer(), nullable=True),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("query_text", sa.Text(), nullable=True),
        sa.Column("query_vector", sa.LargeBinary(), nullable=True),
        sa.Column("query_model_id", sa.String(length=200), nullable=True),
        sa.Column("query_language", sa.String(length=2), nullable=True),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("min_band", sa.String(length=10), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        _moment("paused_at", nullable=True),
        sa.Column("watermark", sa.Integer(), nullable=False),
        _moment("created_at"),
        _moment("updated_at"),
        _moment("last_delivered_at", nullable=True),
        sa.CheckConstraint(
            "(owner_user_id IS NULL) <> (owner_token_id IS NULL)", name=op.f("ck_saved_search_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["user_account.id"],
            name=op.f("fk_saved_search_owner_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_token_id"],
            ["api_token.id"],
            name=op.f("fk_saved_search_owner_token_id_api_token"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solution.id"],
            name=op.f("fk_saved_search_solution_id_solution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_saved_search_need_id_need"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
        sqlite_autoincrement=True,
    )
    for owner in ("owner_user_id", "owner_token_id"):
        op.create_index(op.f(f"ix_saved_search_{owner}"), "saved_search", [owner], unique=False)
    op.create_table(
        "alert_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("saved_search_id", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("band", sa.String(length=10), nullable=True),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.Column("reason_no", sa.Text(), nullable=False),
        _moment("found_at"),
        _moment("notified_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["saved_search_id"],
            ["saved_search.id"],
            name=op.f("fk_alert_match_saved_search_id_saved_search"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_match")),
        sa.UniqueConstraint(
            "saved_search_id",
            "record_kind",
            "record_id",
            name=op.f("uq_alert_match_saved_search_id"),
        ),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("alert_match")
    for owner in ("owner_user_id", "owner_token_id"):
        op.drop_index(op.f(f"ix_saved_search_{owner}"), table_name="saved_search")
    op.drop_table("saved_search")
