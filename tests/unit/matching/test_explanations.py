"""Explanations built from hand-made pairs and in-memory ORM records: fields, and the summaries in English
and Norwegian."""

from collections.abc import Mapping

import numpy as np
import pytest

from service.indexing import LexicalDocument
from service.matching.evidence import KpiBrief, MatchedTerm, SuggestedKpiBrief
from service.matching.explanations import explain
from service.matching.pairs import MatchContext, Side
from service.matching.query import MatchQuery
from service.matching.ranking import Scored, rank
from service.matching.schemas import Explanation
from service.matching.scoring import Ranking
from service.matching.signals import SIGNALS, SignalSet
from service.models import Kpi, Need, Solution

WATER_LOSS = Kpi(
    code="EN-W-WS-3C", name_en="Water distribution losses", name_no="Vanntap i distribusjonsnettet"
)
KPIS = {WATER_LOSS.code: WATER_LOSS}
NEED_SIDE = Side(kind="need", id=1, language="no", kpi_codes=("EN-W-WS-3C",), cpv_codes=("45230000",))
NEED_TEXT = ("Vanntap fra ledningsnettet", "Kommunen mister drikkevann.")
SOLUTION_SIDE = Side(
    kind="solution", id=11, language="en", kpi_codes=("EN-W-WS-3C",), cpv_codes=("45232150",)
)
SOLUTION = Solution(
    id=11,
    title="Acoustic sensors",
    description="Sensors locate bursts underground.",
    language="en",
    kpi_codes=["EN-W-WS-3C"],
    cpv_codes=["45232150"],
)


def _query(side: Side, title: str, description: str, ranking: Ranking = "hybrid") -> MatchQuery:
    document = LexicalDocument.of(title, description, side.language, side.kpi_codes)
    return MatchQuery(side, np.zeros(4, dtype=np.float32), document, (), ranking)


def _explained(
    query: MatchQuery,
    candidate: Side,
    result: Need | Solution,
    text: dict[str, float],
    *,
    context: MatchContext | None = None,
    signals: SignalSet = SIGNALS,
    kpis: Mapping[str, Kpi] = KPIS,
) -> Explanation:
    assert candidate.id is not None
    scored: Scored
    (scored,) = rank(
        query.side,
        {candidate.id: candidate},
        {candidate.id: text},
        ranking=query.ranking,
        context=context or MatchContext(),
        signals=signals,
    )
    return explain(query, scored, result, kpis, signals)


def _reasons(summary: str) -> list[str]:
    return summary.removesuffix(".").split("; ")


def test_reasons_are_ordered_by_size_in_both_languages() -> None:
    explanation = _explained(
        _query(NEED_SIDE, *NEED_TEXT),
        SOLUTION_SIDE,
        SOLUTION,
        {"similarity": 0.1, "lexical": 0.0},
        context=MatchContext(verdicts={11: "useful"}),
    )
    assert explanation.summary == (
        "+0.45 both address EN-W-WS-3C Water distribution losses; "
        "+0.20 an officer marked it useful for this need; "
        "text similarity 0.10 between the Norwegian need and the English solution; "
        "+0.05 CPV codes fit (45232150)."
    )
    assert explanation.summary_no == (
        "+0,45 begge gjelder EN-W-WS-3C Vanntap i distribusjonsnettet; "
        "+0,20 en innkjøper markerte den som nyttig for dette behovet; "
        "tekstlikhet 0,10 mellom det norske behovet og den engelske løsningen; "
        "+0,05 CPV-kodene passer (45232150)."
    )


def test_the_explanation_carries_the_evidence_and_rounded_contributions() -> None:
    explanation = _explained(
        _query(NEED_SIDE, *NEED_TEXT),
        SOLUTION_SIDE,
        SOLUTION,
        {"similarity": 0.123456, "lexical": 0.0},
        context=MatchContext(verdicts={11: "useful"}),
    )
    assert explanation.ranking == "hybrid"
    assert explanation.similarity == 0.1235
    assert explanation.contributions == {
        "similarity": 0.1235,
        "shared_kpis": 0.45,
        "cpv": 0.05,
        "feedback": 0.2,
    }
    assert explanation.shared_kpi_codes == ["EN-W-WS-3C"]
    assert explanation.shared_kpis == [
        KpiBrief(
            code="EN-W-WS-3C", name_en="Water distribution losses", name_no="Vanntap i distribusjonsnettet"
        )
    ]
    assert explanation.shared_sdgs == []
    assert explanation.fitting_cpv_codes == ["45232150"]
    assert explanation.matched_terms == []
    assert explanation.language_pair == "no->en"


