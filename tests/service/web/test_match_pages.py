"""A need's matches and a free-text search come in pages of ten: each page holds the ranks the API
gives for the same request, the links between pages keep the filters, and an offset past the end
or beyond the API's limit is answered, not a crash."""

import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest

from tests.support.servers import ADMIN_TOKEN, LiveServer

pytestmark = pytest.mark.slow
SOLUTION_LINK = re.compile(r'<a href="/solutions/(\d+)"')
NEXT = re.compile(r'<a rel="next" href="([^"]+)"')
PREVIOUS = re.compile(r'<a rel="prev" href="([^"]+)"')
QUERY = "lekkasjer i vannledninger og overvann i byen"


@pytest.fixture
def reader(demo_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server.base_url, timeout=60, cookies={"lang": "en"}) as client:
        yield client


@pytest.fixture
def api(demo_server: LiveServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(base_url=demo_server.base_url, timeout=60, headers=headers) as client:
        yield client


def _shown(page: httpx.Response) -> list[int]:
    assert page.status_code == 200, page.text[:500]
    return [int(found) for found in SOLUTION_LINK.findall(page.text)]


def _ranked(answer: httpx.Response) -> list[int]:
    assert answer.status_code == 200, answer.text[:500]
    return [item["solution"]["id"] for item in answer.json()["items"]]


def _link(pattern: re.Pattern[str], page: httpx.Response) -> str:
    [address] = pattern.findall(page.text)
    return unescape(address)


def _a_need_with_many_matches(api: httpx.Client) -> int:
    for need in api.get("/api/v1/needs", params={"limit": 20}).json()["items"]:
        if len(_ranked(api.get(f"/api/v1/needs/{need['id']}/matches", params={"limit": 25}))) >= 25:
            return int(need["id"])
    raise AssertionError("the demo data has no need with 25 matches")


def test_the_second_page_of_a_needs_matches_holds_the_ranks_after_the_first(
    reader: httpx.Client, api: httpx.Client
) -> None:
    need_id = _a_need_with_many_matches(api)
    first = reader.get(f"/needs/{need_id}", params={"language": "en"})
    ranked = _ranked(api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": 21, "language": "en"}))
    assert _shown(first) == ranked[:10]
    assert not PREVIOUS.search(first.text)
    following = _link(NEXT, first)
    assert following == f"/needs/{need_id}?language=en&offset=10#matches", "the filter stays"
    second = reader.get(following)
    assert _shown(second) == ranked[10:20]
    assert '<ol class="results" start="11">' in second.text
    assert "Showing matches 11–20, best first." in second.text
    assert _link(PREVIOUS, second) == f"/needs/{need_id}?language=en#matches"


def test_the_filter_form_starts_again_at_the_first_page(reader: httpx.Client, api: httpx.Client) -> None:
    need_id = _a_need_with_many_matches(api)
    second = reader.get(f"/needs/{need_id}", params={"offset": 10})
    form = re.search(r'<form class="filters".*?</form>', second.text, re.DOTALL)
    assert form and 'name="offset"' not in form.group(0)


def test_a_search_pages_through_the_same_ranks_as_the_api(reader: httpx.Client, api: httpx.Client) -> None:
    ranked = _ranked(api.post("/api/v1/search/solutions", json={"query": QUERY, "limit": 21}))
    assert len(ranked) == 21
    first = reader.get("/search", params={"q": QUERY})
    assert _shown(first) == ranked[:10]
    second = reader.get(_link(NEXT, first))
    assert _shown(second) == ranked[10:20]
    assert f"q={QUERY.replace(' ', '+')}" in _link(NEXT, first)


def test_an_offset_past_the_end_leads_back_to_the_first_page(reader: httpx.Client, api: httpx.Client) -> None:
    need_id = _a_need_with_many_matches(api)
    filtered = {"trl_min": 9, "language": "en"}
    found = _ranked(api.get(f"/api/v1/needs/{need_id}/matches", params={**filtered, "limit": 100}))
    assert len(found) < 90
    past = reader.get(f"/needs/{need_id}", params={**filtered, "offset": 90})
    assert _shown(past) == []
    assert "past the end of the list" in past.text
    [first] = re.findall(r'<a rel="first" href="([^"]+)"', past.text)
    assert unescape(first) == f"/needs/{need_id}?trl_min=9&language=en#matches"


@pytest.mark.parametrize("offset", ["100", "-1", "ten"])
def test_an_offset_the_api_could_not_give_is_refused(
    reader: httpx.Client, api: httpx.Client, offset: str
) -> None:
    need_id = _a_need_with_many_matches(api)
    answer = reader.get(f"/needs/{need_id}", params={"offset": offset})
    assert answer.status_code == 422
    assert "text/html" in answer.headers["content-type"]
