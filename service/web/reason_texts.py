"""The reasons the partnership service gives (a procurement route's, a lead municipality's) as a page
says them, in the reader's language, from the facts each reason carries (service/reasons.py).

The API's reasons stay English; the English wording here is the same sentence (a unit test holds them
together), so a page in English says exactly what the API says. A reason without facts (a partnership
stored before they were kept) is shown as the API wrote it.
"""

from collections.abc import Mapping
from typing import Any

from service.reasons import Fact, Reason
from service.web.i18n import N_, PageLocale

ROUTE_SENTENCES = {
    "no_solution_market_unasked": N_(
        "No solution is known for the need, but the market has not been asked yet."
    ),
    "no_solution_develop": N_(
        "No solution is known for the need although suppliers have been contacted or the need is not new:"
        " what is needed must be developed."
    ),
    "pcp_buys_development": N_(
        "A pre-commercial procurement buys competing research and development in phases (FOA § 2-5);"
        " buying the result is a separate procurement."
    ),
    "ask_the_market": N_("Ask the market in a dialogue what exists before choosing a route."),
    "maturity_unknown": N_(
        "No well-matching candidate states its maturity (TRL): whether it can be bought or must be"
        " developed is unclear. A market dialogue finds out."
    ),
    "ordinary_competition": N_(
        "Buy it in an ordinary competition (open or restricted tender), preferably with functional"
        " requirements so that every supplier can offer."
    ),
    "one_supplier": N_(
        "Only one supplier is known: check in a market dialogue that more can deliver, so the competition"
        " gets bidders."
    ),
    "innovation_partnership": N_(
        "An innovation partnership develops it further with one or more suppliers and lets the buyers"
        " purchase the result without a new competition."
    ),
    "pcp_shows_what_works": N_(
        "A pre-commercial procurement buys competing research and development in phases (FOA § 2-5) and"
        " shows which approach works before anything is bought."
    ),
}
MARKET_SUMMARY = N_(
    "%(candidates)s, %(good)s matching the needs well (among a need's first %(rank)s matches with a score"
    " of at least %(score)s), from %(suppliers)s."
)
UNHEARD_TODAY = N_(
    "The need is new (the oldest was registered today) and no supplier has been recorded as contacted:"
    " hold a market dialogue first, open to every supplier alike."
)
BEFORE_DEVELOPING = N_("It shows whether a solution exists before money goes into developing one.")
NO_GOOD_CANDIDATE = N_(
    "No candidate answers the needs well (the best, solution %(solution)s, ranks %(rank)s with a score of"
    " %(score)s): the market is unclear."
)
NO_CANDIDATE_MATCHED = N_(
    "No candidate answers the needs well (none is among the needs' published matches): the market is unclear."
)
ON_THE_MARKET = N_("%(candidates)s at TRL 8-9 from %(suppliers)s: the solution is on the market.")
NEEDS_DEVELOPMENT = N_(
    "The most mature well-matching candidate is at TRL %(trl)s (%(suppliers)s at TRL 5-7): demonstrated,"
    " not yet proven in operation."
)
RESEARCH_STAGE = N_(
    "The most mature well-matching candidate is at TRL %(trl)s: still research, far from the market."
)

LEAD_SENTENCES = {
    "reference_use": N_(
        "%(municipality)s already uses %(solutions)s: copy a good solution, the municipality with"
        " experience of it leads."
    ),
    "worst_gap": N_(
        "The worst gap among the needs' evidence is in %(gap)s: lowest band, then highest severity. No"
        " municipality of the group uses a candidate yet."
    ),
    "reference_elsewhere": N_(
        "No need carries KPI-gap evidence and no municipality of the group uses a candidate;"
        " %(municipality)s already uses %(solutions)s and can lead or mentor the pilot (copy a good"
        " solution)."
    ),
    "first_need": N_(
        "No KPI-gap evidence and no candidate in use anywhere: the municipality of the earliest need (need"
        " %(need)s), %(municipality)s."
    ),
    "none": N_(
        "No need names a municipality and no candidate is in use anywhere: choose a lead (PATCH"
        " lead_municipality_number)."
    ),
    "chosen": N_("Chosen by %(actor)s."),
    "cleared": N_("Cleared by %(actor)s."),
}
WORST_GAP_JOINS = N_("The worst gap is in %(gap)s, which joins as a buyer.")
GAP = N_("%(gap_municipality)s (U4SSC band %(band)s, severity %(severity)s on %(kpi)s, need %(need)s)")
GAP_WITHOUT_SEVERITY = N_("%(gap_municipality)s (U4SSC band %(band)s on %(kpi)s, need %(need)s)")
USED_SOLUTION = N_("'%(title)s' (solution %(id)s)")


def _whole(count: Fact) -> int:
    return int(count) if isinstance(count, int | float) else 0


def _candidates(page: PageLocale, count: Fact) -> str:
    number = _whole(count)
    words = page.ngettext("%(num)s candidate solution", "%(num)s candidate solutions", number)
    return words % {"num": page.number(number)}


