"""The demand page counts the open needs by U4SSC theme for anyone, keeps its county in every link to
the start page, and answers a wrong filter with a 422 page."""

import re
from html import unescape

import httpx

from tests.support.records import WATER_LOSS, create

AIR_QUALITY = "EN-EN-AQ-1C"  # Environment / Environment; WATER_LOSS is Economy / Infrastructure


def _bar_counts(page: str) -> list[str]:
    return re.findall(r'class="demand-chart__value theme-chart__count"[^>]*>([^<]+)<', page)


def test_open_needs_are_counted_by_theme_and_linked_to_the_start_page(api: httpx.Client) -> None:
    for title in ("Leaks", "More leaks"):
        create(
            api,
            "needs",
            title=title,
            description="Water loss.",
            municipality_number="5001",
            kpi_codes=[WATER_LOSS],
        )
    create(
        api,
        "needs",
        title="Old leaks",
        description="Solved.",
        municipality_number="5001",
        kpi_codes=[WATER_LOSS],
        status="closed",
    )
    create(
        api,
        "needs",
        title="Oslo air",
        description="Air quality.",
        municipality_number="0301",
        kpi_codes=[AIR_QUALITY],
    )

    everywhere = httpx.get(str(api.base_url.join("/demand")))  # no token, no session: anyone may read it
    assert everywhere.status_code == 200
    assert "<h1" in everywhere.text and "Etterspørsel</h1>" in everywhere.text
    # Economy: Infrastructure, ICT, Productivity; Environment: Energy, Environment; Society and Culture: two
    assert _bar_counts(everywhere.text) == ["2", "0", "0", "0", "1", "0", "0"]
    assert 'href="/?theme=Infrastructure"' in everywhere.text
    assert f'href="/?kpi={WATER_LOSS}"' in everywhere.text
    assert "demobehov" not in everywhere.text

    trøndelag = api.get("/demand", params={"county": "50", "dimension": ""})
    assert '<option value="50" selected>' in trøndelag.text
    assert _bar_counts(trøndelag.text) == ["2", "0", "0", "0", "0", "0", "0"]
    links = [unescape(link) for link in re.findall(r'href="(/\?[^"]+)"', trøndelag.text)]
    assert links and all("county=50" in link for link in links)

    environment = api.get("/demand", params={"dimension": "Environment"})
    assert _bar_counts(environment.text) == ["0", "1"]


def test_a_wrong_filter_is_a_422_page(api: httpx.Client) -> None:
    page = api.get("/demand", params={"county": "5"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "Fylket må være et fylkesnummer på to sifre" in page.text
