"""The demand page counts the open needs by U4SSC theme for anyone, keeps its county in every link to
the start page, and answers a wrong filter with a 422 page."""

import csv
import io
import re
from html import unescape

import httpx
from openpyxl import load_workbook

from tests.support.records import WATER_LOSS, create

AIR_QUALITY = "EN-EN-AQ-1C"  # Environment / Environment; WATER_LOSS is Economy / Infrastructure
BROADBAND = "EC-ICT-ICT-2C"  # Economy / ICT, SDG 17 (WATER_LOSS: SDG 6)
BERGEN, ALTA = "4601", "5601"  # 291 940 and 21 708 residents on 1 January 2024


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
    assert links and all("county=50" in link for link in links if "theme=" in link or "kpi=" in link)

    environment = api.get("/demand", params={"dimension": "Environment"})
    assert _bar_counts(environment.text) == ["0", "1"]


def _county_counts(page: str) -> dict[str, str]:
    """Each county's bar in the county chart: its name and the count written beside it."""
    found = re.findall(
        r'class="county-chart__link"[^>]*aria-label="([^":]+):[^"]*">.*?'
        r'county-chart__count"[^>]*>([^<]+)<',
        page,
        re.S,
    )
    return dict(found)


def _map_links(page: str) -> dict[str, tuple[str, str]]:
    """Each county of the map: its link and its accessible name's count."""
    found = re.findall(
        r'<a class="county-map__link" href="([^"]+)" aria-label="([^":]+): ([^"]+)">\s*<path',
        page,
    )
    return {name: (unescape(href), count) for href, name, count in found}


def test_open_needs_by_county_map_filters_and_downloads(api: httpx.Client) -> None:
    for title, place, kpi in (
        ("Slow broadband", BERGEN, BROADBAND),
        ("Slower broadband", BERGEN, BROADBAND),
        ("Arctic broadband", ALTA, BROADBAND),
        ("Leaks in Alta", ALTA, WATER_LOSS),
    ):
        create(api, "needs", title=title, description=title, municipality_number=place, kpi_codes=[kpi])

    everything = api.get("/demand")
    counts = _county_counts(everything.text)
    assert len(counts) == 15
    assert (counts["Vestland"], counts["Finnmark"], counts["Oslo"]) == ("2", "2", "0")
    shown = _map_links(everything.text)
    assert len(shown) == 15
    assert shown["Vestland"] == ("/?county=46", "2 åpne behov")
    assert shown["Finnmark"] == ("/?county=56", "2 åpne behov")
    assert shown["Oslo"] == ("/?county=03", "0 åpne behov")

    broadband = api.get("/demand", params={"kpi": BROADBAND, "sdg": "17", "size": "", "county": ""})
    assert (
        '<option value="17" selected>Bærekraftsmål 17: Samarbeid for å nå målene</option>' in broadband.text
    )
    assert _county_counts(broadband.text)["Finnmark"] == "1"
    assert _bar_counts(broadband.text) == ["3"]  # only the KPI's theme, ICT
    assert _map_links(broadband.text)["Vestland"] == (f"/?kpi={BROADBAND}&county=46", "2 åpne behov")
    assert f'href="/?kpi={BROADBAND}&amp;theme=ICT"' in broadband.text
    assert "Forsiden kan ikke filtrere på bærekraftsmål" in broadband.text
    assert f'href="/demand/download?kpi={BROADBAND}&amp;sdg=17&amp;format=xlsx"' in broadband.text

    water = api.get("/demand", params={"sdg": "6"})
    assert _county_counts(water.text)["Finnmark"] == "1" and _county_counts(water.text)["Vestland"] == "0"
    cities = api.get("/demand", params={"size": "over-100000"})
    assert _county_counts(cities.text)["Vestland"] == "2" and _county_counts(cities.text)["Finnmark"] == "0"
    assert "Innbyggere 1. januar 2024 (SSB)" in cities.text

    table = api.get("/demand/download", params={"kpi": BROADBAND, "format": "csv"})
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Tabell", "Dimensjon", "Tema", "Fylkesnummer", "Fylke", "Åpne behov",
        "Av dem fra foreslåtte indikatorer", "Kommuner",
    ]  # fmt: skip
    assert ["Per tema", "Economy", "ICT", "", "", "3", "0", "2"] in rows
    by_county = {row[4]: row[5] for row in rows if row[0] == "Per fylke"}
    assert len(by_county) == 15 and (by_county["Vestland"], by_county["Finnmark"]) == ("2", "1")

    workbook = api.get("/demand/download", params={"size": "over-100000", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    cells = [row for row in sheet.iter_rows(values_only=True)]
    assert ("Per fylke", None, None, "46", "Vestland", 2, None, 1) in cells
    assert ("Per fylke", None, None, "56", "Finnmark", 0, None, 0) in cells


def test_a_wrong_filter_is_a_422_page(api: httpx.Client) -> None:
    page = api.get("/demand", params={"county": "5"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "Fylket må være et fylkesnummer på to sifre" in page.text
    for wrong in ({"sdg": "18"}, {"size": "huge"}, {"kpi": BROADBAND, "format": "pdf"}):
        answer = api.get("/demand/download" if "format" in wrong else "/demand", params=wrong)
        assert answer.status_code == 422, wrong
        assert answer.headers["content-type"].startswith("text/html")
