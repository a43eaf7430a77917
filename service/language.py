"""The language of a text, as an ISO 639-1 code: detected with py3langid over every language of its model
that has such a code, normalised from what a client sends with langcodes.

Innomatch serves Norwegian ("no": Bokmål and Nynorsk alike) and English ("en"): their texts are centred on
their own language and stemmed. A text in another language is stored with its own code and still matched,
with a warning. Short Norwegian text is easily taken for Danish or Swedish (and an English phrase for
French), so another language is named only when the detector gives it OTHER_LANGUAGE_CONFIDENCE;
otherwise the text is the likelier of Norwegian and English, as Danish and Swedish count as Norwegian
there (docs/languages.md has the measurements behind the rule).
"""

import re
from functools import lru_cache

import langcodes
from py3langid.langid import MODEL_FILE, LanguageIdentifier

SERVED_LANGUAGES = ("no", "en")
OTHER_LANGUAGE_CONFIDENCE = 0.8
_NORWEGIAN = ("no", "nn")  # py3langid's Bokmål and Nynorsk
_NORWEGIAN_OR_ENGLISH = ("en", "no", "nn", "da", "sv")  # all but "en" count as Norwegian
_LETTER = re.compile(r"[^\W\d_]")
_CODE = re.compile(r"[a-z]{2,3}")


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # Only languages with a two-letter code, which is what a record stores.
    identifier.set_languages([label for label in identifier.labels if len(label) == 2])
    return identifier


def has_letters(text: str) -> bool:
    """False for a text of digits, symbols and emoji only: it has no words and no language."""
    return _LETTER.search(text) is not None


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language; ValueError for a text without letters."""
    if not has_letters(text):
        raise ValueError("a text with no letters has no language")
    probabilities = dict(_identifier().rank(text))
    other = max(
        (language for language in probabilities if language not in (*_NORWEGIAN, "en")),
        key=probabilities.__getitem__,
    )
    if probabilities[other] >= OTHER_LANGUAGE_CONFIDENCE:
        return str(other)
    likeliest = max(_NORWEGIAN_OR_ENGLISH, key=probabilities.__getitem__)
    return "en" if likeliest == "en" else "no"


def normalise_language(code: str) -> str | None:
    """The ISO 639-1 code a client means, in any case, two or three letters ("sv", "SWE", "deu");
    Bokmål and Nynorsk ("nb", "nob", "nn", "nno") are "no". None for anything else, and for a language
    without a two-letter code (Lule Sami, "smj")."""
    code = code.lower()
    if not _CODE.fullmatch(code) or not langcodes.tag_is_valid(code):
        return None
    standard = langcodes.Language.get(code).language or ""
    if len(standard) != 2:
        # langcodes writes a few two-letter codes in three ("tl" as "fil"); the given code is the ISO 639-1 one.
        return code if len(code) == 2 else None
    return "no" if standard in ("nb", "nn") else standard


def is_served(language: str) -> bool:
    """Whether Innomatch matches texts in this language as it should (centred and stemmed)."""
    return language in SERVED_LANGUAGES


@lru_cache(maxsize=256)
def language_name(language: str) -> str:
    """The language's name in English, e.g. "Swedish"."""
    return str(langcodes.Language.get(language).display_name())


@lru_cache(maxsize=256)
def language_name_no(language: str) -> str:
    """The language's name in Norwegian Bokmål, e.g. "svensk"."""
    return str(langcodes.Language.get(language).display_name("nb"))
