"""New notices from Doffin's public API v2: search by issue date (and CPV), download each as eForms XML.

The API (docs/notices.md, "Fetching from Doffin"): GET <base>/search with issueDateFrom, issueDateTo
(YYYY-MM-DD, both inclusive), cpvCode (repeatable), numHitsPerPage and page (from 1) answers
{"numHitsTotal", "numHitsAccessible", "hits": [{"id": "2024-100001", ...}]}; only the first
numHitsAccessible (at most 1000) hits of a query can be paged to, and asking past them is a 400.
GET <base>/download/<id> answers the notice's eForms XML. Every request carries the subscription key
in the Ocp-Apim-Subscription-Key header.
"""

import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from pydantic import SecretStr
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

from service.config import Settings
from service.http_retries import excerpt, log_retry, retry_after, wait_honouring_retry_after

DEFAULT_PAGE_SIZE = 100
# Where a person reads a notice; the API gives no link of its own (doffinClassicUrl is always null).
NOTICE_PAGE = "https://www.doffin.no/notices/{notice_id}"
_KEY_HEADER = "Ocp-Apim-Subscription-Key"
# Doffin's ids ("2026-112541"); anything else is refused, since an id becomes a URL path and a file name.
_NOTICE_ID = re.compile(r"^[0-9]{4}-[0-9]{1,12}$")

_Params = list[tuple[str, str | int | float | bool | None]]  # repeated keys: one cpvCode per code

logger = logging.getLogger(__name__)


class DoffinError(Exception):
    """Doffin could not be asked, or refused; the message names the request and says why."""


