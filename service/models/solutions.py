"""Solutions offered by suppliers."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utc_now


class Solution(Base):
    __tablename__ = "solution"
    __table_args__ = {"sqlite_autoincrement": True}  # a deleted id is never handed out again

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    kpi_codes: Mapped[list[str]]
    sdgs: Mapped[list[int]]
    trl: Mapped[int | None] = mapped_column(Integer)
    cpv_codes: Mapped[list[str]]
    regions_served: Mapped[list[str]]  # county numbers; empty means the whole country
    reference_municipalities: Mapped[list[str]]  # municipality numbers already using it
    status: Mapped[str] = mapped_column(String(20), default="published", index=True)
    # As a need's: the U4SSC KPIs the text most likely moves, [{"code", "confidence"}]; null until derived.
    suggested_kpis: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    seed_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
