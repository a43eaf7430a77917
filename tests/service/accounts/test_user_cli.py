"""`innomatch user ...` against a real SQLite file: the invitation link, and refusals that say why."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.config import get_settings

LINK = re.compile(r"^https://innomatch\.example\.no/invite/([\w-]{43})$", re.MULTILINE)


def _unboxed(output: str) -> str:
    """The output without the frame typer draws around an error, on one line."""
    return re.sub(r"[│╭╮╰╯─\s]+", " ", output)


@pytest.fixture
def runner(tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    shutil.copy(sqlite_template, tmp_path / "innomatch.sqlite3")
    monkeypatch.setenv("INNOMATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INNOMATCH_PUBLIC_BASE_URL", "https://innomatch.example.no/")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_user_add_prints_a_one_time_link_and_the_other_commands_follow(runner: CliRunner) -> None:
    officer = ["--name", "Kari Nordmann", "--role", "officer", "--municipality", "0301"]
    added = runner.invoke(app, ["user", "add", "Kari@Oslo.Kommune.no", *officer])
    assert added.exit_code == 0, added.output
    assert "kari@oslo.kommune.no" in added.output and "valid 72 hours and once" in added.output
    [first] = LINK.findall(added.output)
    again = runner.invoke(app, ["user", "invite", "kari@oslo.kommune.no"])
    assert again.exit_code == 0, again.output
    [second] = LINK.findall(again.output)
    assert second != first
    listed = runner.invoke(app, ["user", "list"])
    assert "officer\t0301\tkari@oslo.kommune.no\tKari Nordmann\tinvited" in listed.output
    revoked = runner.invoke(app, ["user", "revoke-sessions", "kari@oslo.kommune.no"])
    assert revoked.exit_code == 0 and "0 sessions ended" in revoked.output
    disabled = runner.invoke(app, ["user", "disable", "kari@oslo.kommune.no"])
    assert disabled.exit_code == 0 and "disabled: 0 sessions ended, 0 tokens revoked" in disabled.output
    assert "\tdisabled " in runner.invoke(app, ["user", "list"]).output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["x@example.no", "--name", "X", "--role", "officer"],
            "an officer account needs the officer's municipality_number",
        ),
        (
            ["x@example.no", "--name", "X", "--role", "staff", "--supplier", "1"],
            "only supplier accounts are bound to a supplier",
        ),
        (
            ["x@example.no", "--name", "X", "--role", "officer", "--municipality", "9999"],
            "unknown municipality number '9999'",
        ),
        (
            ["x@example.no", "--name", "X", "--role", "supplier", "--supplier", "4242"],
            "supplier 4242 does not exist",
        ),
        (["not-an-address", "--name", "X", "--role", "staff"], "email: value is not a valid email address"),
        (
            ["x@example.no", "--name", "X", "--role", "mayor"],
            "role: Input should be 'admin', 'staff', 'officer' or 'supplier'",
        ),
    ],
)
def test_a_wrong_user_is_refused_and_nothing_stored(
    runner: CliRunner, arguments: list[str], message: str
) -> None:
    refused = runner.invoke(app, ["user", "add", *arguments])
    assert refused.exit_code != 0
    assert message in _unboxed(refused.output)
    assert runner.invoke(app, ["user", "list"]).output == ""


def test_an_address_taken_is_refused(runner: CliRunner) -> None:
    staff = ["--name", "Ola", "--role", "staff"]
    assert runner.invoke(app, ["user", "add", "ola@ks.no", *staff]).exit_code == 0
    taken = runner.invoke(app, ["user", "add", "OLA@ks.no", *staff])
    assert taken.exit_code != 0 and "exists already" in taken.output
