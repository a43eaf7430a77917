"""What every channel shares: the report of one delivery (the same for e-mail, webhook and feed) and
the error a channel raises when a sending failed."""

from collections.abc import Mapping, Sequence
from typing import Any

from service.models import AlertMatch, ProcurementNotice, SavedSearch
from service.needs.notice_brief import brief

RECORD_PATHS = {"need": "/needs/{id}", "solution": "/solutions/{id}", "buyer_group": "/buyer-groups/{id}"}


class DeliveryError(Exception):
    """A sending that failed: `permanent` when trying again cannot help (the address refused, a URL
    that is not allowed), else it is tried again later."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


def record_link(base_url: str, match: AlertMatch) -> str:
    return base_url.rstrip("/") + RECORD_PATHS[match.record_kind].format(id=match.record_id)


def alert_report(
    search: SavedSearch,
    matches: Sequence[AlertMatch],
    *,
    base_url: str,
    delivery_id: str,
    notices: Mapping[str, ProcurementNotice] | None = None,
) -> dict[str, Any]:
    """The delivery as JSON (a webhook's body; what an e-mail and a feed entry say): best first.
    `notices`: the procurement notices matched needs carry, by record id (alerts.repository.notices_of_matches):
    such a match says origin "notice" and gives the notice's kind, deadline, buyer and link."""
    notices = notices or {}
    ranked = sorted(matches, key=lambda match: (-(match.score or 0.0), match.id))
    return {
        "type": "saved_search.matches",
        "delivery_id": delivery_id,
        "saved_search": {"id": search.id, "name": search.name, "kind": search.kind},
        "matches": [
            {
                "record_kind": match.record_kind,
                "record_id": match.record_id,
                "title": match.title,
                "score": match.score,
                "band": match.band,
                "reason": {"en": match.reason_en, "no": match.reason_no},
                "url": record_link(base_url, match),
                "found_at": match.found_at.isoformat(),
                "origin": "notice" if match.record_id in notices and match.record_kind == "need" else None,
                "notice": _notice(notices.get(match.record_id)) if match.record_kind == "need" else None,
            }
            for match in ranked
        ],
    }


def _notice(notice: ProcurementNotice | None) -> dict[str, Any] | None:
    if notice is None:
        return None
    told = brief(notice)
    return {
        "kind": told.kind,
        "deadline": told.deadline.isoformat() if told.deadline else None,
        "buyer_name": told.buyer_name,
        "link": told.link,
    }
