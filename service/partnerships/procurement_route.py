"""Which procurement route a partnership proposal recommends, and why. Rules of thumb, not law.

The four routes, as Norwegian procurement law names them (anskaffelsesforskriften, FOA,
FOR-2016-08-12-974, which implements Directive 2014/24/EU):

- market_dialogue (markedsdialog): talking to suppliers before a competition is announced, allowed as
  long as every supplier is treated alike and none gets an unfair head start (FOA § 9-3 and § 12-2;
  the Directive's art. 40, preliminary market consultations). Recommended here when we cannot yet tell
  what the market offers. It is also good practice before any of the other routes.
- pre_commercial_procurement (førkommersiell anskaffelse, PCP): buying research and development of
  competing solutions in phases, without buying the result; outside the procurement rules under the
  R&D exemption (FOA § 2-5; the Directive's art. 14; European Commission COM(2007) 799). For solutions
  that do not exist yet. Buying what comes out of it is a separate procurement.
- innovation_partnership (innovasjonspartnerskap): one procedure that both develops a solution the
  market does not yet have and buys it, without a new competition (a procedure of FOA part III, see
  chapter 13; the Directive's art. 31). For solutions demonstrated but not yet proven in operation.
- ordinary_competition (ordinær konkurranse): an open or restricted tender, preferably with functional
  requirements, for solutions already on the market.

Maturity is the solution's technology readiness level as in Horizon 2020 (General Annex G): TRL 1-4
research up to a lab-validated technology, 5-7 validated or demonstrated in a relevant environment up
to a prototype in operation, 8 a complete and qualified system, 9 proven in operation.

The rules below are judgement, written down so staff can see and argue with them: the thresholds
(the match score that counts as answering the needs, the age under which a need is "new") are chosen,
not fitted, and the route a municipality takes is for its procurement officer and legal adviser to
decide. The first rule that applies wins; each answer carries its reasons in plain words.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from service.reasons import Reason

Route = Literal[
    "market_dialogue", "pre_commercial_procurement", "innovation_partnership", "ordinary_competition"
]

# A candidate "answers the needs" when the matching service ranks it among a need's first five (where
# the evaluation set's right solution is found) with a score of at least 0.2. Scores are not
# probabilities; the floor is judgement (docs/matching.md, "When a candidate answers the needs").
GOOD_MATCH_RANK = 5
GOOD_MATCH_SCORE = 0.2
ON_THE_MARKET_TRL = 8  # TRL 8: complete and qualified; 9: proven in operation
DEVELOPMENT_TRL = 5  # TRL 5-7: validated or demonstrated, not yet proven in operation
NEW_NEED_DAYS = 90  # a need younger than this, with no supplier contacted, has not met the market


@dataclass(frozen=True)
class CandidateFacts:
    solution_id: int
    trl: int | None
    supplier_key: str  # the supplier's id; a solution without a registered supplier counts as its own
    match_score: float | None  # hybrid score against the need it ranks best for; None: not among the matches
    match_rank: int | None  # its best position in the needs' match lists, 1 = first

    @property
    def matches_well(self) -> bool:
        return (
            self.match_score is not None
            and self.match_rank is not None
            and self.match_rank <= GOOD_MATCH_RANK
            and self.match_score >= GOOD_MATCH_SCORE
        )


@dataclass(frozen=True)
class RouteFacts:
    candidates: Sequence[CandidateFacts]
    oldest_need_age_days: int
    suppliers_contacted: bool  # an officer recorded 'contacted' or 'piloted' on one of the needs

    @property
    def market_unheard(self) -> bool:
        return self.oldest_need_age_days < NEW_NEED_DAYS and not self.suppliers_contacted


@dataclass(frozen=True)
class RouteRecommendation:
    route: Route
    rule: str  # which rule decided: no_candidate, no_good_match, maturity_unknown, on_the_market, ...
    reasons: list[str]
    # The reasons as data, one for each of `reasons` (service/web/reason_texts.py words them for a page).
    facts: list[Reason]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _market_summary(facts: RouteFacts) -> tuple[str, Reason]:
    good = [candidate for candidate in facts.candidates if candidate.matches_well]
    suppliers = {candidate.supplier_key for candidate in good}
    text = (
        f"{_plural(len(facts.candidates), 'candidate solution')}, {len(good)} matching the needs well "
        f"(among a need's first {GOOD_MATCH_RANK} matches with a score of at least {GOOD_MATCH_SCORE}), "
        f"from {_plural(len(suppliers), 'supplier')}."
    )
    numbers = {
        "candidates": len(facts.candidates),
        "good": len(good),
        "rank": GOOD_MATCH_RANK,
        "score": GOOD_MATCH_SCORE,
        "suppliers": len(suppliers),
    }
    return text, Reason("market_summary", numbers)


def _unheard_reason(facts: RouteFacts, code: str = "market_unheard") -> tuple[str, Reason]:
    age = facts.oldest_need_age_days
    registered = "today" if age == 0 else f"{_plural(age, 'day')} ago"
    text = (
        f"The need is new (the oldest was registered {registered}) and no supplier has been recorded as "
        "contacted: hold a market dialogue first, open to every supplier alike."
    )
    if code == "market_unheard_no_solution":
        text += " It shows whether a solution exists before money goes into developing one."
    return text, Reason(code, {"age": age})


def _recommendation(route: Route, rule: str, reasons: list[tuple[str, Reason]]) -> RouteRecommendation:
    return RouteRecommendation(route, rule, [text for text, _ in reasons], [reason for _, reason in reasons])


def _said(code: str, text: str, **facts: int | float | None) -> tuple[str, Reason]:
    return text, Reason(code, facts)


def recommend_route(facts: RouteFacts) -> RouteRecommendation:
    """The route for the partnership's needs and candidates, with the reasons that chose it."""
    reasons = [_market_summary(facts)]
    if not facts.candidates:
        if facts.market_unheard:
            return _recommendation(
                "market_dialogue",
                "no_candidate_market_unheard",
                [
                    *reasons,
                    _said(
                        "no_solution_market_unasked",
                        "No solution is known for the need, but the market has not been asked yet.",
                    ),
                    _unheard_reason(facts, "market_unheard_no_solution"),
                ],
            )
        return _recommendation(
            "pre_commercial_procurement",
            "no_candidate",
            [
                *reasons,
                _said(
                    "no_solution_develop",
                    "No solution is known for the need although suppliers have been contacted or the need"
                    " is not new: what is needed must be developed.",
                ),
                _said(
                    "pcp_buys_development",
                    "A pre-commercial procurement buys competing research and development in phases "
                    "(FOA § 2-5); buying the result is a separate procurement.",
                ),
            ],
        )
    good = [candidate for candidate in facts.candidates if candidate.matches_well]
    if not good:
        ranked = [c for c in facts.candidates if c.match_score is not None and c.match_rank is not None]
        best = min(ranked, key=lambda c: (c.match_rank, -(c.match_score or 0.0)), default=None)
        best_text = (
            f"the best, solution {best.solution_id}, ranks {best.match_rank} with a score of {best.match_score:.2f}"
            if best is not None
            else "none is among the needs' published matches"
        )
        best_facts: dict[str, int | float | None] = (
            {"solution": best.solution_id, "rank": best.match_rank, "score": best.match_score}
            if best is not None
            else {}
        )
        return _recommendation(
            "market_dialogue",
            "no_good_match",
            [
                *reasons,
                _said(
                    "no_good_candidate",
                    f"No candidate answers the needs well ({best_text}): the market is unclear.",
                    **best_facts,
                ),
                _said("ask_the_market", "Ask the market in a dialogue what exists before choosing a route."),
            ],
        )
    rated = [candidate for candidate in good if candidate.trl is not None]
    if not rated:
        return _recommendation(
            "market_dialogue",
            "maturity_unknown",
            [
                *reasons,
                _said(
                    "maturity_unknown",
                    "No well-matching candidate states its maturity (TRL): whether it can be bought or"
                    " must be developed is unclear. A market dialogue finds out.",
                ),
            ],
        )
    best_trl = max(candidate.trl or 0 for candidate in rated)
    at_best = [candidate for candidate in rated if (candidate.trl or 0) >= _band_floor(best_trl)]
    suppliers = len({candidate.supplier_key for candidate in at_best})
    if best_trl >= ON_THE_MARKET_TRL:
        reasons += [
            _said(
                "on_the_market",
                f"{_plural(len(at_best), 'well-matching candidate')} at TRL 8-9 from "
                f"{_plural(suppliers, 'supplier')}: the solution is on the market.",
                candidates=len(at_best),
                suppliers=suppliers,
            ),
            _said(
                "ordinary_competition",
                "Buy it in an ordinary competition (open or restricted tender), preferably with functional "
                "requirements so that every supplier can offer.",
            ),
        ]
        if suppliers == 1:
            reasons.append(
                _said(
                    "one_supplier",
                    "Only one supplier is known: check in a market dialogue that more can deliver, so the "
                    "competition gets bidders.",
                )
            )
        if facts.market_unheard:
            reasons.append(_unheard_reason(facts))
        return _recommendation("ordinary_competition", "on_the_market", reasons)
    if best_trl >= DEVELOPMENT_TRL:
        reasons += [
            _said(
                "needs_development",
                f"The most mature well-matching candidate is at TRL {best_trl} ({_plural(suppliers, 'supplier')}"
                " at TRL 5-7): demonstrated, not yet proven in operation.",
                trl=best_trl,
                suppliers=suppliers,
            ),
            _said(
                "innovation_partnership",
                "An innovation partnership develops it further with one or more suppliers and lets the buyers "
                "purchase the result without a new competition.",
            ),
        ]
        if facts.market_unheard:
            reasons.append(_unheard_reason(facts))
        return _recommendation("innovation_partnership", "needs_development", reasons)
    reasons += [
        _said(
            "research_stage",
            f"The most mature well-matching candidate is at TRL {best_trl}: still research, far from the market.",
            trl=best_trl,
        ),
        _said(
            "pcp_shows_what_works",
            "A pre-commercial procurement buys competing research and development in phases (FOA § 2-5) and "
            "shows which approach works before anything is bought.",
        ),
    ]
    return _recommendation("pre_commercial_procurement", "research_stage", reasons)


def _band_floor(trl: int) -> int:
    """The lowest TRL of the maturity band `trl` is in (8-9, 5-7 or 1-4)."""
    if trl >= ON_THE_MARKET_TRL:
        return ON_THE_MARKET_TRL
    if trl >= DEVELOPMENT_TRL:
        return DEVELOPMENT_TRL
    return 1
