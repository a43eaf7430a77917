"""Roles: every write endpoint against every kind of caller, on a real server.

Allowed callers succeed; the others get 401 (no, unknown or revoked token) or 403 (a role or an
owner that may not) and leave the database exactly as it was. The matrix must name every write
route of the application, so a new endpoint without a rule fails here.
"""

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from embeddings import Encoder
from service.accounts.browser_secrets import CSRF_HEADER
from service.app import create_app
from service.audit.writes import READ_ONLY_PATHS, WRITE_METHODS
from service.cli import app as cli
from service.config import Settings, get_settings
from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.servers import ADMIN_TOKEN, LiveServer, start_server

HOME, ELSEWHERE = "0301", "1804"  # Oslo, Bodø
WATER_LOSS = "EC-I-WS-3C"
CALLERS = (
    "anonymous",
    "unknown",
    "revoked",
    "admin",
    "staff",
    "officer",
    "officer_elsewhere",
    "supplier",
    "supplier_elsewhere",
)
UNAUTHENTICATED = {"anonymous", "unknown", "revoked"}
SESSION_TABLES = ("user_session",)  # a session's last activity is written on every request
NEED = {"title": "Vanntap", "description": "Lekkasjer i ledningsnettet gir stort vanntap.", "language": "no"}
SOLUTION = {
    "title": "Leak detection",
    "description": "Acoustic loggers find leaks in water mains.",
    "language": "en",
}


@dataclass
class World:
    server: LiveServer
    database: Path
    tokens: dict[str, str | None]
    supplier_id: int
    supplier_elsewhere_id: int

    def client(self, caller: str) -> httpx.Client:
        return self.server.client(token=self.tokens[caller])


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _supplier(admin: httpx.Client, organisation_number: str) -> int:
    return int(
        _created(
            admin.post(
                "/api/v1/suppliers", json={"name": "Lytt AS", "organisation_number": organisation_number}
            )
        )["id"]
    )


def _token(admin: httpx.Client, role: str, **binding: object) -> dict[str, Any]:
    return _created(admin.post("/api/v1/tokens", json={"name": f"test {role}", "role": role, **binding}))


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[World]:
    """One server for the module (SQLite: who may do what does not depend on the database)."""
    directory = tmp_path_factory.mktemp("roles")
    database = directory / "innomatch.sqlite3"
    database.write_bytes(sqlite_template.read_bytes())
    settings = Settings(
        data_dir=directory / "data",
        database_url=f"sqlite:///{database}",
        admin_token=ADMIN_TOKEN,
        seed="none",
    )
    server = start_server(settings, encoder)
    with server.client() as admin:
        supplier_id = _supplier(admin, "974760673")
        supplier_elsewhere_id = _supplier(admin, "923609016")
        revoked = _token(admin, "officer", municipality_number=HOME)
        assert admin.delete(f"/api/v1/tokens/{revoked['id']}").status_code == 200
        tokens: dict[str, str | None] = {
            "anonymous": None,
            "unknown": "im_not-a-token-anyone-was-given",
            "revoked": revoked["token"],
            "admin": ADMIN_TOKEN,
            "staff": _token(admin, "staff")["token"],
            "officer": _token(admin, "officer", municipality_number=HOME)["token"],
            "officer_elsewhere": _token(admin, "officer", municipality_number=ELSEWHERE)["token"],
            "supplier": _token(admin, "supplier", supplier_id=supplier_id)["token"],
            "supplier_elsewhere": _token(admin, "supplier", supplier_id=supplier_elsewhere_id)["token"],
        }
    yield World(server, database, tokens, supplier_id, supplier_elsewhere_id)
    server.stop()


# -- the cases: each prepares its own target as admin and returns the request to try --


@dataclass(frozen=True)
class Upload:
    """A multipart body of files (the notices import) rather than JSON."""

    files: list[tuple[str, tuple[str, bytes, str]]]


Request = tuple[str, str, dict[str, Any] | Upload | None]
NOTICE = Path(__file__).resolve().parents[1] / "notices" / "samples" / "cn_24_minimal.xml"


def _sent(body: dict[str, Any] | Upload | None) -> dict[str, Any]:
    return {"files": body.files} if isinstance(body, Upload) else {"json": body}


def _need(world: World, admin: httpx.Client) -> int:
    return int(_created(admin.post("/api/v1/needs", json={**NEED, "municipality_number": HOME}))["id"])


