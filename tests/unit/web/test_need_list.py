"""The start page's addresses keep the chosen filters; an unchosen field of the form is no filter."""

from service.needs.schemas import NeedFilters
from service.web.need_list import page_address


def test_a_page_address_keeps_the_chosen_filters_and_a_page_size_other_than_the_default() -> None:
    assert page_address(NeedFilters(), offset=0, limit=50) == "/"
    assert page_address(NeedFilters(county="50", status="open"), offset=0, limit=50) == "/?county=50"
    filters = NeedFilters(kpi="EC: I: WS: 3C", language="en")
    assert page_address(filters, offset=100, limit=10) == "/?kpi=EC-I-WS-3C&language=en&limit=10&offset=100"


def test_the_empty_fields_a_get_form_sends_are_no_filters() -> None:
    sent = {"county": "", "municipality": "", "dimension": "", "kpi": "", "language": "", "status": ""}
    assert NeedFilters.model_validate(sent) == NeedFilters()
    assert NeedFilters.model_validate({**sent, "dimension": "Economy"}).dimension == "Economy"
