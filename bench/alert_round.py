"""One alert round in a process of its own: `python -m bench.alert_round DATABASE_URL DATA_DIR`.

Opens the service as `innomatch worker` does, then evaluates every saved search and plans every
delivery (nothing is sent). Prints one JSON line: seconds, counts and this process's memory (peak
resident memory is reset after opening, so the peak is the round's).
"""

import json
import sys
import time
from pathlib import Path

from bench.machine import own_memory_mib, reset_peak_memory
from service.alerts.deliveries import plan_deliveries
from service.alerts.evaluation import evaluate
from service.alerts.work import webhook_destinations
from service.app import open_service
from service.config import Settings
from service.db import utc_now


def main(database_url: str, data_dir: str) -> None:
    started = time.perf_counter()
    settings = Settings(database_url=database_url, data_dir=Path(data_dir), seed="none", alerts_worker=False)
    opened = open_service(settings)
    open_seconds = time.perf_counter() - started
    after_open = own_memory_mib("VmRSS")
    reset_peak_memory()
    began = time.perf_counter()
    with opened.session_factory() as session:
        report = evaluate(session, opened.indexes)
    evaluated = time.perf_counter()
    with opened.session_factory() as session:
        planned = plan_deliveries(session, now=utc_now(), destinations={"webhook": webhook_destinations})
    planned_at = time.perf_counter()
    print(
        json.dumps(
            {
                "open_seconds": open_seconds,
                "evaluate_seconds": evaluated - began,
                "plan_seconds": planned_at - evaluated,
                "searches_weighed": report.searches,
                "matches_found": report.found,
                "deliveries_planned": len(planned),
                "memory_after_open_mib": after_open,
                "peak_during_round_mib": own_memory_mib("VmHWM"),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
