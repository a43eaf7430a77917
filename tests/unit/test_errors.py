"""Validation errors in words a person can read, and domain errors as HTTP answers (an in-process app, no server)."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError

from service.errors import (
    ConflictError,
    FieldError,
    FieldErrors,
    ForbiddenError,
    NotFoundError,
    ReadableJSONResponse,
    _readable,
    _shortened,
    excerpt,
    install_error_handlers,
)
from service.text_fields import CountyNumber, MunicipalityNumber

NOT_AN_OBJECT = {
    "type": "model_attributes_type",
    "loc": ("body",),
    "msg": "Input should be a valid dictionary",
}


def test_invalid_json_names_the_problem_and_the_character() -> None:
    error = {
        "type": "json_invalid",
        "loc": ("body", 12),
        "msg": "JSON decode error",
        "ctx": {"error": "Expecting value"},
    }
    assert (
        _readable(error, "application/json")["msg"]
        == "The body is not valid JSON: Expecting value at character 12."
    )


def test_invalid_json_without_position_or_detail_is_malformed() -> None:
    assert (
        _readable({"type": "json_invalid", "loc": ("body",)}, "")["msg"]
        == "The body is not valid JSON: malformed."
    )


def test_a_missing_body_asks_for_json() -> None:
    assert _readable({"type": "missing", "loc": ("body",)}, "")["msg"] == "The request needs a JSON body."


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        ("application/json", "The body must be a JSON object"),
        ("text/plain", "The body must be a JSON object, sent with 'Content-Type: application/json'"),
        ("", "The body must be a JSON object, sent with 'Content-Type: application/json'"),
    ],
)
def test_a_body_that_is_not_an_object_hints_at_the_content_type_only_when_it_was_not_json(
    content_type: str, message: str
) -> None:
    assert _readable(NOT_AN_OBJECT, content_type)["msg"] == message


def test_a_readable_message_replaces_only_msg() -> None:
    readable = _readable({**NOT_AN_OBJECT, "input": "x"}, "application/json")
    assert readable == {**NOT_AN_OBJECT, "input": "x", "msg": "The body must be a JSON object"}


def test_a_lone_surrogate_is_explained() -> None:
    readable = _readable(
        {"type": "string_unicode", "loc": ("body", "title"), "msg": "technical"}, "application/json"
    )
    assert readable["msg"].startswith("must be text: it holds half of a UTF-16 surrogate pair")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (MunicipalityNumber, "501", "must be a four-digit municipality number (SSB numbering), e.g. 5001"),
        (CountyNumber, "5", "must be a two-digit county number, e.g. 50"),
    ],
)
def test_pydantic_pattern_errors_of_the_shared_fields_get_their_meaning(
    field: Any, value: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        TypeAdapter(field).validate_python(value)
    [error] = raised.value.errors()
    assert _readable(dict(error), "application/json")["msg"] == message


def test_a_validators_own_message_loses_pydantics_prefix() -> None:
    error = {
        "type": "value_error",
        "loc": ("body", "cpv_codes"),
        "msg": "Value error, 'abc' is not a CPV code",
    }
    assert _readable(error, "application/json")["msg"] == "'abc' is not a CPV code"


def test_other_errors_are_returned_unchanged() -> None:
    missing_field = {"type": "missing", "loc": ("body", "title"), "msg": "Field required"}
    other_pattern = {
        "type": "string_pattern_mismatch",
        "loc": ("query", "q"),
        "msg": "m",
        "ctx": {"pattern": "^x$"},
    }
    assert _readable(missing_field, "application/json") is missing_field
    assert _readable(other_pattern, "application/json") is other_pattern


@pytest.mark.parametrize("value", ["x" * 100, 10**99, ["a", "b"], {"goal": 6}, None, True, 1.5])
def test_a_short_value_is_quoted_whole(value: object) -> None:
    assert excerpt(value) == value


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("x" * 101, "x" * 100 + "… (101 characters)"),
        (10**100, "1" + "0" * 99 + "… (101 characters)"),
        (["x" * 200], '["' + "x" * 98 + "… (204 characters)"),
        ({"goal": "x" * 200}, '{"goal": "' + "x" * 90 + "… (212 characters)"),
    ],
)
def test_a_long_value_is_quoted_as_its_beginning_and_its_length(value: object, quoted: str) -> None:
    assert excerpt(value) == quoted


def test_a_validation_error_quotes_its_input_and_context_shortly() -> None:
    error = {
        "type": "value_error",
        "loc": ("body", "x"),
        "input": "y" * 5000,
        "ctx": {"error": ValueError("bad")},
    }
    assert _shortened(error) == {**error, "input": "y" * 100 + "… (5000 characters)", "ctx": {"error": "bad"}}


def test_the_domain_errors_say_what_is_wrong() -> None:
    assert str(NotFoundError("Need", 5)) == "Need 5 does not exist"
    both = FieldErrors([FieldError(("kpi_codes", 0), "unknown KPI 'X'"), FieldError(("year",), "too early")])
    assert str(both) == "unknown KPI 'X'; too early"
    assert both.errors[0].location == ("kpi_codes", 0) and both.errors[0].error_type == "value_error"


def test_a_response_holding_a_lone_surrogate_still_renders() -> None:
    assert ReadableJSONResponse(content={"detail": "a\ud800ø"}).body == '{"detail":"a?ø"}'.encode()


class Body(BaseModel):
    municipality_number: MunicipalityNumber


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/raise/{kind}")
    def _raise(kind: str) -> None:
        errors: dict[str, Exception] = {
            "missing": NotFoundError("Solution", 3),
            "forbidden": ForbiddenError("not yours"),
            "conflict": ConflictError("organisation number 974760673 is already registered"),
            "fields": FieldErrors([FieldError(("need_ids", 1), "need 9 does not exist")]),
        }
        raise errors[kind]

    @app.post("/body")
    def _body(body: Body) -> str:
        return body.municipality_number

    return TestClient(app)


@pytest.mark.parametrize(
    ("kind", "status", "detail"),
    [
        ("missing", 404, "Solution 3 does not exist"),
        ("forbidden", 403, "not yours"),
        ("conflict", 409, "organisation number 974760673 is already registered"),
        (
            "fields",
            422,
            [{"loc": ["body", "need_ids", 1], "msg": "need 9 does not exist", "type": "value_error"}],
        ),
    ],
)
def test_domain_errors_become_their_http_status_with_a_detail(
    client: TestClient, kind: str, status: int, detail: object
) -> None:
    response = client.post(f"/raise/{kind}")
    assert (response.status_code, response.json()) == (status, {"detail": detail})


def test_a_request_validation_error_reaches_the_client_in_words(client: TestClient) -> None:
    response = client.post("/body", content="[1]", headers={"Content-Type": "text/plain"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "The body must be a JSON object, sent with 'Content-Type: application/json'"
    )
    pattern = client.post("/body", json={"municipality_number": "50"})
    assert pattern.json()["detail"][0]["msg"] == (
        "must be a four-digit municipality number (SSB numbering), e.g. 5001"
    )
