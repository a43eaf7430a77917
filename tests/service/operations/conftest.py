"""Operations tests run on the embedded default: a SQLite file in a data directory, and the `innomatch` CLI."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from service.cli import app
from service.config import Settings, get_settings

Cli = Callable[..., Result]


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """Replaces the shared fixture: backup and restore are about the SQLite file (PostgreSQL has pg_dump)."""
    target = tmp_path / "innomatch.sqlite3"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


def cli_for(settings: Settings) -> Cli:
    """Runs `innomatch ARGS` with the environment that gives the CLI these settings."""
    environment = {
        "INNOMATCH_DATA_DIR": str(settings.data_dir),
        "INNOMATCH_DATABASE_URL": settings.resolved_database_url,
        "INNOMATCH_ADMIN_TOKEN": settings.admin_token,
    }

    def run(*args: str) -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, list(args), env=environment)
        finally:
            get_settings.cache_clear()

    return run


@pytest.fixture
def cli(settings: Settings) -> Iterator[Cli]:
    yield cli_for(settings)
    get_settings.cache_clear()
