"""BM25 with Norwegian and English stemming: analysis (compounds and the bridge between the languages
included), ranking, filters, changes taking effect, and the main segment and delta they go through."""

import logging
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bm25s
import bm25s.tokenization
import numpy as np
import pytest

from embeddings import LexicalIndex, Lexicon, QueryScores, TextAnalyzer, lexical
from embeddings.lexical import MAX_QUERY_TERMS, _main_segment
from embeddings.lexical import index as lexical_index

ANALYZER = TextAnalyzer()
# The service's lexicon, as service.indexing loads it.
BRIDGED = TextAnalyzer(Lexicon.load(Path(__file__).resolve().parents[2] / "seed_data" / "lexicon"))


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


def test_a_norwegian_compound_yields_its_known_parts_and_stays_whole() -> None:
    assert BRIDGED.terms("vannlekkasje", "no") == ANALYZER.terms("vannlekkasje vann lekkasje", "no")
    assert BRIDGED.terms("overvannshåndtering", "no") == ANALYZER.terms(
        "overvannshåndtering overvann håndtering", "no"
    )
    # The parts are explained by the compound as written.
    assert BRIDGED.words("Vannlekkasjer", "no")[1:] == [
        ("vann", "vannlekkasjer"),
        ("lekkasj", "vannlekkasjer"),
    ]


def test_without_a_lexicon_compounds_stay_whole_and_nothing_is_translated() -> None:
    assert ANALYZER.terms("vannlekkasje", "no") == ["vannlekkasj"]
    assert ANALYZER.words_and_translations("lekkasje", "no") == (ANALYZER.words("lekkasje", "no"), [])


def _bridged_query(text: str, language: str) -> list[str]:
    words, translated = BRIDGED.words_and_translations(text, language)
    assert words == BRIDGED.words(text, language)
    return [term for term, _word in [*words, *translated]]


def test_a_norwegian_query_finds_an_english_record_through_the_bridge() -> None:
    records = {
        1: "Acoustic leak detection on water mains",
        2: "Smart waste bins that report their fill level",
        3: "Adaptive street lights that dim when nobody is around",
        4: "Electric cargo bikes for home-care crews",
    }
    index = LexicalIndex()
    index.upsert(list(records), [BRIDGED.terms(text, "en") for text in records.values()])
    assert index.search(BRIDGED.terms("lekkasje", "no"), 5) == []  # the languages share no term
    assert index.search(_bridged_query("lekkasje", "no"), 5)[0][0] == 1
    assert index.search(_bridged_query("vannlekkasje", "no"), 5)[0][0] == 1
    assert index.search(_bridged_query("gatelys", "no"), 5)[0][0] == 3


def test_an_english_query_finds_a_norwegian_record_through_the_bridge() -> None:
    records = {1: "Lekkasjesøk med akustiske loggere på vannledninger", 2: "Smarte avfallsbeholdere"}
    index = LexicalIndex()
    index.upsert(list(records), [BRIDGED.terms(text, "no") for text in records.values()])
    assert index.search(_bridged_query("leak", "en"), 5)[0][0] == 1


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


def test_score_returns_the_query_scores_that_embeddings_exports() -> None:
    # The service types what score() returns with the QueryScores that embeddings exports.
    scores = _index({1: "leak detection", 2: "waste"}).score(ANALYZER.terms("leak", "en"))
    assert isinstance(scores, QueryScores)
    assert scores.of([1, 2]).tolist() == pytest.approx([scores.top(1)[0][1], 0.0])


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


def _searched(documents: dict[int, str]) -> LexicalIndex:
    """An index whose main segment is built: later writes go to the delta."""
    index = _index(documents)
    index.search(["leak"], 1)
    assert index.merges == 1
    return index


def _wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _ids(hits: list[tuple[int, float]]) -> list[int]:
    return [owner_id for owner_id, _score in hits]


@pytest.fixture
def small_delta_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical_index, "MIN_DELTA", 5)


def test_a_write_after_a_search_goes_to_the_delta_without_a_rebuild() -> None:
    index = _searched({1: "smart waste bins", 2: "water meters"})
    index.upsert([3], [ANALYZER.terms("leak detection", "en")])
    assert _ids(index.search(ANALYZER.terms("leak", "en"), 5)) == [3]
    assert index.merges == 1


