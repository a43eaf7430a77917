"""The ocid prefix setting: an OCDS prefix or a refusal at start-up, and the ocids built from it."""

import pytest
from pydantic import ValidationError

from service.config import Settings
from service.ocds.publication import Publication


def test_the_default_prefix_says_it_is_not_registered() -> None:
    assert Settings().ocds_prefix == "ocds-unregistered"


@pytest.mark.parametrize("prefix", ["innomatch", "ocds-", "ocds-ab cd", "OCDS-213czf"])
def test_a_prefix_not_of_the_ocds_form_is_refused(prefix: str) -> None:
    with pytest.raises(ValidationError, match="ocds_prefix"):
        Settings(ocds_prefix=prefix)


def test_ocids_name_what_they_publish() -> None:
    publication = Publication(ocid_prefix="ocds-213czf", publisher="Innomatch", base_url="https://x.test/")
    assert publication.need_ocid(12) == "ocds-213czf-need-12"
    assert publication.partnership_ocid(3) == "ocds-213czf-partnership-3"
    assert publication.link("/needs/12") == "https://x.test/needs/12"