def _solution(world: World, admin: httpx.Client) -> int:
    body = {**SOLUTION, "supplier_id": world.supplier_id}
    return int(_created(admin.post("/api/v1/solutions", json=body))["id"])


def _partnership(world: World, admin: httpx.Client, *, in_pilot: bool = False) -> int:
    body = {"need_ids": [_need(world, admin)], "solution_ids": [_solution(world, admin)]}
    partnership_id = int(_created(admin.post("/api/v1/partnerships", json=body))["id"])
    for status in ("in_dialogue", "pilot") if in_pilot else ():
        moved = admin.patch(f"/api/v1/partnerships/{partnership_id}", json={"status": status})
        assert moved.status_code == 200, moved.text
    return partnership_id


def _staff_search(world: World) -> int:
    """A search of the staff token's: its owner and administrators may change it, no one else."""
    with world.client("staff") as staff:
        return int(_created(staff.post("/api/v1/saved-searches", json=SEARCH))["id"])


def _staff_webhook(world: World) -> int:
    """A webhook endpoint of the staff token's: its owner and administrators may change it, no one else."""
    with world.client("staff") as staff:
        return int(_created(staff.post("/api/v1/webhooks", json=WEBHOOK))["id"])


_years = iter(range(1990, 2027))  # a fresh year for each outcome: one year holds one source's value


def _recorded_outcome(world: World, admin: httpx.Client) -> str:
    """The path of an outcome recorded in a new pilot."""
    partnership_id = _partnership(world, admin, in_pilot=True)
    body = {
        "kpi_code": WATER_LOSS,
        "municipality_number": HOME,
        "year": next(_years),
        "value": 20.0,
        "unit": "%",
    }
    outcome = _created(admin.post(f"/api/v1/partnerships/{partnership_id}/outcomes", json=body))
    return f"/api/v1/partnerships/{partnership_id}/outcomes/{outcome['id']}"


@dataclass(frozen=True)
class Case:
    method: str
    route: str  # the route's template, as the application declares it
    allowed: frozenset[str]
    prepare: Callable[[World, httpx.Client], Request]
    # The target belongs to the staff token (a saved search): a person of the same role is someone else.
    owned_by_staff_token: bool = False


NEED_OWNERS = frozenset({"admin", "staff", "officer"})
SOLUTION_OWNERS = frozenset({"admin", "supplier"})
STAFF = frozenset({"admin", "staff"})
# A saved search belongs to a person or a token: the bootstrap admin token is neither.
SEARCH_OWNERS = frozenset({"staff", "officer", "officer_elsewhere", "supplier", "supplier_elsewhere"})
SEARCH = {"name": "Vann", "kind": "needs_for_text", "text": "lekkasjer i vannledninger"}
WEBHOOK = {"url": "https://1.1.1.1/hooks/innomatch"}  # a public address: the guard needs no name server

