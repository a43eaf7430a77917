"""Logs of `innomatch serve`: JSON lines with the request fields, and never a token, a query string or a body."""

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from service.operations.logs import MASK, JsonFormatter, TextFormatter
from tests.support.servers import ADMIN_TOKEN, free_port

pytestmark = pytest.mark.slow


def _serve(data_dir: Path, port: int, log_file: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "INNOMATCH_DATA_DIR": str(data_dir),
        "INNOMATCH_DATABASE_URL": f"sqlite:///{data_dir / 'innomatch.sqlite3'}",
        "INNOMATCH_ADMIN_TOKEN": ADMIN_TOKEN,
        "INNOMATCH_LOG_LEVEL": "INFO",
        "INNOMATCH_LOG_FORMAT": "json",
    }
    with log_file.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "service", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("server process did not come up:\n" + log_file.read_text())
        time.sleep(0.1)


def test_serve_writes_json_lines_without_credentials_or_bodies(tmp_path: Path, sqlite_template: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(sqlite_template, data_dir / "innomatch.sqlite3")
    log_file = tmp_path / "serve.log"
    port = free_port()
    wrong_token = f"wrong-{uuid.uuid4().hex}"
    query_secret = f"query-{uuid.uuid4().hex}"
    body_marker = f"Body {uuid.uuid4().hex}"
    process = _serve(data_dir, port, log_file)
    try:
        base_url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as api:
            created = api.post("/api/v1/needs", json={"title": body_marker, "description": body_marker})
            assert created.status_code == 201, created.text
            assert api.get(f"/api/v1/needs/{created.json()['id']}").status_code == 200
            assert api.get("/api/v1/needs", params={"token": query_secret}).status_code == 200
        refused = httpx.post(
            f"{base_url}/api/v1/needs",
            json={"title": body_marker, "description": body_marker},
            headers={"Authorization": f"Bearer {wrong_token}"},
        )
        assert refused.status_code == 401
    finally:
        process.send_signal(signal.SIGINT)  # a graceful stop, whose lines are checked too
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    output = log_file.read_text()
    for secret in (ADMIN_TOKEN, wrong_token, query_secret, body_marker):
        assert secret not in output
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    assert any(line["logger"].startswith("uvicorn") for line in lines)  # the server's own lines are JSON too
    requests = [line for line in lines if line["logger"] == "innomatch.requests"]
    by_route = {(line["method"], line["route"], line["status"]): line for line in requests}
    written = by_route[("POST", "/api/v1/needs", 201)]
    assert written["actor"] == "admin"
    assert isinstance(written["duration_ms"], float)
    assert ("GET", "/api/v1/needs/{need_id}", 200) in by_route
    assert ("GET", "/api/v1/needs", 200) in by_route
    assert ("POST", "/api/v1/needs", 401) in by_route
    assert ("GET", "/health", 200) in by_route


def _record(message: str, *args: object, exc_info: bool = False) -> logging.LogRecord:
    record = logging.makeLogRecord(
        {"name": "innomatch.test", "levelname": "ERROR", "msg": message, "args": args}
    )
    if exc_info:
        try:
            raise RuntimeError("upstream said: Authorization: Bearer leaked-in-exception")
        except RuntimeError:
            record.exc_info = sys.exc_info()
    return record


def test_credentials_in_messages_and_exceptions_are_masked() -> None:
    record = _record(
        "calling %s with token=%s as Bearer %s",
        "postgresql://innomatch:db-password@db/innomatch",
        "query-token",
        "header-token",
        exc_info=True,
    )
    record.route = "/api/v1/needs"  # as `extra=` sets it
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    for secret in ("db-password", "query-token", "header-token", "leaked-in-exception"):
        assert secret not in line
    assert MASK in entry["message"] and MASK in entry["exception"]
    assert entry["route"] == "/api/v1/needs"
    assert entry["level"] == "ERROR" and entry["logger"] == "innomatch.test"
    text = TextFormatter().format(_record("Authorization: Bearer text-token"))
    assert "text-token" not in text and MASK in text
