"""Engine, sessions and the declarative base; SQLite is tuned for durability and concurrency."""

from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    DateTime,
    Engine,
    MetaData,
    cast,
    create_engine,
    event,
    false,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB, array
from sqlalchemy.orm import DeclarativeBase, QueryableAttribute, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {list[str]: JSON, list[int]: JSON}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime stored; use utc_now()")
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def json_row(dialect: str, *values: QueryableAttribute[Any]) -> ColumnElement[Any]:
    """`values` as one JSON array, decoded once per row rather than once per JSON column: a match reads
    several JSON columns of each of its candidates (docs/database.md, "A candidate's facts")."""
    if dialect == "postgresql":
        return type_coerce(func.json_build_array(*values), JSON)
    # SQLite keeps JSON as text; json() makes json_array nest it as JSON rather than as a string.
    nested = [func.json(value) if isinstance(value.expression.type, JSON) else value for value in values]
    return type_coerce(func.json_array(*nested), JSON)


def json_array_holds_any(
    dialect: str, column: QueryableAttribute[Any], values: Collection[str]
) -> ColumnElement[bool]:
    """Rows whose JSON array of strings `column` (KPI codes, say) holds at least one of `values`, in SQL,
    so that a filtered list is counted and paged by the database."""
    if not values:
        return false()
    wanted = sorted(values)
    if dialect == "postgresql":
        holds: ColumnElement[bool] = cast(column, JSONB).has_any(array(wanted))
        return holds
    elements = func.json_each(column).table_valued("value")
    return select(literal(1)).select_from(elements).where(elements.c.value.in_(wanted)).exists()


def utc_now() -> datetime:
    return datetime.now(UTC)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the single writer; synchronous=FULL makes a committed write
    # survive a power cut, not only a process kill; busy_timeout queues writers instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, pool_size=10, max_overflow=10
        )
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
