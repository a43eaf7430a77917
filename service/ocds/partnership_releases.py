"""A partnership's stored release (service.models.PartnershipRelease) as an OCDS release of its tender and
award stages.

Built only from the stored snapshot, so a release once published reads the same forever (docs/ocds.md
has the field-by-field mapping).
"""

from datetime import datetime
from typing import Any

from service.models import PartnershipRelease
from service.ocds.parties import municipality_party, reference, supplier_party
from service.ocds.publication import Publication, ocds_date

# Innomatch's procurement routes (service/partnerships/procurement_route.py) on OCDS's closed method
# codelist: who may submit a bid. A market dialogue is no procedure at all, so it has no method.
PROCUREMENT_METHOD: dict[str, str | None] = {
    "ordinary_competition": "open",  # an open (or restricted) competition announced to all
    "pre_commercial_procurement": "open",  # a call any R&D provider may answer, then phased selection
    "innovation_partnership": "selective",  # only qualified candidates are invited to tender
    "market_dialogue": None,
}
ROUTE_NAMES = {
    "market_dialogue": "Market dialogue (markedsdialog)",
    "pre_commercial_procurement": "Pre-commercial procurement (førkommersiell anskaffelse, FOA § 2-5)",
    "innovation_partnership": "Innovation partnership (innovasjonspartnerskap, FOA kapittel 13)",
    "ordinary_competition": "Ordinary competition (ordinær konkurranse)",
}


# A partnership's status on the closed tenderStatus and awardStatus codelists. Its competition ended when
# the suppliers were chosen, so the tender stays `complete` (`cancelled` would say the procedure was
# abandoned before an award, which is not what happened). A stopped partnership's award is no longer in
# force: `cancelled` ("the award has been cancelled"), where pilot and scaled are `active` ("made, and
# currently in force").
AWARD_STATUS = {"pilot": "active", "scaled": "active", "stopped": "cancelled"}
# The open releaseTag codelist: the first release brings the tender and its award, later ones update
# them, and a stop cancels the award.
FIRST_TAGS = ["tender", "award"]
UPDATE_TAGS = ["tenderUpdate", "awardUpdate"]
STOP_TAGS = ["tenderUpdate", "awardCancellation"]


def _parties(snapshot: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The parties and the lead's party: the lead buys and runs the procedure for the group."""
    lead_number = snapshot["lead_municipality_number"]
    parties: list[dict[str, Any]] = []
    lead: dict[str, Any] | None = None
    for municipality in snapshot["municipalities"]:
        is_lead = municipality["number"] == lead_number
        party = municipality_party(municipality, roles=["buyer", "procuringEntity"] if is_lead else ["buyer"])
        parties.append(party)
        if is_lead:
            lead = party
    for supplier in snapshot["suppliers"]:
        parties.append(
            supplier_party(
                name=supplier["name"],
                organisation_number=supplier["organisation_number"],
                fallback_id=supplier["local_id"],
                roles=["tenderer", "supplier"],
            )
        )
    return parties, lead


def _tags(row: PartnershipRelease, *, first: bool) -> list[str]:
    if first:
        return list(FIRST_TAGS)
    return list(STOP_TAGS if row.snapshot["status"] == "stopped" else UPDATE_TAGS)


def partnership_release(row: PartnershipRelease, *, first: bool, publication: Publication) -> dict[str, Any]:
    """`first`: whether this is the partnership's earliest release (tagged tender and award)."""
    snapshot = row.snapshot
    ocid = publication.partnership_ocid(row.partnership_id)
    parties, lead = _parties(snapshot)
    suppliers = [reference(party) for party in parties if "supplier" in party["roles"]]
    route = snapshot["route"]
    tender: dict[str, Any] = {
        "id": ocid,
        "title": snapshot["title"],
        "status": "complete",  # the pilot's suppliers were chosen (see AWARD_STATUS)
        "procurementMethod": PROCUREMENT_METHOD.get(route),
        "procurementMethodDetails": ROUTE_NAMES.get(route, route),
        "procurementMethodRationale": " ".join(snapshot["route_reasons"]) or None,
        "tenderers": suppliers,
        "numberOfTenderers": len(suppliers),
    }
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{row.id}",  # unique, and the same every time it is served
        "date": ocds_date(row.recorded_at),
        "tag": _tags(row, first=first),
        "initiationType": "tender",
        "parties": parties,
    }
    if lead is not None:
        release["buyer"] = reference(lead)
        tender["procuringEntity"] = reference(lead)
    release["tender"] = tender
    release["awards"] = [
        {
            "id": f"{ocid}-award",
            "title": f"{snapshot['title']}: {snapshot['status']}",
            "status": AWARD_STATUS.get(snapshot["status"], "active"),
            "date": ocds_date(datetime.fromisoformat(snapshot["awarded_at"])),
            "suppliers": suppliers,
        }
    ]
    release["relatedProcesses"] = [
        {
            "id": str(need_id),
            "relationship": ["planning"],  # the need's planning process led to this one
            "scheme": "ocid",
            "identifier": publication.need_ocid(need_id),
        }
        for need_id in snapshot["need_ids"]
    ]
    return release
