"""The searches of issue 19's bug report, through the API of a server on the demo data: each must bring a
solution labelled relevant in seed_data/eval/short_queries.json first, and nonsense must be refused."""

import json
from pathlib import Path

import pytest

from tests.support.servers import LiveServer

SEED_DATA = Path(__file__).resolve().parents[3] / "seed_data"

REPORTED = ("lekkasje", "kvikkleire", "Vi mister mye drikkevann i lekkasjer", "gatelys som dimmes")


def _relevant_titles(query: str) -> set[str]:
    labelled = json.loads((SEED_DATA / "eval" / "short_queries.json").read_text(encoding="utf-8"))
    catalogue = json.loads((SEED_DATA / "demo_solutions.json").read_text(encoding="utf-8"))["items"]
    title_of = {item["key"]: item["title"] for item in catalogue}
    (case,) = [case for case in labelled["queries"] if case["query"] == query]
    return {title_of[key] for key, grade in case["relevance"].items() if grade > 0}


@pytest.mark.parametrize("query", REPORTED)
def test_a_reported_search_finds_a_relevant_solution_first(demo_server: LiveServer, query: str) -> None:
    with demo_server.client(token=None) as client:
        response = client.post("/api/v1/search/solutions", json={"query": query, "limit": 5})
    assert response.status_code == 200, response.text
    first = response.json()["items"][0]["solution"]["title"]
    assert first in _relevant_titles(query)


def test_a_search_of_emoji_is_refused(demo_server: LiveServer) -> None:
    with demo_server.client(token=None) as client:
        response = client.post("/api/v1/search/solutions", json={"query": "🚰💧🔧"})
    assert response.status_code == 422
