"""Fetching from Doffin against a local imitation of its API v2, over real sockets."""

import logging
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from service.cli import app
from service.config import get_settings
from service.notices.doffin import (
    NOTICE_PAGE,
    DoffinClient,
    DoffinError,
    FetchedNotice,
    FetchReport,
    RetryPolicy,
    fetch_notices,
)
from tests.support.doffin import (
    SAMPLES,
    SUBSCRIPTION_KEY,
    Failure,
    FakeDoffin,
    PublishedNotice,
    running_doffin,
)

# Each sample with its procedure's main CPV code, as the search hits carry them.
SAMPLE_CPV = {
    "can_24_minimal.xml": "77310000",
    "change-cn_24_void.xml": "72230000",
    "cn_24_minimal.xml": "72230000",
    "cn_24_open.xml": "71630000",
    "pin-only_24.xml": "72000000",
    "veat_24.xml": "33000000",
}
START = date(2026, 3, 2)


def published(per_day: list[int]) -> list[PublishedNotice]:
    """`per_day[i]` notices issued on START + i days, the samples in turn under ids 2026-1000NN."""
    samples = sorted(SAMPLE_CPV)
    notices: list[PublishedNotice] = []
    for day, count in enumerate(per_day):
        for _ in range(count):
            sample = samples[len(notices) % len(samples)]
            notices.append(
                PublishedNotice(
                    notice_id=f"2026-{100000 + len(notices)}",
                    issue_date=START + timedelta(days=day),
                    cpv_codes=(SAMPLE_CPV[sample],),
                    sample=sample,
                )
            )
    return notices