def test_a_shared_kpi_missing_from_the_catalogue_is_listed_by_code_but_not_named() -> None:
    need = Side(kind="need", id=1, language="no", kpi_codes=("XX-UNKNOWN-1C", "EN-W-WS-3C"))
    solution = Side(kind="solution", id=11, language="en", kpi_codes=("EN-W-WS-3C", "XX-UNKNOWN-1C"))
    explanation = _explained(_query(need, *NEED_TEXT), solution, SOLUTION, {"similarity": 0.5})
    assert explanation.shared_kpi_codes == ["XX-UNKNOWN-1C", "EN-W-WS-3C"]  # in the query's order
    assert [kpi.code for kpi in explanation.shared_kpis] == ["EN-W-WS-3C"]
    assert "+0.45 both address EN-W-WS-3C Water distribution losses" in _reasons(explanation.summary)


def test_similarity_is_shown_even_when_it_is_zero_and_nothing_else_moved_the_score() -> None:
    need = Side(kind="need", id=1, language="no")
    solution = Side(kind="solution", id=11, language="en")
    explanation = _explained(
        _query(need, *NEED_TEXT), solution, SOLUTION, {"similarity": 0.0, "lexical": 0.0}
    )
    assert explanation.contributions == {"similarity": 0.0}
    assert explanation.summary == "text similarity 0.00 between the Norwegian need and the English solution."
    assert explanation.summary_no == "tekstlikhet 0,00 mellom det norske behovet og den engelske løsningen."


def test_norwegian_numbers_use_a_decimal_comma_and_a_minus_sign() -> None:
    need = Side(kind="need", id=1, language="no")
    solution = Side(kind="solution", id=11, language="en")
    explanation = _explained(
        _query(need, *NEED_TEXT),
        solution,
        SOLUTION,
        {"similarity": -0.25},
        context=MatchContext(verdict_counts={11: (1, 4)}),  # prior -3/8, part -0.01875
    )
    assert explanation.summary_no == (
        "tekstlikhet −0,25 mellom det norske behovet og den engelske løsningen; "
        "−0,02 innkjøpernes vurderinger av den for andre behov."
    )
    assert explanation.summary == (
        "text similarity -0.25 between the Norwegian need and the English solution; "
        "-0.02 officers' verdicts on it for other needs."
    )


def test_references_say_of_the_needs_county_only_when_a_municipality_there_uses_it() -> None:
    need = Side(kind="need", id=1, language="no", county="50", municipality="5001")

    def reference_reasons(references: tuple[str, ...]) -> tuple[str, str]:
        solution = Side(kind="solution", id=11, language="en", reference_municipalities=references)
        context = MatchContext(county_of={"5001": "50", "5006": "50", "0301": "03"})
        explanation = _explained(
            _query(need, *NEED_TEXT), solution, SOLUTION, {"similarity": 0.5}, context=context
        )
        (english,) = [reason for reason in _reasons(explanation.summary) if "already in use" in reason]
        (norwegian,) = [reason for reason in _reasons(explanation.summary_no) if "allerede i bruk" in reason]
        return english, norwegian

    assert reference_reasons(("5001", "5006")) == (
        "+0.03 already in use in another municipality of the need's county",
        "+0,03 allerede i bruk i en annen kommune i behovets fylke",
    )
    english, norwegian = reference_reasons(("0301",))
    assert english.endswith(" already in use in another municipality")
    assert norwegian.endswith(" allerede i bruk i en annen kommune")


NORWEGIAN_NEED = ("Lekkasjene i vannledningene", "Kommunen taper vann.")
NORWEGIAN_SOLUTION = Solution(
    id=11,
    title="Lytting etter lekkasjer",
    description="Sensorer i rørene hører vannledninger som lekker.",
    language="no",
    kpi_codes=[],
)


