"""The SQL buyer groups need: the open needs that can be grouped."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Need


def groupable_needs(session: Session, *, limit: int) -> tuple[Sequence[Need], int]:
    """Open needs of a municipality, the newest `limit` of them in id order, and how many there are."""
    statement = select(Need).where(Need.status == "open", Need.municipality_number.is_not(None))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    newest = session.scalars(statement.order_by(Need.id.desc()).limit(limit)).all()
    return sorted(newest, key=lambda need: need.id), total
