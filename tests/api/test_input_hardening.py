"""Bad input gets a 4xx naming what is wrong in words a person reads, and the database stays as it was."""

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.conftest import SharedServer
from tests.support.records import OBSERVATION
from tests.support.records import SHORT_NEED as NEED
from tests.support.records import SHORT_SOLUTION as SOLUTION

SUPPLIER = {"name": "Lekkasje AS", "organisation_number": "974760673"}
PARTNERSHIP = {"need_ids": [1], "title": "Pilot"}
SEARCH = {"query": "water leaks"}
MEGABYTE = 2**20

# (method, path, a valid body, how to put a value into it, the field's location in a 422)
FREE_TEXT_FIELDS: list[tuple[str, str, dict[str, Any], tuple[str | int, ...]]] = [
    ("POST", "/api/v1/needs", NEED, ("title",)),
    ("POST", "/api/v1/needs", NEED, ("description",)),
    ("POST", "/api/v1/needs", NEED, ("contact_name",)),
    ("PATCH", "/api/v1/needs/1", {}, ("title",)),
    ("POST", "/api/v1/solutions", SOLUTION, ("title",)),
    ("POST", "/api/v1/solutions", SOLUTION, ("description",)),
    ("POST", "/api/v1/suppliers", SUPPLIER, ("name",)),
    ("POST", "/api/v1/kpi-observations", {"observations": [OBSERVATION]}, ("observations", 0, "source")),
    ("POST", "/api/v1/kpi-observations", {"observations": [OBSERVATION]}, ("observations", 0, "unit")),
    ("POST", "/api/v1/kpi-observations", {"observations": [OBSERVATION]}, ("observations", 0, "data_point")),
    ("POST", "/api/v1/partnerships", PARTNERSHIP, ("title",)),
    ("POST", "/api/v1/partnerships", PARTNERSHIP, ("buyer_group_key",)),
    ("PATCH", "/api/v1/partnerships/1", {}, ("note",)),
    ("POST", "/api/v1/search/solutions", SEARCH, ("query",)),
    ("POST", "/api/v1/kpis/suggest", {"text": "vanntap"}, ("text",)),
    ("POST", "/api/v1/tokens", {"role": "staff", "name": "Kari"}, ("name",)),
]
LENGTH_LIMITS = {
    "title": 300,
    "description": 20_000,
    "contact_name": 200,
    "name": 200,
    "source": 500,
    "unit": 50,
    "data_point": 50,
    "buyer_group_key": 200,
    "note": 2000,
    "query": 20_000,
    "text": 20_000,
}