class Waits:
    """Records the retry waits instead of sleeping them."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def client_for(
    doffin: FakeDoffin,
    http: httpx.Client,
    *,
    page_size: int = 3,
    attempts: int = 4,
    waits: Waits | None = None,
) -> DoffinClient:
    return DoffinClient(
        http,
        base_url=doffin.base_url,
        subscription_key=SecretStr(SUBSCRIPTION_KEY),
        timeout=httpx.Timeout(0.5),
        retry=RetryPolicy(attempts=attempts, first_wait=0.001, max_wait=5, sleep=waits or Waits()),
        page_size=page_size,
    )


def fetch_all(doffin: DoffinClient, **options: object) -> list[FetchedNotice]:
    return list(fetch_notices(doffin, since=START, until=START + timedelta(days=6), **options))  # type: ignore[arg-type]


def test_a_window_of_several_pages_downloads_each_notice_with_its_real_xml(http: httpx.Client) -> None:
    notices = published([3, 2, 0, 2])  # 7 hits, pages of 3: three pages, under the reachable limit
    with running_doffin(FakeDoffin(notices)) as doffin:
        fetched = fetch_all(client_for(doffin, http))
    assert sorted(n.name for n in fetched) == sorted(f"{n.notice_id}.xml" for n in notices)
    by_name = {n.name: n for n in fetched}
    for notice in notices:
        got = by_name[f"{notice.notice_id}.xml"]
        assert got.data == (SAMPLES / notice.sample).read_bytes()
        assert got.source_url == NOTICE_PAGE.format(notice_id=notice.notice_id)
        assert got.source_url.startswith("https://www.doffin.no/notices/2026-")
    assert [s["page"] for s in doffin.searches] == [["1"], ["2"], ["3"]]
    assert set(doffin.keys_seen) == {SUBSCRIPTION_KEY}
    assert {s["issueDateFrom"][0] for s in doffin.searches} == {"2026-03-02"}
    assert {s["issueDateTo"][0] for s in doffin.searches} == {"2026-03-08"}
    assert all(s["numHitsPerPage"] == ["3"] for s in doffin.searches)


def test_a_window_over_the_reachable_limit_is_split_and_each_notice_fetched_once(http: httpx.Client) -> None:
    notices = published([2, 3, 1, 4, 0, 2, 3])  # 15 hits, 6 reachable per query
    with running_doffin(FakeDoffin(notices, reachable=6)) as doffin:
        report = FetchReport()
        fetched = fetch_all(client_for(doffin, http), report=report)
    assert sorted(n.name for n in fetched) == sorted(f"{n.notice_id}.xml" for n in notices)
    assert doffin.downloads == {n.notice_id: 1 for n in notices}
    windows = {(s["issueDateFrom"][0], s["issueDateTo"][0]) for s in doffin.searches}
    assert ("2026-03-02", "2026-03-08") in windows  # the whole week first, then its parts
    assert len(windows) > 1
    for search in doffin.searches:  # never a page past the reachable hits (Doffin answers 400)
        assert int(search["page"][0]) * int(search["numHitsPerPage"][0]) <= 6
    assert report.unreachable == {}
    assert report.downloaded == 15


def test_a_single_day_over_the_limit_is_read_as_far_as_it_reaches_and_reported(
    http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    notices = published([1, 8])  # 8 hits on the second day, 4 reachable, pages of 3: one page only
    with running_doffin(FakeDoffin(notices, reachable=4)) as doffin, caplog.at_level(logging.WARNING):
        report = FetchReport()
        fetched = fetch_all(client_for(doffin, http), report=report)
    assert len(fetched) == 1 + 3
    assert report.unreachable == {START + timedelta(days=1): 5}
    assert "2026-03-03" in caplog.text and "could not be reached" in caplog.text
    assert all(count == 1 for count in doffin.downloads.values())


def test_a_notice_met_twice_while_paging_is_downloaded_once(http: httpx.Client) -> None:
    notices = published([4, 3])
    with running_doffin(FakeDoffin(notices, overlap=1)) as doffin:
        fetched = fetch_all(client_for(doffin, http))
    assert sorted(n.name for n in fetched) == sorted(f"{n.notice_id}.xml" for n in notices)
    assert doffin.downloads == {n.notice_id: 1 for n in notices}


def test_a_hit_whose_id_is_no_doffin_id_is_refused_before_any_download(http: httpx.Client) -> None:
    strange = PublishedNotice("../../escaped", START, ("72000000",), "pin-only_24.xml")
    with (
        running_doffin(FakeDoffin([*published([1]), strange])) as doffin,
        pytest.raises(DoffinError, match=re.escape("no Doffin id: '../../escaped'")),
    ):
        fetch_all(client_for(doffin, http))
    assert not doffin.downloads


def test_cpv_codes_are_passed_to_the_search(http: httpx.Client) -> None:
    notices = published([6, 6])
    with running_doffin(FakeDoffin(notices)) as doffin:
        fetched = fetch_all(client_for(doffin, http, page_size=10), cpv=["72000000", "33000000"])
    assert all(s["cpvCode"] == ["72000000", "33000000"] for s in doffin.searches)
    wanted = {n.notice_id for n in notices if n.cpv_codes[0].startswith(("72", "33"))}
    assert {n.name.removesuffix(".xml") for n in fetched} == wanted
    assert len(wanted) == 8  # cn_24_minimal, change-cn, pin-only, veat twice each


def test_rate_limit_waits_as_retry_after_says_then_succeeds(http: httpx.Client) -> None:
    waits = Waits()
    with running_doffin(FakeDoffin(published([2]))) as doffin:
        doffin.fail_next(Failure(429, retry_after="3"))
        fetched = fetch_all(client_for(doffin, http, waits=waits))
    assert len(fetched) == 2
    assert waits.seconds == [3.0]


def test_a_server_error_is_tried_again(http: httpx.Client) -> None:
    with running_doffin(FakeDoffin(published([2]))) as doffin:
        doffin.fail_next(Failure(500))
        fetched = fetch_all(client_for(doffin, http))
    assert len(fetched) == 2
    assert len(doffin.searches) == 1  # the failed try never reached the search


def test_a_timeout_is_tried_again(http: httpx.Client) -> None:
    with running_doffin(FakeDoffin(published([1]))) as doffin:
        doffin.fail_next(Failure(200, delay=2.0))  # answers after the client's 0.5 s
        fetched = fetch_all(client_for(doffin, http))
    assert [n.name for n in fetched] == ["2026-100000.xml"]


def test_a_lasting_server_error_gives_up_after_the_attempts_naming_the_request(http: httpx.Client) -> None:
    waits = Waits()
    with running_doffin(FakeDoffin(published([1]))) as doffin:
        doffin.fail_next(*[Failure(503)] * 10)
        with pytest.raises(DoffinError) as raised:
            fetch_all(client_for(doffin, http, attempts=3, waits=waits))
        assert len(doffin.failures) == 7  # three tries, no more
    message = str(raised.value)
    assert "503" in message and "search of issue dates 2026-03-02..2026-03-08" in message
    assert "after 3 attempts" in message
    assert len(waits.seconds) == 2
    assert waits.seconds[0] < waits.seconds[1]  # exponential


def test_a_refused_key_is_not_retried_and_not_shown(http: httpx.Client) -> None:
    with running_doffin(FakeDoffin(published([1]))) as doffin:
        wrong = DoffinClient(
            http, base_url=doffin.base_url, subscription_key=SecretStr("wrong-key"), timeout=httpx.Timeout(1)
        )
        with pytest.raises(DoffinError, match=r"401.*INNOMATCH_DOFFIN_SUBSCRIPTION_KEY") as raised:
            fetch_all(wrong)
    assert len(doffin.keys_seen) == 1
    assert "wrong-key" not in str(raised.value) and "wrong-key" not in repr(wrong)


@pytest.fixture
def doffin_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDoffin]:
    """`innomatch notices fetch` against the imitation, with fast retries."""
    with running_doffin(FakeDoffin(published([2, 1, 0, 0, 0, 0, 3]), reachable=4)) as doffin:
        monkeypatch.setenv("INNOMATCH_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("INNOMATCH_DOFFIN_BASE_URL", doffin.base_url)
        monkeypatch.setenv("INNOMATCH_DOFFIN_SUBSCRIPTION_KEY", SUBSCRIPTION_KEY)
        monkeypatch.setenv("INNOMATCH_DOFFIN_PAGE_SIZE", "2")
        get_settings.cache_clear()
        yield doffin
    get_settings.cache_clear()


def test_the_command_saves_the_notices_and_never_prints_the_key(
    doffin_environment: FakeDoffin, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    doffin_environment.fail_next(Failure(429, retry_after="0"))  # a retry, and its log line
    target = tmp_path / "fetched"
    with caplog.at_level(logging.DEBUG):
        result = CliRunner().invoke(
            app,
            [
                "notices",
                "fetch",
                "--since",
                "2026-03-02",
                "--until",
                "2026-03-08",
                "--save-to",
                str(target),
                "--no-import",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "6 notices issued 2026-03-02..2026-03-08 fetched" in result.output
    saved = sorted(path.name for path in target.iterdir())
    assert saved == sorted(f"{n.notice_id}.xml" for n in doffin_environment.notices)
    for notice in doffin_environment.notices:
        assert (target / f"{notice.notice_id}.xml").read_bytes() == (SAMPLES / notice.sample).read_bytes()
    assert set(doffin_environment.keys_seen) == {SUBSCRIPTION_KEY}
    assert "trying again" in caplog.text
    assert SUBSCRIPTION_KEY not in result.output + caplog.text


def test_the_command_passes_each_cpv_option(doffin_environment: FakeDoffin, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["notices", "fetch", "--since", "2026-03-02", "--until", "2026-03-08", "--cpv", "72000000",
         "--cpv", "77310000-7", "--save-to", str(tmp_path), "--no-import"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {tuple(s["cpvCode"]) for s in doffin_environment.searches} == {("72000000", "77310000")}


def test_the_command_without_a_key_says_which_setting(
    doffin_environment: FakeDoffin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INNOMATCH_DOFFIN_SUBSCRIPTION_KEY")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["notices", "fetch", "--since", "2026-03-02", "--no-import"])
    assert result.exit_code == 1
    assert "INNOMATCH_DOFFIN_SUBSCRIPTION_KEY" in result.output
    assert doffin_environment.keys_seen == []


def test_the_command_refuses_a_bad_date_and_a_bad_cpv_code(doffin_environment: FakeDoffin) -> None:
    bad_date = CliRunner().invoke(app, ["notices", "fetch", "--since", "2026-13-01", "--no-import"])
    assert bad_date.exit_code == 2 and "--since" in bad_date.output
    bad_cpv = CliRunner().invoke(
        app, ["notices", "fetch", "--since", "2026-03-01", "--cpv", "7231", "--no-import"]
    )
    assert bad_cpv.exit_code == 2 and "--cpv" in bad_cpv.output
    backwards = CliRunner().invoke(
        app, ["notices", "fetch", "--since", "2026-03-08", "--until", "2026-03-02", "--no-import"]
    )
    assert backwards.exit_code == 2 and "--until" in backwards.output
    assert doffin_environment.keys_seen == []


def test_the_command_without_an_importer_says_so_after_saving(
    doffin_environment: FakeDoffin, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app,
        ["notices", "fetch", "--since", "2026-03-02", "--until", "2026-03-03", "--save-to", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "no notice importer" in result.output
    assert len(list(tmp_path.glob("*.xml"))) == 3