def test_an_updated_record_matches_only_its_new_terms_and_a_removed_one_disappears_at_once() -> None:
    index = _searched({1: "acoustic leak detection", 2: "smart waste bins", 3: "water meters"})
    index.upsert([1], [ANALYZER.terms("bus routes", "en")])
    assert index.search(ANALYZER.terms("leak", "en"), 5) == []
    assert _ids(index.search(ANALYZER.terms("bus", "en"), 5)) == [1]
    index.remove([2])
    assert index.search(ANALYZER.terms("waste bins", "en"), 5) == []
    assert index.scores(ANALYZER.terms("waste bins", "en"), [2]).tolist() == [0.0]
    assert len(index) == 2
    assert index.merges == 1


def test_a_delta_record_scores_as_the_main_segment_record_with_the_same_terms() -> None:
    texts = {
        1: "acoustic leak detection on water mains",
        2: "water meters",
        3: "leak leak sensors",
        4: "bins",
    }
    index = _searched(texts)
    index.upsert([11, 13], [ANALYZER.terms(texts[1], "en"), ANALYZER.terms(texts[3], "en")])
    scores = index.scores(ANALYZER.terms("leaking water sensors", "en"), [1, 11, 3, 13])
    assert index.merges == 1  # the two copies were scored in different segments
    assert scores[0] > 0 and scores[2] > 0
    assert np.isclose(scores[0], scores[1]) and np.isclose(scores[2], scores[3])


def test_filters_and_scores_of_given_ids_cover_the_delta() -> None:
    index = _searched({owner_id: f"leak report {owner_id}" for owner_id in range(1, 21)})
    index.upsert([50, 51], [["leak", "leak"], ["leak", "pipe"]])
    hits = index.search(["leak"], 5, allowed_ids=[3, 50, 51, 99])
    assert _ids(hits) == [50, 3, 51]  # two "leak"s rank first; 3 and 51 tie, the lower id first
    by_id = dict(hits)
    scores = index.scores(["leak"], [51, 3, 50, 99])
    assert scores.tolist() == pytest.approx([by_id[51], by_id[3], by_id[50], 0.0])
    assert index.search(["leak"], 1, allowed_ids=[51]) == [(51, by_id[51])]
    assert index.merges == 1


WORDS = [f"w{number}" for number in range(12)]


@pytest.mark.usefixtures("small_delta_bound")
def test_a_delta_past_its_bound_is_merged_in_the_background_into_exact_scores() -> None:
    rng = random.Random(7)
    records = {owner_id: rng.choices(WORDS, k=rng.randint(1, 8)) for owner_id in range(40)}
    index = LexicalIndex()
    index.upsert(list(records), list(records.values()))
    index.search(["w0"], 1)
    changes = {owner_id: rng.choices(WORDS, k=rng.randint(1, 8)) for owner_id in range(30, 50)}
    index.upsert(list(changes), list(changes.values()))  # ten updated and ten new records
    records |= changes
    assert _wait_for(lambda: index.merges == 2)
    fresh = LexicalIndex()
    fresh.upsert(list(records), list(records.values()))
    for query in (WORDS[:3], WORDS[5:9], ["w11"]):
        assert np.allclose(index.scores(query, list(records)), fresh.scores(query, list(records)))
        assert _ids(index.search(query, 10)) == _ids(fresh.search(query, 10))


