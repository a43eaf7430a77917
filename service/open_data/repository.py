"""All SQL of the open-data files: public records a page at a time, by id (keyset), so that a file of a
million rows is read in short queries and never held in memory."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access import UNPUBLISHED_STATUSES
from service.models import County, Municipality, Need, ProcurementNotice, Solution, Supplier

# What a need's file holds: never its contact person, gap key, seed key or text hash.
NEED_COLUMNS = (
    Need.id,
    Need.title,
    Need.description,
    Need.language,
    Need.status,
    Need.origin,
    Need.municipality_number,
    Municipality.name,
    County.number,
    County.name,
    Need.kpi_codes,
    Need.cpv_codes,
    Need.trl_min,
    ProcurementNotice.notice_id,
    ProcurementNotice.tender_deadline,
    ProcurementNotice.source_url,
    Need.evidence,
    Need.translations,
    Need.demo,
    Need.created_at,
    Need.updated_at,
)
SOLUTION_COLUMNS = (
    Solution.id,
    Solution.title,
    Solution.description,
    Solution.language,
    Solution.supplier_id,
    Supplier.name,
    Supplier.organisation_number,
    Supplier.website,
    Solution.kpi_codes,
    Solution.sdgs,
    Solution.trl,
    Solution.cpv_codes,
    Solution.regions_served,
    Solution.reference_municipalities,
    Solution.demo,
    Supplier.demo,
    Solution.created_at,
    Solution.updated_at,
)


def public_needs_after(session: Session, after_id: int, limit: int) -> Sequence[tuple[Any, ...]]:
    """Up to `limit` needs with an id above `after_id`, by id; an unpublished status is never public."""
    statement = (
        select(*NEED_COLUMNS)
        .outerjoin(Municipality, Municipality.number == Need.municipality_number)
        .outerjoin(County, County.number == Municipality.county_number)
        .outerjoin(ProcurementNotice, ProcurementNotice.need_id == Need.id)
        .where(Need.id > after_id, Need.status.not_in(UNPUBLISHED_STATUSES))
        .order_by(Need.id)
        .limit(limit)
    )
    return session.execute(statement).all()


def published_solutions_after(session: Session, after_id: int, limit: int) -> Sequence[tuple[Any, ...]]:
    """Up to `limit` published solutions with an id above `after_id`, by id, with their supplier."""
    statement = (
        select(*SOLUTION_COLUMNS)
        .outerjoin(Supplier, Supplier.id == Solution.supplier_id)
        .where(Solution.id > after_id, Solution.status == "published")
        .order_by(Solution.id)
        .limit(limit)
    )
    return session.execute(statement).all()


def municipality_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Municipality.number, Municipality.name)).all())


def need_ids_by_gap_key(session: Session, keys: Sequence[str]) -> dict[str, int]:
    if not keys:
        return {}
    statement = select(Need.gap_key, Need.id).where(
        Need.gap_key.in_(keys), Need.status.not_in(UNPUBLISHED_STATUSES)
    )
    return {key: need_id for key, need_id in session.execute(statement) if key is not None}
