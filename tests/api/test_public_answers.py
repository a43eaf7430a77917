"""No public answer names a person: every GET route, called without a token, on the demo data.

People are put into the database first, through the API with their own tokens (staff, officer,
supplier), doing what they do: a need with its contact person, feedback, a partnership in pilot with an
outcome, a demand view, a saved search. Then every GET route of the OpenAPI document and every page is called
anonymously, with real ids for its path parameters, and no answer may hold a token holder's name, a
contact person or an e-mail address that the database holds. A route the walk cannot fill fails the
test rather than being skipped, so a new route is checked as soon as it exists.
"""

import html
import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import product
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from service.accounts.browser_secrets import CSRF_HEADER
from service.open_data.service import file_names as open_data_files
from service.web.account_pages import router as account_pages_router
from service.web.router import router as pages_router
from tests.api.conftest import SharedServer
from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, SHORT_NEED, WATER_LOSS, move

pytestmark = pytest.mark.slow

BODO = "1804"
NOTICE = Path(__file__).resolve().parents[1] / "notices" / "samples" / "cn_24_minimal.xml"
PAGES = (
    "/",
    "/needs/{need_id}",
    "/solutions/{solution_id}",
    "/search",
    "/tilgjengelighet",
    "/docs",
    "/redoc",
    "/login",
    "/profile",
    "/invite/{secret}",
)
PERSON_EMAIL = "signe.person@bodo.kommune.no"
# Query parameters the walk sets wherever a route takes them: each export format (and, for lists, the
# largest page the route allows); per route, what it needs to show something.
QUERY_VALUES: dict[str, list[str]] = {"format": ["csv", "xlsx"]}
ROUTE_QUERIES: dict[str, dict[str, str]] = {
    "/api/v1/demand": {"kpi": WATER_LOSS},
    "/search": {"q": LEAK_NEED["description"]},
}
# Routes the walk does not call, each with the reason; empty so far.
NOT_WALKED: dict[str, str] = {}
# Actors that are roles or processes, not people.
IMPERSONAL_ACTORS = {"admin", "anonymous"}
PUBLIC_OR_REFUSED = {200, 401}
# Routes answered otherwise, each with the reason. A valid invitation link is one person's secret, like
# a token (its page shows them their own sign-in name), so the walk opens one nobody was given; so is a
# saved search's feed address.
ROUTE_STATUSES: dict[str, set[int]] = {"/invite/{secret}": {404}, "/alerts/feed/{secret}.atom": {404}}


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _token(admin: httpx.Client, **fields: Any) -> str:
    secret: str = _created(admin.post("/api/v1/tokens", json=fields))["token"]
    return secret


