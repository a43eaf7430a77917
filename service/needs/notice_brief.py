"""What a need's answer says of the procurement notice it carries ("kunngjøring"): kind, deadline,
buyer, winners and a link, so that a supplier sees it is a notice, until when, and where to read it."""

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from service.models import ProcurementNotice

NOTICES_API_PATH = "/api/v1/notices"


def notice_link(notice: ProcurementNotice) -> str:
    """The notice at its publisher (Doffin) when known, else its answer here."""
    return notice.source_url or f"{NOTICES_API_PATH}/{notice.id}"


def winner_names(awards: list[dict[str, Any]]) -> list[str]:
    """The winning tenderers' names, each once, in the notice's order."""
    names = (award.get("winner", {}).get("name") for award in awards)
    return list(dict.fromkeys(name for name in names if name))


class NeedNotice(BaseModel):
    id: int = Field(description="The notice's id here: GET /api/v1/notices/{id}.")
    notice_id: str = Field(description="The eForms notice id.")
    kind: Literal["pin", "cn", "can", "veat", "change"] = Field(
        description="pin (prior information), cn (contract notice), can (award), veat, change."
    )
    label_no: str = Field(default="kunngjøring", description="What the pages call it, in Norwegian.")
    label_en: str = Field(default="procurement notice")
    buyer_name: str
    publication_date: date
    deadline: datetime | None = Field(description="The tender deadline, if the notice has one.")
    deadline_passed: bool = Field(description="True once the deadline is past: no longer demand.")
    winners: list[str] = Field(description="Award notices: the winning tenderers' names.")
    link: str = Field(description="The notice at its publisher (Doffin) when known, else here.")
    voided: bool


def brief(notice: ProcurementNotice, now: datetime | None = None) -> NeedNotice:
    now = now or datetime.now(UTC)
    return NeedNotice(
        id=notice.id,
        notice_id=notice.notice_id,
        kind=notice.kind,
        buyer_name=notice.buyer_name,
        publication_date=notice.publication_date,
        deadline=notice.tender_deadline,
        deadline_passed=notice.tender_deadline is not None and notice.tender_deadline <= now,
        winners=winner_names(notice.awards),
        link=notice_link(notice),
        voided=notice.status == "voided",
    )
