"""Bounded offset pagination: defaults, limits and the page shape (an in-process app, no server)."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.pagination import MAX_PAGE_SIZE, Page, PageDep, PageParams, PageSpan, page_params


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()

    @app.get("/items")
    def _items(page: PageDep) -> Page[int]:
        items = list(range(1000))[page.offset : page.offset + page.limit]
        return Page(items=items, total=1000, offset=page.offset, limit=page.limit)

    return TestClient(app)


def test_without_parameters_a_page_starts_at_zero_and_holds_fifty() -> None:
    assert page_params() == PageParams(offset=0, limit=50)


def test_a_page_answers_items_total_offset_and_limit(client: TestClient) -> None:
    assert client.get("/items", params={"offset": 998, "limit": 5}).json() == {
        "items": [998, 999],
        "total": 1000,
        "offset": 998,
        "limit": 5,
    }


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"limit": MAX_PAGE_SIZE}, 200),
        ({"limit": MAX_PAGE_SIZE + 1}, 422),
        ({"limit": 0}, 422),
        ({"offset": -1}, 422),
        ({"offset": 10_000_000}, 200),
        ({"offset": 10_000_001}, 422),
    ],
)
def test_page_size_is_1_to_200_and_offset_0_to_ten_million(
    client: TestClient, params: dict[str, int], status: int
) -> None:
    assert client.get("/items", params=params).status_code == status


@pytest.mark.parametrize(
    ("offset", "limit", "total", "numbers", "previous", "following", "past_the_end"),
    [
        (0, 3, 7, (1, 3), None, 3, False),
        (3, 3, 7, (4, 6), 0, 6, False),
        (6, 3, 7, (7, 7), 3, None, False),
        (2, 3, 7, (3, 5), 0, 5, False),
        (30, 3, 4, (31, 4), 3, None, True),
        (0, 50, 0, (1, 0), None, None, False),
        (50, 50, 100, (51, 100), 0, None, False),
    ],
)
def test_a_page_span_numbers_its_items_and_links_its_neighbours(
    offset: int,
    limit: int,
    total: int,
    numbers: tuple[int, int],
    previous: int | None,
    following: int | None,
    past_the_end: bool,
) -> None:
    span = PageSpan(offset=offset, limit=limit, total=total)
    assert (span.first_number, span.last_number) == numbers
    assert (span.previous_offset, span.next_offset, span.past_the_end) == (previous, following, past_the_end)
