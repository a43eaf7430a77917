"""A readers–writer lock: many concurrent readers or one writer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers so it is not starved.

    Not reentrant: a thread holding the lock must not acquire it again (a nested read while a
    writer waits would deadlock).
    """

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._active_readers = 0
        self._writer_active = False
        self._waiting_writers = 0

    def acquire_read(self) -> None:
        """Block until no writer holds or waits for the lock, then join the readers."""
        with self._condition:
            while self._writer_active or self._waiting_writers:
                self._condition.wait()
            self._active_readers += 1

    def release_read(self) -> None:
        """Leave the readers; wake a waiting writer when the last one leaves."""
        with self._condition:
            if self._active_readers == 0:
                raise RuntimeError("release_read() without a matching acquire_read()")
            self._active_readers -= 1
            if self._active_readers == 0:
                self._condition.notify_all()

    def acquire_write(self) -> None:
        """Block until no reader or writer holds the lock, then hold it alone."""
        with self._condition:
            self._waiting_writers += 1
            try:
                while self._writer_active or self._active_readers:
                    self._condition.wait()
            except BaseException:
                # Interrupted while waiting: readers held back for us must be let through.
                self._waiting_writers -= 1
                self._condition.notify_all()
                raise
            self._waiting_writers -= 1
            self._writer_active = True

    def release_write(self) -> None:
        """Release exclusive hold and wake everyone waiting."""
        with self._condition:
            if not self._writer_active:
                raise RuntimeError("release_write() without a matching acquire_write()")
            self._writer_active = False
            self._condition.notify_all()

    @contextmanager
    def read(self) -> Iterator[None]:
        """Hold the lock shared for the duration of a with-block."""
        self.acquire_read()
        try:
            yield
        finally:
            self.release_read()

    @contextmanager
    def write(self) -> Iterator[None]:
        """Hold the lock exclusively for the duration of a with-block."""
        self.acquire_write()
        try:
            yield
        finally:
            self.release_write()
