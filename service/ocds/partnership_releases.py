"""A partnership that reached pilot as an OCDS release of its tender and award stages.

Built from the partnership's present state (partnerships keep no history of their own beyond the audit
trail): one release per status, dated when the status was reached.
"""

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from service.models import Municipality, Partnership, Solution, Supplier
from service.ocds.parties import municipality_party, reference, supplier_party
from service.ocds.publication import Publication, ocds_date

# The statuses in which a partnership has chosen its suppliers: published with tender and award.
PUBLISHED_PARTNERSHIP_STATUSES = ("pilot", "scaled")

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


@dataclass(frozen=True)
class PartnershipFacts:
    """What a partnership's release shows beside the partnership itself, all of it public."""

    partnership: Partnership
    municipalities: list[Municipality]  # of its needs, the lead among them
    chosen: list[tuple[Solution, Supplier | None]]  # its published candidate solutions
    need_ids: list[int]  # its needs that still exist


def _municipality(municipality: Municipality) -> dict[str, Any]:
    return {
        "number": municipality.number,
        "name": municipality.name,
        "organisation_number": municipality.organisation_number,
    }


def _parties(facts: PartnershipFacts) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The parties and the lead's party: the lead buys and runs the procedure for the group."""
    lead_number = facts.partnership.lead_municipality_number
    parties: list[dict[str, Any]] = []
    lead: dict[str, Any] | None = None
    for municipality in sorted(facts.municipalities, key=lambda item: item.number):
        roles = ["buyer", "procuringEntity"] if municipality.number == lead_number else ["buyer"]
        party = municipality_party(_municipality(municipality), roles=roles)
        parties.append(party)
        if municipality.number == lead_number:
            lead = party
    seen: set[str] = set()
    for solution, supplier in facts.chosen:
        if supplier is not None:
            party = supplier_party(
                name=supplier.name,
                organisation_number=supplier.organisation_number,
                fallback_id=f"innomatch-supplier-{supplier.id}",
                roles=["tenderer", "supplier"],
            )
        else:  # a solution without a registered supplier stands for its own
            party = supplier_party(
                name=solution.title,
                organisation_number=None,
                fallback_id=f"innomatch-solution-{solution.id}",
                roles=["tenderer", "supplier"],
            )
        if party["id"] not in seen:
            seen.add(party["id"])
            parties.append(party)
    return parties, lead


def partnership_release(facts: PartnershipFacts, *, publication: Publication) -> dict[str, Any]:
    partnership = facts.partnership
    ocid = publication.partnership_ocid(partnership.id)
    stamp = partnership.status_changed_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    parties, lead = _parties(facts)
    suppliers = [reference(party) for party in parties if "supplier" in party["roles"]]
    tender: dict[str, Any] = {
        "id": ocid,
        "title": partnership.title,
        "status": "complete",  # the pilot's suppliers are chosen
        "procurementMethod": PROCUREMENT_METHOD.get(partnership.route),
        "procurementMethodDetails": ROUTE_NAMES.get(partnership.route, partnership.route),
        "procurementMethodRationale": " ".join(partnership.route_reasons) or None,
        "tenderers": suppliers,
        "numberOfTenderers": len(suppliers),
    }
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{partnership.status}-{stamp}",  # stable until the status changes
        "date": ocds_date(partnership.status_changed_at),
        "tag": ["tender", "award"],
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
            "title": f"{partnership.title}: {partnership.status}",
            "status": "active",
            "date": ocds_date(partnership.status_changed_at),
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
        for need_id in facts.need_ids
    ]
    return release
