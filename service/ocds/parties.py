"""Organisations in releases: municipalities and suppliers, identified by their organisation numbers in
Brønnøysundregistrene (org-id.guide scheme NO-BRC)."""

from typing import Any

ORGANISATION_SCHEME = "NO-BRC"


def _identified(name: str | None, organisation_number: str | None, fallback_id: str) -> dict[str, Any]:
    if organisation_number:
        return {
            "id": f"{ORGANISATION_SCHEME}-{organisation_number}",
            "name": name,
            "identifier": {"scheme": ORGANISATION_SCHEME, "id": organisation_number, "legalName": name},
        }
    # No organisation number on record (seed_data/municipalities.SOURCE.md names the one municipality
    # without): a release-local id, never an invented number.
    return {"id": fallback_id, "name": name}


def municipality_party(municipality: dict[str, Any], *, roles: list[str]) -> dict[str, Any]:
    """A municipality as {"number", "name", "organisation_number"} (a need release's snapshot)."""
    party = _identified(
        municipality.get("name"),
        municipality.get("organisation_number"),
        f"innomatch-municipality-{municipality['number']}",
    )
    party["address"] = {"countryName": "Norway"}
    party["roles"] = roles
    party["details"] = {"municipalityNumber": municipality["number"]}  # SSB's kommunenummer
    return party


def supplier_party(
    *, name: str, organisation_number: str | None, fallback_id: str, roles: list[str]
) -> dict[str, Any]:
    party = _identified(name, organisation_number, fallback_id)
    party["roles"] = roles
    return party


def reference(party: dict[str, Any]) -> dict[str, Any]:
    """An OrganizationReference to a party of the same release."""
    return {"id": party["id"], "name": party["name"]}
