"""initial schema

Revision ID: 0001
Revises: -
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "county",
        sa.Column("number", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_county")),
    )
    op.create_table(
        "index_change",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_kind", sa.String(length=10), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_index_change")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "kpi",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("official_code", sa.String(length=30), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_no", sa.String(length=200), nullable=False),
        sa.Column("dimension", sa.String(length=50), nullable=False),
        sa.Column("subdimension", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("core", sa.Boolean(), nullable=False),
        sa.Column("unit_kind", sa.String(length=50), nullable=False),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("direction", sa.String(length=1), nullable=False),
        sa.Column("direction_note", sa.String(length=200), nullable=True),
        sa.Column("sdgs", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_kpi")),
        sa.UniqueConstraint("official_code", name=op.f("uq_kpi_official_code")),
    )
    op.create_table(
        "language_centroid",
        sa.Column("model_id", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text_count", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("model_id", "language", name=op.f("pk_language_centroid")),
    )
    op.create_table(
        "stored_vector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", sa.String(length=10), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_vector")),
        sa.UniqueConstraint("owner_kind", "owner_id", "model_id", name=op.f("uq_stored_vector_owner_kind")),
    )
    op.create_table(
        "supplier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation_number", sa.String(length=9), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("seed_key", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier")),
        sa.UniqueConstraint("organisation_number", name=op.f("uq_supplier_organisation_number")),
        sa.UniqueConstraint("seed_key", name=op.f("uq_supplier_seed_key")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "municipality",
        sa.Column("number", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("county_number", sa.String(length=2), nullable=False),
        sa.Column("organisation_number", sa.String(length=9), nullable=True),
        sa.ForeignKeyConstraint(
            ["county_number"], ["county.number"], name=op.f("fk_municipality_county_number_county")
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_municipality")),
    )
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_municipality_county_number"), ["county_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_municipality_name"), ["name"], unique=False)

    op.create_table(
        "solution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("kpi_codes", sa.JSON(), nullable=False),
        sa.Column("sdgs", sa.JSON(), nullable=False),
        sa.Column("trl", sa.Integer(), nullable=True),
        sa.Column("cpv_codes", sa.JSON(), nullable=False),
        sa.Column("regions_served", sa.JSON(), nullable=False),
        sa.Column("reference_municipalities", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("seed_key", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_solution_supplier_id_supplier"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solution")),
        sa.UniqueConstraint("seed_key", name=op.f("uq_solution_seed_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_solution_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_solution_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "kpi_observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_number", sa.String(length=4), nullable=False),
        sa.Column("kpi_code", sa.String(length=20), nullable=False),
        sa.Column("data_point", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kpi_code"], ["kpi.code"], name=op.f("fk_kpi_observation_kpi_code_kpi")),
        sa.ForeignKeyConstraint(
            ["municipality_number"],
            ["municipality.number"],
            name=op.f("fk_kpi_observation_municipality_number_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_observation")),
        sa.UniqueConstraint(
            "municipality_number",
            "kpi_code",
            "data_point",
            "year",
            name=op.f("uq_kpi_observation_municipality_number"),
        ),
    )
    with op.batch_alter_table("kpi_observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kpi_observation_kpi_code"), ["kpi_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_kpi_observation_municipality_number"), ["municipality_number"], unique=False
        )

    op.create_table(
        "need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_number", sa.String(length=4), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("kpi_codes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("seed_key", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_number"],
            ["municipality.number"],
            name=op.f("fk_need_municipality_number_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need")),
        sa.UniqueConstraint("seed_key", name=op.f("uq_need_seed_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_need_municipality_number"), ["municipality_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_need_status"), ["status"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("given_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_feedback_need_id_need"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solution.id"],
            name=op.f("fk_feedback_solution_id_solution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_solution_id"), ["solution_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_solution_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_need_id"))

    op.drop_table("feedback")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_status"))
        batch_op.drop_index(batch_op.f("ix_need_municipality_number"))

    op.drop_table("need")
    with op.batch_alter_table("kpi_observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpi_observation_municipality_number"))
        batch_op.drop_index(batch_op.f("ix_kpi_observation_kpi_code"))

    op.drop_table("kpi_observation")
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solution_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_solution_status"))

    op.drop_table("solution")
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipality_name"))
        batch_op.drop_index(batch_op.f("ix_municipality_county_number"))

    op.drop_table("municipality")
    op.drop_table("supplier")
    op.drop_table("stored_vector")
    op.drop_table("language_centroid")
    op.drop_table("kpi")
    op.drop_table("index_change")
    op.drop_table("county")
