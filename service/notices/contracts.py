"""Contracts a supplier won: the award notices (CAN, VEAT) naming its organisation number among the
winners, spaces and "NO … MVA" aside. Evidence on its profile."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.models import ProcurementNotice
from service.needs.notice_brief import notice_link
from service.suppliers.schemas import ContractWon

_AWARDED = ("can", "veat")


def _digits(organisation_number: str | None) -> str:
    return "".join(character for character in organisation_number or "" if character.isdigit())


def _title(notice: ProcurementNotice) -> str:
    for language in ("no", "nb", "nn", "en"):
        if language in notice.titles:
            return notice.titles[language]
    return next(iter(notice.titles.values()), "")


def contracts_won(session: Session, organisation_number: str) -> list[ContractWon]:
    """The active award notices naming this organisation number as a winner, newest first."""
    wanted = _digits(organisation_number)
    return contracts_won_by_organisation(session).get(wanted, []) if wanted else []


def contracts_won_by_organisation(session: Session) -> dict[str, list[ContractWon]]:
    """Every winner's contracts, by organisation number (digits only), newest first: one read for many
    suppliers at once."""
    statement = (
        select(ProcurementNotice)
        .where(ProcurementNotice.kind.in_(_AWARDED), ProcurementNotice.status == "active")
        .order_by(ProcurementNotice.publication_date.desc(), ProcurementNotice.id.desc())
    )
    won: dict[str, list[ContractWon]] = {}
    # The winners are a JSON list: read in Python, as the match filters read list fields.
    for notice in session.scalars(statement):
        contract = ContractWon(
            notice_id=notice.id,
            buyer_name=notice.buyer_name,
            year=notice.publication_date.year,
            title=_title(notice),
            link=notice_link(notice),
        )
        winners = {_digits(award.get("winner", {}).get("organisation_number")) for award in notice.awards}
        for number in winners - {""}:
            won.setdefault(number, []).append(contract)
    return won
