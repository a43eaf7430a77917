"""Static files the app serves itself (its own and vendored ones): the machine may have no internet.

Vendored packages live in static/vendor/<package>-<version>/ with their licence and a VENDORED.md
(scripts/dev/vendor_npm.py writes both). ReDoc stays on 2.x, the version FastAPI's ReDoc page is made
for: 3.x is an ES module and reports telemetry to its maker.

The pages are styled with Designsystemet (Digdir's design system for Norwegian public services):
@digdir/designsystemet-css, its components and the default theme it ships under dist/theme. The separate
@digdir/designsystemet-theme package is deprecated by its makers in favour of that theme, and lags the
components by several token versions, so it is not vendored. The theme asks for the Inter typeface:
@fontsource-variable/inter (SIL OFL 1.1), its Latin and Latin Extended files (Sami letters are in the
latter), declared in static/css/fonts.css.

htmx 2.x (htmx.org, 0BSD) sends the need form's text to the page's live check and swaps the answer in;
2.x because 4.x changes its attributes and was a fresh major release when it was chosen. Its settings
are a meta tag in the page (no inline script, no eval, no inline indicator styles), so it runs under the
Content-Security-Policy unchanged.
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
DESIGNSYSTEMET = f"{STATIC_URL}/vendor/digdir-designsystemet-css-1.22.0/dist"
INTER = f"{STATIC_URL}/vendor/fontsource-variable-inter-5.3.0/files"
# htmx runs the need form's live check (its only script besides our own static/js/need-form.js).
HTMX = f"{STATIC_URL}/vendor/htmx.org-2.0.11/dist/htmx.min.js"
NEED_FORM_SCRIPT = f"{STATIC_URL}/js/need-form.js"
# Every page's stylesheets, in this order: Designsystemet's theme (tokens) and components, the typeface,
# then ours (static/css/innomatch.css, a layer after Designsystemet's).
STYLESHEETS = (
    f"{DESIGNSYSTEMET}/theme/designsystemet.css",
    f"{DESIGNSYSTEMET}/src/index.css",
    f"{STATIC_URL}/css/fonts.css",
    f"{STATIC_URL}/css/innomatch.css",
)


def mount_static(app: FastAPI) -> None:
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="static")