def _hold_builds(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Main-segment builds set `started`, then wait for `release`: a merge held open."""
    started, release = threading.Event(), threading.Event()
    build = lexical_index.build_main_segment

    def held_build(*arguments: Any) -> Any:
        started.set()
        release.wait(10)
        return build(*arguments)

    monkeypatch.setattr(lexical_index, "build_main_segment", held_build)
    return started, release


@pytest.mark.usefixtures("small_delta_bound")
def test_writes_during_a_merge_are_neither_lost_nor_counted_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    index = _searched({owner_id: f"leak report {owner_id}" for owner_id in range(1, 21)})
    started, release = _hold_builds(monkeypatch)
    try:
        index.upsert(range(21, 31), [["leak", "report"]] * 10)  # past the bound: a merge starts
        assert started.wait(5)
        index.upsert([100, 1], [["fresh"], ["changed"]])
        index.remove([2])
        # Searches go on over the old main segment meanwhile, and see these writes.
        found: list[list[int]] = []
        searching = threading.Thread(target=lambda: found.append(_ids(index.search(["fresh"], 5))))
        searching.start()
        searching.join(5)
        assert found == [[100]]
        assert index.merges == 1
    finally:
        release.set()
    assert _wait_for(lambda: index.merges == 2)
    assert _ids(index.search(["fresh"], 5)) == [100]
    assert _ids(index.search(["changed"], 5)) == [1]
    # 1 no longer holds "leak" and 2 is gone, though the new main segment's snapshot has both.
    assert sorted(_ids(index.search(["leak"], 100))) == list(range(3, 31))
    assert len(index) == 30


@pytest.mark.usefixtures("small_delta_bound")
def test_a_failed_merge_is_logged_the_delta_keeps_serving_and_the_next_write_retries(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    index = _searched({owner_id: f"leak report {owner_id}" for owner_id in range(1, 21)})
    build = lexical_index.build_main_segment

    def failing_build(*arguments: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(lexical_index, "build_main_segment", failing_build)
    with caplog.at_level(logging.ERROR, logger=lexical.__name__):
        index.upsert(range(21, 31), [["leak", "pipe"]] * 10)
        assert _wait_for(lambda: "BM25 merge failed" in caplog.text)
    assert sorted(_ids(index.search(["pipe"], 20))) == list(range(21, 31))
    monkeypatch.setattr(lexical_index, "build_main_segment", build)

    def retried() -> bool:
        index.upsert([31], [["pipe"]])  # a write past the bound starts a merge unless one is running
        return index.merges == 2

    assert _wait_for(retried)
    assert len(index.search(["pipe"], 20)) == 11


@pytest.mark.usefixtures("small_delta_bound")
def test_a_merge_from_before_a_load_is_thrown_away(monkeypatch: pytest.MonkeyPatch) -> None:
    index = _searched({owner_id: f"leak report {owner_id}" for owner_id in range(1, 21)})
    started, release = _hold_builds(monkeypatch)
    try:
        index.upsert(range(21, 31), [["leak", "report"]] * 10)
        assert started.wait(5)
        index.load([([100, 101], [["leak"], ["pipe"]])])
    finally:
        release.set()
    assert _wait_for(lambda: not any(thread.name == "bm25-merge" for thread in threading.enumerate()))
    assert _ids(index.search(["leak", "report"], 100)) == [100]
    assert len(index) == 2


def test_loading_in_batches_out_of_order_equals_loading_at_once() -> None:
    batched, at_once = LexicalIndex(), LexicalIndex()
    batched.load([([5, 9], [["pipe", "leak"], ["bus"]]), ([2, 5], [["water", "leak"], ["pipe", "burst"]])])
    at_once.load([([2, 5, 9], [["water", "leak"], ["pipe", "burst"], ["bus"]])])

    assert len(batched) == len(at_once) == 3
    for query in (["leak"], ["pipe"], ["bus", "water"]):
        assert batched.search(query, 5) == at_once.search(query, 5)


def test_the_record_count_follows_upserts_and_removals_of_present_and_absent_ids() -> None:
    index = LexicalIndex()
    index.load([([1, 2], [["pipe"], ["bus"]])])
    index.search(["pipe"], 1)  # a main segment, so that later changes go to the delta

    index.upsert([2, 3, 3], [["tram"], ["leak"], ["leak", "pipe"]])
    index.remove([1, 1, 99])
    assert len(index) == 2
    index.merge()
    assert len(index) == 2
    assert {owner_id for owner_id, _ in index.search(["pipe", "tram", "bus"], 5)} == {2, 3}


@pytest.mark.parametrize("postings_per_chunk", [_main_segment._BUILD_CHUNK, 37])
def test_the_main_segment_scores_as_bm25s_own_index(
    postings_per_chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks: the build writes the matrix in many pieces, records with no terms among them.
    monkeypatch.setattr(_main_segment, "_BUILD_CHUNK", postings_per_chunk)
    rng = np.random.default_rng(7)
    records = [[f"t{term}" for term in rng.zipf(1.5, size=rng.integers(0, 30)) % 60] for _ in range(300)]
    assert any(not record for record in records)
    index = LexicalIndex()
    index.load([(list(range(1, 301)), records)])
    reference = bm25s.BM25()
    reference.index(bm25s.tokenization.Tokenized(*_token_ids(records)), show_progress=False)

    for query in (["t1"], ["t2", "t3", "t5"], ["t0", "t7", "t11", "t40"]):
        vocabulary = reference.vocab_dict
        expected = reference.get_scores([term for term in query if term in vocabulary])
        np.testing.assert_allclose(index.scores(query, list(range(1, 301))), expected, rtol=1e-5)


def _token_ids(records: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    vocabulary: dict[str, int] = {}
    return [
        [vocabulary.setdefault(term, len(vocabulary)) for term in record] for record in records
    ], vocabulary
