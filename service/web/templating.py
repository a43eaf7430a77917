"""The pages' Jinja2 environment: autoescape on, so every value is escaped, and the i18n extension with
newstyle gettext (`{{ _("Showing %(count)s needs", count=n) }}` formats and escapes its values), whose
words come from the reader's catalogue (service/web/i18n.py)."""

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates

from service.cpv_divisions import cpv_divisions, division_of
from service.web.assets import FAVICON, HTMX, NEED_FORM_SCRIPT, STYLESHEETS
from service.web.i18n import PageLocale, template_context
from service.web.warning_texts import warning_text


def _page(context: Any) -> PageLocale:
    """The locale the context processor put in (templates.TemplateResponse); a template imported
    without context has none, and would silently speak the default language: refused."""
    page = context.get("page")
    if not isinstance(page, PageLocale):
        raise RuntimeError("a template was rendered without the reader's locale: import it 'with context'")
    return page


@jinja2.pass_context
def _gettext(context: Any, message: str) -> str:
    return _page(context).gettext(message)


@jinja2.pass_context
def _ngettext(context: Any, singular: str, plural: str, count: int) -> str:
    return _page(context).ngettext(singular, plural, count)


def signed_in_person(request: Request) -> object:
    """The person signed in with the request's session cookie, once service.auth has looked (the
    header's "Profile" and "Sign out"); None on a page that did not ask who is calling."""
    return getattr(request.state, "signed_in", None)


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=jinja2.select_autoescape(),
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True)  # type: ignore[attr-defined]
    environment.globals |= {
        "favicon": FAVICON,
        "stylesheets": STYLESHEETS,
        "htmx_script": HTMX,
        "need_form_script": NEED_FORM_SCRIPT,
        "warning_text": warning_text,
        "signed_in_person": signed_in_person,
        "cpv_divisions": cpv_divisions,
        "cpv_division_of": division_of,
    }
    return environment


templates = Jinja2Templates(env=_environment(), context_processors=[template_context])
