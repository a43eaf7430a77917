from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.support.browser import launched_browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with launched_browser() as launched:
        yield launched
