"""The language of the pages: Norwegian Bokmål unless the reader chose English, and their message catalogues.

Every word of the pages goes through the catalogues in service/web/locale/<locale>/LC_MESSAGES/messages.po,
whose msgids are the English source text (`{{ _("...") }}` in templates, `_()`, `N_()` in Python;
scripts/dev/update_messages.py extracts them and updates both catalogues). The .po files are read when
this module is first used, not compiled to .mo files: a fresh clone, the tests and the server read the
same text files, with no build step to forget and no binary file to drift from its source (the two
catalogues parse in a few milliseconds). Fuzzy entries are never used.

The reader chooses with `?lang=en` or `?lang=nb` on any page (the header's link does this, without
JavaScript); the choice is remembered in a cookie. The API answers in English whatever the choice.

Needs and solutions stay in the language they were written in, and their text carries `lang` with the
stored ISO 639-1 code: "no" stays "no" (Norwegian, the macrolanguage in BCP 47), not "nb", because
detection does not tell Bokmål from Nynorsk; screen readers read "no" with their Norwegian voice.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import langcodes
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Locale = Literal["nb", "en"]
LOCALES: tuple[Locale, ...] = ("nb", "en")
DEFAULT_LOCALE: Locale = "nb"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGE_PARAMETER = "lang"  # ?lang=en on any page
LANGUAGE_COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # a year: a preference, not a session
MAX_QUERY_KEPT = 500  # characters of a page's query its language link repeats: filters and a search
TIME_ZONE = ZoneInfo("Europe/Oslo")  # the service's readers are in Norway; times are stored in UTC
# The link to the other language names it in that language, so that a reader who does not read the
# page's language still recognises it (WCAG 3.1.2: it carries its own lang).
LANGUAGE_NAMES: dict[Locale, str] = {"nb": "Norsk", "en": "English"}


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined (N_ is the name pybabel looks for); it is
    translated where it is shown."""
    return message


def catalogue_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LOCALES))
def translations(locale: Locale) -> Translations:
    """The locale's catalogue, read from its .po file (compiled in memory, fuzzy entries left out)."""
    with catalogue_path(locale).open("rb") as source:
        catalogue = read_po(source, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def as_locale(value: str | None) -> Locale | None:
    return next((locale for locale in LOCALES if locale == value), None)


def chosen_locale(request: Request) -> Locale:
    """`?lang=` if it names a locale, else the remembered choice, else Bokmål. An unknown `?lang=` is
    no error: it is a preference, and the page is shown in the language the reader had."""
    return (
        as_locale(request.query_params.get(LANGUAGE_PARAMETER))
        or as_locale(request.cookies.get(LANGUAGE_COOKIE))
        or DEFAULT_LOCALE
    )


def switch_address(request: Request, locale: Locale) -> str:
    """The same page in `locale`, with its query unless that is long: the link would repeat what was
    sent, a whole text on the page of a search refused as too long."""
    query = [
        (name, value) for name, value in request.query_params.multi_items() if name != LANGUAGE_PARAMETER
    ]
    if len(urlencode(query)) > MAX_QUERY_KEPT:
        query = []
    return f"{request.url.path}?{urlencode([*query, (LANGUAGE_PARAMETER, locale)])}"


@dataclass(frozen=True)
class PageLocale:
    """The words, numbers and dates of one page, in the reader's language."""

    locale: Locale

    @property
    def other(self) -> Locale:
        return "en" if self.locale == "nb" else "nb"

    def gettext(self, message: str) -> str:
        return str(translations(self.locale).gettext(message))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return str(translations(self.locale).ngettext(singular, plural, count))

    def number(self, value: float, digits: int | None = None) -> str:
        """`digits` decimals exactly (0.82 -> "0,82" in Bokmål), or as many as the value has (up to 3)."""
        pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def money(self, value: Decimal | str, currency: str | None) -> str:
        """An amount in its currency as the reader writes it ("1 250 000,00 kr" in Bokmål, "NOK 1,250,000.00"
        in English); without a currency, the number alone."""
        amount = Decimal(value)  # a notice's lots and awards keep their values as text
        if not currency:
            return str(format_decimal(amount, format="#,##0.00", locale=self.locale))
        return str(format_currency(amount, currency, locale=self.locale))

    def percent(self, value: float) -> str:
        """A percentage given in per cent (37.5 -> "38 %" in Bokmål, "38%" in English)."""
        return str(format_percent(value / 100, locale=self.locale))

    def date(self, value: date | datetime) -> str:
        """A day as the reader writes it: "6. des. 2026", "Dec 6, 2026"; a stored time is UTC."""
        if isinstance(value, datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(TIME_ZONE).date()
        return str(format_date(value, format="medium", locale=self.locale))

    def moment(self, value: datetime) -> str:
        """A stored time (UTC) as the reader writes it, in Norway's time: "6. des. 2026, 21:05:00"."""
        utc = value if value.tzinfo else value.replace(tzinfo=UTC)
        return str(format_datetime(utc, format="medium", tzinfo=TIME_ZONE, locale=self.locale))

    def language_name(self, code: str) -> str:
        """A record's language (ISO 639-1) named in the reader's language: "svensk", "Swedish"."""
        return str(langcodes.Language.get(code).display_name(self.locale))

    def pick(self, norwegian: str, english: str) -> str:
        """Of a text stored in both languages (a KPI's name, a match's summary), the reader's."""
        return norwegian if self.locale == "nb" else english


def page_locale(request: Request) -> PageLocale:
    return PageLocale(chosen_locale(request))


def template_context(request: Request) -> dict[str, Any]:
    """What every page's template gets: the reader's locale and the link to the other language."""
    page = page_locale(request)
    return {
        "locale": page.locale,
        "page": page,
        "other_locale": page.other,
        "other_language_name": LANGUAGE_NAMES[page.other],
        "other_language_address": switch_address(request, page.other),
    }


class RememberLanguage:
    """A page opened with `?lang=en|nb` sets the cookie that remembers the choice; every page says its
    language (Content-Language) and that it varies with the cookie (Vary), for caches in between."""

    def __init__(self, app: ASGIApp, is_page: Callable[[str], bool]) -> None:
        self.app = app
        self.is_page = is_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given = as_locale(request.query_params.get(LANGUAGE_PARAMETER))
        locale = chosen_locale(request)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Language"] = locale
                    headers.add_vary_header("Cookie")
                if given and request.cookies.get(LANGUAGE_COOKIE) != given:
                    headers.append(
                        "Set-Cookie",
                        f"{LANGUAGE_COOKIE}={given}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly",
                    )
            await send(message)

        await self.app(scope, receive, send_with_language)
