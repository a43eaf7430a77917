"""need cpv codes and lowest acceptable TRL, for match features

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Should SQLite rebuild the table, AUTOINCREMENT stays so that deleted ids stay unused.
    with op.batch_alter_table("need", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("cpv_codes", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column("trl_min", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("need", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("trl_min")
        batch_op.drop_column("cpv_codes")