def _with(body: dict[str, Any], location: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """A copy of `body` with `value` at `location`."""
    changed = copy.deepcopy(body)
    target: Any = changed
    for step in location[:-1]:
        target = target[step]
    target[location[-1]] = value
    return changed


@pytest.fixture(scope="module")
def client(catalogue_server: SharedServer) -> Iterator[httpx.Client]:
    with catalogue_server.client() as client:
        yield client


def _refused(
    server: SharedServer, client: httpx.Client, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """The response to a request that must be refused with 422 and must leave every table as it was."""
    before = server.counts()
    response = client.request(method, path, **kwargs)
    assert response.status_code == 422, response.text
    assert server.counts() == before
    return response


def _error_at(response: httpx.Response, location: tuple[str | int, ...]) -> dict[str, Any]:
    errors = response.json()["detail"]
    assert all(isinstance(error["msg"], str) and error["msg"] for error in errors)
    matching = [error for error in errors if tuple(error["loc"][1:]) == location]
    assert matching, f"no error at {location}: {errors}"
    return matching[0]


@pytest.mark.parametrize(("method", "path", "body", "location"), FREE_TEXT_FIELDS)
@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_naming_the_field(
    catalogue_server: SharedServer,
    client: httpx.Client,
    method: str,
    path: str,
    body: dict[str, Any],
    location: tuple[str | int, ...],
    character: str,
) -> None:
    value = f"Before{character}after"
    response = _refused(catalogue_server, client, method, path, json=_with(body, location, value))
    error = _error_at(response, location)
    assert f"must not contain control characters: U+{ord(character):04X} at position 6" in error["msg"]


@pytest.mark.parametrize(("method", "path", "body", "location"), FREE_TEXT_FIELDS)
def test_text_over_its_length_limit_is_refused_naming_the_field(
    catalogue_server: SharedServer,
    client: httpx.Client,
    method: str,
    path: str,
    body: dict[str, Any],
    location: tuple[str | int, ...],
) -> None:
    name = str(location[-1])
    limit = 60 if path == "/api/v1/tokens" else LENGTH_LIMITS[name]
    response = _refused(catalogue_server, client, method, path, json=_with(body, location, "x" * (limit + 1)))
    assert f"at most {limit} characters" in _error_at(response, location)["msg"]


def test_a_lone_surrogate_is_refused_and_the_answer_is_valid_utf8(
    catalogue_server: SharedServer, client: httpx.Client
) -> None:
    # "\ud800" is legal JSON syntax, but half of a surrogate pair is no character and cannot be stored.
    body = b'{"title": "Vann\\ud800tap", "description": "Lekkasjer."}'
    response = _refused(
        catalogue_server,
        client,
        "POST",
        "/api/v1/needs",
        content=body,
        headers={"content-type": "application/json"},
    )
    response.content.decode("utf-8")  # strict: a surrogate in the answer would fail here
    assert "half of a UTF-16 surrogate pair" in _error_at(response, ("title",))["msg"]


@pytest.mark.parametrize(
    ("method", "path", "body", "location"),
    [
        ("POST", "/api/v1/needs", {**NEED, "status": "done"}, ("body", "status")),
        ("POST", "/api/v1/solutions", {**SOLUTION, "status": "live"}, ("body", "status")),
        ("POST", "/api/v1/needs/1/feedback", {"solution_id": 1, "verdict": "great"}, ("body", "verdict")),
        ("POST", "/api/v1/search/needs", {**SEARCH, "ranking": "best"}, ("body", "ranking")),
        ("POST", "/api/v1/search/needs", {**SEARCH, "filters": {"dimension": "Sport"}}, ("body", "filters", "dimension")),
        ("POST", "/api/v1/tokens", {"name": "Kari", "role": "root"}, ("body", "role")),
        ("GET", "/api/v1/needs?status=done", None, ("query", "status")),
        ("GET", "/api/v1/partnerships?status=won", None, ("query", "status")),
        ("GET", "/api/v1/partnerships/export?format=pdf", None, ("query", "format")),
        ("GET", "/api/v1/audit?format=pdf", None, ("query", "format")),
        ("GET", "/api/v1/kpis?dimension=Sport", None, ("query", "dimension")),
        ("GET", "/api/v1/needs/1/matches?ranking=best", None, ("query", "ranking")),
    ],
)  # fmt: skip
def test_values_outside_an_enumeration_are_refused(
    catalogue_server: SharedServer,
    client: httpx.Client,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    location: tuple[str, ...],
) -> None:
    response = _refused(catalogue_server, client, method, path, json=body)
    [error] = [error for error in response.json()["detail"] if tuple(error["loc"]) == location]
    assert error["msg"].startswith("Input should be ")


@pytest.mark.parametrize(
    ("path", "location", "words"),
    [
        ("/api/v1/needs?limit=0", "limit", "greater than or equal to 1"),
        ("/api/v1/needs?limit=201", "limit", "less than or equal to 200"),
        ("/api/v1/needs?limit=many", "limit", "valid integer"),
        ("/api/v1/needs?offset=-1", "offset", "greater than or equal to 0"),
        ("/api/v1/needs?offset=10000001", "offset", "less than or equal to 10000000"),
        ("/api/v1/buyer-groups?limit=51", "limit", "less than or equal to 50"),
        ("/api/v1/needs/1/matches?limit=101", "limit", "less than or equal to 100"),
        ("/api/v1/needs/99999999999999999999", "need_id", "less than or equal to 9223372036854775807"),
        ("/api/v1/solutions/0", "solution_id", "greater than or equal to 1"),
        ("/api/v1/solutions?supplier_id=99999999999999999999", "supplier_id", "less than or equal to"),
        ("/api/v1/needs?municipality=Trondheim", "municipality", "four-digit municipality number"),
        ("/api/v1/municipalities?county=5", "county", "two-digit county number"),
        ("/api/v1/municipalities?name=" + "x" * 101, "name", "at most 100 characters"),
        ("/api/v1/municipalities/Oslo", "number", "four-digit municipality number"),
        ("/api/v1/kpis/" + "X" * 31, "code", "at most 30 characters"),
        ("/api/v1/audit?actor=" + "x" * 101, "actor", "at most 100 characters"),
        ("/api/v1/demand?kpi=" + "x" * 31, "kpi", "at most 30 characters"),
        ("/api/v1/solutions/1/matches?cpv=9", "cpv", "first 2 to 8 digits of a CPV code"),
    ],
)
def test_pages_ids_and_query_strings_are_bounded(
    catalogue_server: SharedServer, client: httpx.Client, path: str, location: str, words: str
) -> None:
    response = _refused(catalogue_server, client, "GET", path)
    [error] = [error for error in response.json()["detail"] if error["loc"][-1] == location]
    assert words in error["msg"]


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({**SOLUTION, "supplier_id": 10**30}, ("supplier_id",)),
        ({**SOLUTION, "supplier_id": -1}, ("supplier_id",)),
    ],
)
def test_an_id_sql_cannot_hold_is_a_422_not_a_500(
    catalogue_server: SharedServer, client: httpx.Client, body: dict[str, Any], location: tuple[str, ...]
) -> None:
    _error_at(_refused(catalogue_server, client, "POST", "/api/v1/solutions", json=body), location)
    response = _refused(catalogue_server, client, "POST", "/api/v1/partnerships", json={"need_ids": [2**64]})
    _error_at(response, ("need_ids", 0))


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b'{"title": "Vanntap", ', "application/json", "The body is not valid JSON: Expecting property name"),
        (b"", "application/json", "The request needs a JSON body."),
        (b"[1, 2]", "application/json", "The body must be a JSON object"),
        (b"title=Vanntap", "application/x-www-form-urlencoded", "sent with 'Content-Type: application/json'"),
        (b'{"title": "Vanntap"}', "text/plain", "sent with 'Content-Type: application/json'"),
    ],
)
def test_a_malformed_body_is_explained(
    catalogue_server: SharedServer, client: httpx.Client, content: bytes, content_type: str, message: str
) -> None:
    response = _refused(
        catalogue_server,
        client,
        "POST",
        "/api/v1/needs",
        content=content,
        headers={"content-type": content_type},
    )
    assert message in response.json()["detail"][0]["msg"]


