"""API shapes of the audit trail."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="Grows with every event; a gap would show a lost one.")
    occurred_at: datetime
    actor: str = Field(description="Who acted: the token's identity.")
    action: str = Field(
        description="partnership_created, partnership_status_changed, partnership_lead_changed, "
        "partnership_outcome_recorded, partnership_outcome_corrected, partnership_outcome_removed (a "
        "duplicate removed by migration 0006), supplier_contacted, viewed."
    )
    subject_kind: str = Field(description="partnership, need, or what a view was of.")
    subject_id: str
    detail: dict[str, Any]


AUDIT_EXPORT_HEADER = ("id", "occurred_at", "actor", "action", "subject_kind", "subject_id", "detail")
