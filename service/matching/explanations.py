"""Why a result ranks where it does, in words a procurement officer can check, in English and Norwegian."""

from collections.abc import Mapping

from service.matching import shared_reads
from service.matching.evidence import Evidence, KpiBrief, MatchedTerm, Reason, SuggestedKpiBrief
from service.matching.features import fitting_cpv_codes, kpi_certainty
from service.matching.pairs import Side
from service.matching.query import MatchQuery
from service.matching.ranking import Scored
from service.matching.schemas import Explanation
from service.matching.signals import SIGNALS, Language, Signal, SignalSet, shown_words
from service.models import Kpi, Need, Solution

MAX_MATCHED_TERMS = 10
WORDS_IN_COMMON = {"en": "words in common: ", "no": "felles ord: "}


def explain(
    query: MatchQuery,
    scored: Scored,
    result: Need | Solution,
    kpis: Mapping[str, Kpi],
    signals: SignalSet = SIGNALS,
) -> Explanation:
    """`kpis` holds (at least) the KPIs of the query and of the result."""
    evidence = _evidence(query, scored, result, kpis)
    parts = scored.parts
    reasons = _reasons(scored, evidence, signals)
    bm25 = "lexical" in parts
    return Explanation(
        ranking=query.ranking,
        similarity=round(parts["similarity"], 4) if "similarity" in parts else None,
        contributions={name: round(value, 4) for name, value in parts.items()},
        shared_kpi_codes=list(evidence.shared_kpi_codes),
        shared_kpis=list(evidence.shared_kpis),
        suggested_kpis=list(evidence.suggested_kpis),
        shared_sdgs=list(evidence.shared_sdgs),
        fitting_cpv_codes=list(evidence.fitting_cpv_codes),
        matched_terms=list(evidence.matched_terms),
        language_pair=f"{query.side.language}->{result.language}",
        summary=_sentence([signal.phrase(reason, "en") for signal, reason in reasons], evidence, "en", bm25),
        summary_no=_sentence(
            [signal.phrase(reason, "no") for signal, reason in reasons], evidence, "no", bm25
        ),
    )


def _evidence(
    query: MatchQuery, scored: Scored, result: Need | Solution, kpis: Mapping[str, Kpi]
) -> Evidence:
    asked, found = scored.pair.query, scored.pair.candidate
    shared_codes = [code for code in asked.kpi_codes if code in set(found.kpi_codes)]
    return Evidence(
        shared_kpi_codes=shared_codes,
        shared_kpis=[
            KpiBrief(code=code, name_en=kpis[code].name_en, name_no=kpis[code].name_no)
            for code in shared_codes
            if code in kpis
        ],
        suggested_kpis=_suggested_kpis(asked, found, kpis),
        shared_sdgs=sorted(set(asked.sdgs) & set(found.sdgs)),
        fitting_cpv_codes=fitting_cpv_codes(asked.cpv_codes, found.cpv_codes),
        matched_terms=_matched_terms(query.words, shared_reads.words_by_term(result)),
    )


def _suggested_kpis(asked: Side, found: Side, kpis: Mapping[str, Kpi]) -> list[SuggestedKpiBrief]:
    """The KPIs both sides point to where one side (or both) has them only as suggestions from its text;
    none when both chose KPIs, as the suggested-KPI signal then adds nothing."""
    if asked.kpi_codes and found.kpi_codes:
        return []
    theirs = kpi_certainty(found.kpi_codes, found.suggested_kpis)
    suggested_for = [side.kind for side in (asked, found) if not side.kpi_codes and side.kind != "text"]
    return [
        SuggestedKpiBrief(
            code=code, name_en=kpis[code].name_en, name_no=kpis[code].name_no, suggested_for=suggested_for
        )
        for code in kpi_certainty(asked.kpi_codes, asked.suggested_kpis)
        if code in theirs and code in kpis
    ]


def _reasons(scored: Scored, evidence: Evidence, signals: SignalSet) -> list[tuple[Signal, Reason]]:
    """The signals that moved the score, largest first, each with what its phrase says."""
    ordered = sorted(scored.parts.items(), key=lambda item: -abs(item[1]))
    return [
        (signals[name], Reason(scored.pair, scored.features[name], part, evidence))
        for name, part in ordered
        if part or signals[name].always_shown
    ]


def _sentence(phrases: list[str], evidence: Evidence, language: Language, bm25: bool) -> str:
    matched = evidence.matched_terms
    if matched and not bm25:  # BM25 carries no weight, yet the words help a reader
        phrases.append(WORDS_IN_COMMON[language] + shown_words(term.result_words[0] for term in matched))
    return "; ".join(phrases) + "."


def _matched_terms(
    query_words: dict[str, list[str]], result_words: dict[str, list[str]]
) -> list[MatchedTerm]:
    shared = [term for term in query_words if term in result_words][:MAX_MATCHED_TERMS]
    return [
        MatchedTerm(term=term, query_words=query_words[term], result_words=result_words[term])
        for term in shared
    ]
