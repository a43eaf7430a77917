"""What a person's saved searches have found and sent: the notifications page's two lists.

The page is a channel of its own (docs/alerts.md): it shows every match, pushed by e-mail or webhook or
not, and every sending with what became of it. Whose searches: the caller's own, by the one ownership
rule (service/alerts/ownership.py): a person's, also those saved with their own tokens. Unlike the API's
list of searches, an administrator is not shown everyone's here: these are one's own notifications.
"""

from sqlalchemy.orm import Session

from service.access import Principal
from service.alerts import repository
from service.alerts.ownership import owner_of
from service.models import AlertDelivery, AlertMatch


def found(
    *, session: Session, caller: Principal, offset: int, limit: int
) -> tuple[list[tuple[AlertMatch, str]], int]:
    """The caller's searches' matches with each search's name, newest first, and how many in all."""
    return repository.owners_matches(session, **owner_of(caller), offset=offset, limit=limit)


def sent(
    *, session: Session, caller: Principal, offset: int, limit: int
) -> tuple[list[tuple[AlertDelivery, str]], int]:
    """The caller's searches' deliveries with each search's name, newest first, and how many in all."""
    return repository.owners_deliveries(session, **owner_of(caller), offset=offset, limit=limit)
