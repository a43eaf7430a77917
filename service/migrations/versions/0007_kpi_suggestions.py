"""KPI suggestions: vectors of the KPIs' texts per encoder, and each need's and solution's suggested KPIs

`suggested_kpis` stays null on the records stored before; the service fills it in at start-up.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kpi_text_vector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_code", sa.String(length=20), nullable=False),
        sa.Column("text_kind", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("model_id", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_code"], ["kpi.code"], name=op.f("fk_kpi_text_vector_kpi_code_kpi"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_text_vector")),
        sa.UniqueConstraint("kpi_code", "text_kind", "model_id", name=op.f("uq_kpi_text_vector_kpi_code")),
    )
    # Should SQLite rebuild the tables, AUTOINCREMENT stays so that deleted ids stay unused.
    for table in ("need", "solution"):
        with op.batch_alter_table(
            table, schema=None, table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            batch_op.add_column(sa.Column("suggested_kpis", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in ("solution", "need"):
        with op.batch_alter_table(
            table, schema=None, table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            batch_op.drop_column("suggested_kpis")
    op.drop_table("kpi_text_vector")