def _well_matching(page: PageLocale, count: Fact) -> str:
    number = _whole(count)
    words = page.ngettext("%(num)s well-matching candidate", "%(num)s well-matching candidates", number)
    return words % {"num": page.number(number)}


def _suppliers(page: PageLocale, count: Fact) -> str:
    number = _whole(count)
    return page.ngettext("%(num)s supplier", "%(num)s suppliers", number) % {"num": page.number(number)}


def _number(page: PageLocale, value: Fact, digits: int | None = None) -> str:
    return page.number(value, digits) if isinstance(value, int | float) else str(value)


def _unheard_for_days(page: PageLocale, age: int) -> str:
    sentence = page.ngettext(
        "The need is new (the oldest was registered %(num)s day ago) and no supplier has been recorded as"
        " contacted: hold a market dialogue first, open to every supplier alike.",
        "The need is new (the oldest was registered %(num)s days ago) and no supplier has been recorded as"
        " contacted: hold a market dialogue first, open to every supplier alike.",
        age,
    )
    return sentence % {"num": page.number(age)}


def route_reason_text(reason: Reason, page: PageLocale) -> str | None:
    """One reason for a route in the page's language; None for a reason this module has no words for."""
    facts = reason.facts
    if reason.code in ROUTE_SENTENCES:
        return page.gettext(ROUTE_SENTENCES[reason.code])
    if reason.code == "market_summary":
        return page.gettext(MARKET_SUMMARY) % {
            "candidates": _candidates(page, facts["candidates"]),
            "good": _number(page, facts["good"]),
            "rank": _number(page, facts["rank"]),
            "score": _number(page, facts["score"]),
            "suppliers": _suppliers(page, facts["suppliers"]),
        }
    if reason.code in ("market_unheard", "market_unheard_no_solution"):
        stated = facts.get("age")
        age = stated if isinstance(stated, int) else 0
        sentence = page.gettext(UNHEARD_TODAY) if age == 0 else _unheard_for_days(page, age)
        if reason.code == "market_unheard_no_solution":
            sentence += " " + page.gettext(BEFORE_DEVELOPING)
        return sentence
    if reason.code == "no_good_candidate":
        if facts.get("solution") is None:
            return page.gettext(NO_CANDIDATE_MATCHED)
        return page.gettext(NO_GOOD_CANDIDATE) % {
            "solution": facts["solution"],
            "rank": _number(page, facts["rank"]),
            "score": _number(page, facts["score"], 2),
        }
    if reason.code == "on_the_market":
        return page.gettext(ON_THE_MARKET) % {
            "candidates": _well_matching(page, facts["candidates"]),
            "suppliers": _suppliers(page, facts["suppliers"]),
        }
    if reason.code == "needs_development":
        return page.gettext(NEEDS_DEVELOPMENT) % {
            "trl": facts["trl"],
            "suppliers": _suppliers(page, facts["suppliers"]),
        }
    if reason.code == "research_stage":
        return page.gettext(RESEARCH_STAGE) % {"trl": facts["trl"]}
    return None


def route_reason_texts(stored: object, english: list[str], page: PageLocale) -> list[str]:
    """A partnership's route reasons in the page's language; as the API gives them (`english`) when
    they were stored without facts or one of them has no words here."""
    reasons = [Reason.from_json(item) for item in stored] if isinstance(stored, list) else []
    texts = [route_reason_text(reason, page) if reason else None for reason in reasons]
    if not texts or len(texts) != len(english) or None in texts:
        return english
    return [text for text in texts if text is not None]


def _gap(facts: Mapping[str, Fact], page: PageLocale) -> str:
    words: dict[str, Any] = {
        "gap_municipality": facts.get("gap_municipality"),
        "band": facts.get("band"),
        "kpi": facts.get("kpi"),
        "need": facts.get("need"),
    }
    if facts.get("severity") is None:
        return page.gettext(GAP_WITHOUT_SEVERITY) % words
    return page.gettext(GAP) % {**words, "severity": _number(page, facts["severity"], 2)}


def _solutions(used: Fact, page: PageLocale) -> str:
    pairs = used if isinstance(used, list) else []
    return ", ".join(page.gettext(USED_SOLUTION) % {"title": title, "id": id_} for title, id_ in pairs)


def lead_reason_text(stored: object, english: str, page: PageLocale) -> str:
    """Why the lead municipality is the one it is, in the page's language; as the API gives it
    (`english`) when it was stored without facts."""
    reason = Reason.from_json(stored)
    if reason is None or reason.code not in LEAD_SENTENCES:
        return english
    facts = reason.facts
    words: dict[str, Any] = {
        "municipality": facts.get("municipality"),
        "solutions": _solutions(facts.get("solutions"), page),
        "need": facts.get("need"),
        "actor": facts.get("actor"),
    }
    if reason.code == "worst_gap":
        words["gap"] = _gap(facts, page)
    sentence = page.gettext(LEAD_SENTENCES[reason.code]) % words
    if reason.code == "reference_use" and "gap_municipality" in facts:
        sentence += " " + page.gettext(WORST_GAP_JOINS) % {"gap": _gap(facts, page)}
    return sentence
