"""`innomatch notices import`: files and folders, one line per file, exit code 1 when a file was refused."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from service.cli import app
from service.db import make_engine
from service.models import ProcurementNotice
from tests.service.notices.conftest import SAMPLES

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir(tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copy(sqlite_template, tmp_path / "innomatch.sqlite3")
    monkeypatch.setenv("INNOMATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INNOMATCH_SEED", "none")
    from service.config import get_settings

    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _stored(data_dir: Path) -> int:
    engine = make_engine(f"sqlite:///{data_dir / 'innomatch.sqlite3'}")
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(ProcurementNotice)) or 0
    engine.dispose()
    return count


def test_a_folder_keeps_the_good_files_and_exits_1_for_the_refused(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for name in ("INVALID_cn_24_empty.xml", "cn_24_minimal.xml", "veat_24.xml"):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "README.md").write_text("not a notice")  # only *.xml files are read
    result = CliRunner().invoke(app, ["notices", "import", str(folder)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines[:3]] == ["refused", "imported", "imported"]
    assert (
        "notice_id" in lines[0]
        and lines[3] == "3 documents: 2 imported, 0 updated, 0 voided, 0 unchanged, 1 refused"
    )
    assert _stored(data_dir) == 2

    again = CliRunner().invoke(app, ["notices", "import", str(folder / "cn_24_minimal.xml")])
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output and _stored(data_dir) == 2
    missing = CliRunner().invoke(app, ["notices", "import", str(folder / "nothing.xml")])
    assert missing.exit_code == 2 and "no such file" in missing.output
