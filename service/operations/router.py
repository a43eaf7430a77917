"""GET /metrics, and `install_operations`, which wires metrics and request logs into an app."""

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from service.operations.metrics import ServiceMetrics
from service.operations.middleware import RequestObserver

router = APIRouter(tags=["operations"])


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus metrics: requests and latency by route and status, encoder time, index sizes."""
    service_metrics: ServiceMetrics = request.app.state.metrics
    return Response(service_metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


def install_operations(app: FastAPI, metrics: ServiceMetrics) -> None:
    """Serve /metrics and observe every request with `metrics`."""
    app.state.metrics = metrics
    app.add_middleware(RequestObserver, metrics=metrics)
    app.include_router(router)
