"""Language of a text: Norwegian ("no") or English ("en"), detected with py3langid."""

from functools import lru_cache
from typing import Literal

from py3langid.langid import MODEL_FILE, LanguageIdentifier

Language = Literal["no", "en"]
SUPPORTED_LANGUAGES: tuple[Language, ...] = ("no", "en")

# Bokmål, nynorsk and the neighbours a short Norwegian text is often mistaken for all count as Norwegian.
_NORWEGIAN_LIKE = {"no", "nn", "da", "sv"}


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["en", "no", "nn", "da", "sv"])
    return identifier


def detect_language(text: str) -> Language:
    """The most likely of Norwegian and English for a text."""
    label, _confidence = _identifier().classify(text)
    return "no" if label in _NORWEGIAN_LIKE else "en"


def normalise_language(code: str) -> Language | None:
    """Accept no/nb/nn/nob/nno/en/eng in any case; anything else is None."""
    code = code.strip().lower()
    if code in {"no", "nb", "nn", "nob", "nno", "nor"}:
        return "no"
    if code in {"en", "eng"}:
        return "en"
    return None