@dataclass(frozen=True)
class FetchedNotice:
    """One downloaded notice: a file name for it, its eForms XML, and where a person reads it."""

    name: str
    data: bytes
    source_url: str


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts and waits (seconds) for timeouts, lost connections, 429 and 5xx answers."""

    attempts: int = 5
    first_wait: float = 1.0
    max_wait: float = 30.0
    sleep: Callable[[float], None] = time.sleep  # tests record the waits instead of sleeping


@dataclass(frozen=True)
class IssueWindow:
    """Issue dates from `first` to `last`, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def halves(self) -> tuple["IssueWindow", "IssueWindow"]:
        middle = self.first + timedelta(days=self.days // 2 - 1)
        return IssueWindow(self.first, middle), IssueWindow(middle + timedelta(days=1), self.last)

    def __str__(self) -> str:
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


@dataclass(frozen=True)
class SearchPage:
    total: int  # numHitsTotal: every hit of the query
    reachable: int  # numHitsAccessible: the hits paging can reach
    notice_ids: list[str]


@dataclass
class FetchReport:
    """What a run did: the searches made, the notices downloaded, and per day the hits out of reach."""

    searches: int = 0
    downloaded: int = 0
    unreachable: dict[date, int] = field(default_factory=dict)


class _TransientFailure(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DoffinClient:
    """Searches and downloads through one httpx client; the key is sent, never logged or shown."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        base_url: str,
        subscription_key: SecretStr,
        timeout: httpx.Timeout,
        retry: RetryPolicy = RetryPolicy(),
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/") + "/"
        self._key = subscription_key
        self._timeout = timeout
        self._retry = retry
        self.page_size = page_size

    def __repr__(self) -> str:
        return f"DoffinClient(base_url={self._base_url!r})"

    def search(self, window: IssueWindow, *, cpv: Sequence[str], page: int) -> SearchPage:
        params: _Params = [
            ("issueDateFrom", window.first.isoformat()),
            ("issueDateTo", window.last.isoformat()),
            ("numHitsPerPage", self.page_size),
            ("page", page),
            *(("cpvCode", code) for code in cpv),
        ]
        what = (
            f"search of issue dates {window}" + (f", CPV {', '.join(cpv)}" if cpv else "") + f", page {page}"
        )
        answer = self._get("search", params, what=what)
        try:
            body: Any = answer.json()
            result = SearchPage(
                total=int(body["numHitsTotal"]),
                reachable=int(body["numHitsAccessible"]),
                notice_ids=[str(hit["id"]) for hit in body["hits"]],
            )
        except (ValueError, KeyError, TypeError) as error:
            raise DoffinError(
                f"Doffin's answer to the {what} is not a search result: {excerpt(answer)}"
            ) from error
        strange = [notice_id for notice_id in result.notice_ids if not _NOTICE_ID.match(notice_id)]
        if strange:
            raise DoffinError(f"a hit of Doffin's answer to the {what} has no Doffin id: {strange[0]!r}")
        return result

    def download(self, notice_id: str) -> bytes:
        return self._get(f"download/{notice_id}", [], what=f"download of notice {notice_id}").content

    def _get(self, path: str, params: _Params, *, what: str) -> httpx.Response:
        retrying = Retrying(
            stop=stop_after_attempt(self._retry.attempts),
            wait=wait_honouring_retry_after(self._retry.first_wait, self._retry.max_wait),
            retry=retry_if_exception_type(_TransientFailure),
            before_sleep=log_retry(logger),
            sleep=self._retry.sleep,
            reraise=True,
        )
        try:
            return retrying(self._get_once, self._base_url + path, params, what=what)
        except _TransientFailure as failure:
            attempts = retrying.statistics.get("attempt_number", self._retry.attempts)
            raise DoffinError(f"{failure} (gave up after {attempts} attempts)") from failure

    def _get_once(self, url: str, params: _Params, *, what: str) -> httpx.Response:
        headers = {_KEY_HEADER: self._key.get_secret_value()}
        try:
            answer = self._http.get(url, params=params, headers=headers, timeout=self._timeout)
        except httpx.TimeoutException as error:
            raise _TransientFailure(f"Doffin did not answer the {what} in time") from error
        except httpx.TransportError as error:
            raise _TransientFailure(
                f"could not reach Doffin for the {what}: {error or type(error).__name__}"
            ) from error
        if answer.is_success:
            return answer
        status = f"Doffin answered {answer.status_code} {answer.reason_phrase} to the {what}"
        if answer.status_code == 429 or answer.status_code >= 500:
            raise _TransientFailure(f"{status}: {excerpt(answer)}", retry_after=retry_after(answer))
        if answer.status_code in (401, 403):
            raise DoffinError(
                f"{status}: the subscription key (INNOMATCH_DOFFIN_SUBSCRIPTION_KEY) was refused"
            )
        raise DoffinError(f"{status}: {excerpt(answer)}")


def fetch_notices(
    doffin: DoffinClient,
    *,
    since: date,
    until: date,
    cpv: Sequence[str] = (),
    report: FetchReport | None = None,
) -> Iterator[FetchedNotice]:
    """Each notice issued from `since` to `until` (and of the CPV codes, when given), downloaded once.

    A window with more hits than paging reaches is split in two by date until every part fits; a
    single day that still has more is read as far as it reaches, and the rest is counted in
    `report.unreachable` (and logged).
    """
    if until < since:
        raise DoffinError(f"--until {until.isoformat()} is before --since {since.isoformat()}")
    report = report if report is not None else FetchReport()
    seen: set[str] = set()
    for notice_id in _notice_ids(doffin, IssueWindow(since, until), cpv, report):
        if notice_id in seen:
            continue
        seen.add(notice_id)
        data = doffin.download(notice_id)
        report.downloaded += 1
        yield FetchedNotice(
            name=f"{notice_id}.xml", data=data, source_url=NOTICE_PAGE.format(notice_id=notice_id)
        )


def _notice_ids(
    doffin: DoffinClient, window: IssueWindow, cpv: Sequence[str], report: FetchReport
) -> Iterator[str]:
    first = doffin.search(window, cpv=cpv, page=1)
    report.searches += 1
    if first.total > first.reachable and window.days > 1:
        for half in window.halves():
            yield from _notice_ids(doffin, half, cpv, report)
        return
    # Only whole pages inside the reachable hits: a page reaching past them is refused with a 400.
    pages = (
        -(-first.reachable // doffin.page_size)
        if first.total <= first.reachable
        else (first.reachable // doffin.page_size)
    )
    yield from first.notice_ids
    read = set(first.notice_ids)
    for page in range(2, pages + 1):
        answer = doffin.search(window, cpv=cpv, page=page)
        report.searches += 1
        if not answer.notice_ids:
            break
        read.update(answer.notice_ids)
        yield from answer.notice_ids
    if first.total > len(read) and first.total > first.reachable:
        report.unreachable[window.first] = first.total - len(read)
        logger.warning(
            "Doffin has %d notices issued on %s%s; %d of them could not be reached by paging",
            first.total,
            window.first.isoformat(),
            f" of CPV {', '.join(cpv)}" if cpv else "",
            first.total - len(read),
        )


def doffin_client(http: httpx.Client, settings: Settings) -> DoffinClient:
    """The client the settings describe; DoffinError when no subscription key is set."""
    if settings.doffin_subscription_key is None:
        raise DoffinError(
            "no Doffin subscription key: set INNOMATCH_DOFFIN_SUBSCRIPTION_KEY (a free key from "
            "https://dof-notices-prod-api.developer.azure-api.net/)"
        )
    return DoffinClient(
        http,
        base_url=settings.doffin_base_url,
        subscription_key=settings.doffin_subscription_key,
        timeout=httpx.Timeout(settings.doffin_timeout, connect=settings.doffin_connect_timeout),
        retry=RetryPolicy(attempts=settings.doffin_attempts),
        page_size=settings.doffin_page_size,
    )
