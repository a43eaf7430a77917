"""`measurable-outcome`: no quantity by which success can be judged (a target figure, or a measured
baseline with a direction of change). Anskaffelser.no asks a need to say how success will be measured."""

import re

from service.needs_quality.findings import Finding, whole_description
from service.needs_quality.problem_not_solution import prescribes
from service.needs_quality.text import NeedText, sentences

RULE = "measurable-outcome"
_NUMBER_WORDS = (
    r"(?:en|ett|én|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|tolv|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|twelve|a|an)"
)
# Without "to", "a" and "an": in a rate they are more often the English words ("to weigh waste every day").
_RATE_NUMBER_WORDS = (
    r"(?:én|ett|tre|fire|fem|seks|sju|syv|åtte|ni|ti|one|two|three|four|five|six|seven|eight|nine|ten)"
)
_UNITS = (
    r"(?:%|prosent|percent|per\s+cent|prosentpoeng|minutt\w*|minute\w*|time[rn]?|timene|hours?|dag\w*|days?|"
    r"uke\w*|weeks?|måned\w*|months?|år|years?|kr|kroner|NOK|mill\w*|kWh|MWh|GWh|km/h|dB|lux|°C|tonn|tonnes?)"
)
# A quantity: a number (or a number word) with a unit, or a word that is a proportion of change.
_QUANTITY = re.compile(
    # A number starts only where a run of digits starts, and a space belongs to it only before a digit:
    # no backtracking over long runs of digits (a 20,000-digit text is checked at once).
    rf"(?:(?<![\d.,])(?<![\d.,][  ])\d(?:[\d.,]|[  ](?=\d))*|\b{_NUMBER_WORDS})\s?{_UNITS}(?![^\W\d_])"
    r"|\b(?:halver\w*|halve[sd]?|halving|halvparten|half|dobl\w*|double[sd]?|tredobl\w*|triple[sd]?|"
    r"tredjedel|third|fjerdedel|quarter|hver\s+tiende)\b"
    r"|\b\d+\s+(?:av|out\s+of)\s+\d+\b"
    # A target of zero ("går ned til null") and a rate ("one false alarm per week").
    r"|\b(?:til|to)\s+(?:null|zero)\b"
    rf"|(?:\b\d+|\b{_RATE_NUMBER_WORDS})(?:\s+[^\W\d_]+){{0,3}}\s+(?:per|pr\.?|i|a|every|hver)\s+"
    r"(?:dag|døgn|uke|uka|måned|måneden|år|året|kvartal|kvartalet|sesong|sesongen|"
    r"day|week|month|year|quarter|season|termin|semester|semesteret|skoleår|skoleåret|term|school\s+year|"
    r"sommer|sommeren|vinter|vinteren|summer|winter)\b"
    # A time of day: "åpent til kl. 22.00", "open until 23:00".
    r"|\bkl\.?\s*\d{1,2}[:.]\d{2}\b|\b\d{1,2}:\d{2}\b"
    # A measured baseline to change from: "reduce complaints from last year's 230", "fra dagens 1 800".
    r"|\b(?:fra|from)\s+(?:[^\W\d_]+(?:'s)?\s+){0,3}(?!(?:19|20)\d\d\b)\d",
    re.IGNORECASE,
)
# "Målet", "målsettingen", "aim", "goal"; not "målepunkter", "måleren" or "målt" (measuring).
_GOAL = r"(?:mål|målet|målene|måla|målsetting\w*|aim\w*|goals?|target\w*)"
# A statement of the result wanted: a target, a direction of change, a limit.
_TARGET = re.compile(
    rf"\b(?:{_GOAL}|ønsker|vil|want\w*|skal|reduser\w*|redusere|øke|øker|senke|"
    r"få\s+\w+\s+ned|ned\s+til|ned\s+fra|under|below|minst|maks\w*|at\s+least|at\s+most|no\s+more|"
    r"within|innen|reduce\w*|cut\w*|raise|increase\w*|bring\w*|fall|falle|fewer|færre|shorten|"
    r"kortere|lower)\b",
    re.IGNORECASE,
)
# "Målet er at 300 elever får hjelp": a number under an explicit target needs no unit.
_EXPLICIT_TARGET = re.compile(rf"\b{_GOAL}\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d")
# "Målet er at ingen brukere står uten alarm": a target of zero.
_NONE = re.compile(r"\b(?:ingen|null|zero|none|no)\b", re.IGNORECASE)


def _states_outcome(sentence: str) -> bool:
    if prescribes(sentence):
        return False  # "skal ha minst 10 års batterilevetid" is a requirement, not a result
    if _EXPLICIT_TARGET.search(sentence) and (
        _NUMBER.search(sentence) or _QUANTITY.search(sentence) or _NONE.search(sentence)
    ):
        return True
    return bool(_TARGET.search(sentence) and _QUANTITY.search(sentence))


def states_target(clause: str) -> bool:
    """A result wanted, with or without a figure: "Målet er at", "we want to cut"."""
    return _TARGET.search(clause) is not None


def states_baseline(sentence: str) -> bool:
    """A measured quantity that is no requirement and no target: how things are today."""
    return bool(_QUANTITY.search(sentence)) and not prescribes(sentence) and not _TARGET.search(sentence)


def find(text: NeedText) -> list[Finding]:
    if any(_states_outcome(sentence.text) for sentence in sentences(text.description)):
        return []
    return [
        whole_description(
            RULE,
            "info",
            text.description,
            message=(
                "The text says no measurable result: nothing to judge a solution's success by.",
                "Teksten sier ikke noe målbart resultat: ingenting å bedømme om en løsning virker.",
            ),
            suggestion=(
                "Add a target with a number, e.g. “cut water loss from 32 % to under 20 % by 2030” "
                "or “answer 80 % of applications within two weeks”.",
                "Legg til et mål med tall, f.eks. «redusere vanntapet fra 32 til under 20 prosent "
                "innen 2030» eller «svar på 80 prosent av søknadene innen to uker».",
            ),
        )
    ]
