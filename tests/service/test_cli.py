"""The `innomatch` command: seed and reindex against a real SQLite file."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app

pytestmark = pytest.mark.slow


def test_seed_without_demo_then_reindex(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(sqlite_template, tmp_path / "innomatch.sqlite3")
    monkeypatch.setenv("INNOMATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INNOMATCH_SEED", "none")
    from service.config import get_settings

    get_settings.cache_clear()
    runner = CliRunner()
    seeded = runner.invoke(app, ["seed"])
    assert seeded.exit_code == 0, seeded.output
    assert "updated nothing" in seeded.output  # the template already holds the catalogues
    reindexed = runner.invoke(app, ["reindex"])
    assert reindexed.exit_code == 0, reindexed.output
    assert "need index: 0 vectors" in reindexed.output
    assert (tmp_path / "index" / "solution" / "manifest.json").exists()
    get_settings.cache_clear()
