"""Where a municipality stands on each KPI: value, target and its source, % of target, band, trend, severity.

Targets: a published one when we have it (U4SSC first, then national, EU, SDG); otherwise a peer
benchmark, the best quartile of municipalities of a similar population class that report the KPI.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from statistics import quantiles

from sqlalchemy.orm import Session

from service.kpis import repository
from service.kpis.bands import Trend, band_of, direction_for, gap_severity, percent_of_target, trend_of
from service.models import Kpi, KpiObservation, KpiTarget
from service.municipalities.repository import latest_populations

TARGET_PREFERENCE = ("u4ssc", "national", "eu", "sdg")
MIN_PEERS = 5
POPULATION_CLASSES = (5_000, 20_000, 50_000)  # below 5k, 5-20k, 20-50k, 50k and more


@dataclass(frozen=True)
class Target:
    value: float
    direction: str
    kind: str  # u4ssc | national | eu | sdg | peer
    source: str


@dataclass(frozen=True)
class KpiStanding:
    kpi: Kpi
    data_point: str
    latest: KpiObservation
    direction: str
    target: Target | None
    percent_of_target: float | None
    band: int | None
    severity: float | None
    trend: Trend | None


def is_gap(standing: "KpiStanding", max_band: int) -> bool:
    return standing.band is not None and standing.band <= max_band


def gap_key(municipality_number: str, kpi_code: str, data_point: str) -> str:
    """Names the one generated need a (municipality, KPI, data point) gap may have."""
    return f"{municipality_number}:{kpi_code}:{data_point}"


def population_class(population: int | None) -> int | None:
    if population is None:
        return None
    return sum(population >= limit for limit in POPULATION_CLASSES)


class GapAnalysis:
    """Loads observations, targets and populations once; answers for any municipality or KPI."""

    def __init__(self, session: Session) -> None:
        self.kpis = repository.all_kpis(session)
        self._targets = repository.targets_by_kpi(session)
        populations = latest_populations(session)
        self._class_of = {number: population_class(people) for number, people in populations.items()}
        self._history: dict[tuple[str, str, str], list[KpiObservation]] = defaultdict(list)
        self._latest_by_kpi: dict[tuple[str, str], dict[str, float]] = {}
        for observation in repository.all_observations(session):
            key = (observation.municipality_number, observation.kpi_code, observation.data_point)
            self._history[key].append(observation)

    def standings_of_municipality(self, number: str) -> list[KpiStanding]:
        keys = [key for key in self._history if key[0] == number]
        return [self._standing(*key) for key in sorted(keys)]

    def all_standings(self) -> Iterator[KpiStanding]:
        """Every municipality's standing on every KPI it reports, by municipality, KPI and data point."""
        for key in sorted(self._history):
            yield self._standing(*key)

    def standings_of_kpi(self, kpi_code: str) -> list[KpiStanding]:
        keys = [key for key in self._history if key[1] == kpi_code]
        return [self._standing(*key) for key in sorted(keys)]

    def _standing(self, number: str, kpi_code: str, data_point: str) -> KpiStanding:
        kpi = self.kpis[kpi_code]
        history = sorted(self._history[(number, kpi_code, data_point)], key=lambda item: item.year)
        latest = history[-1]
        direction = direction_for(kpi.direction, kpi.direction_note, data_point)
        published = self._published_target(kpi_code, data_point, direction, latest.year)
        target = published or self._peer_target(number, kpi_code, data_point, direction)
        percent = band = severity = None
        if target is not None and direction in ("+", "-"):
            percent = round(percent_of_target(latest.value, target.value, direction), 1)
            band = band_of(percent)
            severity = gap_severity(percent)
        trend = trend_of([(item.year, item.value) for item in history], direction)
        return KpiStanding(kpi, data_point, latest, direction, target, percent, band, severity, trend)

    def _latest_values(self, kpi_code: str, data_point: str) -> dict[str, float]:
        """Each municipality's latest value of one KPI data point, computed once per analysis."""
        key = (kpi_code, data_point)
        if key not in self._latest_by_kpi:
            self._latest_by_kpi[key] = {
                municipality: max(observations, key=lambda item: item.year).value
                for (municipality, code, point), observations in self._history.items()
                if code == kpi_code and point == data_point
            }
        return self._latest_by_kpi[key]

    def _published_target(self, kpi_code: str, data_point: str, direction: str, year: int) -> Target | None:
        """The preferred kind; within it the first deadline not before the observation, else the latest.

        A target measured the other way round (e.g. a % cut of national emissions against a per-person
        KPI) does not express the KPI and is not used.
        """
        candidates = [
            target
            for target in self._targets.get((kpi_code, data_point), [])
            if target.direction == direction
        ]
        for kind in TARGET_PREFERENCE:
            of_kind = sorted((t for t in candidates if t.kind == kind), key=lambda t: t.year or 0)
            if of_kind:
                chosen = next((t for t in of_kind if t.year is None or t.year >= year), of_kind[-1])
                return Target(chosen.target, chosen.direction, chosen.kind, _cite(chosen))
        return None

    def _peer_target(self, number: str, kpi_code: str, data_point: str, direction: str) -> Target | None:
        """The best quartile of comparable municipalities' latest values."""
        if direction not in ("+", "-"):
            return None
        latest_values = self._latest_values(kpi_code, data_point)
        own_class = self._class_of.get(number)
        peers = [
            value
            for municipality, value in latest_values.items()
            if self._class_of.get(municipality) == own_class
        ]
        scope = "municipalities of the same population class"
        if own_class is None or len(peers) < MIN_PEERS:
            peers, scope = list(latest_values.values()), "all municipalities with data"
        if len(peers) < MIN_PEERS:
            return None
        lower_quartile, _median, upper_quartile = quantiles(peers, n=4, method="inclusive")
        best = upper_quartile if direction == "+" else lower_quartile
        return Target(
            round(best, 3), direction, "peer", f"peer benchmark: best quartile of {len(peers)} {scope}"
        )


def _cite(target: KpiTarget) -> str:
    deadline = f" by {target.year}" if target.year else ""
    return f"{target.kind} target {target.target:g} {target.unit}{deadline}: {target.source}"