CASES = [
    Case(
        "POST",
        "/api/v1/needs",
        NEED_OWNERS,
        lambda w, a: ("POST", "/api/v1/needs", {**NEED, "municipality_number": HOME}),
    ),
    Case(
        "PATCH",
        "/api/v1/needs/{need_id}",
        NEED_OWNERS,
        lambda w, a: ("PATCH", f"/api/v1/needs/{_need(w, a)}", {"title": "Nytt"}),
    ),
    Case(
        "DELETE",
        "/api/v1/needs/{need_id}",
        NEED_OWNERS,
        lambda w, a: ("DELETE", f"/api/v1/needs/{_need(w, a)}", None),
    ),
    Case(
        "POST",
        "/api/v1/municipalities/{number}/needs/generate",
        NEED_OWNERS,
        lambda w, a: ("POST", f"/api/v1/municipalities/{HOME}/needs/generate", None),
    ),
    Case(
        "POST",
        "/api/v1/needs/{need_id}/feedback",
        NEED_OWNERS,
        lambda w, a: (
            "POST",
            f"/api/v1/needs/{_need(w, a)}/feedback",
            {"solution_id": _solution(w, a), "verdict": "useful"},
        ),
    ),
    Case(
        "POST",
        "/api/v1/kpi-observations",
        NEED_OWNERS,
        lambda w, a: (
            "POST",
            "/api/v1/kpi-observations",
            {
                "observations": [
                    {
                        "municipality_number": HOME,
                        "kpi_code": WATER_LOSS,
                        "year": 2020,
                        "value": 30.0,
                        "unit": "%",
                        "source": "test",
                    }
                ]
            },
        ),
    ),
    Case(
        "POST",
        "/api/v1/solutions",
        SOLUTION_OWNERS,
        lambda w, a: ("POST", "/api/v1/solutions", {**SOLUTION, "supplier_id": w.supplier_id}),
    ),
    Case(
        "PATCH",
        "/api/v1/solutions/{solution_id}",
        SOLUTION_OWNERS,
        lambda w, a: ("PATCH", f"/api/v1/solutions/{_solution(w, a)}", {"trl": 7}),
    ),
    Case(
        "POST",
        "/api/v1/solutions/batch",
        SOLUTION_OWNERS,
        lambda w, a: (
            "POST",
            "/api/v1/solutions/batch",
            {"items": [{**SOLUTION, "supplier_id": w.supplier_id}]},
        ),
    ),
    Case(
        "PATCH",
        "/api/v1/solutions/batch",
        SOLUTION_OWNERS,
        lambda w, a: ("PATCH", "/api/v1/solutions/batch", {"items": [{"id": _solution(w, a), "trl": 7}]}),
    ),
    Case(
        "DELETE",
        "/api/v1/solutions/{solution_id}",
        SOLUTION_OWNERS,
        lambda w, a: ("DELETE", f"/api/v1/solutions/{_solution(w, a)}", None),
    ),
    Case(
        "POST",
        "/api/v1/suppliers",
        STAFF,
        lambda w, a: (
            "POST",
            "/api/v1/suppliers",
            {"name": "Ny AS", "organisation_number": _free_organisation_number(a)},
        ),
    ),
    Case(
        "PATCH",
        "/api/v1/suppliers/{supplier_id}",
        STAFF | {"supplier"},
        lambda w, a: ("PATCH", f"/api/v1/suppliers/{w.supplier_id}", {"website": "https://lytt.example"}),
    ),
    Case(
        "DELETE",
        "/api/v1/suppliers/{supplier_id}",
        frozenset({"admin"}),
        lambda w, a: ("DELETE", f"/api/v1/suppliers/{_supplier(a, _free_organisation_number(a))}", None),
    ),
    Case(
        "POST",
        "/api/v1/partnerships",
        STAFF,
        lambda w, a: (
            "POST",
            "/api/v1/partnerships",
            {"need_ids": [_need(w, a)], "solution_ids": [_solution(w, a)]},
        ),
    ),
    Case(
        "PATCH",
        "/api/v1/partnerships/{partnership_id}",
        STAFF,
        lambda w, a: ("PATCH", f"/api/v1/partnerships/{_partnership(w, a)}", {"status": "in_dialogue"}),
    ),
    Case(
        "POST",
        "/api/v1/partnerships/{partnership_id}/outcomes",
        STAFF,
        lambda w, a: (
            "POST",
            f"/api/v1/partnerships/{_partnership(w, a, in_pilot=True)}/outcomes",
            {
                "kpi_code": WATER_LOSS,
                "municipality_number": HOME,
                "year": next(_years),
                "value": 20.0,
                "unit": "%",
            },
        ),
    ),
    Case(
        "PATCH",
        "/api/v1/partnerships/{partnership_id}/outcomes/{outcome_id}",
        STAFF,
        lambda w, a: ("PATCH", _recorded_outcome(w, a), {"value": 19.0}),
    ),
    Case(
        "POST",
        "/api/v1/saved-searches",
        SEARCH_OWNERS,
        lambda w, a: ("POST", "/api/v1/saved-searches", SEARCH),
    ),
    Case(
        "PATCH",
        "/api/v1/saved-searches/{search_id}",
        STAFF,
        lambda w, a: ("PATCH", f"/api/v1/saved-searches/{_staff_search(w)}", {"paused": True}),
        owned_by_staff_token=True,
    ),
    Case(
        "POST",
        "/api/v1/saved-searches/{search_id}/feed",
        STAFF,
        lambda w, a: ("POST", f"/api/v1/saved-searches/{_staff_search(w)}/feed", None),
        owned_by_staff_token=True,
    ),
    Case(
        "DELETE",
        "/api/v1/saved-searches/{search_id}",
        STAFF,
        lambda w, a: ("DELETE", f"/api/v1/saved-searches/{_staff_search(w)}", None),
        owned_by_staff_token=True,
    ),
    Case(
        "POST",
        "/api/v1/webhooks",
        SEARCH_OWNERS,
        lambda w, a: ("POST", "/api/v1/webhooks", WEBHOOK),
    ),
    Case(
        "POST",
        "/api/v1/webhooks/{webhook_id}/rotate",
        STAFF,
        lambda w, a: ("POST", f"/api/v1/webhooks/{_staff_webhook(w)}/rotate", None),
        owned_by_staff_token=True,
    ),
    Case(
        "DELETE",
        "/api/v1/webhooks/{webhook_id}",
        STAFF,
        lambda w, a: ("DELETE", f"/api/v1/webhooks/{_staff_webhook(w)}", None),
        owned_by_staff_token=True,
    ),
    Case(
        "POST",
        "/api/v1/notices/import",
        STAFF,
        lambda w, a: (
            "POST",
            "/api/v1/notices/import",
            Upload([("files", (NOTICE.name, NOTICE.read_bytes(), "application/xml"))]),
        ),
    ),
    Case(
        "POST",
        "/api/v1/tokens",
        frozenset({"admin"}),
        lambda w, a: ("POST", "/api/v1/tokens", {"name": "x", "role": "staff"}),
    ),
    Case(
        "DELETE",
        "/api/v1/tokens/{token_id}",
        frozenset({"admin"}),
        lambda w, a: ("DELETE", f"/api/v1/tokens/{_token(a, 'staff')['id']}", None),
    ),
]


