"""A real uvicorn server for the app, on a free loopback port, in a thread of the test process."""

import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from embeddings import Encoder
from service.app import create_app
from service.config import Settings

ADMIN_TOKEN = "test-admin-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveServer:
    base_url: str
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, *, token: str | None = ADMIN_TOKEN) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def uvicorn_in_thread(
    app: FastAPI, *, port: int | None = None
) -> tuple[uvicorn.Server, threading.Thread, int]:
    """`app` served in a thread, on `port` or a free one; the server, its thread and the port."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return server, thread, port


def start_server(settings: Settings, encoder: Encoder, *, port: int | None = None) -> LiveServer:
    """The app on `port` (one chosen beforehand, when the settings must name it) or a free one."""
    server, thread, port = uvicorn_in_thread(create_app(settings, encoder=encoder), port=port)
    return LiveServer(base_url=f"http://127.0.0.1:{port}", server=server, thread=thread)


def server_on_copy(template: Path, directory: Path, encoder: Encoder) -> tuple[LiveServer, str]:
    """A live server on a copy of a seeded SQLite file in `directory`, and its database URL."""
    shutil.copy(template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    return start_server(settings, encoder), url
