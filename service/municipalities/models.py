"""Counties and municipalities, keyed by their SSB numbers."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base


class County(Base):
    __tablename__ = "county"

    number: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Municipality(Base):
    __tablename__ = "municipality"

    number: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    county_number: Mapped[str] = mapped_column(ForeignKey("county.number"), index=True)
    organisation_number: Mapped[str | None] = mapped_column(String(9))

    county: Mapped[County] = relationship(lazy="joined")
