"""Retrying calls to public APIs (SSB, Doffin) with tenacity: exponential waits that give way to a
server's Retry-After, each retry logged, and short excerpts of answers for error messages."""

import logging
from collections.abc import Callable

import httpx
from tenacity import RetryCallState, wait_exponential

from service.identifiers import is_ascii_number


def wait_honouring_retry_after(first_wait: float, max_wait: float) -> Callable[[RetryCallState], float]:
    """Exponential waits; when the failure carries a server's `retry_after` (seconds), that, capped."""
    exponential = wait_exponential(multiplier=first_wait, max=max_wait)

    def wait(state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        retry_after = getattr(failure, "retry_after", None)
        if retry_after is not None:
            return float(min(retry_after, max_wait))
        return float(exponential(state))

    return wait


def log_retry(logger: logging.Logger) -> Callable[[RetryCallState], None]:
    """A `before_sleep` that says what failed and how long until the next attempt."""

    def before_sleep(state: RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0
        logger.warning("%s; trying again in %.1f s", failure, wait)

    return before_sleep


def retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds; None when absent or an HTTP date (the exponential wait applies)."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if is_ascii_number(value) else None


def excerpt(response: httpx.Response) -> str:
    """The answer's text on one line, cut to 200 characters, for an error message."""
    return " ".join(response.text.split())[:200] or "(empty body)"
