"""Needs: problems a municipality wants solved, written by officers or generated from KPI gaps."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UTCDateTime, utc_now
from service.models.municipalities import Municipality


class Need(Base):
    __tablename__ = "need"
    __table_args__ = {"sqlite_autoincrement": True}  # a deleted id is never handed out again

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_number: Mapped[str | None] = mapped_column(ForeignKey("municipality.number"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    origin: Mapped[str] = mapped_column(String(10), default="manual")  # manual | kpi_gap | notice
    kpi_codes: Mapped[list[str]]
    cpv_codes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    trl_min: Mapped[int | None] = mapped_column(Integer)  # the least mature solution the buyer would try
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    # Personal data: shown only to callers with a token (see service/needs/router.py).
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    seed_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    # Needs generated from a KPI gap: one per (municipality, KPI, data point), with the evidence.
    gap_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    generated_text_hash: Mapped[str | None] = mapped_column(String(64))  # differs once an officer edits
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )  # language -> {"title", "description"}
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The U4SSC KPIs the text most likely moves, [{"code", "confidence"}] best first, derived when the
    # text is written; null until derived (records stored before they existed are filled in at start-up).
    suggested_kpis: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    municipality: Mapped[Municipality | None] = relationship(lazy="joined")

    @property
    def municipality_name(self) -> str | None:
        return self.municipality.name if self.municipality else None
