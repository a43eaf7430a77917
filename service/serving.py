"""Serving with several worker processes that share one start-up: gunicorn forks them after it.

One process holds the GIL for every request it serves, so on N cores one process uses about one; N
workers use them all. Each worker forked from a process that has already loaded the encoder and the
indexes shares those pages with it (copy-on-write) instead of loading its own copy, which at a million
solutions is most of the service's memory (docs/scale-out.md, "Several workers on one machine"). After
the fork every worker follows the database's change log like any other process on the same database
(service/indexing/follower.py).
"""

import logging
import socket
from typing import Any

from fastapi import FastAPI
from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.config import Config

# Long enough for a worker's shutdown to save its index snapshots at a million solutions.
GRACEFUL_SHUTDOWN_SECONDS = 120


class _RootLogging(glogging.Logger):
    """gunicorn's records (and, through the worker, uvicorn's) go to the handlers configure_logging set."""

    def setup(self, cfg: Config) -> None:
        root = logging.getLogger()
        self.error_log.handlers = list(root.handlers)
        self.error_log.setLevel(root.level)
        self.error_log.propagate = False
        # Our request log (service/operations/middleware.py) replaces the access log, which would print
        # raw paths and query strings.
        self.access_log.handlers = []
        self.access_log.setLevel(logging.CRITICAL)
        self.access_log.propagate = False


class _LoadedApplication(BaseApplication):
    """gunicorn serving an application object that already exists, with options given here only."""

    def __init__(self, app: FastAPI, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> FastAPI:
        return self._app


def ensure_port_free(host: str, port: int) -> None:
    """Refuse a port something already listens on. With `reuse_port` a second service started on the
    same port would not fail: it would silently take half of the first one's connections."""
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    # SO_REUSEADDR, so that connections of a service just stopped (TIME_WAIT) do not count; a socket
    # still listening there does, and without SO_REUSEPORT the bind fails beside it.
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host, port))
    except OSError as error:
        raise SystemExit(f"cannot serve on {host}:{port}: {error.strerror}") from error
    finally:
        probe.close()


def serve_in_workers(app: FastAPI, *, host: str, port: int, workers: int) -> None:
    """Serve `app` (created with `open_now=True`) from `workers` forked processes until SIGTERM (or
    Ctrl+C, which reaches every worker; SIGINT to this process alone waits out the graceful timeout)."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "uvicorn_worker.UvicornWorker",
        "preload_app": True,
        # Each worker listens on a socket of its own and the kernel spreads new connections over them.
        # On one shared socket the worker that woke first took them all (docs/scale-out.md).
        "reuse_port": True,
        "graceful_timeout": GRACEFUL_SHUTDOWN_SECONDS,
        "logger_class": _RootLogging,
    }
    _LoadedApplication(app, options).run()
