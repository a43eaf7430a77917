"""Counties and municipalities, keyed by their SSB numbers."""

from sqlalchemy import ForeignKey, Integer, String
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


class MunicipalityPopulation(Base):
    """Residents on 1 January of a year (SSB table 07459); sets the peer group for benchmarks."""

    __tablename__ = "municipality_population"

    municipality_number: Mapped[str] = mapped_column(ForeignKey("municipality.number"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    population: Mapped[int] = mapped_column(Integer)
