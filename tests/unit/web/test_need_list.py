"""The start page's addresses keep the chosen filters; an unchosen field of the form is no filter."""

import pytest
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from service.needs.schemas import NeedFilters
from service.web.need_list import filters_from_form, page_address


def test_a_page_address_keeps_the_chosen_filters_and_a_page_size_other_than_the_default() -> None:
    assert page_address(NeedFilters(), offset=0, limit=50) == "/"
    assert page_address(NeedFilters(county="50", status="open"), offset=0, limit=50) == "/?county=50"
    filters = NeedFilters(kpi="EC: I: WS: 3C", language="en")
    assert page_address(filters, offset=100, limit=10) == "/?kpi=EC-I-WS-3C&language=en&limit=10&offset=100"


def test_the_empty_fields_a_get_form_sends_are_no_filters() -> None:
    sent = {"county": "", "municipality": "", "dimension": "", "kpi": "", "language": "", "status": ""}
    assert filters_from_form(sent) == NeedFilters()
    assert filters_from_form({**sent, "dimension": "Economy", "offset": "50"}).dimension == "Economy"


def test_a_wrong_form_field_is_a_validation_error_of_the_query() -> None:
    with pytest.raises(RequestValidationError) as refused:
        filters_from_form({"county": "9", "kpi": ""})
    assert [error["loc"] for error in refused.value.errors()] == [("query", "county")]


def test_the_api_keeps_an_empty_filter_a_malformed_one() -> None:
    with pytest.raises(ValidationError):
        NeedFilters.model_validate({"county": ""})
