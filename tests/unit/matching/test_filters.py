"""MatchFilters validation, and the refusals that come before any SQL."""

import dataclasses
from typing import Any, cast

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from service.errors import FieldErrors
from service.matching.filters import IdRestriction, MatchFilters, allowed_need_ids, allowed_solution_ids

NO_SESSION = cast(Session, None)  # the refusals below must happen before the session is touched


def _refused_fields(**values: Any) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as refused:
        MatchFilters(**values)
    return [error["loc"] for error in refused.value.errors()]


def test_no_filters_dump_to_nothing() -> None:
    assert MatchFilters().model_dump(exclude_none=True) == {}


@pytest.mark.parametrize("code", ["EC: I: WS: 3C", "ec-i-ws-3c", "  EC-I-WS-3C "])
def test_kpi_codes_are_compacted(code: str) -> None:
    assert MatchFilters(kpi=code).kpi == "EC-I-WS-3C"


def test_an_empty_kpi_is_no_filter() -> None:
    assert MatchFilters(kpi="").kpi is None


def test_kpi_and_status_have_length_limits_and_refuse_control_characters() -> None:
    assert _refused_fields(kpi="X" * 31) == [("kpi",)]
    assert _refused_fields(status="s" * 21) == [("status",)]
    assert _refused_fields(kpi="EC-I\x00-WS-3C") == [("kpi",)]
    assert MatchFilters(kpi="X" * 30).kpi == "X" * 30


@pytest.mark.parametrize(("field", "low", "high"), [("trl_min", 1, 9), ("trl_max", 1, 9), ("sdg", 1, 17)])
def test_ranges_accept_their_ends_and_refuse_beyond(field: str, low: int, high: int) -> None:
    assert getattr(MatchFilters(**{field: low}), field) == low
    assert getattr(MatchFilters(**{field: high}), field) == high
    assert _refused_fields(**{field: low - 1}) == [(field,)]
    assert _refused_fields(**{field: high + 1}) == [(field,)]


def test_county_and_municipality_follow_ssb_numbering() -> None:
    assert MatchFilters(county="50", municipality="5001").model_dump(exclude_none=True) == {
        "county": "50",
        "municipality": "5001",
    }
    for county in ("5", "500", "5a"):
        assert _refused_fields(county=county) == [("county",)]
    for municipality in ("501", "50011", "5O01"):
        assert _refused_fields(municipality=municipality) == [("municipality",)]


def test_cpv_is_a_prefix_of_two_to_eight_digits() -> None:
    assert MatchFilters(cpv="45").cpv == "45"
    assert MatchFilters(cpv="45232150").cpv == "45232150"
    for cpv in ("4", "452321501", "45-23", "45232150-8"):
        assert _refused_fields(cpv=cpv) == [("cpv",)]


def test_number_patterns_refuse_digits_other_than_ascii() -> None:
    assert _refused_fields(county="٥٠") == [("county",)]
    assert _refused_fields(municipality="５００１") == [("municipality",)]
    assert _refused_fields(cpv="４５") == [("cpv",)]


def test_language_is_normalised_or_refused() -> None:
    assert MatchFilters(language="NB").language == "no"
    assert MatchFilters(language="eng").language == "en"
    assert MatchFilters(language="de").language == "de"
    assert _refused_fields(language="xx") == [("language",)]


def test_dimension_is_one_of_the_three_u4ssc_dimensions() -> None:
    assert MatchFilters(dimension="Society and Culture").dimension == "Society and Culture"
    assert _refused_fields(dimension="Economics") == [("dimension",)]


@pytest.mark.parametrize(("field", "value"), [("cpv", "45"), ("trl_min", 3), ("trl_max", 7), ("sdg", 6)])
def test_solution_only_filters_are_refused_for_needs(field: str, value: object) -> None:
    with pytest.raises(FieldErrors) as refused:
        allowed_need_ids(NO_SESSION, MatchFilters(**{field: value}))
    (error,) = refused.value.errors
    assert (error.location, error.error_type) == ((field,), "filter_error")
    assert error.message == f"the {field} filter applies to solutions, not needs"


def test_statuses_are_refused_for_the_wrong_kind_of_record() -> None:
    with pytest.raises(FieldErrors) as for_solutions:
        allowed_solution_ids(NO_SESSION, MatchFilters(status="open"))
    assert for_solutions.value.errors[0].location == ("status",)
    with pytest.raises(FieldErrors) as for_needs:
        allowed_need_ids(NO_SESSION, MatchFilters(status="published"))
    assert for_needs.value.errors[0].location == ("status",)


def test_every_filter_a_need_search_refuses_is_named_at_once() -> None:
    with pytest.raises(FieldErrors) as refused:
        allowed_need_ids(NO_SESSION, MatchFilters(cpv="45", sdg=6, status="published"))
    assert [error.location for error in refused.value.errors] == [("cpv",), ("sdg",), ("status",)]
    assert (
        refused.value.errors[2].message == "must be open, in_progress, closed or any (the statuses of a need)"
    )


def test_the_origin_filter_is_refused_for_solutions_with_the_status_at_once() -> None:
    with pytest.raises(FieldErrors) as refused:
        allowed_solution_ids(NO_SESSION, MatchFilters(origin="notice", status="open"))
    assert [error.location for error in refused.value.errors] == [("status",), ("origin",)]


def test_an_id_restriction_excludes_nothing_unless_told() -> None:
    restriction = IdRestriction(allowed=None)
    assert restriction.excluded == frozenset()
    assert IdRestriction([1, 2], frozenset({3})).allowed == [1, 2]
    with pytest.raises(dataclasses.FrozenInstanceError):
        restriction.allowed = [1]  # type: ignore[misc]