def test_other_4xx_answers_say_what_is_wrong(catalogue_server: SharedServer, client: httpx.Client) -> None:
    before = catalogue_server.counts()
    assert client.get("/api/v1/needs/424242").json() == {"detail": "Need 424242 does not exist"}
    client.post("/api/v1/suppliers", json=SUPPLIER).raise_for_status()
    duplicate = client.post("/api/v1/suppliers", json={**SUPPLIER, "name": "Andre AS"})
    assert duplicate.status_code == 409
    assert "974760673 is already registered" in duplicate.json()["detail"]
    with catalogue_server.client(token=None) as anonymous:
        refused = anonymous.post("/api/v1/needs", json=NEED)
    assert refused.status_code == 401
    assert "bearer token" in refused.json()["detail"]
    after = catalogue_server.counts()
    assert after["supplier"] == before["supplier"] + 1  # the first supplier only
    assert {table: count for table, count in after.items() if table not in ("supplier", "audit_event")} == {
        table: count for table, count in before.items() if table not in ("supplier", "audit_event")
    }


def test_a_megabyte_description_is_refused_in_a_short_answer_naming_the_field_and_the_rule(
    catalogue_server: SharedServer, client: httpx.Client
) -> None:
    response = _refused(
        catalogue_server, client, "POST", "/api/v1/needs", json={**NEED, "description": "x" * MEGABYTE}
    )
    assert len(response.content) < 2000, len(response.content)
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "description"]
    assert error["msg"] == "String should have at most 20000 characters"
    assert error["input"] == "x" * 100 + f"… ({MEGABYTE} characters)"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/needs", ["x" * MEGABYTE]),  # a list where an object belongs
        ("POST", "/api/v1/solutions/batch", {"items": [{"title": "x" * MEGABYTE}]}),
        ("POST", "/api/v1/solutions", {**SOLUTION, "sdgs": {"goal": "x" * MEGABYTE}}),
        ("GET", "/api/v1/municipalities?name=" + "x" * 50_000, None),
        ("GET", "/api/v1/kpis/" + "X" * 50_000, None),
        ("GET", "/api/v1/demand?kpi=" + "x" * 50_000, None),
    ],
)
def test_no_422_echoes_a_large_input(client: httpx.Client, method: str, path: str, body: Any) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == 422
    assert len(response.content) < 4000, response.text[:4000]
    assert all(error["loc"] and error["msg"] for error in response.json()["detail"])