def _free_organisation_number(admin: httpx.Client) -> str:
    """A valid organisation number (mod-11) not yet registered."""
    taken = {
        item["organisation_number"]
        for item in admin.get("/api/v1/suppliers", params={"limit": 200}).json()["items"]
    }
    for base in range(91_000_000, 92_000_000):
        digits = [int(d) for d in str(base)]
        remainder = sum(w * d for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        number = f"{base}{check}"
        if check != 10 and number not in taken:
            return number
    raise AssertionError("no free organisation number")


def _fingerprint(database: Path, *, besides: tuple[str, ...] = ()) -> str:
    """A hash of every row of every table but `besides`: equal fingerprints mean nothing was written."""
    with sqlite3.connect(database) as connection:
        rows = [line for line in connection.iterdump() if not line.startswith(_inserts_into(besides))]
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _inserts_into(tables: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f'INSERT INTO "{table}"' for table in tables)


def test_the_matrix_names_every_write_route() -> None:
    paths = create_app(Settings(admin_token=ADMIN_TOKEN)).openapi()["paths"]
    write_routes = {
        (method.upper(), path)
        for path, operations in paths.items()
        if not path.startswith(READ_ONLY_PATHS)
        for method in operations
        if method.upper() in WRITE_METHODS
    }
    assert write_routes == {(case.method, case.route) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.method} {case.route}")
def test_each_caller_is_allowed_or_refused_on_each_write(world: World, case: Case) -> None:
    outcomes: dict[str, int] = {}
    with world.client("admin") as admin:
        for caller in CALLERS:
            method, path, body = case.prepare(world, admin)
            before = _fingerprint(world.database)
            with world.client(caller) as client:
                response = client.request(method, path, **_sent(body))
            outcomes[caller] = response.status_code
            if caller in case.allowed:
                assert response.is_success, (caller, response.text)
                continue
            assert response.status_code == (401 if caller in UNAUTHENTICATED else 403), (
                caller,
                response.text,
            )
            assert response.json()["detail"], "a refusal says why"
            assert _fingerprint(world.database) == before, f"{caller} was refused but something was written"
    print(f"{case.method} {case.route}: {outcomes}")


SESSION_CALLERS = ("staff", "officer", "officer_elsewhere", "supplier", "supplier_elsewhere")


@pytest.fixture(scope="module")
def people(world: World) -> Iterator[dict[str, tuple[httpx.Client, str]]]:
    """A person signed in with a browser session for each bound role, with the CSRF token the API
    asks of a session's writes."""
    url = f"sqlite:///{world.database}"
    bindings: dict[str, dict[str, object]] = {
        "staff": {"role": "staff"},
        "officer": {"role": "officer", "municipality_number": HOME},
        "officer_elsewhere": {"role": "officer", "municipality_number": ELSEWHERE},
        "supplier": {"role": "supplier", "supplier_id": world.supplier_id},
        "supplier_elsewhere": {"role": "supplier", "supplier_id": world.supplier_elsewhere_id},
    }
    with ExitStack() as stack:
        signed: dict[str, tuple[httpx.Client, str]] = {}
        for caller in SESSION_CALLERS:
            email = f"{caller.replace('_', '.')}@roles.example.no"
            binding = dict(bindings[caller])
            add_person(url, email, name=caller, role=str(binding.pop("role")), **binding)
            client = stack.enter_context(signed_in_client(world.server.base_url, email))
            signed[caller] = (client, csrf_token(client.get("/profile")))
        yield signed


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.method} {case.route}")
def test_a_signed_in_person_is_allowed_and_refused_as_a_token_of_the_same_role(
    world: World, people: dict[str, tuple[httpx.Client, str]], case: Case
) -> None:
    """One rule set: the session of a person answers each write as a token of the same role and binding
    (what belongs to the staff token belongs to no person signed in here)."""
    allowed = frozenset() if case.owned_by_staff_token else case.allowed
    with world.client("admin") as admin:
        for caller in SESSION_CALLERS:
            method, path, body = case.prepare(world, admin)
            before = _fingerprint(world.database, besides=SESSION_TABLES)
            client, token = people[caller]
            response = client.request(method, path, **_sent(body), headers={CSRF_HEADER: token})
            if caller in allowed:
                assert response.is_success, (caller, response.text)
                continue
            assert response.status_code == 403, (caller, response.text)
            assert _fingerprint(world.database, besides=SESSION_TABLES) == before, f"{caller} wrote"