def test_matched_terms_pair_norwegian_words_by_their_stem_and_compounds_by_their_parts() -> None:
    need = Side(kind="need", id=1, language="no")
    solution = Side(kind="solution", id=11, language="no")
    explanation = _explained(
        _query(need, *NORWEGIAN_NEED), solution, NORWEGIAN_SOLUTION, {"similarity": 0.5, "lexical": 0.6}
    )
    assert explanation.matched_terms == [
        MatchedTerm(term="lekkasj", query_words=["lekkasjene"], result_words=["lekkasjer"]),
        MatchedTerm(term="vannledning", query_words=["vannledningene"], result_words=["vannledninger"]),
        MatchedTerm(term="vann", query_words=["vann", "vannledningene"], result_words=["vannledninger"]),
        MatchedTerm(term="ledning", query_words=["vannledningene"], result_words=["vannledninger"]),
    ]


def test_words_in_common_are_added_when_bm25_carries_no_weight() -> None:
    need = Side(kind="need", id=1, language="no")
    solution = Side(kind="solution", id=11, language="no")
    explanation = _explained(
        _query(need, *NORWEGIAN_NEED),
        solution,
        NORWEGIAN_SOLUTION,
        {"similarity": 0.5, "lexical": 0.6},
        signals=SIGNALS.with_weights(lexical=0.0),
    )
    assert explanation.summary == (
        "text similarity 0.50 between the Norwegian need and the Norwegian solution; "
        "words in common: lekkasjer, vannledninger."
    )
    assert explanation.summary_no.endswith("; felles ord: lekkasjer, vannledninger.")


def test_weighted_bm25_names_the_query_words_instead_of_words_in_common() -> None:
    need = Side(kind="need", id=1, language="no")
    solution = Side(kind="solution", id=11, language="no")
    explanation = _explained(
        _query(need, *NORWEGIAN_NEED),
        solution,
        NORWEGIAN_SOLUTION,
        {"similarity": 0.5, "lexical": 0.6},
        signals=SIGNALS.with_weights(lexical=0.5),
    )
    assert explanation.summary == (
        "text similarity 0.50 between the Norwegian need and the Norwegian solution; "
        "+0.30 shared words (lekkasjene, vannledningene, vann)."
    )
    assert explanation.summary_no == (
        "tekstlikhet 0,50 mellom det norske behovet og den norske løsningen; "
        "+0,30 felles ord (lekkasjene, vannledningene, vann)."
    )
    assert "words in common" not in explanation.summary and "felles ord:" not in explanation.summary_no


def test_matched_terms_pair_english_words_of_a_search_text_by_their_stem() -> None:
    text = Side(kind="text", language="en")
    document = LexicalDocument([("Leaking pipes in old buildings", "en")], [])
    query = MatchQuery(text, np.zeros(4, dtype=np.float32), document, (), "dense")
    solution = Solution(
        id=3, title="Leak detection", description="Finds leaks in water pipes.", language="en", kpi_codes=[]
    )
    explanation = _explained(query, Side(kind="solution", id=3, language="en"), solution, {"similarity": 0.7})
    assert explanation.matched_terms == [
        MatchedTerm(term="leak", query_words=["leaking"], result_words=["leak", "leaks"]),
        MatchedTerm(term="pipe", query_words=["pipes"], result_words=["pipes"]),
    ]
    assert explanation.language_pair == "en->en"
    assert explanation.summary == (
        "text similarity 0.70 between the English search text and the English solution; words in common: leak, pipes."
    )


def test_a_need_results_translations_and_the_query_words_translations_count_for_matched_terms() -> None:
    solution = Side(kind="solution", id=3, language="en")
    query = _query(solution, "Leak detection", "Finds leaks in water pipes.")
    need = Need(
        id=5,
        title="Lekkasjer i vannledningene",
        description="Kommunen taper vann.",
        language="no",
        kpi_codes=[],
        translations={"en": {"title": "Leaking water mains", "description": "The municipality loses water."}},
    )
    explanation = _explained(query, Side(kind="need", id=5, language="no"), need, {"similarity": 0.6})
    assert explanation.matched_terms == [
        MatchedTerm(term="leak", query_words=["leak", "leaks"], result_words=["leaking"]),
        MatchedTerm(term="water", query_words=["water"], result_words=["water"]),
        # The English query's words carried into Norwegian meet the need's own text; "water pipes" as a pair.
        MatchedTerm(term="lekkasj", query_words=["leak", "leaks"], result_words=["lekkasjer"]),
        MatchedTerm(term="vann", query_words=["water"], result_words=["vann", "vannledningene"]),
        MatchedTerm(term="vannledning", query_words=["water pipes"], result_words=["vannledningene"]),
    ]
    assert explanation.language_pair == "en->no"


