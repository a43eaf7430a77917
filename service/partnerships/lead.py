"""Which municipality should lead a partnership when staff name none: rules of thumb, in order.

1. reference_use: a municipality of the group that already uses a candidate solution ("copy a good
   solution"): it knows the solution and can show the others; the one using the most candidates.
2. worst_gap: the municipality of the group with the worst KPI gap in the needs' evidence (lowest
   U4SSC band, then highest severity): it has the most to gain and the strongest case to its council.
3. reference_elsewhere: no municipality of the group qualifies, but one outside it already uses a
   candidate: it can lead or mentor the pilot (the programme's "copy a good solution").
4. first_need: the municipality of the earliest need.
5. none: nothing points anywhere; staff choose by hand.

The group's own municipalities come first because the lead usually runs the procurement on the
others' behalf (vertskommune).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from service.reasons import Fact, Reason

LeadRule = Literal["given", "reference_use", "worst_gap", "reference_elsewhere", "first_need", "none"]


@dataclass(frozen=True)
class NeedGap:
    need_id: int
    municipality_number: str | None
    kpi_code: str | None  # from the need's KPI-gap evidence, None for needs written by hand
    band: int | None
    severity: float | None


@dataclass(frozen=True)
class CandidateUse:
    solution_id: int
    title: str
    reference_municipalities: Sequence[str]


@dataclass(frozen=True)
class LeadSuggestion:
    municipality_number: str | None
    rule: LeadRule
    reason: str
    facts: Reason | None = None  # `reason` as data (service/web/reason_texts.py words it for a page)


def _most_used(
    numbers: set[str], candidates: Sequence[CandidateUse]
) -> tuple[str, list[CandidateUse]] | None:
    """Of `numbers`, the municipality using the most candidates (ties: the lowest number), with those candidates."""
    using = {
        number: [candidate for candidate in candidates if number in candidate.reference_municipalities]
        for number in numbers
    }
    ranked = sorted((number for number in using if using[number]), key=lambda n: (-len(using[n]), n))
    return (ranked[0], using[ranked[0]]) if ranked else None


def _titles(candidates: Sequence[CandidateUse]) -> str:
    return ", ".join(f"'{candidate.title}' (solution {candidate.solution_id})" for candidate in candidates)


def _worst_gap(needs: Sequence[NeedGap]) -> NeedGap | None:
    with_gap = [need for need in needs if need.band is not None and need.municipality_number]
    if not with_gap:
        return None
    return min(
        with_gap,
        key=lambda need: (
            need.band or 0,
            -(need.severity or 0.0),
            need.municipality_number or "",
            need.need_id,
        ),
    )


def _used(candidates: Sequence[CandidateUse]) -> list[list[str | int]]:
    return [[candidate.title, candidate.solution_id] for candidate in candidates]


def _gap_facts(need: NeedGap, names: Mapping[str, str]) -> dict[str, str | int | float | None]:
    return {
        "gap_municipality": names.get(need.municipality_number or "", need.municipality_number),
        "band": need.band,
        "severity": need.severity,
        "kpi": need.kpi_code,
        "need": need.need_id,
    }


def _gap_text(need: NeedGap, names: Mapping[str, str]) -> str:
    name = names.get(need.municipality_number or "", need.municipality_number)
    severity = f", severity {need.severity:.2f}" if need.severity is not None else ""
    return f"{name} (U4SSC band {need.band}{severity} on {need.kpi_code}, need {need.need_id})"


def suggest_lead(
    needs: Sequence[NeedGap], candidates: Sequence[CandidateUse], names: Mapping[str, str]
) -> LeadSuggestion:
    """The suggested lead municipality, the rule that chose it and why, in words."""
    members = {need.municipality_number for need in needs if need.municipality_number}
    worst = _worst_gap(needs)
    member_use = _most_used(members, candidates)
    if member_use:
        number, used = member_use
        reason = (
            f"{names.get(number, number)} already uses {_titles(used)}: copy a good solution, the municipality "
            "with experience of it leads."
        )
        if worst and worst.municipality_number != number:
            reason += f" The worst gap is in {_gap_text(worst, names)}, which joins as a buyer."
        facts: dict[str, Fact] = {"municipality": names.get(number, number), "solutions": _used(used)}
        if worst and worst.municipality_number != number:
            facts |= _gap_facts(worst, names)
        return LeadSuggestion(number, "reference_use", reason, Reason("reference_use", facts))
    if worst:
        return LeadSuggestion(
            worst.municipality_number,
            "worst_gap",
            f"The worst gap among the needs' evidence is in {_gap_text(worst, names)}: lowest band, then "
            "highest severity. No municipality of the group uses a candidate yet.",
            Reason("worst_gap", _gap_facts(worst, names)),
        )
    elsewhere = _most_used(
        {number for candidate in candidates for number in candidate.reference_municipalities}, candidates
    )
    if elsewhere:
        number, used = elsewhere
        return LeadSuggestion(
            number,
            "reference_elsewhere",
            f"No need carries KPI-gap evidence and no municipality of the group uses a candidate; "
            f"{names.get(number, number)} already uses {_titles(used)} and can lead or mentor the pilot "
            "(copy a good solution).",
            Reason(
                "reference_elsewhere", {"municipality": names.get(number, number), "solutions": _used(used)}
            ),
        )
    first = min((need for need in needs if need.municipality_number), key=lambda n: n.need_id, default=None)
    if first:
        return LeadSuggestion(
            first.municipality_number,
            "first_need",
            f"No KPI-gap evidence and no candidate in use anywhere: the municipality of the earliest need "
            f"(need {first.need_id}), {names.get(first.municipality_number or '', first.municipality_number)}.",
            Reason(
                "first_need",
                {
                    "need": first.need_id,
                    "municipality": names.get(first.municipality_number or "", first.municipality_number),
                },
            ),
        )
    return LeadSuggestion(
        None,
        "none",
        "No need names a municipality and no candidate is in use anywhere: choose a lead (PATCH "
        "lead_municipality_number).",
        Reason("none"),
    )
