"""Bounded offset pagination: defaults, limits and the page shape (an in-process app, no server)."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.pagination import MAX_PAGE_SIZE, Page, PageDep, PageParams, page_params


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
