"""Which needs count as demand now: not closed, and not carrying a procurement notice whose tender
deadline has passed. A notice's need says "open" until the next import closes it, but time passes
without one: the deadline itself decides, in SQL, wherever open needs count or are matched."""

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, select

from service.models import Need, ProcurementNotice


def notice_deadline_passed(now: datetime) -> ColumnElement[bool]:
    """The need carries a notice whose tender deadline is `now` or earlier."""
    return exists(
        select(ProcurementNotice.id).where(
            ProcurementNotice.need_id == Need.id, ProcurementNotice.tender_deadline <= now
        )
    )


def counts_as_demand(now: datetime) -> ColumnElement[bool]:
    """The need is not closed, and no passed deadline of its notice closed it in fact."""
    return and_(Need.status != "closed", ~notice_deadline_passed(now))
