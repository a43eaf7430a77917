"""Settings that only make sense together: a delivery's claim must outlast any sending, or a second
worker could take a delivery still being sent and send it too."""

import pytest
from pydantic import ValidationError

from service.config import Settings


def test_the_claim_lease_must_be_longer_than_the_sending_timeouts() -> None:
    assert (
        Settings(alerts_claim_lease_seconds=15, webhook_timeout=5, smtp_timeout=5).alerts_claim_lease_seconds
        == 15
    )
    for timeouts in ({"webhook_timeout": 15, "smtp_timeout": 5}, {"webhook_timeout": 5, "smtp_timeout": 20}):
        with pytest.raises(ValidationError, match="alerts_claim_lease_seconds"):
            Settings(alerts_claim_lease_seconds=15, **timeouts)
    with pytest.raises(ValidationError, match="alerts_claim_lease_seconds"):
        Settings(alerts_claim_lease_seconds=20)  # the SMTP timeout's default is 30 s


def test_the_defaults_hold_together() -> None:
    settings = Settings()
    assert settings.alerts_claim_lease_seconds == 300
    assert settings.alerts_claim_lease_seconds > max(settings.webhook_timeout, settings.smtp_timeout)


def test_a_doffin_page_size_must_divide_the_thousand_reachable_hits() -> None:
    assert Settings(doffin_page_size=250).doffin_page_size == 250
    with pytest.raises(ValidationError, match="doffin_page_size"):
        Settings(doffin_page_size=300)  # its fourth page would reach past hit 1000: Doffin refuses it
