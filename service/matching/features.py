"""The structured signals between a query and a candidate, each 0..1 (the feedback prior -1..1)."""

from collections.abc import Collection, Mapping, Sequence

PRIOR_STRENGTH = 3  # verdicts needed before the prior reaches half its range: a few votes move it little
POSITIVE_VERDICTS = frozenset({"useful", "contacted", "piloted"})


def share_of(query_items: Collection[object], candidate_items: Collection[object]) -> float:
    """Share of the query's items the candidate also has (0 when the query has none)."""
    if not query_items:
        return 0.0
    wanted = set(query_items)
    return len(wanted & set(candidate_items)) / len(wanted)


def kpi_certainty(chosen: Sequence[str], suggested: Sequence[tuple[str, float]]) -> dict[str, float]:
    """A side's KPIs with how sure they are: its chosen codes certain (1), else those suggested from its
    text at their confidence."""
    return dict.fromkeys(chosen, 1.0) if chosen else dict(suggested)


def suggested_kpi_overlap(
    query_chosen: Sequence[str],
    query_suggested: Sequence[tuple[str, float]],
    candidate_chosen: Sequence[str],
    candidate_suggested: Sequence[tuple[str, float]],
) -> float:
    """How far the KPIs suggested for one side meet the other side's (chosen, else suggested): over the KPIs
    both have, the sum of the product of the two sides' certainty, at most 1. 0 when both sides chose KPIs:
    then the shared-KPI signal speaks, and suggestions are not used."""
    if query_chosen and candidate_chosen:
        return 0.0
    asked = kpi_certainty(query_chosen, query_suggested)
    found = kpi_certainty(candidate_chosen, candidate_suggested)
    return min(1.0, sum(certainty * found[code] for code, certainty in asked.items() if code in found))


def cpv_subtree(code: str) -> str:
    """The prefix that names a CPV code's subtree: trailing zeros dropped, at least the division."""
    return code.rstrip("0").ljust(2, "0")


def in_subtree(wanted: str, offered: str) -> bool:
    """Whether one code lies in the other's subtree, either way."""
    return offered.startswith(cpv_subtree(wanted)) or wanted.startswith(cpv_subtree(offered))


def fitting_cpv_codes(query_codes: Sequence[str], candidate_codes: Sequence[str]) -> list[str]:
    """The candidate's codes that lie in the subtree of one of the query's, or hold one in theirs."""
    return [
        offered for offered in candidate_codes if any(in_subtree(wanted, offered) for wanted in query_codes)
    ]


def cpv_fit(query_codes: Sequence[str], candidate_codes: Sequence[str]) -> float:
    """1 when a code lies in the other side's subtree (either way), 0.5 in the same division."""
    fit = 0.0
    for wanted in query_codes:
        for offered in candidate_codes:
            if in_subtree(wanted, offered):
                return 1.0
            if wanted[:2] == offered[:2]:
                fit = 0.5
    return fit


def region_fit(county: str | None, regions_served: Sequence[str]) -> float:
    """1 when the solution serves the county, or all of Norway (no regions listed)."""
    if county is None:
        return 0.0
    return 1.0 if not regions_served or county in regions_served else 0.0


def maturity_fit(trl_min: int | None, trl: int | None) -> float:
    """1 when the solution is at least as mature as the buyer asked for."""
    return 1.0 if trl_min is not None and trl is not None and trl >= trl_min else 0.0


def reference_fit(
    county: str | None,
    municipality: str | None,
    references: Sequence[str],
    county_of: Mapping[str, str],
) -> float:
    """1 when another municipality of the need's county uses the solution, 0.5 when one elsewhere does."""
    others = [number for number in references if number != municipality]
    if not others:
        return 0.0
    if county is not None and any(county_of.get(number) == county for number in others):
        return 1.0
    return 0.5


def feedback_prior(positive: int, negative: int) -> float:
    """Other needs' verdicts on a solution, shrunk towards 0 while there are few of them."""
    return (positive - negative) / (positive + negative + PRIOR_STRENGTH)
