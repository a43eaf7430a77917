"""The open-data files described as a DCAT-AP-NO catalogue in JSON-LD, for data.norge.no and other
harvesters: one dcat:Dataset per file set, one dcat:Distribution per format, each with its licence."""

from typing import Any

from service.open_data.service import DATASETS, FORMATS, LICENCE_URL

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
CSV_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/CSV"
CSV_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/text/csv"
TITLES = {  # (Bokmål, English)
    "needs": ("Behov fra kommunene", "Needs of the municipalities"),
    "solutions": ("Løsninger fra leverandører", "Solutions of suppliers"),
    "kpi-gaps": ("KPI-gap i kommunene (U4SSC)", "KPI gaps of the municipalities (U4SSC)"),
}
DESCRIPTIONS = {
    "needs": "Published needs of Norwegian municipalities, without their contact person.",
    "solutions": "Published solutions with their supplier's public profile.",
    "kpi-gaps": "U4SSC KPIs on which a municipality scores weakly, with the value, target and sources.",
}


def _texts(bokmal: str, english: str) -> list[dict[str, str]]:
    return [{"@value": bokmal, "@language": "nb"}, {"@value": english, "@language": "en"}]


def _distribution(address: str, file_format: str) -> dict[str, Any]:
    distribution: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "dct:title": "CSV" if file_format == "csv" else "JSON Lines",
        "dcat:accessURL": {"@id": address},
        "dcat:downloadURL": {"@id": address},
        "dct:license": {"@id": LICENCE_URL},
    }
    if file_format == "csv":
        distribution |= {"dct:format": {"@id": CSV_FILE_TYPE}, "dcat:mediaType": {"@id": CSV_MEDIA_TYPE}}
    return distribution


def dcat_catalogue(base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")
    publisher = {"@type": "foaf:Agent", "foaf:name": "Innomatch"}
    datasets = [
        {
            "@id": f"{base}/api/v1/open-data#{name}",
            "@type": "dcat:Dataset",
            "dct:title": _texts(*TITLES[name]),
            "dct:description": [{"@value": DESCRIPTIONS[name], "@language": "en"}],
            "dct:publisher": publisher,
            "dct:accessRights": {"@id": PUBLIC},
            "dcat:landingPage": {"@id": f"{base}/apne-data"},
            "dcat:distribution": [
                _distribution(f"{base}/api/v1/open-data/{name}.{file_format}", file_format)
                for file_format in FORMATS
            ],
        }
        for name in DATASETS
    ]
    return {
        "@context": DCAT_CONTEXT,
        "@id": f"{base}/api/v1/open-data",
        "@type": "dcat:Catalog",
        "dct:title": _texts("Innomatch: åpne data", "Innomatch open data"),
        "dct:description": [
            {
                "@value": "What Innomatch knows about municipal needs, supplier solutions and KPI gaps,"
                " published under NLOD 2.0.",
                "@language": "en",
            }
        ],
        "dct:publisher": publisher,
        "dct:license": {"@id": LICENCE_URL},
        "foaf:homepage": {"@id": f"{base}/apne-data"},
        "dcat:dataset": datasets,
    }