def test_at_most_ten_terms_are_matched_and_five_words_shown() -> None:
    words = "sensor valve pump meter cable drone robot boiler heater filter tank pipe"
    text = Side(kind="text", language="en")
    query = MatchQuery(text, np.zeros(4, dtype=np.float32), LexicalDocument([(words, "en")], []), (), "dense")
    solution = Solution(id=3, title=words, description="", language="en", kpi_codes=[])
    explanation = _explained(query, Side(kind="solution", id=3, language="en"), solution, {"similarity": 0.2})
    assert len(explanation.matched_terms) == 10
    assert explanation.summary.endswith("; words in common: sensor, valve, pump, meter, cable.")


def test_rrf_explanations_have_no_similarity_and_keep_a_zero_rank_in_the_contributions_only() -> None:
    query = _query(NEED_SIDE, *NEED_TEXT, ranking="rrf")
    explanation = _explained(query, SOLUTION_SIDE, SOLUTION, {"dense_rank": 1 / 61, "lexical_rank": 0.0})
    assert explanation.similarity is None
    assert explanation.contributions == {"dense_rank": 0.0164, "lexical_rank": 0.0}
    assert explanation.summary == "+0.02 rank in the dense list (reciprocal-rank fusion)."
    assert explanation.summary_no == "+0,02 plass i den semantiske listen (resiprok rangfusjon)."


UNTAGGED_NEED = Side(
    kind="need", id=1, language="no", suggested_kpis=(("EN-W-WS-3C", 0.8), ("XX-OTHER-1C", 0.1))
)


def test_a_kpi_suggested_from_the_text_is_said_to_be_suggested_not_chosen() -> None:
    """The need carries no KPI of its own; the one suggested from its text meets the solution's chosen one."""
    explanation = _explained(
        _query(UNTAGGED_NEED, *NEED_TEXT), SOLUTION_SIDE, SOLUTION, {"similarity": 0.3, "lexical": 0.0}
    )
    weight = SIGNALS.weight("suggested_kpis")
    assert explanation.contributions["suggested_kpis"] == pytest.approx(round(weight * 0.8, 4))
    assert explanation.shared_kpi_codes == []  # nothing was chosen by both
    assert explanation.suggested_kpis == [
        SuggestedKpiBrief(
            code="EN-W-WS-3C",
            name_en="Water distribution losses",
            name_no="Vanntap i distribusjonsnettet",
            suggested_for=["need"],
        )
    ]
    assert (
        f"+{weight * 0.8:.2f} KPI suggested from the text, not chosen: "
        "EN-W-WS-3C Water distribution losses (from the need's text)"
    ) in _reasons(explanation.summary)
    assert (
        f"+{weight * 0.8:.2f}".replace(".", ",") + " KPI foreslått ut fra teksten, ikke valgt: "
        "EN-W-WS-3C Vanntap i distribusjonsnettet (fra behovets tekst)"
    ) in _reasons(explanation.summary_no)


def test_kpis_suggested_for_both_texts_name_both() -> None:
    solution = SOLUTION_SIDE._replace(kpi_codes=(), suggested_kpis=(("EN-W-WS-3C", 0.5),))
    explanation = _explained(_query(UNTAGGED_NEED, *NEED_TEXT), solution, SOLUTION, {"similarity": 0.3})
    assert explanation.contributions["suggested_kpis"] == pytest.approx(
        round(SIGNALS.weight("suggested_kpis") * 0.8 * 0.5, 4)
    )
    assert [kpi.suggested_for for kpi in explanation.suggested_kpis] == [["need", "solution"]]
    assert any(
        reason.endswith("(from the need's text and the solution's text)")
        for reason in _reasons(explanation.summary)
    )


def test_kpis_chosen_on_both_sides_are_shared_not_suggested() -> None:
    need = NEED_SIDE._replace(suggested_kpis=(("EN-W-WS-3C", 0.9),))
    explanation = _explained(_query(need, *NEED_TEXT), SOLUTION_SIDE, SOLUTION, {"similarity": 0.3})
    assert "suggested_kpis" not in explanation.contributions
    assert explanation.suggested_kpis == []
    assert not any("suggested" in reason for reason in _reasons(explanation.summary))
