"""feed secrets: the hash of the secret in a saved search's Atom feed address

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite rebuilds the table to add a unique constraint: keep its ids growing only, as 0009 made them.
    with op.batch_alter_table("saved_search", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column("feed_secret_hash", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(batch.f("uq_saved_search_feed_secret_hash"), ["feed_secret_hash"])


def downgrade() -> None:
    with op.batch_alter_table("saved_search", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint(batch.f("uq_saved_search_feed_secret_hash"), type_="unique")
        batch.drop_column("feed_secret_hash")
