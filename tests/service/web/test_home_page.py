"""The start page lists open needs newest first, a page at a time, narrowed by a plain GET form whose
choices stay on every page; the API's list of needs takes the same filters."""

import re
from html import unescape
from typing import Any

import httpx

from tests.support.records import WATER_LOSS, create

AIR_QUALITY = "EN-EN-AQ-1C"  # a KPI of the Environment dimension; WATER_LOSS is one of Economy


def _titles(page: str) -> list[str]:
    return re.findall(r'<a href="/needs/\d+"[^>]*>(?:<strong>)?([^<]+)<', page)


def _link(page: str, rel: str) -> str:
    [href] = re.findall(rf'<a rel="{rel}" href="([^"]+)"', page)
    return unescape(href)


def _needs(api: httpx.Client, count: int, **fields: Any) -> list[int]:
    return [
        create(api, "needs", title=f"Need {number}", description=f"Problem number {number}.", **fields)["id"]
        for number in range(1, count + 1)
    ]


def test_the_newest_need_comes_first_and_the_pages_reach_the_oldest(api: httpx.Client) -> None:
    _needs(api, 7, language="en")
    first = api.get("/", params={"limit": 3})
    assert first.status_code == 200
    assert _titles(first.text) == ["Need 7", "Need 6", "Need 5"]
    assert "Viser 1–3 av 7 åpne behov, nyeste først." in first.text
    assert 'rel="prev"' not in first.text
    second = api.get(_link(first.text, "next"))
    assert _titles(second.text) == ["Need 4", "Need 3", "Need 2"]
    assert "Viser 4–6 av 7 åpne behov" in second.text
    last = api.get(_link(second.text, "next"))
    assert _titles(last.text) == ["Need 1"]
    assert 'rel="next"' not in last.text
    assert _titles(api.get(_link(last.text, "prev")).text) == _titles(second.text)


def test_a_need_created_last_is_on_the_first_page_of_the_default_size(api: httpx.Client) -> None:
    _needs(api, 2)
    newest = create(api, "needs", title="Brand new need", description="Written a moment ago.")
    assert _titles(api.get("/").text)[0] == "Brand new need"
    closed = create(api, "needs", title="Closed need", description="Solved already.", status="closed")
    assert "Closed need" not in api.get("/").text
    assert newest["id"] < closed["id"]


def test_an_offset_past_the_end_shows_an_empty_page_with_a_way_back(api: httpx.Client) -> None:
    _needs(api, 4)
    page = api.get("/", params={"limit": 3, "offset": 30})
    assert page.status_code == 200
    assert _titles(page.text) == []
    assert "Denne siden er etter slutten av listen. Listen har 4 åpne behov." in page.text
    assert _titles(api.get(_link(page.text, "prev")).text) == ["Need 1"]
    assert _titles(api.get(_link(page.text, "first")).text) == ["Need 4", "Need 3", "Need 2"]


def test_filters_narrow_the_list_and_stay_on_every_page(api: httpx.Client) -> None:
    _needs(api, 4, municipality_number="5001", kpi_codes=[WATER_LOSS], language="no")  # Trondheim
    create(
        api,
        "needs",
        title="Oslo air",
        description="Air quality.",
        municipality_number="0301",
        kpi_codes=[AIR_QUALITY],
        language="en",
    )
    create(api, "needs", title="Untagged", description="No KPI, no place.", language="en")
    trøndelag = api.get("/", params={"county": "50", "limit": 3})
    assert _titles(trøndelag.text) == ["Need 4", "Need 3", "Need 2"]
    assert "Viser 1–3 av 4 åpne behov" in trøndelag.text
    assert '<option value="50" selected>' in trøndelag.text
    following = _link(trøndelag.text, "next")
    assert "county=50" in following and "limit=3" in following
    assert _titles(api.get(following).text) == ["Need 1"]
    assert _titles(api.get("/", params={"municipality": "0301"}).text) == ["Oslo air"]
    assert _titles(api.get("/", params={"kpi": AIR_QUALITY}).text) == ["Oslo air"]
    assert _titles(api.get("/", params={"dimension": "Environment"}).text) == ["Oslo air"]
    assert len(_titles(api.get("/", params={"dimension": "Economy"}).text)) == 4
    by_theme = api.get("/", params={"theme": "Environment"}).text  # the theme, not the dimension
    assert _titles(by_theme) == ["Oslo air"]
    assert '<option value="Environment" selected>' in by_theme
    assert _titles(api.get("/", params={"theme": "Energy"}).text) == []
    assert _titles(api.get("/", params={"language": "en"}).text) == ["Untagged", "Oslo air"]
    assert _titles(api.get("/", params={"language": "en", "county": "50"}).text) == []
    assert (
        "Ingen åpne behov passer med disse filtrene."
        in api.get("/", params={"county": "03", "language": "no"}).text
    )


def test_a_bad_filter_is_a_422_page_saying_what_the_field_accepts(api: httpx.Client) -> None:
    page = api.get("/", params={"county": "5", "dimension": "Weather"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "Fylket må være et fylkesnummer på to sifre, for eksempel 50, ikke «5»." in page.text
    assert (
        "U4SSC-dimensjonen må være en av 'Economy', 'Environment' eller 'Society and Culture', ikke «Weather»."
    ) in unescape(page.text)


def test_the_api_lists_needs_with_the_same_filters(api: httpx.Client) -> None:
    create(
        api,
        "needs",
        title="Trondheim leaks",
        description="Water loss.",
        municipality_number="5001",
        kpi_codes=[WATER_LOSS],
        language="no",
    )
    create(
        api,
        "needs",
        title="Oslo air",
        description="Air quality.",
        municipality_number="0301",
        kpi_codes=[AIR_QUALITY],
        language="en",
    )

    def titles(**params: str) -> list[str]:
        response = api.get("/api/v1/needs", params=params)
        assert response.status_code == 200, response.text
        return [need["title"] for need in response.json()["items"]]

    assert titles() == ["Trondheim leaks", "Oslo air"]  # the API keeps oldest first
    assert titles(county="50") == ["Trondheim leaks"]
    assert titles(kpi="EN: EN: AQ: 1C") == ["Oslo air"]
    assert titles(dimension="Economy") == ["Trondheim leaks"]
    assert titles(theme="Infrastructure") == ["Trondheim leaks"]
    assert titles(theme="Infrastructure", dimension="Environment") == []
    assert titles(language="en") == ["Oslo air"]
    assert titles(county="03", kpi=WATER_LOSS) == []
    refused = api.get("/api/v1/needs", params={"county": "5"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "county"]
