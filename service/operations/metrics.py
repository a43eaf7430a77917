"""Prometheus metrics of one application: requests, encoder calls and index sizes, in a registry of its own."""

from collections.abc import Iterable, Sequence

import numpy as np
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from embeddings import Encoder
from service.indexing import Indexes

# From one short query to a large batch of passages on CPU (docs/encoders.md, "Speed").
ENCODER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
REQUEST_LABELS = ("method", "route", "status")


class ServiceMetrics:
    """The instruments of one app; a registry per app, so that several apps in one process never clash."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "innomatch_http_requests",
            "HTTP requests answered, by method, route template and status.",
            REQUEST_LABELS,
            registry=self.registry,
        )
        self.request_duration = Histogram(
            "innomatch_http_request_duration_seconds",
            "Time from receiving a request to sending the last byte of its response.",
            REQUEST_LABELS,
            registry=self.registry,
        )
        self.encoder_duration = Histogram(
            "innomatch_encoder_call_duration_seconds",
            "Time of one call to the encoder, by text kind (query or passage); cache hits included.",
            ("text_kind",),
            buckets=ENCODER_BUCKETS,
            registry=self.registry,
        )
        self.encoded_texts = Counter(
            "innomatch_encoder_texts",
            "Texts passed to the encoder, by text kind.",
            ("text_kind",),
            registry=self.registry,
        )
        self._index_sizes = IndexSizes()
        self.registry.register(self._index_sizes)

    def observe_request(self, *, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.request_duration.labels(method, route, str(status)).observe(seconds)

    def request_totals(self) -> tuple[int, int]:
        """Requests answered since the start, and how many of them with a server error (5xx)."""
        answered = failed = 0
        for metric in self.requests.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    answered += int(sample.value)
                    failed += int(sample.value) if sample.labels["status"].startswith("5") else 0
        return answered, failed

    def timed(self, encoder: Encoder) -> Encoder:
        """`encoder`, with every call timed."""
        return TimedEncoder(encoder, self)

    def watch(self, indexes: Indexes) -> None:
        """Report the sizes of these indexes from now on."""
        self._index_sizes.indexes = indexes

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)


class TimedEncoder:
    """An Encoder that records the time and size of each call to the one it wraps."""

    def __init__(self, inner: Encoder, metrics: ServiceMetrics) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self._metrics = metrics

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode search queries, timed."""
        self._metrics.encoded_texts.labels("query").inc(len(texts))
        with self._metrics.encoder_duration.labels("query").time():
            return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages, timed."""
        self._metrics.encoded_texts.labels("passage").inc(len(texts))
        with self._metrics.encoder_duration.labels("passage").time():
            return self.inner.encode_passages(texts)


class IndexSizes:
    """Reads the index sizes at scrape time, so they are never stale and cost nothing between scrapes."""

    def __init__(self) -> None:
        self.indexes: Indexes | None = None

    def describe(self) -> Iterable[Metric]:
        return self._families()

    def collect(self) -> Iterable[Metric]:
        vectors, texts = self._families()
        if self.indexes is not None:  # None until the app has started
            for index in (self.indexes.needs, self.indexes.solutions):
                vectors.add_metric([index.kind], len(index))
                texts.add_metric([index.kind], len(index.lexical))
        return [vectors, texts]

    @staticmethod
    def _families() -> list[GaugeMetricFamily]:
        return [
            GaugeMetricFamily(
                "innomatch_index_vectors", "Vectors in the FAISS index, by record kind.", labels=["kind"]
            ),
            GaugeMetricFamily(
                "innomatch_index_bm25_texts", "Texts in the BM25 index, by record kind.", labels=["kind"]
            ),
        ]
