"""BM25 with Norwegian and English stemming: analysis, ranking, filters, and changes taking effect."""

import threading

import pytest

from embeddings import LexicalIndex, TextAnalyzer
from embeddings.lexical import MAX_QUERY_TERMS

ANALYZER = TextAnalyzer()


def test_norwegian_inflections_meet_in_one_term() -> None:
    terms = {word: ANALYZER.terms(word, "no")[0] for word in ("lekkasje", "lekkasjer", "lekkasjene")}
    assert len(set(terms.values())) == 1, terms


def test_english_inflections_meet_in_one_term() -> None:
    assert len({ANALYZER.terms(word, "en")[0] for word in ("leak", "leaks", "leaking")}) == 1


def test_stop_words_and_bare_numbers_are_not_terms() -> None:
    assert ANALYZER.terms("Vi har en lekkasje på 24,5 % i 2023", "no") == ANALYZER.terms("lekkasje", "no")
    assert ANALYZER.terms("The leak of the year 2023", "en") == ANALYZER.terms("leak year", "en")
    assert ANALYZER.terms("CO2 and PM10", "en") == ["co2", "pm10"]


def test_words_keep_what_was_written_beside_the_term() -> None:
    assert ANALYZER.words("Lekkasjene", "no") == [(ANALYZER.terms("lekkasje", "no")[0], "lekkasjene")]


def _index(documents: dict[int, str], language: str = "en") -> LexicalIndex:
    index = LexicalIndex()
    index.upsert(list(documents), [ANALYZER.terms(text, language) for text in documents.values()])
    return index


def test_the_document_with_the_rarer_shared_term_ranks_first() -> None:
    index = _index(
        {
            1: "water meters for billing",
            2: "acoustic leak detection on water mains",
            3: "water quality sensors",
            4: "smart waste bins",
        }
    )
    hits = index.search(ANALYZER.terms("leaking water pipes", "en"), 10)
    assert hits[0][0] == 2
    assert 4 not in {owner_id for owner_id, _ in hits}  # nothing in common: no hit at all
    assert all(score > 0 for _, score in hits)


def test_a_filter_keeps_the_full_k_among_allowed_ids() -> None:
    index = _index({owner_id: f"leak report number {owner_id} leak" for owner_id in range(1, 41)})
    allowed = list(range(21, 41))
    hits = index.search(ANALYZER.terms("leak", "en"), 10, allowed_ids=allowed)
    assert len(hits) == 10
    assert {owner_id for owner_id, _ in hits} <= set(allowed)
    assert index.search(ANALYZER.terms("leak", "en"), 10, allowed_ids=[]) == []


def test_upserts_and_removals_take_effect_at_the_next_search() -> None:
    index = _index({1: "smart waste bins", 2: "water meters"})
    assert index.search(["leak"], 5) == []
    index.upsert([3], [ANALYZER.terms("leak detection", "en")])
    assert [owner_id for owner_id, _ in index.search(["leak"], 5)] == [3]
    index.upsert([3], [ANALYZER.terms("bus routes", "en")])  # a changed text replaces the old terms
    assert index.search(["leak"], 5) == []
    index.remove([1])
    assert index.search(ANALYZER.terms("waste", "en"), 5) == []
    assert len(index) == 2


def test_scores_of_given_ids_match_the_search_and_unknown_ids_score_zero() -> None:
    index = _index({1: "leak detection", 2: "leak leak leak", 3: "waste"})
    query = ANALYZER.terms("leak", "en")
    by_id = dict(index.search(query, 5))
    scores = index.scores(query, [2, 1, 3, 99])
    assert scores.tolist() == pytest.approx([by_id[2], by_id[1], 0.0, 0.0])


def test_an_empty_index_answers_without_hits() -> None:
    index = LexicalIndex()
    assert index.search(["leak"], 5) == []
    assert index.scores(["leak"], [1]).tolist() == [0.0]


def test_searches_beside_writes_never_fail() -> None:
    index = _index({owner_id: f"leak {owner_id}" for owner_id in range(100)})
    errors: list[BaseException] = []

    def search() -> None:
        try:
            for _ in range(200):
                assert index.search(["leak"], 5)
        except BaseException as error:  # the test fails on any error in the thread
            errors.append(error)

    threads = [threading.Thread(target=search) for _ in range(3)]
    for thread in threads:
        thread.start()
    for owner_id in range(100, 300):
        index.upsert([owner_id], [["leak", "extra"]])
    for thread in threads:
        thread.join()
    assert not errors
    assert len(index.search(["extra"], 500)) == 200


def test_a_long_query_keeps_only_its_rarest_terms() -> None:
    index = LexicalIndex()
    rare_terms = [f"rare{number}" for number in range(MAX_QUERY_TERMS)]
    # Record 0 shares only the common term; every other record holds one rare term and the common one.
    index.upsert(
        [0, *range(1, MAX_QUERY_TERMS + 1)],
        [["common"], *(["common", term] for term in rare_terms)],
    )
    short_query = ["common", *rare_terms[:3]]
    assert 0 in {owner_id for owner_id, _score in index.search(short_query, 100)}
    long_query = ["common", *rare_terms]
    found = {owner_id for owner_id, _score in index.search(long_query, 100)}
    assert found == set(range(1, MAX_QUERY_TERMS + 1))


def test_a_query_without_known_terms_finds_nothing() -> None:
    index = LexicalIndex()
    index.upsert([1], [ANALYZER.terms("water leak", "en")])
    assert index.search([], 5) == []
    assert index.search(["unknown"], 5) == []


def test_a_query_reads_no_more_postings_than_its_budget_but_keeps_its_rarest_term() -> None:
    index = LexicalIndex(max_query_postings=5)
    # "rare" is in two records, "common" in five: both together would read seven postings.
    index.upsert(range(1, 6), [["common", "rare"], ["common", "rare"], ["common"], ["common"], ["common"]])
    assert {owner_id for owner_id, _ in index.search(["common", "rare"], 10)} == {1, 2}
    # A lone term over the budget is still searched: a query never loses all its terms.
    assert len(index.search(["common"], 10)) == 5
