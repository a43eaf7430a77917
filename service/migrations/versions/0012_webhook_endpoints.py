"""webhook endpoints: the URLs a person or an integration wants deliveries posted to, and their secrets

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "webhook_endpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("owner_token_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        _moment("created_at"),
        _moment("rotated_at", nullable=True),
        _moment("disabled_at", nullable=True),
        sa.CheckConstraint(
            "(owner_user_id IS NULL) <> (owner_token_id IS NULL)", name=op.f("ck_webhook_endpoint_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["user_account.id"],
            name=op.f("fk_webhook_endpoint_owner_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_token_id"],
            ["api_token.id"],
            name=op.f("fk_webhook_endpoint_owner_token_id_api_token"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoint")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_webhook_endpoint_owner_user_id"), "webhook_endpoint", ["owner_user_id"])
    op.create_index(op.f("ix_webhook_endpoint_owner_token_id"), "webhook_endpoint", ["owner_token_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_webhook_endpoint_owner_token_id"), table_name="webhook_endpoint")
    op.drop_index(op.f("ix_webhook_endpoint_owner_user_id"), table_name="webhook_endpoint")
    op.drop_table("webhook_endpoint")
