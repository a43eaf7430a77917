"""When failed sign-ins lock an account or an address, and when the lock lifts."""

from datetime import UTC, datetime, timedelta

from service.accounts.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT, Limit, account_key, locked_until

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_five_failures_in_fifteen_minutes_lock_an_account() -> None:
    assert Limit(failures=5, window=timedelta(minutes=15)) == ACCOUNT_LIMIT
    assert ADDRESS_LIMIT.failures > ACCOUNT_LIMIT.failures  # an office shares one address


def test_four_failures_do_not_lock() -> None:
    assert locked_until([NOW - n * MINUTE for n in range(4)], NOW, ACCOUNT_LIMIT) is None


def test_the_fifth_locks_until_the_oldest_of_the_five_leaves_the_window() -> None:
    failures = [NOW - n * MINUTE for n in range(5)]  # 12:00, 11:59, ... 11:56
    assert locked_until(failures, NOW, ACCOUNT_LIMIT) == NOW - 4 * MINUTE + ACCOUNT_LIMIT.window
    lifted = NOW - 4 * MINUTE + ACCOUNT_LIMIT.window
    assert locked_until(failures, lifted - timedelta(seconds=1), ACCOUNT_LIMIT) is not None
    assert locked_until(failures, lifted, ACCOUNT_LIMIT) is None


def test_failures_older_than_the_window_do_not_count() -> None:
    old = [NOW - 20 * MINUTE - n * MINUTE for n in range(10)]
    assert locked_until([*old, NOW], NOW, ACCOUNT_LIMIT) is None


def test_with_more_failures_the_lock_lasts_from_the_fifth_newest() -> None:
    failures = [NOW - n * MINUTE for n in range(8)]
    assert locked_until(failures, NOW, ACCOUNT_LIMIT) == NOW - 4 * MINUTE + ACCOUNT_LIMIT.window


def test_the_account_key_is_the_address_however_it_was_typed() -> None:
    assert account_key(" Kari.Nordmann@Oslo.Kommune.NO ") == account_key("kari.nordmann@oslo.kommune.no")
    assert account_key("kari@oslo.kommune.no") != account_key("ola@oslo.kommune.no")
    assert "kari" not in account_key("kari@oslo.kommune.no")  # a hash, not the text typed
