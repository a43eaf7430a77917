"""kpi targets, population, generated needs

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.add_column(sa.Column("problem_no", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("problem_en", sa.Text(), nullable=True))
    op.create_table(
        "kpi_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_code", sa.String(length=20), nullable=False),
        sa.Column("data_point", sa.String(length=50), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.Column("direction", sa.String(length=1), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["kpi_code"], ["kpi.code"], name=op.f("fk_kpi_target_kpi_code_kpi")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_target")),
        sa.UniqueConstraint("kpi_code", "data_point", "kind", "year", name=op.f("uq_kpi_target_kpi_code")),
    )
    with op.batch_alter_table("kpi_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kpi_target_kpi_code"), ["kpi_code"], unique=False)

    op.create_table(
        "municipality_population",
        sa.Column("municipality_number", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_number"],
            ["municipality.number"],
            name=op.f("fk_municipality_population_municipality_number_municipality"),
        ),
        sa.PrimaryKeyConstraint("municipality_number", "year", name=op.f("pk_municipality_population")),
    )
    # SQLite rebuilds the table for these changes; keep AUTOINCREMENT so that deleted ids stay unused.
    with op.batch_alter_table("need", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("gap_key", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("generated_text_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("translations", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(sa.Column("evidence", sa.JSON(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_need_gap_key"), ["gap_key"])


def downgrade() -> None:
    with op.batch_alter_table("need", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_need_gap_key"), type_="unique")
        batch_op.drop_column("evidence")
        batch_op.drop_column("translations")
        batch_op.drop_column("generated_text_hash")
        batch_op.drop_column("gap_key")

    op.drop_table("municipality_population")
    with op.batch_alter_table("kpi_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpi_target_kpi_code"))

    op.drop_table("kpi_target")
    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.drop_column("problem_en")
        batch_op.drop_column("problem_no")
