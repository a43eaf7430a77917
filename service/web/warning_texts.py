"""A response's warnings as a page says them, in the reader's language, from the facts the warning carries.

The API's `message` stays English; the English wording here is the same sentence (a unit test holds
them together), so a page in English says exactly what the API says.
"""

from service.response_warnings import ResponseWarning
from service.web.i18n import N_, PageLocale

LANGUAGE_NOT_SERVED = {
    "language-given": N_(
        "The language is set to %(language)s (%(code)s). Innomatch matches Norwegian and English;"
        " matches for this text may be weak."
    ),
    "text": N_(
        "The text looks %(language)s (%(code)s). Innomatch matches Norwegian and English; matches for"
        " this text may be weak. Write it in Norwegian or English, or set language if the detection is"
        " wrong."
    ),
    "search": N_(
        "The search text looks %(language)s (%(code)s). Innomatch matches Norwegian and English; these"
        " results may be weak. Search in Norwegian or English."
    ),
    "suggestion": N_(
        "The text looks %(language)s (%(code)s). Innomatch matches Norwegian and English; these"
        " suggestions may be weak. Write it in Norwegian or English."
    ),
    "need": N_(
        "The need is in %(language)s (%(code)s). Innomatch matches Norwegian and English; its matches"
        " may be weak."
    ),
    "solution": N_(
        "The solution is in %(language)s (%(code)s). Innomatch matches Norwegian and English; its"
        " matches may be weak."
    ),
}
NOTHING_FOUND = {
    "solution": N_("No solution was found. Widen the filters, or describe the problem in other words."),
    "need": N_("No need was found. Widen the filters, or describe the problem in other words."),
}
ONLY_WEAK = {
    "solution": N_(
        "No good match: the best solution scores %(score)s, below %(threshold)s, where right answers"
        " are rarely found. Describe the problem in other words or widen the filters, or ask the market"
        " in a market dialogue."
    ),
    "need": N_(
        "No good match: the best need scores %(score)s, below %(threshold)s, where right answers are"
        " rarely found. Describe the problem in other words or widen the filters."
    ),
}


def warning_text(warning: ResponseWarning, page: PageLocale) -> str:
    """The warning in the page's language; its API message when it carries no facts to word it from."""
    facts = warning.facts
    if warning.code == "language-not-served" and facts.get("subject") in LANGUAGE_NOT_SERVED:
        code = str(facts["language"])
        sentence = page.gettext(LANGUAGE_NOT_SERVED[str(facts["subject"])])
        return sentence % {"language": page.language_name(code), "code": code}
    if warning.code == "no-good-match" and facts.get("found") in NOTHING_FOUND:
        found, score, threshold = str(facts["found"]), facts.get("score"), facts.get("threshold")
        if not isinstance(score, float):
            return page.gettext(NOTHING_FOUND[found])
        if isinstance(threshold, float):
            numbers = {"score": page.number(score, 2), "threshold": page.number(threshold, 2)}
            return page.gettext(ONLY_WEAK[found]) % numbers
    return warning.message
