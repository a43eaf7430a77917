"""Why a result ranks where it does, in words a procurement officer can check."""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from service.matching.features import cpv_subtree
from service.matching.lexical_documents import LexicalDocument
from service.matching.schemas import Explanation, KpiBrief, MatchedTerm
from service.matching.scoring import WEIGHTS
from service.models import Kpi, Need, Solution

if TYPE_CHECKING:  # the service builds queries and asks for explanations; no import cycle at run time
    from service.matching.service import MatchQuery

LANGUAGE_NAMES = {"no": "Norwegian", "en": "English"}
MAX_MATCHED_TERMS = 10


def explain(
    query: "MatchQuery", parts: dict[str, float], result: Need | Solution, kpis: Mapping[str, Kpi]
) -> Explanation:
    """`kpis` holds (at least) the KPIs of the query and of the result."""
    result_kind = "need" if isinstance(result, Need) else "solution"
    shared_codes = [code for code in query.kpi_codes if code in set(result.kpi_codes)]
    briefs = [
        KpiBrief(code=code, name_en=kpis[code].name_en, name_no=kpis[code].name_no)
        for code in shared_codes
        if code in kpis
    ]
    result_sdgs = (
        result.sdgs
        if isinstance(result, Solution)
        else [sdg for code in result.kpi_codes if code in kpis for sdg in kpis[code].sdgs]
    )
    shared_sdgs = sorted(set(query.sdgs) & set(result_sdgs))
    fitting_cpv = [
        code
        for code in result.cpv_codes
        if any(
            code.startswith(cpv_subtree(wanted)) or wanted.startswith(cpv_subtree(code))
            for wanted in query.cpv_codes
        )
    ]
    matched = _matched_terms(query.words, _document_of(result))
    reasons = _reasons(query, parts, result_kind, result, briefs, shared_sdgs, fitting_cpv, matched)
    if matched and "lexical" not in parts:  # BM25 carries no weight in the score, yet the words help a reader
        reasons.append("words in common: " + ", ".join(term.result_words[0] for term in matched[:5]))
    return Explanation(
        ranking=query.ranking,
        similarity=round(parts["similarity"], 4) if "similarity" in parts else None,
        contributions={name: round(value, 4) for name, value in parts.items()},
        shared_kpi_codes=shared_codes,
        shared_kpis=briefs,
        shared_sdgs=shared_sdgs,
        fitting_cpv_codes=fitting_cpv,
        matched_terms=matched,
        language_pair=f"{query.language}->{result.language}",
        summary="; ".join(reasons) + ".",
    )


def _document_of(result: Need | Solution) -> LexicalDocument:
    translations = result.translations if isinstance(result, Need) else None
    return LexicalDocument.of(
        result.title, result.description, result.language, result.kpi_codes, translations
    )


def _matched_terms(query_words: dict[str, list[str]], result: LexicalDocument) -> list[MatchedTerm]:
    result_words = result.words_by_term()
    shared = [term for term in query_words if term in result_words][:MAX_MATCHED_TERMS]
    return [
        MatchedTerm(term=term, query_words=query_words[term], result_words=result_words[term])
        for term in shared
    ]


def _reasons(
    query: "MatchQuery",
    parts: dict[str, float],
    result_kind: str,
    result: Need | Solution,
    briefs: list[KpiBrief],
    shared_sdgs: list[int],
    fitting_cpv: list[str],
    matched: list[MatchedTerm],
) -> list[str]:
    """One phrase per signal that moved the score, largest first."""
    query_side = "search text" if query.kind == "text" else query.kind
    phrases = {
        "similarity": (
            f"text similarity {parts.get('similarity', 0):.2f} between the "
            f"{LANGUAGE_NAMES.get(query.language, query.language)} {query_side} and the "
            f"{LANGUAGE_NAMES.get(result.language, result.language)} {result_kind}"
        ),
        "lexical": "shared words"
        + (
            " (" + ", ".join(term.query_words[0] for term in matched[:5]) + ")"
            if matched
            else " in KPI names"
        ),
        "shared_kpis": "both address " + ", ".join(f"{brief.code} {brief.name_en}" for brief in briefs),
        "shared_sdgs": "both serve SDG " + ", ".join(str(sdg) for sdg in shared_sdgs),
        "cpv": "CPV codes fit (" + ", ".join(fitting_cpv or result.cpv_codes) + ")",
        "region": "the supplier serves the need's county",
        "maturity": "the solution's TRL reaches the lowest the need accepts",
        "references": "already in use in another municipality"
        + (" of the need's county" if parts.get("references", 0.0) >= WEIGHTS.references else ""),
        "feedback_prior": "officers' verdicts on it for other needs",
        "feedback": f"an officer marked it {query.verdicts.get(result.id, '')} for this need",
        "dense_rank": "rank in the dense list (reciprocal-rank fusion)",
        "lexical_rank": "rank in the BM25 list (reciprocal-rank fusion)",
    }
    ordered = sorted(parts.items(), key=lambda item: -abs(item[1]))
    return [
        (f"{value:+.2f} " if name != "similarity" else "") + phrases[name]
        for name, value in ordered
        if name in phrases and (value or name == "similarity")
    ]
