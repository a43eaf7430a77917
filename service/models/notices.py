"""Procurement notices (eForms, from files, uploads or Doffin): every parsed field, and the need that
carries the notice's text into matching, demand and alerts."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from service.db import Base, UTCDateTime, utc_now
from service.models.needs import Need


class ProcurementNotice(Base):
    __tablename__ = "procurement_notice"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[str] = mapped_column(String(100), unique=True)  # eForms' notice id, no version
    version: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10), index=True)  # pin | cn | can | veat | change
    notice_type: Mapped[str] = mapped_column(String(40))
    subtype: Mapped[str] = mapped_column(String(10))
    publication_date: Mapped[date] = mapped_column(Date, index=True)
    buyer_name: Mapped[str] = mapped_column(Text)
    buyer_organisation_number: Mapped[str | None] = mapped_column(String(50), index=True)
    municipality_number: Mapped[str | None] = mapped_column(ForeignKey("municipality.number"), index=True)
    county_number: Mapped[str | None] = mapped_column(ForeignKey("county.number"), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON)
    titles: Mapped[dict[str, str]] = mapped_column(JSON)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON)
    main_cpv: Mapped[list[str]] = mapped_column(JSON)
    additional_cpv: Mapped[list[str]] = mapped_column(JSON)
    nuts: Mapped[list[str]] = mapped_column(JSON)
    procedure_type: Mapped[str | None] = mapped_column(String(40))
    estimated_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    tender_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    lots: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    awards: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)  # active | voided
    source: Mapped[str] = mapped_column(String(10))  # file | upload | doffin
    source_url: Mapped[str | None] = mapped_column(String(500))  # Doffin's page of the notice
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the document
    # The need that carries the text; null when someone deleted that need (the next version makes one anew).
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    # Need.notice: the notice a need of origin "notice" carries, read with the need (its answers show it).
    need: Mapped[Need | None] = relationship(
        backref=backref("notice", uselist=False, lazy="joined", viewonly=True)
    )
