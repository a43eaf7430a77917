"""Each vendored package is as its VENDORED.md says: every file listed with its sha256, nothing
unlisted, and a licence beside it."""

import hashlib
import re
from pathlib import Path

import pytest

from service.web.assets import (
    DESIGNSYSTEMET,
    HTMX,
    INTER,
    NEED_FORM_SCRIPT,
    REDOC,
    STATIC_DIR,
    STATIC_URL,
    SWAGGER_UI,
)

VENDOR_DIR = STATIC_DIR / "vendor"
PACKAGES = sorted(path for path in VENDOR_DIR.iterdir() if path.is_dir())


def _listed(package: Path) -> dict[str, str]:
    rows = re.findall(r"^\| (\S+) \| ([0-9a-f]{64}) \|$", (package / "VENDORED.md").read_text(), re.M)
    return dict(rows)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda path: path.name)
def test_a_vendored_package_holds_exactly_the_files_its_record_lists(package: Path) -> None:
    listed = _listed(package)
    present = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.is_file() and path.name != "VENDORED.md"
    }
    assert present == set(listed)
    assert {"LICENSE", "LICENCE", "LICENSE.md"} & present
    for name, digest in listed.items():
        assert hashlib.sha256((package / name).read_bytes()).hexdigest() == digest, name


def test_the_pages_refer_to_vendored_packages_that_exist() -> None:
    for url in (SWAGGER_UI, REDOC, DESIGNSYSTEMET, INTER):
        assert (STATIC_DIR / url.removeprefix(f"{STATIC_URL}/")).is_dir(), url


def test_the_need_form_refers_to_scripts_that_exist() -> None:
    for url in (HTMX, NEED_FORM_SCRIPT):
        assert (STATIC_DIR / url.removeprefix(f"{STATIC_URL}/")).is_file(), url
