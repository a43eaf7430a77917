"""Request bodies over the size limit get a 413 and JSON bodies that are not UTF-8 a 422; nothing is stored."""

import json
from collections.abc import Iterator

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from service.kpis.schemas import ObservationBatch
from service.seeding import SEED_DIR
from tests.api.conftest import RowCounts
from tests.support.servers import LiveServer, start_server

SMALL_LIMIT = 64 * 1024
JSON = {"content-type": "application/json"}


@pytest.fixture
def small_limit_api(settings: Settings, encoder: Encoder) -> Iterator[httpx.Client]:
    """A live server that accepts bodies up to 64 KiB, with the admin token."""
    server: LiveServer = start_server(settings.model_copy(update={"max_request_bytes": SMALL_LIMIT}), encoder)
    with server.client() as client:
        yield client
    server.stop()


def _observations(count: int) -> list[dict[str, object]]:
    return [
        {
            "municipality_number": "5001",
            "kpi_code": "EC-ICT-WS-1C",
            "year": 2000 + number % 20,
            "data_point": f"point {number}",
            "value": 10.5,
            "unit": "%",
            "source": "Test",
        }
        for number in range(count)
    ]


def _need_of_exactly(size: int) -> bytes:
    """A valid need as JSON, padded with insignificant whitespace to `size` bytes."""
    body = json.dumps({"title": "Padded", "description": "A body of an exact size."}).encode()
    return body[:-1] + b" " * (size - len(body)) + b"}"


def _assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    assert "larger than 64.0 KiB (65536 bytes)" in detail
    assert "Send fewer records" in detail


def test_a_body_declared_too_large_is_refused(small_limit_api: httpx.Client, counts: RowCounts) -> None:
    before = counts()
    body = json.dumps({"observations": _observations(1000)}).encode()
    assert len(body) > SMALL_LIMIT
    _assert_too_large(small_limit_api.post("/api/v1/kpi-observations", content=body, headers=JSON))
    assert counts() == before
    # The server is fine afterwards, and a batch under the limit is stored.
    small = small_limit_api.post("/api/v1/kpi-observations", json={"observations": _observations(10)})
    assert small.json()["created"] == 10


def test_a_streamed_body_is_refused_once_it_passes_the_limit(
    small_limit_api: httpx.Client, counts: RowCounts
) -> None:
    before = counts()

    def chunks() -> Iterator[bytes]:
        body = json.dumps({"observations": _observations(1000)}).encode()
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    # A generator body goes out chunked, without Content-Length: only counting can stop it.
    response = small_limit_api.post("/api/v1/kpi-observations", content=chunks(), headers=JSON)
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    _assert_too_large(response)
    assert counts() == before


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_of_exactly_the_limit_is_accepted(small_limit_api: httpx.Client, chunked: bool) -> None:
    exact, over = _need_of_exactly(SMALL_LIMIT), _need_of_exactly(SMALL_LIMIT + 1)
    assert (len(exact), len(over)) == (SMALL_LIMIT, SMALL_LIMIT + 1)
    assert json.loads(exact)["title"] == "Padded"

    def send(body: bytes) -> httpx.Response:
        content = iter([body[:1000], body[1000:]]) if chunked else body
        return small_limit_api.post("/api/v1/needs", content=content, headers=JSON)

    assert send(exact).status_code == 201
    _assert_too_large(send(over))


def test_the_default_limit_admits_the_largest_observation_batch() -> None:
    """A batch at ObservationBatch's item limit, with the longest source of the seed data, fits."""
    most = ObservationBatch.model_json_schema()["properties"]["observations"]["maxItems"]
    seed = json.loads((SEED_DIR / "kpi_observations.json").read_text(encoding="utf-8"))["items"]
    longest = max(seed, key=lambda item: len(json.dumps(item)))
    body = json.dumps({"observations": [longest] * most}).encode()
    limit = Settings.model_fields["max_request_bytes"].default
    assert len(body) < limit, f"a full batch is {len(body)} bytes, the default limit {limit}"


def test_json_that_is_not_utf8_is_refused_with_its_position(api: httpx.Client, counts: RowCounts) -> None:
    before = counts()
    body = b'{"title": "Vanntap", "description": "Vi mister vann i ledningsnett\xe6t."}'
    response = api.post("/api/v1/needs", content=body, headers=JSON)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    position = body.index(b"\xe6")
    assert error["loc"] == ["body", position]
    assert error["type"] == "json_invalid"
    assert error["msg"] == (
        f"The body is not valid UTF-8: byte 0xe6 at position {position}. JSON must be sent encoded as UTF-8."
    )
    assert counts() == before


def test_a_character_split_across_chunks_is_decoded_and_a_broken_one_located(
    api: httpx.Client, counts: RowCounts
) -> None:
    good = json.dumps({"title": "Løsning for vanntap", "description": "Lekkasjesøk."}, ensure_ascii=False)
    encoded = good.encode()
    split = encoded.index("ø".encode()) + 1  # between the two bytes of ø
    response = api.post("/api/v1/needs", content=iter([encoded[:split], encoded[split:]]), headers=JSON)
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "Løsning for vanntap"

    before = counts()
    broken = encoded[:split] + b"(" + encoded[split + 1 :]  # ø's first byte, then a byte that cannot follow
    response = api.post("/api/v1/needs", content=iter([broken[:split], broken[split:]]), headers=JSON)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", split - 1]
    assert counts() == before
