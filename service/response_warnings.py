"""Warnings an answer carries: what was asked was done, and this is what the caller should know about it."""

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

from service.language import is_served, language_name

WarningCode = Literal["language-not-served", "no-good-match"]


class ResponseWarning(BaseModel):
    code: WarningCode = Field(
        description="What the warning is about, for programs. 'language-not-served': the text is in a "
        "language Innomatch does not match well (it matches Norwegian and English). 'no-good-match': "
        "nothing was found, or the best result scores below the calibrated level of a good match."
    )
    message: str = Field(description="What it means and what to do about it, for people.")
    # What the message says, as data (the language, the scores), so that a page can say it in its
    # reader's language; not part of the API's answer.
    _facts: dict[str, str | float | None] = PrivateAttr(default_factory=dict)

    @property
    def facts(self) -> Mapping[str, str | float | None]:
        return self._facts


def response_warning(code: WarningCode, message: str, **facts: str | float | None) -> ResponseWarning:
    warning = ResponseWarning(code=code, message=message)
    warning._facts.update(facts)
    return warning


# Whose language a language-not-served warning is about; the page words each case as the API does.
LanguageSubject = Literal["language-given", "text", "search", "suggestion", "need", "solution"]


def _if_not_served(
    language: str, subject: LanguageSubject, opening: str, consequence: str
) -> list[ResponseWarning]:
    if is_served(language):
        return []
    message = (
        f"{opening} {language_name(language)} ({language}). Innomatch matches Norwegian and English; "
        f"{consequence}"
    )
    return [response_warning("language-not-served", message, subject=subject, language=language)]


def written_text_warnings(language: str, *, language_given: bool) -> list[ResponseWarning]:
    """For the answer to a create or an update of a need or solution stored in `language`."""
    if language_given:
        return _if_not_served(
            language, "language-given", "The language is set to", "matches for this text may be weak."
        )
    return _if_not_served(
        language,
        "text",
        "The text looks",
        "matches for this text may be weak. Write it in Norwegian or English, or set language if the"
        " detection is wrong.",
    )


def search_warnings(language: str) -> list[ResponseWarning]:
    """For the results of a search text detected as `language`."""
    return _if_not_served(
        language,
        "search",
        "The search text looks",
        "these results may be weak. Search in Norwegian or English.",
    )


def suggestion_warnings(language: str) -> list[ResponseWarning]:
    """For the KPIs suggested for a text detected as `language`."""
    return _if_not_served(
        language,
        "suggestion",
        "The text looks",
        "these suggestions may be weak. Write it in Norwegian or English.",
    )


def match_warnings(kind: Literal["need", "solution"], language: str) -> list[ResponseWarning]:
    """For the matches of a stored need or solution in `language`."""
    return _if_not_served(language, kind, f"The {kind} is in", "its matches may be weak.")
