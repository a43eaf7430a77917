"""Needs generated from KPI gaps: one per weak (municipality, KPI, data point), idempotent.

A second run creates nothing; a changed value rewrites the text; a need an officer has closed or
edited is left exactly as the officer left it.
"""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from embeddings import content_hash
from service.errors import NotFoundError
from service.indexing import Indexes, insert_record, record_text, update_record
from service.kpis.gaps import GapAnalysis, gap_key, is_gap
from service.models import Need
from service.municipalities.repository import get_municipality
from service.needs.gap_texts import GapNeedText, gap_need_text
from service.needs.repository import needs_by_gap_key


@dataclass
class LeftAlone:
    need_id: int
    reason: str


@dataclass
class GenerationReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    left_alone: list[LeftAlone] = field(default_factory=list)


def _generated_hash(text: GapNeedText) -> str:
    return content_hash(record_text(text.title_no, text.description_no))


def generate_gap_needs(
    *, session: Session, indexes: Indexes, municipality_number: str, max_band: int = 2
) -> GenerationReport:
    municipality = get_municipality(session, municipality_number)
    if municipality is None:
        raise NotFoundError("Municipality", municipality_number)
    report = GenerationReport()
    weak = [
        standing
        for standing in GapAnalysis(session).standings_of_municipality(municipality_number)
        if is_gap(standing, max_band)
    ]
    existing = needs_by_gap_key(
        session, [gap_key(municipality_number, s.kpi.code, s.data_point) for s in weak]
    )
    for standing in weak:
        key = gap_key(municipality_number, standing.kpi.code, standing.data_point)
        text = gap_need_text(standing, municipality.name)
        fields = {
            "title": text.title_no,
            "description": text.description_no,
            "language": "no",
            "translations": {"en": {"title": text.title_en, "description": text.description_en}},
            "evidence": text.evidence,
            "generated_text_hash": _generated_hash(text),
        }
        need = existing.get(key)
        if need is None:
            need = Need(
                municipality_number=municipality_number,
                origin="kpi_gap",
                gap_key=key,
                kpi_codes=[standing.kpi.code],
                status="open",
                **fields,
            )
            insert_record(session=session, indexes=indexes, record=need)
            report.created.append(need.id)
        elif need.status == "closed":
            report.left_alone.append(LeftAlone(need.id, "closed by an officer"))
        elif content_hash(record_text(need.title, need.description)) != need.generated_text_hash:
            report.left_alone.append(LeftAlone(need.id, "edited by an officer"))
        elif need.generated_text_hash == fields["generated_text_hash"] and need.evidence == text.evidence:
            report.unchanged.append(need.id)
        else:
            update_record(session=session, indexes=indexes, record=need, changes=fields)
            report.updated.append(need.id)
    return report