def _people_at_work(server: SharedServer) -> dict[str, list[str]]:
    """Tokens of named people who then act through the API; the ids of what they touched, per parameter."""
    with server.client() as admin:
        supplier = admin.get("/api/v1/suppliers", params={"limit": 1}).json()["items"][0]
        tokens = {
            role: _token(admin, name=name, role=role, **binding)
            for role, name, binding in (
                ("staff", "Ola Staff, LUP", {}),
                ("officer", "Kari Officer, Bodø kommune", {"municipality_number": BODO}),
                ("supplier", "Per Supplier, leverandør", {"supplier_id": supplier["id"]}),
            )
        }
    with server.client(token=tokens["officer"]) as officer:
        contact = {"contact_name": "Eva Kontaktperson", "contact_email": "eva.kontakt@bodo.kommune.no"}
        need = _created(officer.post("/api/v1/needs", json={**LEAK_NEED, **contact}))
    with server.client(token=tokens["supplier"]) as supplier_client:
        solution = _created(supplier_client.post("/api/v1/solutions", json={**LEAK_SOLUTION, "trl": 9}))
    with server.client(token=tokens["officer"]) as officer:
        feedback = {"solution_id": solution["id"], "verdict": "contacted"}
        _created(officer.post(f"/api/v1/needs/{need['id']}/feedback", json=feedback))
    with server.client(token=tokens["staff"]) as staff:
        partnership = _created(
            staff.post(
                "/api/v1/partnerships", json={"need_ids": [need["id"]], "solution_ids": [solution["id"]]}
            )
        )
        for status in ("in_dialogue", "pilot"):
            assert move(staff, partnership["id"], status, note="Avtalt i møte.").status_code == 200
        outcome = {
            "municipality_number": BODO,
            "kpi_code": WATER_LOSS,
            "year": datetime.now(UTC).year,
            "value": 21.5,
            "unit": "%",
        }
        _created(staff.post(f"/api/v1/partnerships/{partnership['id']}/outcomes", json=outcome))
        assert staff.get(f"/api/v1/solutions/{solution['id']}/demand").status_code == 200
        search = _created(
            staff.post(
                "/api/v1/saved-searches",
                json={"name": "Ola's vannsøk", "kind": "new_needs", "filters": {"kpi": WATER_LOSS}},
            )
        )
        imported = staff.post("/api/v1/notices/import", files=[("files", (NOTICE.name, NOTICE.read_bytes()))])
        assert imported.status_code == 200, imported.text
        notice = staff.get("/api/v1/notices", params={"limit": 1}).json()["items"][0]
    # A person with an account: signs in, makes a token on the profile page, writes with the cookie.
    add_person(
        server.database_url, PERSON_EMAIL, name="Signe Person", role="officer", municipality_number=BODO
    )
    with signed_in_client(server.live.base_url, PERSON_EMAIL) as browser:
        token = csrf_token(browser.get("/profile"))
        made = browser.post("/profile/tokens", data={"name": "Saksbehandling", "csrf_token": token})
        assert made.status_code == 200, made.text
        assert browser.post("/api/v1/needs", json=SHORT_NEED, headers={CSRF_HEADER: token}).status_code == 201
    return {
        "need_id": [str(need["id"])],
        "solution_id": [str(solution["id"])],
        "supplier_id": [str(supplier["id"])],
        "partnership_id": [str(partnership["id"])],
        "search_id": [str(search["id"])],
        "notice_id": [str(notice["id"])],
        "number": [BODO],
        "code": [WATER_LOSS],
        "secret": ["not-a-link-anyone-was-given"],
        "name": open_data_files(),  # every open-data file
        "key": [],  # a buyer group's: the first listed
    }


def _first_listed(server: SharedServer) -> dict[str, list[str]]:
    """The first item of each list endpoint, as a caller without a token sees it."""
    with server.client(token=None) as anonymous:

        def first(path: str, key: str) -> str:
            items = anonymous.get(path, params={"limit": 1}).json()["items"]
            assert items, f"the demo data has no {path}"
            return str(items[0][key])

        return {
            "need_id": [first("/api/v1/needs", "id")],
            "solution_id": [first("/api/v1/solutions", "id")],
            "supplier_id": [first("/api/v1/suppliers", "id")],
            "number": [first("/api/v1/municipalities", "number")],
            "code": [first("/api/v1/kpis", "code")],
            "key": [first("/api/v1/buyer-groups", "key")],
        }


def _personal_data(database_url: str) -> set[str]:
    """Every name and e-mail address the database holds about people: token holders, contact persons,
    and whoever gave feedback, proposed a partnership, recorded an outcome or acted in the audit trail."""
    queries = (
        "SELECT name FROM api_token",
        "SELECT name FROM user_account",
        "SELECT email FROM user_account",
        "SELECT created_by FROM user_account",
        "SELECT created_by FROM api_token",
        "SELECT contact_name FROM need",
        "SELECT contact_email FROM need",
        "SELECT given_by FROM feedback",
        "SELECT created_by FROM partnership",
        "SELECT recorded_by FROM partnership_outcome",
        "SELECT actor FROM audit_event",
    )
    found: set[str] = set()
    with sqlite3.connect(make_url(database_url).database or "") as connection:
        for query in queries:
            found |= {value for (value,) in connection.execute(query) if value}
    return found - IMPERSONAL_ACTORS


