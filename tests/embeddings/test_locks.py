"""ReadWriteLock: shared readers, exclusive writers, writers not starved."""

from __future__ import annotations

import threading
import time

import pytest

from embeddings import ReadWriteLock


def test_readers_hold_the_lock_together() -> None:
    lock = ReadWriteLock()
    inside = threading.Barrier(3, timeout=5)

    def read() -> None:
        with lock.read():
            inside.wait()  # only passes if all three readers are inside at once

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert not inside.broken


def test_writer_excludes_readers_and_writers() -> None:
    lock = ReadWriteLock()
    events: list[str] = []
    writer_inside = threading.Event()

    def write() -> None:
        with lock.write():
            writer_inside.set()
            events.append("write start")
            time.sleep(0.1)
            events.append("write end")

    def read() -> None:
        writer_inside.wait(5)
        with lock.read():
            events.append("read")

    def second_write() -> None:
        writer_inside.wait(5)
        with lock.write():
            events.append("write 2")

    threads = [threading.Thread(target=f) for f in (write, read, second_write)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert events[:2] == ["write start", "write end"]
    assert sorted(events[2:]) == ["read", "write 2"]


def test_waiting_writer_goes_before_new_readers() -> None:
    lock = ReadWriteLock()
    order: list[str] = []
    lock.acquire_read()

    def write() -> None:
        with lock.write():
            order.append("writer")

    def read() -> None:
        with lock.read():
            order.append("reader")

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.05)  # let the writer start waiting behind the held read
    late_reader = threading.Thread(target=read)
    late_reader.start()
    time.sleep(0.05)
    assert order == []  # the late reader queues behind the writer instead of joining the held read

    lock.release_read()
    writer.join(timeout=5)
    late_reader.join(timeout=5)
    assert order == ["writer", "reader"]


def test_release_without_acquire_is_an_error() -> None:
    lock = ReadWriteLock()
    with pytest.raises(RuntimeError):
        lock.release_read()
    with pytest.raises(RuntimeError):
        lock.release_write()
