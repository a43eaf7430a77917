"""one pilot outcome per (partnership, municipality, KPI, data point, year)

A second value for the same year used to be stored beside the first. Before the unique index is
created, every such group keeps its newest outcome (the value its KPI observation holds, as each
recording overwrote it) and the older ones are removed, each with an audit event that keeps its value.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ("partnership_id", "municipality_number", "kpi_code", "data_point", "year")
outcome = sa.table(
    "partnership_outcome",
    *(sa.column(name) for name in ("id", *KEY, "value", "unit", "observation_id", "recorded_by")),
    sa.column("recorded_at", sa.DateTime(timezone=True)),
)
audit_event = sa.table(
    "audit_event",
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("subject_kind", sa.String()),
    sa.column("subject_id", sa.String()),
    sa.column("detail", sa.JSON()),
)


def _remove_older_duplicates() -> None:
    connection = op.get_bind()
    newest: dict[tuple[object, ...], int] = {}
    for row in connection.execute(sa.select(outcome).order_by(outcome.c.id.desc())).mappings():
        key = tuple(row[name] for name in KEY)
        if key not in newest:
            newest[key] = row["id"]
            continue
        connection.execute(
            audit_event.insert().values(
                occurred_at=datetime.now(UTC),
                actor="migration 0006",
                action="partnership_outcome_removed",
                subject_kind="partnership",
                subject_id=str(row["partnership_id"]),
                detail={
                    "outcome_id": row["id"],
                    "kept_outcome_id": newest[key],
                    "reason": "a second value for the same municipality, KPI, data point and year",
                    "municipality_number": row["municipality_number"],
                    "kpi_code": row["kpi_code"],
                    "data_point": row["data_point"],
                    "year": row["year"],
                    "value": row["value"],
                    "unit": row["unit"],
                    "recorded_by": row["recorded_by"],
                    "recorded_at": row["recorded_at"].isoformat(),
                },
            )
        )
        connection.execute(outcome.delete().where(outcome.c.id == row["id"]))


def upgrade() -> None:
    _remove_older_duplicates()
    with op.batch_alter_table("partnership_outcome", schema=None) as batch_op:
        batch_op.drop_index("ix_partnership_outcome_partnership_id")
        batch_op.create_index("uq_partnership_outcome_measurement", list(KEY), unique=True)


def downgrade() -> None:
    with op.batch_alter_table("partnership_outcome", schema=None) as batch_op:
        batch_op.drop_index("uq_partnership_outcome_measurement")
        batch_op.create_index("ix_partnership_outcome_partnership_id", ["partnership_id"], unique=False)
