"""How long the staff's needs-quality report (service.needs.quality_report) takes for N open needs: the
first time (every need checked) and again (each need's rules remembered until it changes).

    PYTHONPATH=. python scripts/dev/quality_report_timing.py --needs 2000

A new SQLite file gets the catalogues (municipalities) and N open needs written straight to the table,
their texts the labelled need texts of seed_data/needs_quality/ in turn, spread over the municipalities.
"""

import argparse
import tempfile
import time
from pathlib import Path

from evaluation.needs_quality import labelled_needs
from service.db import make_engine, make_session_factory
from service.migrations import upgrade_to_head
from service.models import Municipality, Need
from service.needs.quality_report import quality_by_municipality
from service.seeding import run_seed


def _no_encoder() -> None:
    raise AssertionError("the catalogues need no encoder")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=2000)
    count = parser.parse_args().needs
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'timing.sqlite3'}"
        upgrade_to_head(url)
        sessions = make_session_factory(make_engine(url))
        run_seed(sessions, demo=False, encoder_factory=_no_encoder)  # type: ignore[arg-type]
        texts = [need for split in ("dev", "heldout") for need in labelled_needs(split)]
        with sessions.begin() as session:
            numbers = [number for (number,) in session.query(Municipality.number)]
            for index in range(count):
                text = texts[index % len(texts)]
                session.add(
                    Need(
                        title=f"{text.title} ({index})",
                        description=text.description,
                        language=text.language,
                        municipality_number=numbers[index % len(numbers)],
                        kpi_codes=[],
                    )
                )
        for attempt in ("first", "again"):
            with sessions() as session:
                started = time.perf_counter()
                rows = quality_by_municipality(session)
                seconds = time.perf_counter() - started
            print(f"{count} open needs, {len(rows)} municipalities, {attempt}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
