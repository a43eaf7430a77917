"""A background thread that keeps this process's indexes following the database's change log.

A write applies its own change before it answers; writes made through *other* processes reach this
process's indexes only through this thread, which calls `catch_up()` every `interval` seconds.
"""

import logging
import threading

from service.indexing.indexes import Indexes

log = logging.getLogger(__name__)


class IndexFollower:
    """Calls `indexes.catch_up()` every `interval` seconds from `start()` until `stop()`."""

    def __init__(self, indexes: Indexes, interval: float) -> None:
        if interval <= 0:
            raise ValueError("the follow interval must be positive")
        self._indexes = indexes
        self._interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-follower", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30) -> None:
        """Stop after the catch-up under way, if any; waits for it so the shutdown snapshot comes after."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        failing = False
        while not self._stopping.wait(self._interval):
            try:
                self._indexes.catch_up()
            except Exception as error:  # a database outage must not end following; the next tick retries
                if not failing:
                    log.warning(
                        "index follower cannot catch up (retrying every %ss): %s", self._interval, error
                    )
                failing = True
                continue
            if failing:
                log.warning("index follower caught up again")
            failing = False
