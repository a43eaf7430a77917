"""How many failed sign-ins lock an account or a client address, and until when.

Counted in SQL (sign_in_failure), so the count holds across worker processes and restarts. The
account limit stops guessing one person's password; the address limit, higher because an office or
a school shares one address, stops one client trying many accounts. While locked even the right
password is refused, with the same words whether the account exists or not.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limit:
    failures: int
    window: timedelta


ACCOUNT_LIMIT = Limit(failures=5, window=timedelta(minutes=15))
ADDRESS_LIMIT = Limit(failures=20, window=timedelta(minutes=15))


def locked_until(failure_times: Sequence[datetime], now: datetime, limit: Limit) -> datetime | None:
    """When a lock lifts, or None when not locked: locked while the window before `now` holds
    `limit.failures` failures, until the oldest of the last `limit.failures` leaves the window."""
    recent = sorted(moment for moment in failure_times if moment > now - limit.window)
    if len(recent) < limit.failures:
        return None
    return recent[-limit.failures] + limit.window


def account_key(email: str) -> str:
    """The key of what was typed as the e-mail address, whether an account has it or not."""
    return hashlib.sha256(b"account:" + email.strip().casefold().encode()).hexdigest()


def address_key(address: str) -> str:
    return hashlib.sha256(b"address:" + address.encode()).hexdigest()