def _readable(response: httpx.Response) -> str:
    """The answer as text a person would read: JSON decoded, HTML entities resolved, a workbook unzipped."""
    kind = response.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(response.content)) as workbook:
            return html.unescape(
                " ".join(
                    workbook.read(name).decode() for name in workbook.namelist() if name.endswith(".xml")
                )
            )
    if "jsonl" in kind:  # JSON Lines: one document a line
        return " ".join(
            json.dumps(json.loads(line), ensure_ascii=False) for line in response.text.splitlines()
        )
    if "json" in kind:
        return json.dumps(response.json(), ensure_ascii=False)
    return html.unescape(response.text)


def _requests(
    path: str, operation: dict[str, Any], ids: dict[str, list[str]]
) -> Iterator[tuple[str, dict[str, str]] | str]:
    """(url, query) for every combination of known values, or a message for a parameter the walk cannot fill."""
    parameters = operation.get("parameters", [])
    path_names = [p["name"] for p in parameters if p["in"] == "path"]
    values = {**QUERY_VALUES}
    for parameter in parameters:
        if parameter["name"] == "limit" and "maximum" in parameter.get("schema", {}):
            values["limit"] = [str(parameter["schema"]["maximum"])]
    query_names = [p["name"] for p in parameters if p["in"] == "query" and p["name"] in values]
    unfilled = [p["name"] for p in parameters if p["in"] != "path" and p.get("required")]
    unfilled += [name for name in path_names if name not in ids]
    unfilled = [name for name in unfilled if name not in ROUTE_QUERIES.get(path, {})]
    if unfilled:
        yield f"{path}: no value for {', '.join(unfilled)}"
        return
    for path_values in product(*(ids[name] for name in path_names)):
        url = path.format(**dict(zip(path_names, path_values, strict=True)))
        for query_values in product(*(values[name] for name in query_names)):
            yield url, {**dict(zip(query_names, query_values, strict=True)), **ROUTE_QUERIES.get(path, {})}


def test_the_walk_covers_every_page() -> None:
    """The pages are not in the OpenAPI document: the walk names them, and must name each of them."""
    routes = [*pages_router.routes, *account_pages_router.routes]
    assert {route.path for route in routes if "GET" in getattr(route, "methods", ())} == set(PAGES)


def test_no_public_answer_names_a_person(seeded_server: SharedServer) -> None:
    acted_on = _people_at_work(seeded_server)
    first = _first_listed(seeded_server)
    ids = {name: list(dict.fromkeys(first.get(name, []) + values)) for name, values in acted_on.items()}
    people = _personal_data(seeded_server.database_url)
    for expected in (
        "Ola Staff, LUP",
        "Kari Officer, Bodø kommune",
        "Eva Kontaktperson",
        "eva.kontakt@bodo.kommune.no",
        "Signe Person",
        PERSON_EMAIL,
    ):
        assert expected in people, f"{expected!r}: the walk needs people in the database to look for"

    with seeded_server.client(token=None) as anonymous:
        schema = anonymous.get("/openapi.json").json()
        routes = {
            path: operations["get"] for path, operations in schema["paths"].items() if "get" in operations
        }
        for page in PAGES:
            routes[page] = {
                "parameters": [{"name": name, "in": "path"} for name in re.findall(r"{(\w+)}", page)]
            }

        unfillable, wrong_status, leaks = [], [], []
        for path, operation in sorted(routes.items()):
            if path in NOT_WALKED:
                continue
            for request in _requests(path, operation, ids):
                if isinstance(request, str):
                    unfillable.append(request)
                    continue
                url, query = request
                # A page for the signed-in sends the anonymous to sign in: the walk reads that page too.
                response = anonymous.get(url, params=query, follow_redirects=True)
                if response.status_code not in ROUTE_STATUSES.get(path, PUBLIC_OR_REFUSED):
                    wrong_status.append(f"{url} {query}: {response.status_code} {response.text[:200]}")
                text = _readable(response).casefold()
                leaks += [f"{url} {query}: {person!r}" for person in people if person.casefold() in text]

    assert not unfillable, "routes the walk cannot fill (give their parameters a value or a reason)"
    assert not wrong_status, "answers other than 200 or 401 mean the walk did not reach the data"
    assert not leaks, "answers to callers without a token that name a person:\n" + "\n".join(leaks)
