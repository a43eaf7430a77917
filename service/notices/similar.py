"""Notices like a need, from any buyer, open or awarded: ranked against the need's text by the matching
ranker, with who supplied what for award notices ("Bergen kommune bought this in 2025 from X")."""

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from service.access import Principal
from service.indexing import Indexes
from service.indexing.repository import get_stored_vector, vector_from_bytes
from service.indexing.texts import record_text
from service.matching import ranker
from service.matching.filters import MatchFilters
from service.needs import service as needs_service
from service.needs.notice_brief import NeedNotice
from service.needs.schemas import NeedRead

MAX_SIMILAR = 20
_AWARDED = ("can", "veat")


class SimilarNotice(BaseModel):
    need: NeedRead = Field(description="The notice's need: its text, and the notice block.")
    score: float
    bought_no: str | None = Field(
        description="Award notices: who bought it, when and from whom, in Norwegian."
    )
    bought_en: str | None = Field(description="The same in English.")


def _names(names: list[str], and_word: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {and_word} {names[-1]}"


def bought_sentences(notice: NeedNotice) -> tuple[str | None, str | None]:
    """'<buyer> bought this in <year> from <winners>' in Norwegian and English; None unless awarded."""
    if notice.kind not in _AWARDED or not notice.winners:
        return None, None
    year = notice.publication_date.year
    return (
        f"{notice.buyer_name} kjøpte dette i {year} fra {_names(notice.winners, 'og')}.",
        f"{notice.buyer_name} bought this in {year} from {_names(notice.winners, 'and')}.",
    )


def similar_notices(
    *, session: Session, indexes: Indexes, need_id: int, caller: Principal, limit: int = 5
) -> list[SimilarNotice]:
    """The notices (open, closed or awarded) most like the need's text, best first, without the need itself."""
    need = needs_service.get(session=session, need_id=need_id)
    # The need's own stored vector is its text encoded already: a page view need not encode it again.
    stored = get_stored_vector(session, kind="need", owner_id=need.id, model_id=indexes.encoder.model_id)
    matches = ranker.rank_needs_for_text(
        session=session,
        indexes=indexes,
        text=record_text(need.title, need.description),
        language=need.language,
        limit=limit + 1,
        filters=MatchFilters(origin="notice", status="any"),
        raw_vector=vector_from_bytes(stored.vector) if stored is not None else None,
    )
    similar = []
    for match in matches:
        if match.need.id == need.id or match.need.notice is None:
            continue
        bought_no, bought_en = bought_sentences(match.need.notice)
        seen = needs_service.seen_by(match.need, caller)
        similar.append(SimilarNotice(need=seen, score=match.score, bought_no=bought_no, bought_en=bought_en))
    return similar[:limit]
