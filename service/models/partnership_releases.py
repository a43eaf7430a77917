"""Partnership releases: the public state of a partnership that reached pilot at each change, kept so
that it can be published as successive OCDS tender and award releases (docs/ocds.md). Rows are written
by service.models.partnership_release_recorder, never edited; they go only with their partnership."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utc_now


class PartnershipRelease(Base):
    __tablename__ = "partnership_release"
    # Release ids are published ({ocid}-{id}): an id is never handed out twice.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    # The partnership's public facts as they were (partnership_release_recorder.partnership_snapshot).
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the snapshot: unchanged, no release
