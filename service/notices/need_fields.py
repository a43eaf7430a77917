"""What the need of a notice says: its text in the language Innomatch matches best, the other languages
as translations, its CPV codes and whether it is still open. Pure: no database."""

import re
from dataclasses import dataclass
from datetime import datetime

from service.language import normalise_language
from service.notices.parsed import ParsedNotice, Texts
from service.text_fields import MAX_TEXT_LENGTH, MAX_TITLE_LENGTH

# Bokmål, Nynorsk or unspecified Norwegian first, then English: the languages Innomatch matches well.
_PREFERRED = ("no", "nb", "nn", "en")
_CLOSED_KINDS = ("can", "veat")
# Control characters a need's text refuses; publishers' texts carry some (a stray U+008D in an EU example).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class NeedText:
    title: str
    description: str
    language: str | None  # None: the service detects it
    translations: dict[str, dict[str, str]]


def _shortened(text: str, limit: int) -> str:
    text = _CONTROL.sub("", text)
    text = " ".join(text.split()) if limit == MAX_TITLE_LENGTH else text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text_in(notice: ParsedNotice, key: str) -> tuple[str, str]:
    """Title and description in one language; a language without a description uses its title."""
    title = notice.titles.get(key) or next(iter(notice.titles.values()))
    description = notice.descriptions.get(key) or title
    return _shortened(title, MAX_TITLE_LENGTH), _shortened(description, MAX_TEXT_LENGTH)


def _main_language(notice: ParsedNotice) -> str:
    for key in _PREFERRED:
        if key in notice.titles:
            return key
    written = [key for key in notice.languages if key in notice.titles]
    return written[0] if written else next(iter(notice.titles))


def need_text(notice: ParsedNotice) -> NeedText:
    """The need's text: Norwegian when the notice has it, else English, else its first language."""
    main = _main_language(notice)
    title, description = _text_in(notice, main)
    translations: dict[str, dict[str, str]] = {}
    for key in _languages(notice.titles, notice.descriptions):
        if key != main:
            other_title, other_description = _text_in(notice, key)
            translations[key] = {"title": other_title, "description": other_description}
    return NeedText(title, description, normalise_language(main), translations)


def _languages(titles: Texts, descriptions: Texts) -> list[str]:
    return list(dict.fromkeys([*titles, *descriptions]))


def need_cpv_codes(notice: ParsedNotice) -> list[str]:
    return list(dict.fromkeys([*notice.main_cpv, *notice.additional_cpv]))


def is_open(*, kind: str, voided: bool, tender_deadline: datetime | None, now: datetime) -> bool:
    """A prior information or contract notice is open until its deadline; an award, a voluntary ex-ante
    notice or a voided notice is closed."""
    if voided or kind in _CLOSED_KINDS:
        return False
    return tender_deadline is None or tender_deadline > now
