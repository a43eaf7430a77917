"""accounts for people: users, browser sessions, invitations, failed sign-ins; tokens gain an owner

Revision ID: 0008
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("municipality_number", sa.String(length=4), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        _moment("created_at"),
        _moment("password_changed_at", nullable=True),
        _moment("disabled_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["municipality_number"],
            ["municipality.number"],
            name=op.f("fk_user_account_municipality_number_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_user_account_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
        sqlite_autoincrement=True,
    )
    for table, secret in (("user_session", "secret_hash"), ("user_invite", "token_hash")):
        extra = (
            [_moment("created_at"), _moment("last_seen_at"), _moment("revoked_at", nullable=True)]
            if table == "user_session"
            else [
                sa.Column("created_by", sa.String(length=100), nullable=False),
                _moment("created_at"),
                _moment("expires_at"),
                _moment("used_at", nullable=True),
            ]
        )
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column(secret, sa.String(length=64), nullable=False),
            *extra,
            sa.ForeignKeyConstraint(
                ["user_id"],
                ["user_account.id"],
                name=op.f(f"fk_{table}_user_id_user_account"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint(secret, name=op.f(f"uq_{table}_{secret}")),
        )
        op.create_index(op.f(f"ix_{table}_user_id"), table, ["user_id"], unique=False)
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        _moment("occurred_at"),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("address_key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failure")),
    )
    for column in ("account_key", "address_key", "occurred_at"):
        op.create_index(op.f(f"ix_sign_in_failure_{column}"), "sign_in_failure", [column], unique=False)
    # SQLite rebuilds the table to add a foreign key: keep its ids growing only, as 0005 made them.
    with op.batch_alter_table("api_token", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("owner_user_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_api_token_owner_user_id"), ["owner_user_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_api_token_owner_user_id_user_account"),
            "user_account",
            ["owner_user_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("api_token", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_token_owner_user_id_user_account"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_api_token_owner_user_id"))
        batch_op.drop_column("owner_user_id")
    for table in ("sign_in_failure", "user_invite", "user_session", "user_account"):
        op.drop_table(table)
