"""The U4SSC KPI catalogue and observed values."""

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utc_now


class Kpi(Base):
    __tablename__ = "kpi"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)  # compact form, e.g. EC-I-WS-3C
    official_code: Mapped[str] = mapped_column(String(30), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_no: Mapped[str] = mapped_column(String(200))
    dimension: Mapped[str] = mapped_column(String(50))
    subdimension: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(100))
    core: Mapped[bool] = mapped_column(Boolean)
    unit_kind: Mapped[str] = mapped_column(String(50))
    definition: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str] = mapped_column(String(1))  # + higher is better, - lower is better, ~ depends
    direction_note: Mapped[str | None] = mapped_column(String(200))
    sdgs: Mapped[list[int]]
    # Plain-language problem when the KPI is weak; opens the text of needs generated from gaps.
    problem_no: Mapped[str | None] = mapped_column(Text)
    problem_en: Mapped[str | None] = mapped_column(Text)


class KpiObservation(Base):
    __tablename__ = "kpi_observation"
    __table_args__ = (UniqueConstraint("municipality_number", "kpi_code", "data_point", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_number: Mapped[str] = mapped_column(ForeignKey("municipality.number"), index=True)
    kpi_code: Mapped[str] = mapped_column(ForeignKey("kpi.code"), index=True)
    data_point: Mapped[str] = mapped_column(String(50), default="")  # "" for single-value KPIs
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(500))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)


class KpiTarget(Base):
    """A published target for a KPI (U4SSC, SDG, EU or national), with its source."""

    __tablename__ = "kpi_target"
    __table_args__ = (UniqueConstraint("kpi_code", "data_point", "kind", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kpi_code: Mapped[str] = mapped_column(ForeignKey("kpi.code"), index=True)
    data_point: Mapped[str] = mapped_column(String(50), default="")
    target: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50))
    direction: Mapped[str] = mapped_column(String(1))  # + or -
    kind: Mapped[str] = mapped_column(String(20))  # u4ssc | sdg | eu | national
    year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
