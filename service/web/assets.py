"""Static files the app serves itself (its own and vendored ones): the machine may have no internet.

Vendored packages live in static/vendor/<package>-<version>/ with their licence and a VENDORED.md
(scripts/dev/vendor_npm.py writes both). ReDoc stays on 2.x, the version FastAPI's ReDoc page is made
for: 3.x is an ES module and reports telemetry to its maker.
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"
STATIC_URL = "/static"
FAVICON = f"{STATIC_URL}/favicon.svg"
SWAGGER_UI = f"{STATIC_URL}/vendor/swagger-ui-dist-5.36.0"
SWAGGER_UI_INIT = f"{STATIC_URL}/docs/swagger-ui-init.js"
REDOC = f"{STATIC_URL}/vendor/redoc-2.5.4"


def mount_static(app: FastAPI) -> None:
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="static")