def test_every_accepted_write_is_audited_with_who_and_when(world: World) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    with world.client("officer") as officer:
        need = _created(officer.post("/api/v1/needs", json=NEED))
        assert officer.delete(f"/api/v1/needs/{need['id']}").status_code == 204
    assert need["municipality_number"] == HOME, "an officer's need belongs to the officer's municipality"
    with world.client("staff") as staff:
        params = {"subject_kind": "api", "since": started.isoformat(), "limit": 200}
        events = staff.get("/api/v1/audit", params=params).json()["items"]
    writes = [(event["subject_id"], event["actor"]) for event in events]
    [actor] = [actor for subject, actor in writes if subject == f"DELETE /api/v1/needs/{need['id']}"]
    assert actor.startswith("test officer (officer token ")
    assert ("POST /api/v1/needs", actor) in writes  # other callers' writes of this second may be beside it
    assert all(datetime.fromisoformat(event["occurred_at"]) >= started for event in events)


def test_a_supplier_sees_its_own_drafts_and_nobody_else_does(world: World) -> None:
    with world.client("supplier") as supplier:
        draft = _created(supplier.post("/api/v1/solutions", json={**SOLUTION, "status": "draft"}))
        assert draft["supplier_id"] == world.supplier_id
        assert supplier.get(f"/api/v1/solutions/{draft['id']}").status_code == 200
    for caller in ("anonymous", "supplier_elsewhere", "officer"):
        with world.client(caller) as client:
            assert client.get(f"/api/v1/solutions/{draft['id']}").status_code == 404, caller
            listed = client.get("/api/v1/solutions", params={"status": "draft", "limit": 200}).json()["items"]
            assert draft["id"] not in {item["id"] for item in listed}, caller
            assert client.get(f"/api/v1/solutions/{draft['id']}/matches").status_code == 404, caller
            searched = client.post(
                "/api/v1/search/solutions", json={"query": "leak", "filters": {"status": "draft"}}
            )
            assert searched.status_code == 403, caller
    with world.client("staff") as staff:
        assert staff.get(f"/api/v1/solutions/{draft['id']}").status_code == 200
    assert httpx.get(f"{world.server.base_url}/solutions/{draft['id']}").status_code == 404, "the public page"


