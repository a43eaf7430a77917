"""The notice documents a command is given: files as named, and the *.xml files of folders, sorted."""

from collections.abc import Iterator, Sequence
from pathlib import Path

# What one upload (the API's or the page's) takes: one eForms notice is at most MAX_NOTICE_BYTES (the
# largest examples are a few hundred KiB), and at most MAX_NOTICE_FILES of them at once.
MAX_NOTICE_BYTES = 5 * 1024 * 1024
MAX_NOTICE_FILES = 100


def notice_files(paths: Sequence[Path]) -> list[Path]:
    """Each path given that is a file, and the *.xml files under each folder given, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(file for file in path.rglob("*.xml") if file.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return found


def read_documents(files: Sequence[Path]) -> Iterator[tuple[str, bytes]]:
    """(name, content) of each file, read as it is imported rather than all at once."""
    for file in files:
        yield str(file), file.read_bytes()
