"""The wording of a need generated from a KPI gap, in Norwegian and English, with its evidence."""

from dataclasses import dataclass
from typing import Any

from service.kpis.gaps import KpiStanding

_TARGET_KIND_NO = {
    "u4ssc": "U4SSC-mål",
    "national": "nasjonalt mål",
    "eu": "EU-mål",
    "sdg": "bærekraftsmål (SDG)",
    "peer": "referanse: beste kvartil blant sammenlignbare kommuner",
}
_TARGET_KIND_EN = {
    "u4ssc": "U4SSC target",
    "national": "national target",
    "eu": "EU target",
    "sdg": "Sustainable Development Goal target",
    "peer": "benchmark: best quartile of comparable municipalities",
}
_TREND_NO = {"improving": "blitt bedre", "worsening": "blitt dårligere", "stable": "vært stabil"}
_TREND_EN = {"improving": "improved", "worsening": "worsened", "stable": "stayed stable"}


@dataclass(frozen=True)
class GapNeedText:
    title_no: str
    description_no: str
    title_en: str
    description_en: str
    evidence: dict[str, Any]


def _sdgs(goals: list[int], label: str) -> str:
    return f" {label}: {', '.join(str(goal) for goal in goals)}." if goals else ""


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def gap_need_text(standing: KpiStanding, municipality_name: str) -> GapNeedText:
    """Texts an officer could sign: what is measured, the value, the target, the band, the year, the source."""
    kpi, latest, target = standing.kpi, standing.latest, standing.target
    assert target is not None and standing.band is not None and standing.percent_of_target is not None
    point = f" ({standing.data_point})" if standing.data_point else ""
    value, goal, unit = _number(latest.value), _number(target.value), latest.unit
    value_no, goal_no = value.replace(".", ","), goal.replace(".", ",")  # Norwegian decimal comma
    worse_no = "for høy" if standing.direction == "-" else "for lav"
    worse_en = "too high" if standing.direction == "-" else "too low"
    better_no = "redusere" if standing.direction == "-" else "øke"
    better_en = "reduce" if standing.direction == "-" else "raise"
    trend_no = trend_en = ""
    if standing.trend:
        trend_no = f" Verdien har {_TREND_NO[standing.trend.direction]} siden {standing.trend.from_year}."
        trend_en = f" The value has {_TREND_EN[standing.trend.direction]} since {standing.trend.from_year}."
    synthetic_no = " Verdien er syntetiske demodata, ikke en måling." if latest.synthetic else ""
    synthetic_en = " The value is synthetic demo data, not a measurement." if latest.synthetic else ""
    problem_no = f"{kpi.problem_no} " if kpi.problem_no else ""
    problem_en = f"{kpi.problem_en} " if kpi.problem_en else ""
    description_no = (
        f"{problem_no}{kpi.name_no}{point} er {worse_no} i {municipality_name}. I {latest.year} var verdien {value_no} {unit}, "
        f"mot et mål på {goal_no} {unit} ({_TARGET_KIND_NO[target.kind]}). Det er {standing.percent_of_target:.0f} % "
        f"av målet, bånd {standing.band} av 4 i U4SSC-metodikken (indikator {kpi.code}).{trend_no} "
        f"Kommunen ser etter løsninger som kan {better_no} {kpi.name_no.lower()}. Kilde: {latest.source}.{synthetic_no}"
        f"{_sdgs(kpi.sdgs, 'Bærekraftsmål')}"
    )
    description_en = (
        f"{problem_en}{kpi.name_en}{point} is {worse_en} in {municipality_name}. In {latest.year} the value was {value} {unit}, "
        f"against a target of {goal} {unit} ({_TARGET_KIND_EN[target.kind]}). That is {standing.percent_of_target:.0f} % "
        f"of the target, band {standing.band} of 4 in the U4SSC methodology (indicator {kpi.code}).{trend_en} "
        f"The municipality is looking for solutions that {better_en} {kpi.name_en.lower()}. Source: {latest.source}.{synthetic_en}"
        f"{_sdgs(kpi.sdgs, 'Sustainable Development Goals')}"
    )
    evidence = {
        "kpi_code": kpi.code,
        "sdgs": kpi.sdgs,
        "data_point": standing.data_point,
        "value": latest.value,
        "unit": unit,
        "year": latest.year,
        "source": latest.source,
        "synthetic": latest.synthetic,
        "target": target.value,
        "target_kind": target.kind,
        "target_source": target.source,
        "percent_of_target": standing.percent_of_target,
        "band": standing.band,
        "trend": standing.trend.direction if standing.trend else None,
        "link": f"/api/v1/municipalities/{latest.municipality_number}/gaps",
    }
    return GapNeedText(
        title_no=f"{kpi.name_no}{point}: {municipality_name} i U4SSC-bånd {standing.band}",
        description_no=description_no,
        title_en=f"{kpi.name_en}{point}: {municipality_name} in U4SSC band {standing.band}",
        description_en=description_en,
        evidence=evidence,
    )
