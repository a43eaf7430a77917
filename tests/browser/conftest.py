from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.support.browser import launched_browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Per module, not per run: Playwright's sync API keeps an event loop running in the main thread
    while it is open, and asyncio.run() in later tests would then refuse to start."""
    with launched_browser() as launched:
        yield launched
