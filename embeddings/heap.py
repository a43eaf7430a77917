"""Handing freed heap back to the operating system after a big structure is replaced (glibc only)."""

import ctypes


def _load_glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        return libc
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


_GLIBC = _load_glibc()


def return_freed_memory() -> None:
    """Return the heap pages freed so far to the OS.

    glibc keeps freed blocks resident for reuse. After re-listing the vector index or building BM25
    that is a lot of memory, which stayed until later allocations happened to reuse it (figures:
    docs/ann-index.md and docs/lexical-index.md).
    """
    if _GLIBC is not None:
        _GLIBC.malloc_trim(0)
