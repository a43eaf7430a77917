"""The pages' Jinja2 environment; autoescape is on, so every value is escaped."""

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from service.web.assets import FAVICON

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["favicon"] = FAVICON
if "_" not in templates.env.globals:
    # Templates write their words as {{ _("English text") }}; until message catalogues are installed,
    # the English text itself (newstyle: placeholders as keywords, and escaped).
    templates.env.add_extension("jinja2.ext.i18n")
    templates.env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]


def signed_in_person(request: Request) -> object:
    """The person signed in with the request's session cookie, once service.auth has looked (the
    header's "Profile" and "Sign out"); None on a page that did not ask who is calling."""
    return getattr(request.state, "signed_in", None)


templates.env.globals["signed_in_person"] = signed_in_person
