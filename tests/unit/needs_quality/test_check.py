"""The check as a whole: a good problem statement passes, the checklist names every rule, spans point
into the field they name, and the language is detected when not given."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.needs_quality import RULE_IDS, check
from tests.unit.needs_quality.helpers import GOOD_DESCRIPTION, GOOD_TITLE, rules_of, with_sentence


def test_a_good_problem_statement_has_no_findings() -> None:
    report = check(GOOD_TITLE, GOOD_DESCRIPTION)
    assert report.findings == []
    assert report.checklist == dict.fromkeys(RULE_IDS, True)


def test_the_checklist_marks_the_rules_that_fail() -> None:
    report = check("Smart skilting", "Vi trenger smarte skilt i sentrum.")
    assert report.checklist == {
        "problem-not-solution": True,
        "brand-name": True,
        "measurable-outcome": False,
        "context": False,
        "too-short": False,
        "personal-data": True,
    }


def test_the_language_is_detected_or_kept() -> None:
    assert check(GOOD_TITLE, GOOD_DESCRIPTION).language == "no"
    assert check("Water loss", "We lose a third of our drinking water to leaks.").language == "en"
    assert check(GOOD_TITLE, GOOD_DESCRIPTION, language="en").language == "en"


def test_a_span_points_at_the_text_it_concerns() -> None:
    description = with_sentence("Vi ønsker å teste Cisco-utstyr.")
    (finding,) = check(GOOD_TITLE, description).findings
    assert finding.field == "description"
    assert description[finding.start : finding.end] == "Cisco"


def test_a_finding_in_the_title_points_into_the_title() -> None:
    (finding,) = check("Nye Zaptec-ladere", GOOD_DESCRIPTION).findings
    assert (finding.rule, finding.field) == ("brand-name", "title")
    assert "Nye Zaptec-ladere"[finding.start : finding.end] == "Zaptec"


def test_every_finding_speaks_both_languages() -> None:
    report = check("Smart skilting", "Vi trenger smarte skilt fra Cisco, ring 934 55 721.")
    assert {finding.rule for finding in report.findings} == {
        "brand-name",
        "measurable-outcome",
        "context",
        "too-short",
        "personal-data",
    }
    for finding in report.findings:
        assert finding.message_en and finding.message_no and finding.suggestion_en and finding.suggestion_no


def test_good_english_problem_statement_passes() -> None:
    assert (
        rules_of(
            "Adults referred to the municipal physiotherapy service wait on average five months for a first "
            "appointment, and many of them stop working while they wait. We want to bring the wait below six "
            "weeks for nine out of ten patients.",
            title="Waiting for physiotherapy",
        )
        == set()
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "1" * 19_999 + "a",
        "9 " * 10_000 + "a",
        "12 " * 6_666 + "a",
        "1," * 10_000 + "a",
        "aB" * 10_000,
        "x@" * 10_000,
    ],
)
def test_a_long_hostile_text_is_checked_at_once(hostile: str) -> None:
    # Every rule's pattern runs in linear time: a run of digits once took minutes (backtracking).
    started = time.perf_counter()
    check("Tittel", hostile, language="no")
    assert time.perf_counter() - started < 2


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=80), description=st.text(min_size=1, max_size=400))
def test_any_text_is_checked_with_spans_inside_their_field(title: str, description: str) -> None:
    report = check(title, description, language="no")
    for finding in report.findings:
        text = title if finding.field == "title" else description
        assert 0 <= finding.start <= finding.end <= len(text)
    assert set(report.checklist) == set(RULE_IDS)
