"""schema.org JSON-LD of a need's page and a solution's page, for search engines and harvesters.

Built from the same view data the page shows (a need as the anonymous reader sees it: never its contact
person), so the data block can say nothing the page does not. docs/open_data.md has the mapping:

- a need is a `Demand` ("an announcement by an organization or person to seek a certain type of goods or
  services"): its place is `areaServed`; its CPV codes and KPIs are the `category` of the `Service` it
  seeks (`itemOffered`), since schema.org gives `category` to Offer, Product and Service but not to
  Demand; a notice's publication date and tender deadline are `availabilityStarts` / `availabilityEnds`.
  schema.org's one party of a Demand is `seller` (whoever would supply it): the buyer is not stated.
- a solution is a `Service` with its supplier as `provider`: the data model records no product/service
  kind, and what a municipality buys from a solution is delivered to it as a service.
- neither type has `inLanguage` (a CreativeWork's), so the texts their authors wrote carry their
  language as JSON-LD language-tagged values: {"@value": ..., "@language": "no"}.
- demo records, and needs generated from a synthetic KPI value, say in `disambiguatingDescription` that
  they are synthetic, as their pages do.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from service.cpv_divisions import division_of
from service.needs.schemas import NeedRead
from service.solutions.schemas import SolutionRead

SCHEMA_ORG = "https://schema.org"
SYNTHETIC = "Synthetic demo data: a fictional record made for demonstrations, not a real one."
NORWAY: dict[str, Any] = {"@type": "Country", "name": "Norge", "identifier": "NO"}
CPV_CODE_SET = {"@type": "CategoryCodeSet", "name": "CPV 2008 (Common Procurement Vocabulary)"}
KPI_CODE_SET = {
    "@type": "CategoryCodeSet",
    "name": "U4SSC key performance indicators for smart sustainable cities",
}
# Inside <script> the HTML parser ends the block at "</script" and treats "<!--" specially: no "<", ">"
# or "&" may stand there literally. JSON reads the escapes back as the same characters.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class Area:
    """A county or municipality: its SSB number and name."""

    number: str
    name: str


@dataclass(frozen=True)
class Provider:
    """What the JSON-LD says of a solution's supplier: the public part of its profile."""

    name: str
    organisation_number: str
    website: str | None
    demo: bool


def script_json(document: Mapping[str, Any]) -> Markup:
    """The document as JSON safe inside <script type="application/ld+json">, whatever its texts hold."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    for character, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(character, escape)
    return Markup(text)  # escaped above: no character of the text can end the block


def _tagged(text: str, language: str) -> dict[str, str]:
    return {"@value": text, "@language": language}


def _area(area: Area, *, within: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "AdministrativeArea",
        "name": area.name,
        "identifier": area.number,
        "containedInPlace": within,
    }


def place(municipality: Area | None, county: Area | None) -> dict[str, Any]:
    """A municipality within its county within Norway; a county alone; else Norway."""
    county_place = _area(county, within=NORWAY) if county else NORWAY
    return _area(municipality, within=county_place) if municipality else county_place


def categories(
    cpv_codes: Sequence[str], kpi_names: Mapping[str, str], *, norwegian: bool
) -> list[dict[str, Any]]:
    """CPV codes (named by their division) and U4SSC KPIs (named as the catalogue names them)."""
    found: list[dict[str, Any]] = []
    for code in cpv_codes:
        entry: dict[str, Any] = {"@type": "CategoryCode", "codeValue": code, "inCodeSet": CPV_CODE_SET}
        division = division_of(code)
        if division:
            entry["name"] = division.name_no if norwegian else division.name_en
        found.append(entry)
    for code, name in kpi_names.items():
        found.append({"@type": "CategoryCode", "codeValue": code, "name": name, "inCodeSet": KPI_CODE_SET})
    return found


def need_demand(
    need: NeedRead, *, url: str, area_served: dict[str, Any], kpi_names: Mapping[str, str]
) -> dict[str, Any]:
    """The need as a schema.org Demand; `kpi_names` by code, in the need's language where there is one."""
    language = need.language
    sought: dict[str, Any] = {"@type": "Service", "name": _tagged(need.title, language)}
    found = categories(need.cpv_codes, kpi_names, norwegian=language == "no")
    if found:
        sought["category"] = found
    document: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Demand",
        "@id": url,
        "url": url,
        "identifier": str(need.id),
        "name": _tagged(need.title, language),
        "description": _tagged(need.description, language),
        "areaServed": area_served,
        "itemOffered": sought,
    }
    notice = need.notice
    if notice is not None:
        document["availabilityStarts"] = notice.publication_date.isoformat()
        if notice.deadline is not None:
            document["availabilityEnds"] = notice.deadline.isoformat()
        if notice.link.startswith(("https://", "http://")):
            document["sameAs"] = notice.link  # the notice at its publisher (Doffin)
    if need.demo or (need.evidence or {}).get("synthetic"):  # a demo need, or one made from a synthetic value
        document["disambiguatingDescription"] = SYNTHETIC
    return document


def solution_service(
    solution: SolutionRead,
    *,
    url: str,
    provider: Provider | None,
    area_served: list[dict[str, Any]],
    kpi_names: Mapping[str, str],
) -> dict[str, Any]:
    """The solution as a schema.org Service offered by its supplier (`provider`)."""
    language = solution.language
    document: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Service",
        "@id": url,
        "url": url,
        "identifier": str(solution.id),
        "name": _tagged(solution.title, language),
        "description": _tagged(solution.description, language),
        "areaServed": area_served or [NORWAY],
    }
    if provider is not None:
        organisation: dict[str, Any] = {
            "@type": "Organization",
            "name": provider.name,
            "identifier": {
                "@type": "PropertyValue",
                "propertyID": "organisasjonsnummer",  # the Brønnøysund Register Centre's nine digits
                "value": provider.organisation_number,
            },
        }
        if provider.website:
            organisation["url"] = provider.website
        if provider.demo:
            organisation["disambiguatingDescription"] = SYNTHETIC
        document["provider"] = organisation
    found = categories(solution.cpv_codes, kpi_names, norwegian=language == "no")
    if found:
        document["category"] = found
    if solution.demo:
        document["disambiguatingDescription"] = SYNTHETIC
    return document
