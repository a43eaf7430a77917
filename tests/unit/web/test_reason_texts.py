"""A page says a partnership's route and lead reasons in its reader's language, and in English exactly
as the API does."""

import pytest

from service.errors import ConflictError
from service.partnerships.lead import CandidateUse, LeadSuggestion, NeedGap, suggest_lead
from service.partnerships.procurement_route import CandidateFacts, RouteFacts, recommend_route
from service.reasons import Reason
from service.web.i18n import PageLocale
from service.web.partnership_pages import conflict_text
from service.web.reason_texts import lead_reason_text, route_reason_texts


def _candidate(
    solution_id: int, trl: int | None, supplier: str, score: float | None, rank: int | None
) -> CandidateFacts:
    return CandidateFacts(solution_id, trl, supplier, score, rank)


EVERY_ROUTE = [
    recommend_route(RouteFacts([], 0, False)),
    recommend_route(RouteFacts([], 12, False)),
    recommend_route(RouteFacts([], 1, False)),
    recommend_route(RouteFacts([], 400, True)),
    recommend_route(RouteFacts([_candidate(3, 9, "a", 0.1, 7)], 400, True)),
    recommend_route(RouteFacts([_candidate(3, 9, "a", None, None)], 400, True)),
    recommend_route(RouteFacts([_candidate(3, None, "a", 0.5, 1)], 400, True)),
    recommend_route(RouteFacts([_candidate(3, 9, "a", 0.5, 1)], 3, False)),
    recommend_route(RouteFacts([_candidate(3, 9, "a", 0.5, 1), _candidate(4, 8, "b", 0.4, 2)], 400, True)),
    recommend_route(RouteFacts([_candidate(3, 6, "a", 0.5, 1)], 5, False)),
    recommend_route(RouteFacts([_candidate(3, 3, "a", 0.5, 1)], 400, True)),
]
NAMES = {"1103": "Stavanger", "4601": "Bergen", "5001": "Trondheim"}
CANDIDATES = [CandidateUse(7, "Smart bin", ["1103"]), CandidateUse(8, "Route planner", ["5001"])]
GAPS = [NeedGap(1, "4601", "EN-1", 1, 0.734), NeedGap(2, "1103", "EN-1", 3, None)]
EVERY_LEAD = [
    suggest_lead(GAPS, CANDIDATES, NAMES),
    suggest_lead(GAPS[1:], CANDIDATES, NAMES),
    suggest_lead(GAPS, [], NAMES),
    suggest_lead(GAPS[1:], [], NAMES),
    suggest_lead([NeedGap(1, "4601", None, None, None)], CANDIDATES[1:], NAMES),
    suggest_lead([NeedGap(1, "4601", None, None, None)], [], NAMES),
    suggest_lead([NeedGap(1, None, None, None, None)], [], NAMES),
    LeadSuggestion("1103", "given", "Chosen by Stine Stab.", Reason("chosen", {"actor": "Stine Stab"})),
    LeadSuggestion(None, "none", "Cleared by Stine Stab.", Reason("cleared", {"actor": "Stine Stab"})),
]


def test_every_rule_is_there() -> None:
    assert {route.rule for route in EVERY_ROUTE} == {
        "no_candidate_market_unheard",
        "no_candidate",
        "no_good_match",
        "maturity_unknown",
        "on_the_market",
        "needs_development",
        "research_stage",
    }
    assert {lead.rule for lead in EVERY_LEAD} == {
        "reference_use",
        "worst_gap",
        "reference_elsewhere",
        "first_need",
        "none",
        "given",
    }


@pytest.mark.parametrize("route", EVERY_ROUTE, ids=lambda route: route.rule)
def test_in_english_a_page_says_the_route_reasons_the_api_gives(route: object) -> None:
    stored = [reason.as_json() for reason in route.facts]  # type: ignore[attr-defined]
    assert route_reason_texts(stored, route.reasons, PageLocale("en")) == route.reasons  # type: ignore[attr-defined]


@pytest.mark.parametrize("route", EVERY_ROUTE, ids=lambda route: route.rule)
def test_in_bokmal_every_route_reason_is_translated(route: object) -> None:
    stored = [reason.as_json() for reason in route.facts]  # type: ignore[attr-defined]
    said = route_reason_texts(stored, route.reasons, PageLocale("nb"))  # type: ignore[attr-defined]
    assert len(said) == len(route.reasons)  # type: ignore[attr-defined]
    assert not set(said) & set(route.reasons), "no sentence is left in English"  # type: ignore[attr-defined]


@pytest.mark.parametrize("lead", EVERY_LEAD, ids=lambda lead: lead.reason[:40])
def test_in_english_a_page_says_the_lead_reason_the_api_gives(lead: LeadSuggestion) -> None:
    assert lead.facts is not None
    assert lead_reason_text(lead.facts.as_json(), lead.reason, PageLocale("en")) == lead.reason
    assert lead_reason_text(lead.facts.as_json(), lead.reason, PageLocale("nb")) != lead.reason


def test_numbers_are_written_as_the_reader_writes_them() -> None:
    route = recommend_route(RouteFacts([_candidate(3, 9, "a", 0.123, 7)], 400, True))
    said = route_reason_texts([r.as_json() for r in route.facts], route.reasons, PageLocale("nb"))
    assert "0,12" in said[1] and "0.12" not in said[1]
    assert "0,2" in said[0]


def test_reasons_stored_without_facts_are_shown_as_the_api_gave_them() -> None:
    assert route_reason_texts(None, ["An old reason."], PageLocale("nb")) == ["An old reason."]
    assert lead_reason_text(None, "An old reason.", PageLocale("nb")) == "An old reason."


def test_a_move_refused_because_another_moved_first_is_said_in_the_reader_s_language() -> None:
    refused = ConflictError(
        "The partnership changed meanwhile: it is now 'pilot', not 'in_dialogue'. Reload and try again.",
        Reason("changed_meanwhile", {"current": "pilot", "before": "in_dialogue"}),
    )
    assert conflict_text(PageLocale("nb"), refused) == (
        "Partnerskapet ble endret i mellomtiden: det er nå «pilot», ikke «i dialog». Last inn siden på nytt"
        " og prøv igjen."
    )
    assert conflict_text(PageLocale("en"), refused) == (
        "The partnership changed meanwhile: it is now “pilot”, not “in dialogue”. Reload the page and try again."
    )
    assert conflict_text(PageLocale("nb"), ConflictError("Something else.")) == "Something else."
