"""A need's stored release (service.models.NeedRelease) as an OCDS planning-stage release.

Built only from the stored snapshot, so a release once published reads the same forever (docs/ocds.md
has the field-by-field mapping).
"""

from typing import Any

from service.models import NeedRelease
from service.ocds.parties import municipality_party, reference
from service.ocds.publication import Publication, ocds_date

# A need's status as the tender status of the planning process (the closed tenderStatus codelist).
TENDER_STATUS = {
    "open": "planning",  # a future process is being considered: the market may answer now
    "in_progress": "planned",  # the buyer is working on it
    "closed": "withdrawn",  # no further information under this ocid
}


def _number(value: Any) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _evidence_text(evidence: dict[str, Any]) -> str:
    """The KPI gap behind a generated need, in words (English, as the document says)."""
    unit = f" {evidence['unit']}" if evidence.get("unit") else ""
    point = f" ({evidence['data_point']})" if evidence.get("data_point") else ""
    words = (
        f"U4SSC KPI {evidence.get('kpi_code')}{point}: {_number(evidence.get('value'))}{unit} in "
        f"{evidence.get('year')}, against the {evidence.get('target_kind')} target of "
        f"{_number(evidence.get('target'))}{unit} ({_number(evidence.get('percent_of_target'))} % of target, "
        f"U4SSC band {evidence.get('band')})."
    )
    if evidence.get("source"):
        words += f" Source: {evidence['source']}."
    if evidence.get("synthetic"):
        words += " The value is synthetic (demo data)."
    return words


def _documents(publication: Publication, need_id: int, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = [
        {
            "id": "need",
            "documentType": "needsAssessment",
            "title": snapshot["title"],
            "description": "The need as the buyer wrote it, with the solutions that match it.",
            "url": publication.link(f"/needs/{need_id}"),
            "format": "text/html",
            "language": snapshot["language"],
        }
    ]
    evidence = snapshot.get("evidence")
    if evidence:
        document = {
            "id": "kpi-gap",
            "documentType": "needsAssessment",
            "title": f"KPI gap: {evidence.get('kpi_code')}",
            "description": _evidence_text(evidence),
            "format": "application/json",
            "language": "en",
        }
        if isinstance(evidence.get("link"), str) and evidence["link"].startswith("/"):
            document["url"] = publication.link(evidence["link"])
        documents.append(document)
    documents.extend(
        {
            "id": f"kpi-{code}",
            "documentType": "needsAssessment",
            "title": f"U4SSC KPI {code}",
            "description": "A U4SSC smart sustainable city indicator the need is meant to improve.",
            "url": publication.link(f"/api/v1/kpis/{code}"),
            "format": "application/json",
        }
        for code in snapshot["kpi_codes"]
    )
    notice = snapshot.get("notice")
    if notice:
        document = {
            "id": "notice",
            "documentType": "tenderNotice",
            "title": f"Procurement notice {notice['notice_id']}",
            "description": "The buyer's eForms notice that this need was read from.",
        }
        if notice.get("source_url"):  # a notice fetched from Doffin; one imported from a file has none
            document["url"] = notice["source_url"]
            document["format"] = "text/html"
        documents.append(document)
    return documents


def _with_translations(block: dict[str, Any], field: str, translated: str, snapshot: dict[str, Any]) -> None:
    """OCDS's language variants (`title_en`): a field in another language beside the release's own."""
    for language, texts in sorted(snapshot["translations"].items()):
        if language != snapshot["language"] and texts.get(translated):
            block[f"{field}_{language}"] = texts[translated]


def need_release(release: NeedRelease, *, first: bool, publication: Publication) -> dict[str, Any]:
    """The planning release of one stored state of a need; `first`: the need's earliest stored state."""
    snapshot = release.snapshot
    ocid = publication.need_ocid(release.need_id)
    planning: dict[str, Any] = {
        "rationale": snapshot["description"],
        "documents": _documents(publication, release.need_id, snapshot),
    }
    _with_translations(planning, "rationale", "description", snapshot)
    tender: dict[str, Any] = {
        "id": ocid,
        "title": snapshot["title"],
        "status": TENDER_STATUS[snapshot["status"]],
    }
    _with_translations(tender, "title", "title", snapshot)
    if snapshot["cpv_codes"]:
        tender["items"] = [
            {
                "id": str(number),
                "description": snapshot["title"],
                "classification": {"scheme": "CPV", "id": code},
            }
            for number, code in enumerate(snapshot["cpv_codes"], start=1)
        ]
    document: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{release.id}",
        "date": ocds_date(release.recorded_at),
        "tag": ["planning"] if first else ["planningUpdate"],
        "initiationType": "tender",
        "language": snapshot["language"],
    }
    buyer = snapshot.get("buyer")
    if buyer:
        party = municipality_party(buyer, roles=["buyer"])
        document["parties"] = [party]
        document["buyer"] = reference(party)
    document["planning"] = planning
    document["tender"] = tender
    return document
