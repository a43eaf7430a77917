"""The open-data files of the seeded demo data (the data a new user's `scripts/run` starts with): each
file holds every public record the API lists, every demo row says synthetic, and the page /apne-data
offers each file with its licence."""

import csv
import io
import json
from typing import Any

import httpx
import pytest
from rdflib import DCAT, DCTERMS, RDF, Graph, URIRef

from tests.support.servers import LiveServer

FILES = [f"{name}.{kind}" for name in ("needs", "solutions", "kpi-gaps") for kind in ("csv", "jsonl")]


def _rows(name: str, content: bytes) -> list[dict[str, Any]]:
    if name.endswith(".csv"):
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [json.loads(line) for line in content.decode("utf-8").splitlines()]


def _listed(client: httpx.Client, path: str) -> dict[int, bool]:
    """Every record the API lists to anyone, by id, with its demo flag."""
    found: dict[int, bool] = {}
    while True:
        page = client.get(path, params={"limit": 200, "offset": len(found)}).json()
        found |= {item["id"]: item["demo"] for item in page["items"]}
        if len(found) >= page["total"]:
            return found


@pytest.fixture(scope="module")
def anonymous(demo_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=demo_server.base_url, timeout=60)


@pytest.mark.parametrize("name", FILES)
def test_each_demo_file_holds_the_public_records_marked_synthetic(anonymous: httpx.Client, name: str) -> None:
    response = anonymous.get(f"/api/v1/open-data/{name}")
    assert response.status_code == 200
    assert response.headers["link"] == '<https://data.norge.no/nlod/no/2.0>; rel="license"'
    rows = _rows(name, response.content)
    assert rows, name
    assert not any(key.startswith("contact") for key in rows[0]), name
    synthetic = {str(row["synthetic"]).lower() for row in rows}
    if name.startswith(("needs", "solutions")):
        listed = _listed(anonymous, f"/api/v1/{name.split('.')[0]}")  # anonymous: published solutions only
        assert {int(row["id"]) for row in rows} == set(listed)
        # A demo record is synthetic; the needs generated from real KPI values of the demo municipalities are not.
        demo_rows = [row for row in rows if listed[int(row["id"])]]
        assert demo_rows and {str(row["synthetic"]).lower() for row in demo_rows} == {"true"}
        if name == "needs.jsonl":  # a need generated from a synthetic KPI value is synthetic too
            from_synthetic = [row for row in rows if (row["evidence"] or {}).get("synthetic")]
            assert from_synthetic and all(row["synthetic"] is True for row in from_synthetic)
    else:
        # Demo municipalities' KPI values are public figures where found and synthetic elsewhere.
        assert synthetic == {"true", "false"}


def test_the_open_data_page_offers_every_file_and_names_the_licence(anonymous: httpx.Client) -> None:
    page = anonymous.get("/apne-data")
    assert page.status_code == 200
    assert page.text.count("<h1") == 1 and "Åpne data" in page.text
    for name in FILES:
        assert f'href="/api/v1/open-data/{name}"' in page.text
    assert 'href="https://data.norge.no/nlod/no/2.0"' in page.text
    # The integrations are named too: the OCDS releases and the MCP server.
    assert 'href="/api/v1/ocds/releases"' in page.text and "«innomatch mcp»" in page.text
    assert 'href="/apne-data"' in anonymous.get("/").text  # the footer links it
    english = anonymous.get("/apne-data", params={"lang": "en"}).text
    assert "Open data" in english and "Licence" in english


def test_the_dcat_catalogue_lists_each_file_with_its_licence(anonymous: httpx.Client) -> None:
    """Read as RDF (rdflib's JSON-LD parser; the context is inline, nothing is fetched)."""
    response = anonymous.get("/api/v1/open-data")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.text, format="json-ld")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 3
    downloads = {
        str(graph.value(distribution, DCAT.downloadURL)): graph.value(distribution, DCTERMS.license)
        for dataset in datasets
        for distribution in graph.objects(dataset, DCAT.distribution)
    }
    assert {address.rsplit("/", 1)[1] for address in downloads} == set(FILES)
    assert set(downloads.values()) == {URIRef("https://data.norge.no/nlod/no/2.0")}
    titles = {(title.language, str(title)) for title in graph.objects(None, DCTERMS.title) if title.language}
    assert ("nb", "Behov fra kommunene") in titles
