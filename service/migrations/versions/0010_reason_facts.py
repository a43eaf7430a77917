"""partnerships keep their route and lead reasons also as data, for a page to word in its reader's language

Both stay null on the partnerships stored before; a page then shows the reasons as the API gives them.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table(
        "partnership", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("lead_reason_facts", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("route_reason_facts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(
        "partnership", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_column("route_reason_facts")
        batch_op.drop_column("lead_reason_facts")
