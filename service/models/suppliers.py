"""Supplier organisations."""

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utc_now


class Supplier(Base):
    __tablename__ = "supplier"
    __table_args__ = {"sqlite_autoincrement": True}  # a deleted id is never handed out again

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_number: Mapped[str] = mapped_column(String(9), unique=True)
    website: Mapped[str | None] = mapped_column(String(300))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    seed_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
