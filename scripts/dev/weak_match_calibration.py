"""Where an honest "no good match" threshold would lie (issue 19 item 4), on the tuning split.

For each case of the new sets: the final (hybrid) ranking's first score, and whether that first result
is relevant; queries with no answer show how often a threshold would say so.
Run: .venv/bin/python scripts/dev/weak_match_calibration.py [train|heldout]
"""

import sys

import numpy as np

from embeddings import CachingEncoder, load_encoder
from evaluation.kpi_suggestions import KpiSuggestionModel
from evaluation.matching import DEFAULT_SETS, LIMIT, load_eval_set, score_tables
from service.indexing import fit_centroids
from service.matching.ranking import fuse_text_signals, rank
from service.matching.scoring import candidate_count
from service.seeding import catalogue_kpi_names

SPLIT = sys.argv[1] if len(sys.argv) > 1 else "train"
encoder = CachingEncoder(load_encoder("e5-small"))
centroids, _ = fit_centroids(encoder)
kpi_names = catalogue_kpi_names()
suggester = KpiSuggestionModel.build(encoder, centroids)  # needs carry suggested KPIs, as stored

for path in DEFAULT_SETS[:2]:
    eval_set = load_eval_set(path)
    tables = score_tables(
        eval_set, encoder, centroids=centroids, kpi_names=kpi_names, split=SPLIT, suggester=suggester
    )
    right, wrong, unanswerable = [], [], []
    for row, case in enumerate(tables.cases):
        k = candidate_count(LIMIT)
        dense = sorted(((p, float(s)) for p, s in enumerate(tables.dense[row])), key=lambda x: -x[1])[:k]
        lexical = sorted(
            ((p, float(s)) for p, s in enumerate(tables.bm25[row]) if s > 0), key=lambda x: -x[1]
        )[:k]
        text = fuse_text_signals(
            "hybrid",
            LIMIT,
            dense,
            lexical,
            similarity_of=lambda ps, row=row, t=tables: {p: float(t.dense[row, p]) for p in ps},
            bm25_of=lambda ps, row=row, t=tables: {p: float(t.bm25[row, p]) for p in ps},
        )
        first = rank(tables.query_side(row), tables.solution_sides, text, ranking="hybrid")[0]
        if not case.relevant:
            unanswerable.append(first.score)
        elif eval_set.solution_ids[first.id] in case.relevant:
            right.append(first.score)
        else:
            wrong.append(first.score)
    print(f"## {path.name} ({SPLIT}): right {len(right)}, wrong {len(wrong)}, no answer {len(unanswerable)}")
    for name, scores in (("right", right), ("wrong", wrong), ("no answer", unanswerable)):
        if scores:
            print(
                f"{name:10s} "
                + " ".join(f"p{q}={np.percentile(scores, q):.3f}" for q in (0, 5, 25, 50, 75, 100))
            )
    for threshold in np.percentile(right, [2, 5, 10]):
        hidden = np.mean(np.array(right) < threshold)
        caught = np.mean(np.array(unanswerable) < threshold) if unanswerable else float("nan")
        flagged_wrong = np.mean(np.array(wrong) < threshold) if wrong else float("nan")
        print(
            f"threshold {threshold:.3f}: hides {hidden:.0%} of right firsts, "
            f"flags {flagged_wrong:.0%} of wrong firsts and {caught:.0%} of no-answer queries"
        )
