"""Need releases: the public state of a need at each change, kept so that it can be published as
successive OCDS releases (docs/ocds.md). Rows are written by service.models.need_release_recorder,
never edited; they go only with their need."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utc_now


class NeedRelease(Base):
    __tablename__ = "need_release"
    # Release ids are published ({ocid}-{id}): an id is never handed out twice.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A deleted need is withdrawn from publication with its history (it may have held personal data).
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    # The need's public fields as they were (service.models.need_release_recorder.SNAPSHOT_FIELDS).
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the snapshot: unchanged, no release