def test_contact_data_is_kept_from_anonymous_readers(world: World) -> None:
    contact = {"contact_name": "Kari Nordmann", "contact_email": "kari.nordmann@oslo.kommune.no"}
    # A text of its own, so that searches and matches find this need among the others of the module.
    snow = {
        "title": "Snørydding",
        "description": "Brøyting av fortau og sykkelveier tar for lang tid om vinteren.",
    }
    with world.client("officer") as officer:
        need = _created(officer.post("/api/v1/needs", json={**snow, "language": "no", **contact}))
    with world.client("supplier") as supplier:
        plough = {
            "title": "Snow clearing robots",
            "description": "Small robots clear snow from pavements and cycle paths.",
        }
        solution_id = _created(supplier.post("/api/v1/solutions", json={**plough, "language": "en"}))["id"]
        assert supplier.get(f"/api/v1/needs/{need['id']}").json()["contact_email"] == contact["contact_email"]
    with world.client("anonymous") as anonymous:
        seen = anonymous.get(f"/api/v1/needs/{need['id']}").json()
        listed = anonymous.get("/api/v1/needs", params={"limit": 200}).json()["items"]
        searched = anonymous.post("/api/v1/search/needs", json={"query": snow["description"]}).json()
        matched = anonymous.get(f"/api/v1/solutions/{solution_id}/matches").json()
    assert (seen["contact_name"], seen["contact_email"]) == (None, None)
    assert need["id"] in {item["need"]["id"] for item in searched["items"]}
    assert need["id"] in {item["need"]["id"] for item in matched["items"]}
    for answer in (listed, searched, matched):
        assert "Kari" not in str(answer)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/audit", STAFF),
        ("/api/v1/partnerships", STAFF),
        ("/api/v1/partnerships/export", STAFF),
        ("/api/v1/tokens", frozenset({"admin"})),
        ("feedback", NEED_OWNERS),
    ],
)
def test_feedback_audit_partnerships_and_tokens_are_read_only_by_their_owners(
    world: World, path: str, allowed: frozenset[str]
) -> None:
    with world.client("admin") as admin:
        if path == "feedback":
            path = f"/api/v1/needs/{_need(world, admin)}/feedback"
    for caller in CALLERS:
        with world.client(caller) as client:
            status = client.get(path).status_code
        expected = 200 if caller in allowed else 401 if caller in UNAUTHENTICATED else 403
        assert status == expected, (caller, path)


def test_token_secrets_are_shown_once_and_stored_hashed(world: World) -> None:
    with world.client("admin") as admin:
        created = _token(admin, "staff")
        listed = admin.get("/api/v1/tokens").json()
    assert created["token"].startswith(created["prefix"])
    assert created["token"] not in str(listed)
    with sqlite3.connect(world.database) as connection:
        stored = connection.execute(
            "SELECT token_hash FROM api_token WHERE id = ?", (created["id"],)
        ).fetchone()[0]
    assert stored == hashlib.sha256(created["token"].encode()).hexdigest()
    assert created["token"].encode() not in world.database.read_bytes()
    with world.client("admin") as admin:
        assert admin.delete(f"/api/v1/tokens/{created['id']}").status_code == 200
        params = {"subject_kind": "token", "subject_id": created["id"]}
        events = admin.get("/api/v1/audit", params=params).json()["items"]
    assert [(event["action"], event["actor"]) for event in events] == [
        ("token.created", "admin"),
        ("token.revoked", "admin"),
    ]
    assert created["token"] not in str(events) and stored not in str(events)


def test_tokens_bound_to_nothing_or_the_wrong_thing_are_refused(world: World) -> None:
    with world.client("admin") as admin:
        for body in (
            {"name": "x", "role": "officer"},
            {"name": "x", "role": "supplier"},
            {"name": "x", "role": "staff", "municipality_number": HOME},
            {"name": "x", "role": "officer", "municipality_number": "9999"},
            {"name": "x", "role": "supplier", "supplier_id": 999_999},
            {"name": "x", "role": "root"},
        ):
            response = admin.post("/api/v1/tokens", json=body)
            assert response.status_code == 422, (body, response.text)


def test_the_cli_creates_a_working_token_and_revokes_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNOMATCH_DATABASE_URL", f"sqlite:///{world.database}")
    get_settings.cache_clear()
    runner = CliRunner()
    created = runner.invoke(
        cli, ["tokens", "create", "--name", "Ola, Bodø", "--role", "officer", "--municipality", ELSEWHERE]
    )
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    with world.server.client(token=secret) as officer:
        assert officer.post("/api/v1/needs", json=NEED).json()["municipality_number"] == ELSEWHERE
    token_id = created.output.split()[1]
    assert "Ola, Bodø" in runner.invoke(cli, ["tokens", "list"]).output
    revoked = runner.invoke(cli, ["tokens", "revoke", token_id])
    assert revoked.exit_code == 0, revoked.output
    with world.server.client(token=secret) as officer:
        assert officer.post("/api/v1/needs", json=NEED).status_code == 401
    refused = runner.invoke(cli, ["tokens", "create", "--name", "x", "--role", "officer"])
    assert refused.exit_code != 0 and "municipality_number" in refused.output
    get_settings.cache_clear()
