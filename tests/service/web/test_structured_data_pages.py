"""Need and solution pages carry schema.org JSON-LD that a harvester (extruct) reads back: the need as a
Demand in its municipality, the solution as a Service of its supplier; never the contact person, also
when the reader may see it; a hostile title stays inside its data block."""

from typing import Any

import extruct
import httpx

from tests.support.records import LEAK_NEED, LEAK_SOLUTION, WATER_LOSS, create

CONTACT_EMAIL = "jsonld.kontakt.7731@bodo.kommune.no"


def _json_ld(page: httpx.Response) -> list[dict[str, Any]]:
    assert page.status_code == 200, page.text
    found: list[dict[str, Any]] = extruct.extract(page.text, base_url=str(page.url), syntaxes=["json-ld"])[
        "json-ld"
    ]
    return found


def test_a_need_page_describes_the_need_as_a_demand(api: httpx.Client) -> None:
    need = create(
        api,
        "needs",
        **LEAK_NEED,
        language="no",
        municipality_number="1804",
        cpv_codes=["38421100"],
        contact_name="Kari Jsonld",
        contact_email=CONTACT_EMAIL,
    )
    page = api.get(f"/needs/{need['id']}")  # the admin's token: the page itself shows the contact
    assert CONTACT_EMAIL in page.text
    (demand,) = _json_ld(page)
    assert demand["@type"] == "Demand"
    assert demand["url"].endswith(f"/needs/{need['id']}") and demand["identifier"] == str(need["id"])
    assert demand["name"] == {"@value": LEAK_NEED["title"], "@language": "no"}
    assert demand["areaServed"]["name"] == "Bodø" and demand["areaServed"]["identifier"] == "1804"
    assert demand["areaServed"]["containedInPlace"]["name"] == "Nordland"
    codes = {item["codeValue"]: item.get("name") for item in demand["itemOffered"]["category"]}
    assert set(codes) == {"38421100", WATER_LOSS} and codes[WATER_LOSS]  # the KPI by its Norwegian name
    assert "disambiguatingDescription" not in demand
    block = page.text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert CONTACT_EMAIL not in block and "Kari Jsonld" not in block


def test_a_solution_page_describes_a_service_of_its_supplier(api: httpx.Client) -> None:
    supplier = create(
        api,
        "suppliers",
        name="Lyttelogg AS",
        organisation_number="974760673",
        website="https://lytte.example/",
    )
    solution = create(api, "solutions", **LEAK_SOLUTION, supplier_id=supplier["id"], regions_served=["18"])
    (service,) = _json_ld(api.get(f"/solutions/{solution['id']}"))
    assert service["@type"] == "Service" and service["url"].endswith(f"/solutions/{solution['id']}")
    assert service["provider"]["name"] == "Lyttelogg AS"
    assert service["provider"]["identifier"]["value"] == "974760673"
    assert service["provider"]["url"] == "https://lytte.example/"
    assert [area["name"] for area in service["areaServed"]] == ["Nordland"]


def test_a_hostile_title_stays_data(api: httpx.Client) -> None:
    hostile = "Vanntap </script><script>alert(1)</script><!-- x"
    need = create(api, "needs", title=hostile, description=LEAK_NEED["description"], language="no")
    page = api.get(f"/needs/{need['id']}")
    assert "<script>alert(1)" not in page.text
    (demand,) = _json_ld(page)
    assert demand["name"]["@value"] == hostile
