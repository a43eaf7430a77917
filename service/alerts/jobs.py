"""The alert jobs, run by huey: every minute one round evaluates the saved searches, plans what is
due and sends what is due (docs/alerts.md, "Deliveries").

huey keeps its queue in SQLite in the data directory (the embedded default), or in Redis when
INNOMATCH_REDIS_URL is set (several processes or machines). Its lock lets one round run at a time
across all consumers; a round is safe to repeat, since every step reads its state from the database.
`innomatch serve` runs a consumer in the process, `innomatch worker` runs one alone. huey's scheduler
looks at the periodic tasks as soon as a consumer starts, then every 60 seconds: so a (re)started
consumer runs a round at once, and what fell due while it was down goes out without waiting a minute.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from sqlalchemy.orm import Session, sessionmaker

from service.alerts import repository
from service.alerts.deliveries import Destinations, Sender, plan_deliveries, send_delivery
from service.alerts.evaluation import evaluate
from service.config import Settings
from service.db import utc_now
from service.indexing import Indexes

log = logging.getLogger(__name__)
ROUND_LOCK = "alert-round"
DEFAULT_LEASE = timedelta(seconds=Settings.model_fields["alerts_claim_lease_seconds"].default)


@dataclass(frozen=True)
class AlertWork:
    """What a round needs: the database, the indexes, and each channel's destinations and sender."""

    sessions: sessionmaker[Session]
    indexes: Indexes
    destinations: Mapping[str, Destinations]
    senders: Mapping[str, Sender]
    clock: Callable[[], datetime] = utc_now
    lease: timedelta = DEFAULT_LEASE  # how long a sending's claim holds (deliveries.send_delivery)


@dataclass(frozen=True)
class RoundReport:
    found: int
    planned: int
    sent: int
    failed: int


def run_round(work: AlertWork) -> RoundReport:
    """Evaluate, plan, send: each step its own transactions."""
    with work.sessions() as session:
        found = evaluate(session, work.indexes).found
    with work.sessions() as session:
        planned = len(plan_deliveries(session, now=work.clock(), destinations=work.destinations))
    sent = failed = 0
    with work.sessions() as session:
        for delivery_id in repository.due_delivery_ids(session, work.clock()):
            status = send_delivery(
                session, delivery_id, now=work.clock(), senders=work.senders, lease=work.lease
            )
            sent += status == "sent"
            failed += status in ("pending", "dead")
    return RoundReport(found, planned, sent, failed)


def job_queue(settings: Settings) -> Huey:
    """The queue: Redis when configured, else a SQLite file in the data directory."""
    if settings.redis_url:
        return RedisHuey("innomatch", url=settings.redis_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("innomatch", filename=str(settings.data_dir / "jobs.sqlite3"))


def schedule_rounds(huey: Huey, work: AlertWork) -> Callable[[], object]:
    """Register the round on `huey`, every minute, one at a time; returns the task, to enqueue one now."""

    def alert_round() -> None:
        report = run_round(work)
        if report.found or report.planned or report.sent or report.failed:
            log.info("alert round: %s", report)

    locked = huey.lock_task(ROUND_LOCK)(alert_round)
    task: Callable[[], object] = huey.periodic_task(crontab(minute="*"), name="alert_round")(locked)
    return task


def consumer_options() -> dict[str, object]:
    """One worker thread and the periodic rounds. The round lock a process killed during a round left
    behind is cleared at start (huey's "stale locks"), or no round would run again; should another
    consumer hold it at that moment, the two rounds' planning still takes each match once."""
    return {"workers": 1, "periodic": True, "worker_type": "thread", "flush_locks": True}


class EmbeddedConsumer(Consumer):  # type: ignore[misc]  # huey is untyped
    """A consumer inside the web server's process: the server's signal handlers stay its own, and it
    stops the consumer when it shuts down (huey's would replace them, and fail outside the main thread)."""

    def _set_signal_handlers(self) -> None:
        pass


def start_consumer(huey: Huey) -> Consumer:
    """A consumer in threads of this process (`innomatch serve`); stop it with `consumer.stop()`."""
    consumer = EmbeddedConsumer(huey, **consumer_options())
    consumer.start()
    return consumer
