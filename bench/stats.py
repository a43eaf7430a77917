"""Latency percentiles and throughput figures, in milliseconds and requests per second."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Latency:
    count: int  # successful requests measured
    errors: int  # failed requests (not in the percentiles)
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float], errors: int = 0) -> "Latency":
        if not seconds:
            nan = math.nan
            return cls(0, errors, nan, nan, nan, nan, nan)
        millis = np.asarray(seconds, dtype=np.float64) * 1000
        p50, p95, p99 = np.percentile(millis, [50, 95, 99])
        return cls(
            count=len(millis),
            errors=errors,
            p50_ms=float(p50),
            p95_ms=float(p95),
            p99_ms=float(p99),
            mean_ms=float(millis.mean()),
            max_ms=float(millis.max()),
        )


@dataclass(frozen=True)
class Throughput:
    clients: int
    seconds: float  # wall time of the phase
    completed: int
    requests_per_second: float
    latency: Latency  # per request, under this load


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    if math.isnan(numerator) or math.isnan(denominator):
        return None
    return numerator / denominator
