"""Stored vectors, the change log the indexes follow, the language centroids of each encoder and the
vectors of the KPI texts that KPI suggestions compare a text with."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utc_now


class StoredVector(Base):
    """The vector of one record's text under one encoder; the FAISS index is rebuilt from these."""

    __tablename__ = "stored_vector"
    __table_args__ = (UniqueConstraint("owner_kind", "owner_id", "model_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(10))  # need | solution
    owner_id: Mapped[int] = mapped_column(Integer)
    model_id: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class IndexChange(Base):
    """Append-only log of record changes; an index snapshot records the last sequence it contains."""

    __tablename__ = "index_change"
    __table_args__ = {"sqlite_autoincrement": True}  # sequence numbers only ever grow

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_kind: Mapped[str] = mapped_column(String(10))
    owner_id: Mapped[int] = mapped_column(Integer)
    operation: Mapped[str] = mapped_column(String(10))  # upsert | delete
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class LanguageCentroid(Base):
    """Mean vector of one language's calibration texts under one encoder (see embeddings/centering.py)."""

    __tablename__ = "language_centroid"

    model_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    text_count: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class KpiTextVector(Base):
    """The vector of one text about a U4SSC KPI (its name, definition or problem statement, in one language)
    under one encoder; KPI suggestions compare a need's or a query's text with these."""

    __tablename__ = "kpi_text_vector"
    __table_args__ = (UniqueConstraint("kpi_code", "text_kind", "model_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kpi_code: Mapped[str] = mapped_column(ForeignKey("kpi.code", ondelete="CASCADE"))
    text_kind: Mapped[str] = mapped_column(String(20))  # name_en | name_no | definition_en | problem_en | ...
    language: Mapped[str] = mapped_column(String(2))
    model_id: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))  # of the text, so that a changed text is re-encoded
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian, as encoded (not centred)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
