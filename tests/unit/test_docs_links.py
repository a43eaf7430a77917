"""Every link in the README and the docs leads to a file of the repository, and an anchor to its heading."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "BENCHMARKS.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def _broken_links(document: Path) -> list[str]:
    broken = []
    for target in LINK.findall(FENCE.sub("", document.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue  # an address on the web or a mail link, not a file
        file_part, _, anchor = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.is_relative_to(ROOT) or not linked.exists():
            broken.append(f"{document.name}: {target} (no such file in the repository)")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{document.name}: {target} (no such heading)")
    return broken


def test_links_lead_inside_the_repository() -> None:
    assert [problem for document in DOCUMENTS for problem in _broken_links(document)] == []


def test_the_link_check_sees_a_link_out_of_the_clone(tmp_path: Path) -> None:
    document = ROOT / "docs" / "architecture.md"
    outside = tmp_path / "x.md"
    outside.write_text("[guide](../shared/docs/ARCHITECTURE.md) [here](architecture.md#no-such-heading)\n")
    assert len(_broken_links(outside)) == 2
    assert _slug("Several workers on one machine") == "several-workers-on-one-machine"
    assert _broken_links(document) == []
