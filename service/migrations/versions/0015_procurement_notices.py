"""procurement notices: eForms notices with every parsed field, each carried into matching by a need

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXED = (
    "kind",
    "publication_date",
    "buyer_organisation_number",
    "municipality_number",
    "county_number",
    "tender_deadline",
    "status",
    "content_hash",
)


def upgrade() -> None:
    op.create_table(
        "procurement_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("notice_type", sa.String(length=40), nullable=False),
        sa.Column("subtype", sa.String(length=10), nullable=False),
        sa.Column("publication_date", sa.Date(), nullable=False),
        sa.Column("buyer_name", sa.Text(), nullable=False),
        sa.Column("buyer_organisation_number", sa.String(length=50), nullable=True),
        sa.Column("municipality_number", sa.String(length=4), nullable=True),
        sa.Column("county_number", sa.String(length=2), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("descriptions", sa.JSON(), nullable=False),
        sa.Column("main_cpv", sa.JSON(), nullable=False),
        sa.Column("additional_cpv", sa.JSON(), nullable=False),
        sa.Column("nuts", sa.JSON(), nullable=False),
        sa.Column("procedure_type", sa.String(length=40), nullable=True),
        sa.Column("estimated_value", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("tender_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lots", sa.JSON(), nullable=False),
        sa.Column("awards", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_number"],
            ["municipality.number"],
            name=op.f("fk_procurement_notice_municipality_number_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["county_number"], ["county.number"], name=op.f("fk_procurement_notice_county_number_county")
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_procurement_notice_need_id_need"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procurement_notice")),
        sa.UniqueConstraint("notice_id", name=op.f("uq_procurement_notice_notice_id")),
        sa.UniqueConstraint("need_id", name=op.f("uq_procurement_notice_need_id")),
        sqlite_autoincrement=True,
    )
    for column in _INDEXED:
        op.create_index(op.f(f"ix_procurement_notice_{column}"), "procurement_notice", [column])


def downgrade() -> None:
    for column in reversed(_INDEXED):
        op.drop_index(op.f(f"ix_procurement_notice_{column}"), table_name="procurement_notice")
    op.drop_table("procurement_notice")
