"""Records and requests the API tests share: water-loss needs and solutions, partnerships, the audit."""

from datetime import UTC, datetime
from typing import Any

import httpx

WATER_LOSS = "EC-I-WS-3C"  # lower is better; national target 25 %


# The smallest valid bodies of each write, for tests that break one field of them at a time.
SHORT_NEED = {"title": "Vanntap", "description": "Vi mister vann i ledningsnettet."}
SHORT_SOLUTION = {"title": "Leak detection", "description": "Acoustic loggers find leaks."}
OBSERVATION = {
    "municipality_number": "5001",
    "kpi_code": "EC-ICT-WS-1C",
    "year": 2023,
    "value": 10.0,
    "unit": "%",
    "source": "Test",
}

LEAK_NEED = {
    "title": "Vanntap i ledningsnettet",
    "description": "Vi mister en tredjedel av drikkevannet i lekkasjer på ledningsnettet før det når abonnentene.",
    "kpi_codes": [WATER_LOSS],
}


LEAK_SOLUTION = {
    "title": "Lekkasjesøk med lyttelogger",
    "description": "Lyttelogger på ventiler og hydranter finner lekkasjer i vannledningsnettet og reduserer vanntapet.",
    "kpi_codes": [WATER_LOSS],
}


def create(api: httpx.Client, kind: str, **fields: Any) -> dict[str, Any]:
    response = api.post(f"/api/v1/{kind}", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def propose(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    return create(api, "partnerships", **fields)


def move(api: httpx.Client, partnership_id: int, status: str, **extra: Any) -> httpx.Response:
    return api.patch(f"/api/v1/partnerships/{partnership_id}", json={"status": status, **extra})


def observe(api: httpx.Client, rows: list[tuple[str, float, int]], source: str = "SSB testtabell") -> None:
    """Water-loss observations as (municipality, value %, year)."""
    batch = [
        {
            "municipality_number": n,
            "kpi_code": WATER_LOSS,
            "year": y,
            "value": v,
            "unit": "%",
            "source": source,
        }
        for n, v, y in rows
    ]
    response = api.post("/api/v1/kpi-observations", json={"observations": batch})
    assert response.status_code == 200, response.text


def audit_events(api: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = api.get("/api/v1/audit", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def now_utc() -> str:
    """A lower bound for this test's audit events (on PostgreSQL the trail outlives each test)."""
    return datetime.now(UTC).isoformat()


WATER_LOOKALIKES_NO = [
    (
        "Sensorer for drikkevannskvalitet",
        "Online målinger av turbiditet, pH og klor i høydebasseng varsler driftssentralen ved avvik i vannkvaliteten.",
    ),
    (
        "Smarte vannmålere for fakturering",
        "Fjernavleste vannmålere hos abonnentene gir timesforbruk og automatisk fakturering av vann og avløp.",
    ),
    (
        "Varsling av overvann og flom",
        "Nivåsensorer i bekker og overvannsledninger varsler beredskapen før styrtregn gir oversvømte kjellere.",
    ),
    (
        "Smarte avfallsbeholdere",
        "Fyllingsgradssensorer i nedgravde avfallsbeholdere gir kortere tømmeruter og færre overfylte containere.",
    ),
    (
        "Bestillingsstyrt minibuss",
        "Innbyggere i spredtbygde strøk bestiller minibuss i en app, og ruten planlegges fortløpende.",
    ),
]


WATER_LOOKALIKES_EN = [
    (
        "Drinking water quality sensors",
        "Online turbidity, pH and chlorine measurements in reservoirs alert the control room when water quality deviates.",
    ),
    (
        "Smart water meters for billing",
        "Remotely read customer water meters provide hourly consumption and automatic billing for water and sewage.",
    ),
    (
        "Stormwater and flood warning",
        "Level sensors in streams and stormwater pipes warn emergency services before cloudbursts flood basements.",
    ),
    (
        "Smart waste bins",
        "Fill-level sensors in underground waste containers shorten collection routes and prevent overflowing bins.",
    ),
    (
        "On-demand minibus",
        "Residents in sparsely populated areas book a minibus in an app, and the route is planned continuously.",
    ),
]
