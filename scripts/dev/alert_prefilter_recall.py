"""How many alerts the evaluation's prefilter keeps (issue 22), on a seeded demo database.

Every published solution stands for a saved search "needs for my solution" and every open need for a
new record. Exhaustive: each solution's needs all ranked (the ranker's `among` = every need), those in
a band kept. Prefiltered: only the pairs with a cosine at the threshold, or a shared chosen KPI, as
service/alerts/evaluation.py weighs them. Recall per band = kept / exhaustive.
Run: .venv/bin/python scripts/dev/alert_prefilter_recall.py DEMO.sqlite3 (a copy is used)
"""

import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from embeddings import load_encoder
from service.db import make_engine, make_session_factory
from service.demand.match_bands import match_band
from service.indexing import Indexes
from service.matching import ranker
from service.models import Need, Solution

THRESHOLDS = (-1.0, 0.0, 0.1, 0.2, 0.3, 0.4)

work = Path(tempfile.mkdtemp())
shutil.copy(sys.argv[1], work / "db.sqlite3")
sessions = make_session_factory(make_engine(f"sqlite:///{work / 'db.sqlite3'}"))
indexes = Indexes.create(encoder=load_encoder("e5-small"), index_dir=work / "index", session_factory=sessions)
indexes.open()
with sessions() as session:
    needs = dict(session.execute(select(Need.id, Need.kpi_codes).where(Need.status == "open")).all())
    solutions = dict(
        session.execute(select(Solution.id, Solution.kpi_codes).where(Solution.status == "published")).all()
    )
    need_ids, need_vectors = indexes.needs.vectors(sorted(needs))
    exhaustive: Counter[str] = Counter()
    kept = {threshold: Counter[str]() for threshold in THRESHOLDS}
    candidates: Counter[float] = Counter()  # pairs each threshold sends on to be ranked
    for solution_id, solution_kpis in solutions.items():
        cosines = need_vectors @ indexes.solutions.query_vector(solution_id)
        cosine_of = dict(zip(need_ids.tolist(), cosines.tolist(), strict=True))
        for need_id, cosine in cosine_of.items():
            shares = bool(set(solution_kpis or ()) & set(needs[need_id] or ()))
            for threshold in THRESHOLDS:
                candidates[threshold] += shares or cosine >= threshold
        ranked = ranker.rank_needs_for_solution(
            session=session, indexes=indexes, solution_id=solution_id, limit=len(needs), among=list(needs)
        )
        for match in ranked:
            band = match_band(match.score)
            if band is None:
                continue
            exhaustive[band] += 1
            shares = bool(set(solution_kpis or ()) & set(needs[match.need.id] or ()))
            for threshold in THRESHOLDS:
                if shares or cosine_of[match.need.id] >= threshold:
                    kept[threshold][band] += 1
print(f"{len(solutions)} solutions x {len(needs)} open needs; pairs in a band: {dict(exhaustive)}")
for threshold in THRESHOLDS:
    recall = {band: round(kept[threshold][band] / exhaustive[band], 4) for band in exhaustive}
    ranked_share = candidates[threshold] / (len(solutions) * len(needs))
    print(f"cosine >= {threshold:+.1f} or a shared KPI: ranks {ranked_share:.1%} of pairs; recall {recall}")
