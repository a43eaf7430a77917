"""/metrics from a real server: Prometheus text that counts requests by route template, times the encoder, sizes the indexes."""

from collections.abc import Iterable

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from embeddings import Encoder
from service.app import create_app
from service.config import Settings
from service.operations.middleware import UNMATCHED_ROUTE
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow
NEED_ROUTE = "/api/v1/needs/{need_id}"


def _samples(exposition: str) -> list[Sample]:
    return [sample for family in text_string_to_metric_families(exposition) for sample in family.samples]


def _value(samples: Iterable[Sample], name: str, **labels: str) -> float | None:
    values = [sample.value for sample in samples if sample.name == name and sample.labels == labels]
    assert len(values) <= 1
    return values[0] if values else None


def _requests(samples: list[Sample], method: str, route: str, status: int) -> float | None:
    return _value(samples, "innomatch_http_requests_total", method=method, route=route, status=str(status))


def test_metrics_count_and_time_requests_by_route_template(live_server: LiveServer) -> None:
    with live_server.client() as api:
        assert api.get("/health").status_code == 200
        created = api.post(
            "/api/v1/needs", json={"title": "Water leaks", "description": "Our old water pipes leak."}
        )
        assert created.status_code == 201, created.text
        need_id = created.json()["id"]
        for _ in range(2):
            assert api.get(f"/api/v1/needs/{need_id}").status_code == 200
        assert api.get("/api/v1/needs/987654").status_code == 404
        assert api.get("/no/such/page").status_code == 404
        scraped = api.get("/metrics")
        assert scraped.status_code == 200
        assert scraped.headers["content-type"].startswith("text/plain")
        samples = _samples(scraped.text)
        rescraped = _samples(api.get("/metrics").text)

    assert _requests(samples, "GET", "/health", 200) == 1
    assert _requests(samples, "POST", "/api/v1/needs", 201) == 1
    assert _requests(samples, "GET", NEED_ROUTE, 200) == 2
    assert _requests(samples, "GET", NEED_ROUTE, 404) == 1
    assert _requests(samples, "GET", UNMATCHED_ROUTE, 404) == 1
    assert _requests(rescraped, "GET", "/metrics", 200) == 1  # the first scrape, counted once it answered
    routes = {sample.labels["route"] for sample in samples if "route" in sample.labels}
    assert routes == {"/health", "/api/v1/needs", NEED_ROUTE, UNMATCHED_ROUTE}  # no raw paths

    duration = "innomatch_http_request_duration_seconds"
    labels = {"method": "GET", "route": NEED_ROUTE, "status": "200"}
    assert _value(samples, f"{duration}_count", **labels) == 2
    assert (_value(samples, f"{duration}_sum", **labels) or 0) > 0
    assert _value(samples, f"{duration}_bucket", **labels, le="+Inf") == 2

    # Creating the need encoded its text once (the centroids and the empty indexes need none).
    assert (_value(samples, "innomatch_encoder_call_duration_seconds_count", text_kind="passage") or 0) >= 1
    assert (_value(samples, "innomatch_encoder_texts_total", text_kind="passage") or 0) >= 1
    assert _value(samples, "innomatch_index_vectors", kind="need") == 1
    assert _value(samples, "innomatch_index_vectors", kind="solution") == 0
    assert _value(samples, "innomatch_index_bm25_texts", kind="need") == 1
    assert _value(samples, "innomatch_index_bm25_texts", kind="solution") == 0


def test_each_app_has_its_own_registry(live_server: LiveServer, settings: Settings, encoder: Encoder) -> None:
    """A second app in the same process starts from zero instead of clashing with the first's metrics."""
    httpx.get(f"{live_server.base_url}/health").raise_for_status()
    other = create_app(settings, encoder=encoder)
    other_samples = _samples(other.state.metrics.exposition().decode())
    assert _requests(other_samples, "GET", "/health", 200) is None
    served = _samples(httpx.get(f"{live_server.base_url}/metrics").text)
    assert _requests(served, "GET", "/health", 200) == 1
