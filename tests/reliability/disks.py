"""Index directories that cannot take a snapshot: a tiny real tmpfs, or a simulated full disk."""

import builtins
import errno
import os
import subprocess
from pathlib import Path
from typing import IO, Any


def mount_tmpfs(mount_point: Path, size_bytes: int) -> None:
    """A real filesystem of `size_bytes` at `mount_point`: writes beyond fail with ENOSPC. Needs root;
    PermissionError when it cannot be mounted."""
    mount_point.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        raise PermissionError("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        raise PermissionError(f"cannot mount a tmpfs: {mounted.stderr.strip()}")


def unmount(mount_point: Path) -> None:
    subprocess.run(["umount", str(mount_point)], check=True)


class SimulatedFullDisk:
    """Stands in for `open` in embeddings.snapshot: files written under `root` fail with ENOSPC once the
    files there would hold more than `capacity` bytes, after writing what fits, as a full disk does."""

    def __init__(self, root: Path, capacity: int) -> None:
        self.root = root
        self.capacity = capacity

    def used(self) -> int:
        return sum(path.stat().st_size for path in self.root.rglob("*") if path.is_file())

    def open(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        handle: IO[Any] = builtins.open(file, mode, *args, **kwargs)  # noqa: SIM115 (returned open, as open does)
        if "w" in mode and Path(file).resolve().is_relative_to(self.root.resolve()):
            return _Limited(handle, self)  # type: ignore[return-value]  # duck-typed file
        return handle


class _Limited:
    """A file whose writes stop at the disk's capacity."""

    def __init__(self, handle: IO[Any], disk: SimulatedFullDisk) -> None:
        self._handle = handle
        self._disk = disk

    def write(self, data: Any) -> int:
        self._handle.flush()  # so that the sizes on disk are current
        room = self._disk.capacity - self._disk.used()
        if len(data) > room:
            self._handle.write(data[: max(room, 0)])
            self._handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written: int = self._handle.write(data)
        return written

    def __enter__(self) -> "_Limited":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)
