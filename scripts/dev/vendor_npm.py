"""Vendor files of an npm package into service/web/static/vendor/<name>-<version>/ (run once; the
output is committed), so that the app serves them itself: the machine that runs it may have no internet.

    python scripts/dev/vendor_npm.py swagger-ui-dist 5.36.0 swagger-ui-bundle.js swagger-ui.css favicon-32x32.png
    python scripts/dev/vendor_npm.py redoc 2.5.4 bundles/redoc.standalone.js

`npm pack` fetches the tarball from the registry npm is set up with and checks its integrity. The
package's licence files come along (LICENSE, NOTICE, and a bundle's `<file>.LICENSE.txt` with the
notices of what it bundles). VENDORED.md records the package, its licence, the tarball's sha256 and
each file's sha256; tests/unit/web/test_vendored.py holds the files to it.
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parents[2] / "service" / "web" / "static" / "vendor"
LICENCE_FILES = ("LICENSE", "LICENSE.md", "LICENCE", "NOTICE")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def web_address(repository: str) -> str:
    """`git+https://…`, `git://…` or `git@host:owner/name.git` as the https address of the repository."""
    address = repository.removeprefix("git+").removesuffix(".git")
    if address.startswith("git@"):
        address = "https://" + address.removeprefix("git@").replace(":", "/", 1)
    return re.sub(r"^(git|ssh)://", "https://", address)


def pack(name: str, version: str, directory: Path) -> tuple[Path, str]:
    """The package's tarball in `directory`, and npm's integrity string for it."""
    output = subprocess.run(
        ["npm", "pack", "--json", f"{name}@{version}"],
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    [packed] = json.loads(output)
    return directory / packed["filename"], packed["integrity"]


def vendor(name: str, version: str, files: list[str]) -> Path:
    target = VENDOR_DIR / f"{name.replace('/', '-').lstrip('@')}-{version}"
    with tempfile.TemporaryDirectory() as scratch:
        tarball, integrity = pack(name, version, Path(scratch))
        with tarfile.open(tarball) as archive:
            archive.extractall(scratch, filter="data")
        package = Path(scratch) / "package"
        manifest = json.loads((package / "package.json").read_text())
        wanted = [*files, *(f"{file}.LICENSE.txt" for file in files)]
        wanted += [licence for licence in LICENCE_FILES if (package / licence).is_file()]
        present = [file for file in wanted if (package / file).is_file()]
        if missing := sorted(set(files) - set(present)):
            raise SystemExit(f"{name}@{version} has no {', '.join(missing)}")
        if not any(file in LICENCE_FILES for file in present):
            raise SystemExit(f"{name}@{version} ships no licence file: vendor it by hand, with its licence")
        if target.exists():
            shutil.rmtree(target)
        for file in present:
            (target / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(package / file, target / file)
        repository = manifest.get("repository", {})
        upstream = web_address(repository.get("url", "") if isinstance(repository, dict) else repository)
        lines = [
            f"# {name} {version}",
            "",
            f"Vendored by `scripts/dev/vendor_npm.py {name} {version} {' '.join(files)}`.",
            "The app serves these files itself, so that its pages work without internet. They are byte for",
            "byte as in the package.",
            "",
            f"- Package: `{name}` version {version} from the npm registry (`npm pack {name}@{version}`)",
            f"- Upstream: {upstream}",
            f"- Licence: {manifest.get('license', 'see LICENSE')} (the licence files below)",
            f"- Tarball: `{tarball.name}`, sha256 `{sha256(tarball)}`",
            f"- npm integrity: `{integrity}`",
            "",
            "| file | sha256 |",
            "| --- | --- |",
            *(f"| {file} | {sha256(target / file)} |" for file in present),
            "",
        ]
        (target / "VENDORED.md").write_text("\n".join(lines))
    return target


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    print(vendor(sys.argv[1], sys.argv[2], sys.argv[3:]))
