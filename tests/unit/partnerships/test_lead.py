"""The suggested lead municipality: the five rules in their order, and the reason each gives."""

from service.partnerships.lead import CandidateUse, NeedGap, suggest_lead

NAMES = {"0301": "Oslo", "1103": "Stavanger", "5001": "Trondheim", "4601": "Bergen"}


def gap(need_id: int, number: str | None, band: int | None = None, severity: float | None = None) -> NeedGap:
    return NeedGap(need_id, number, "EC-I-WS-3C" if band is not None else None, band, severity)


def test_a_member_already_using_candidates_leads_and_the_one_using_most_wins() -> None:
    suggestion = suggest_lead(
        [gap(1, "5001", band=1, severity=0.8), gap(2, "0301")],
        [
            CandidateUse(10, "Lekkasjesøk", ["0301", "5001"]),
            CandidateUse(11, "Smarte målere", ["0301", "4601"]),
        ],
        NAMES,
    )
    assert (suggestion.municipality_number, suggestion.rule) == ("0301", "reference_use")
    assert suggestion.reason == (
        "Oslo already uses 'Lekkasjesøk' (solution 10), 'Smarte målere' (solution 11): copy a good "
        "solution, the municipality with experience of it leads. The worst gap is in Trondheim "
        "(U4SSC band 1, severity 0.80 on EC-I-WS-3C, need 1), which joins as a buyer."
    )


def test_members_using_equally_many_candidates_are_ordered_by_municipality_number() -> None:
    suggestion = suggest_lead(
        [gap(1, "5001"), gap(2, "1103")],
        [CandidateUse(10, "A", ["5001"]), CandidateUse(11, "B", ["1103"])],
        NAMES,
    )
    assert (suggestion.municipality_number, suggestion.rule) == ("1103", "reference_use")


def test_the_worst_gap_note_is_left_out_when_the_user_is_also_the_worst_gap() -> None:
    suggestion = suggest_lead(
        [gap(1, "5001", band=1, severity=0.5)], [CandidateUse(10, "A", ["5001"])], NAMES
    )
    assert suggestion.reason.endswith("the municipality with experience of it leads.")


def test_without_a_member_using_a_candidate_the_lowest_band_then_the_highest_severity_leads() -> None:
    suggestion = suggest_lead(
        [
            gap(1, "5001", band=2, severity=0.95),
            gap(2, "0301", band=1, severity=0.7),
            gap(3, "1103", band=1, severity=0.9),
            gap(4, "4601"),  # hand-written, no evidence
        ],
        [CandidateUse(10, "A", ["9999"])],  # used only outside the group
        NAMES,
    )
    assert (suggestion.municipality_number, suggestion.rule) == ("1103", "worst_gap")
    assert suggestion.reason == (
        "The worst gap among the needs' evidence is in Stavanger (U4SSC band 1, severity 0.90 on "
        "EC-I-WS-3C, need 3): lowest band, then highest severity. No municipality of the group uses a "
        "candidate yet."
    )


def test_equal_gaps_are_ordered_by_municipality_number_and_a_gap_without_severity_is_the_mildest() -> None:
    tied = suggest_lead(
        [gap(1, "5001", band=1, severity=0.5), gap(2, "0301", band=1, severity=0.5)], [], NAMES
    )
    assert tied.municipality_number == "0301"
    unknown = suggest_lead(
        [gap(1, "0301", band=2, severity=None), gap(2, "5001", band=2, severity=0.1)], [], NAMES
    )
    assert unknown.municipality_number == "5001"


def test_a_gap_without_severity_is_described_without_it() -> None:
    suggestion = suggest_lead([gap(7, "4601", band=3)], [], NAMES)
    assert "Bergen (U4SSC band 3 on EC-I-WS-3C, need 7)" in suggestion.reason


def test_without_evidence_a_municipality_outside_the_group_using_a_candidate_may_lead() -> None:
    suggestion = suggest_lead(
        [gap(1, "5001"), gap(2, "0301")],
        [CandidateUse(10, "A", ["4601", "1103"]), CandidateUse(11, "B", ["4601"])],
        NAMES,
    )
    assert (suggestion.municipality_number, suggestion.rule) == ("4601", "reference_elsewhere")
    assert (
        "Bergen already uses 'A' (solution 10), 'B' (solution 11) and can lead or mentor" in suggestion.reason
    )


def test_with_nothing_else_the_municipality_of_the_earliest_need_leads_by_number_when_unnamed() -> None:
    suggestion = suggest_lead(
        [gap(5, "5001"), gap(3, "3907"), gap(1, None)], [CandidateUse(10, "A", [])], NAMES
    )
    assert (suggestion.municipality_number, suggestion.rule) == ("3907", "first_need")
    assert suggestion.reason.endswith("the municipality of the earliest need (need 3), 3907.")


def test_needs_without_municipality_and_no_candidate_in_use_suggest_no_lead() -> None:
    suggestion = suggest_lead([gap(1, None)], [], NAMES)
    assert (suggestion.municipality_number, suggestion.rule) == (None, "none")
    assert "choose a lead" in suggestion.reason
