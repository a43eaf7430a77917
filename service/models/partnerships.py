"""Partnership proposals and the KPI outcomes their pilots measured."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UTCDateTime, utc_now
from service.models.municipalities import Municipality


class Partnership(Base):
    __tablename__ = "partnership"
    __table_args__ = {"sqlite_autoincrement": True}  # audit events name partnerships by id: never reuse one

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    # Ids as JSON lists (the project's convention for list fields): a need or solution deleted later
    # stays named here, as it was when the partnership was proposed.
    need_ids: Mapped[list[int]]
    solution_ids: Mapped[list[int]]
    buyer_group_key: Mapped[str | None] = mapped_column(String(200), index=True)
    lead_municipality_number: Mapped[str | None] = mapped_column(ForeignKey("municipality.number"))
    lead_rule: Mapped[str] = mapped_column(String(30))
    lead_reason: Mapped[str] = mapped_column(Text)
    route: Mapped[str] = mapped_column(String(40))
    route_rule: Mapped[str] = mapped_column(String(40))
    route_reasons: Mapped[list[str]]
    # The reasons as data ({"code", "facts"}, service/reasons.py) for a page to word in its reader's
    # language; None for a partnership proposed before they were kept.
    lead_reason_facts: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    route_reason_facts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    # What the recommendation saw: each candidate's TRL, supplier and match score at proposal time.
    candidate_assessment: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    lead_municipality: Mapped[Municipality | None] = relationship(lazy="joined")
    outcomes: Mapped[list["PartnershipOutcome"]] = relationship(
        back_populates="partnership", lazy="selectin", order_by="PartnershipOutcome.id"
    )

    @property
    def lead_municipality_name(self) -> str | None:
        return self.lead_municipality.name if self.lead_municipality else None


class PartnershipOutcome(Base):
    """A KPI value measured after a pilot; the same value is stored as a KPI observation."""

    __tablename__ = "partnership_outcome"
    __table_args__ = (
        # One value per (municipality, KPI, data point, year) of a pilot: its observation's source is the
        # partnership. The index also finds a partnership's outcomes.
        Index(
            "uq_partnership_outcome_measurement",
            "partnership_id",
            "municipality_number",
            "kpi_code",
            "data_point",
            "year",
            unique=True,
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"))
    solution_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the candidate piloted
    municipality_number: Mapped[str] = mapped_column(ForeignKey("municipality.number"))
    kpi_code: Mapped[str] = mapped_column(ForeignKey("kpi.code"))
    data_point: Mapped[str] = mapped_column(String(50), default="")
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50))
    # The latest earlier value of the same KPI in the same municipality: the "before" of the pilot.
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("kpi_observation.id", ondelete="SET NULL"), index=True
    )
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    partnership: Mapped[Partnership] = relationship(back_populates="outcomes")
