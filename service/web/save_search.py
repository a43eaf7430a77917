"""The "Save this search" button of the pages where a search is made: a plain link to the form at
/alerts/new with the search carried over, offered only to a signed-in person whose role may save that
kind of search (the rule of service.alerts.service, asked, not copied)."""

from collections.abc import Mapping
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from service.access import Principal
from service.alerts import service as alerts
from service.alerts.schemas import NEED_TOPIC_FILTERS
from service.matching.filters import MatchFilters

NEW_SEARCH = "/alerts/new"


def save_search_address(
    session: Session,
    caller: Principal,
    kind: str,
    *,
    solution_id: int | None = None,
    need_id: int | None = None,
    text: str | None = None,
    filters: Mapping[str, object] | None = None,
) -> str | None:
    """The form's address with the search in its query, or None when `caller` may not save it."""
    if caller.user_id is None:  # a page's reader without an account owns no searches
        return None
    if not alerts.may_save(
        session=session, caller=caller, kind=kind, solution_id=solution_id, need_id=need_id
    ):
        return None
    subject = {"solution_id": solution_id, "need_id": need_id, "text": text}
    parameters = {"kind": kind} | {name: str(value) for name, value in subject.items() if value}
    parameters |= {
        name: str(value)
        for name, value in (filters or {}).items()
        if value not in (None, "") and name in MatchFilters.model_fields
    }
    return f"{NEW_SEARCH}?{urlencode(parameters)}"


def needs_search_address(session: Session, caller: Principal, chosen: Mapping[str, str]) -> str | None:
    """The open-needs list with filters chosen: programme staff follow new needs on a topic; anyone else
    (or staff without a topic) follows needs matching a text, which the form then asks for."""
    filters = {name: value for name, value in chosen.items() if name in MatchFilters.model_fields}
    if not filters:
        return None
    if any(name in NEED_TOPIC_FILTERS for name in filters):
        address = save_search_address(session, caller, "new_needs", filters=filters)
        if address is not None:
            return address
    return save_search_address(session, caller, "needs_for_text", filters=filters)
