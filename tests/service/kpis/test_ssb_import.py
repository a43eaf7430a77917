"""SSB import against a real local HTTP server answering with recorded JSON-stat2, into a real database."""

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from service.access import operator
from service.cli import app
from service.db import make_engine, make_session_factory
from service.errors import FieldErrors
from service.kpis.ssb import RetryPolicy, SsbImportError, SsbImportReport, import_from_ssb
from service.kpis.ssb_mapping import SsbMapping, load_mapping
from service.models import KpiObservation
from service.seeding import SEED_DIR
from tests.service.kpis.conftest import Answer, RecordedSsb, recorded

EXAMPLE_MAPPING = SEED_DIR / "ssb_mappings" / "unemployment_10540.json"
FAST = RetryPolicy(attempts=3, first_wait=0.01, max_wait=0.05)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def mapping() -> SsbMapping:
    return load_mapping(EXAMPLE_MAPPING)


def run_import(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping, *, timeout: float = 5.0
) -> SsbImportReport:
    with httpx.Client() as client:
        return import_from_ssb(
            session=session,
            client=client,
            mapping=mapping,
            caller=operator(),
            base_url=ssb.base_url,
            timeout=timeout,
            retry=FAST,
        )


def stored(session: Session) -> dict[tuple[str, int], float]:
    session.expire_all()
    return {
        (row.municipality_number, row.year): row.value
        for row in session.scalars(select(KpiObservation).where(KpiObservation.kpi_code == "EC-P-EM-1C"))
    }


def count_rows(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(KpiObservation)) or 0


def with_region(dataset: dict[str, Any], old: str, new: str, label: str) -> dict[str, Any]:
    changed = copy.deepcopy(dataset)
    category = changed["dimension"]["Region"]["category"]
    category["index"] = {
        (new if code == old else code): position for code, position in category["index"].items()
    }
    category["label"] = {(new if code == old else code): text for code, text in category["label"].items()}
    category["label"][new] = label
    return changed


def test_import_creates_the_observations_and_skips_missing_and_non_municipal(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    ssb.serve("10540", recorded("10540_unemployment.json"))
    report = run_import(session, ssb, mapping)
    assert (report.result.created, report.result.updated, report.result.unchanged) == (7, 0, 0)
    assert report.missing_values == 1  # Stavanger 2023 is ".."
    assert report.skipped_regions == {"0"}  # the whole country
    assert stored(session) == {
        ("0301", 2022): 2.4,
        ("0301", 2023): 2.5,
        ("1103", 2022): 1.9,
        ("4601", 2022): 1.6,
        ("4601", 2023): 1.7,
        ("5001", 2022): 1.7,
        ("5001", 2023): 1.8,
    }
    row = session.scalars(select(KpiObservation).where(KpiObservation.municipality_number == "0301")).first()
    assert row is not None and row.unit == "%" and row.source.startswith("SSB table 10540")
    table, body = ssb.requests[0]
    assert table == "10540"
    assert body == {"query": mapping.request_body()["query"], "response": {"format": "json-stat2"}}


def test_reimport_updates_instead_of_duplicating(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    dataset = recorded("10540_unemployment.json")
    ssb.serve("10540", dataset)
    run_import(session, ssb, mapping)
    revised = copy.deepcopy(dataset)
    revised["value"][3] = 2.6  # Oslo 2023 revised by SSB
    ssb.serve("10540", revised)
    report = run_import(session, ssb, mapping)
    assert (report.result.created, report.result.updated, report.result.unchanged) == (0, 1, 6)
    assert count_rows(session) == 7
    assert stored(session)[("0301", 2023)] == 2.6


def test_server_errors_are_retried_then_the_answer_is_used(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    ssb.serve("10540", recorded("10540_unemployment.json"))
    ssb.fail_next(Answer(500, b"Internal Server Error", "text/plain"), Answer(503, b"", "text/plain"))
    report = run_import(session, ssb, mapping)
    assert report.result.created == 7
    assert len(ssb.requests) == 3


def test_server_errors_on_every_attempt_give_up_with_a_clear_message(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    ssb.serve("10540", recorded("10540_unemployment.json"))
    ssb.fail_next(*[Answer(503, b"Service Unavailable", "text/plain")] * 3)
    with pytest.raises(SsbImportError) as raised:
        run_import(session, ssb, mapping)
    assert str(raised.value) == (
        "SSB answered 503 Service Unavailable for table 10540 after 3 attempts: Service Unavailable"
    )
    assert count_rows(session) == 0


def test_rate_limit_is_retried(session: Session, ssb: RecordedSsb, mapping: SsbMapping) -> None:
    ssb.serve("10540", recorded("10540_unemployment.json"))
    ssb.fail_next(Answer(429, b"Too Many Requests", "text/plain"))
    assert run_import(session, ssb, mapping).result.created == 7
    assert len(ssb.requests) == 2


def test_bad_request_is_not_retried_and_stores_nothing(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    ssb.fail_next(Answer(400, (Path(__file__).parent / "fixtures" / "error_400.json").read_bytes()))
    with pytest.raises(SsbImportError) as raised:
        run_import(session, ssb, mapping)
    message = str(raised.value)
    assert message.startswith("SSB answered 400 Bad Request for table 10540: {")
    assert "Non-existent value: ContentsCode=Arbeidsledige9" in message
    assert len(ssb.requests) == 1
    assert count_rows(session) == 0


def test_unknown_table_says_so(session: Session, ssb: RecordedSsb, mapping: SsbMapping) -> None:
    with pytest.raises(SsbImportError, match=r"404 Not Found for table 10540 \(no such table"):
        run_import(session, ssb, mapping)


def test_no_answer_within_the_timeout(session: Session, ssb: RecordedSsb, mapping: SsbMapping) -> None:
    ssb.serve("10540", recorded("10540_unemployment.json"))
    ssb.fail_next(*[Answer(200, b"{}", hang=True)] * 3)
    with pytest.raises(SsbImportError) as raised:
        run_import(session, ssb, mapping, timeout=0.2)
    assert str(raised.value) == "SSB did not answer within 0.2 s for table 10540 after 3 attempts"
    assert count_rows(session) == 0


def test_unreachable_server(session: Session, mapping: SsbMapping) -> None:
    from tests.support.servers import free_port

    with (
        httpx.Client() as client,
        pytest.raises(
            SsbImportError,
            match=r"could not reach SSB at http://127.0.0.1:\d+/api/v0/no/table/10540 after 3 attempts: ",
        ),
    ):
        import_from_ssb(
            session=session,
            client=client,
            mapping=mapping,
            caller=operator(),
            base_url=f"http://127.0.0.1:{free_port()}/api/v0/no/table",
            retry=FAST,
        )


def test_a_body_that_is_not_json_is_refused(session: Session, ssb: RecordedSsb, mapping: SsbMapping) -> None:
    ssb.serve("10540", b"<html><body>Vedlikehold</body></html>")
    with pytest.raises(SsbImportError, match=r"SSB answered 200 for table 10540, but not with JSON: <html>"):
        run_import(session, ssb, mapping)
    assert count_rows(session) == 0


def test_malformed_json_stat_is_refused_and_nothing_stored(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    ssb.serve("10540", recorded("malformed_size.json"))
    with pytest.raises(SsbImportError) as raised:
        run_import(session, ssb, mapping)
    assert str(raised.value) == (
        "SSB's answer is not a usable JSON-stat2 dataset: dimension 'Tid' has 2 categories but 'size' says 3"
    )
    assert count_rows(session) == 0


def test_an_unknown_municipality_refuses_the_whole_batch(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    # 1201 was Bergen's number until 2020; tables with history still answer with it.
    dataset = with_region(recorded("10540_unemployment.json"), "0", "1201", "Bergen (-2019)")
    ssb.serve("10540", dataset)
    strict = mapping.model_copy(update={"skip_unknown_regions": False})
    with pytest.raises(FieldErrors) as raised:
        run_import(session, ssb, strict)
    messages = [error.message for error in raised.value.errors]
    assert messages == [
        "table 10540, Region 1201, ContentsCode Arbeidsledige2, Tid 2022: unknown municipality number '1201'",
        "table 10540, Region 1201, ContentsCode Arbeidsledige2, Tid 2023: unknown municipality number '1201'",
    ]
    assert count_rows(session) == 0


def test_unknown_municipalities_are_skipped_when_the_mapping_says_so(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    ssb.serve("10540", with_region(recorded("10540_unemployment.json"), "0", "1201", "Bergen (-2019)"))
    report = run_import(session, ssb, mapping)
    assert report.skipped_regions == {"1201"}
    assert report.result.created == 7


def test_the_country_refuses_the_batch_without_skip(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    ssb.serve("10540", recorded("10540_unemployment.json"))
    strict = mapping.model_copy(update={"skip_unknown_regions": False})
    with pytest.raises(FieldErrors) as raised:
        run_import(session, ssb, strict)
    assert raised.value.errors[0].message.startswith(
        "table 10540, Region 0, ContentsCode Arbeidsledige2, Tid 2022: String should match pattern"
    )
    assert count_rows(session) == 0


def test_a_value_outside_the_kpi_unit_refuses_the_batch(
    session: Session, ssb: RecordedSsb, mapping: SsbMapping
) -> None:
    dataset = recorded("10540_unemployment.json")
    dataset["value"][2] = 240.0  # Oslo 2022 as if per mille
    ssb.serve("10540", dataset)
    with pytest.raises(FieldErrors, match="a percentage must be between 0 and 100"):
        run_import(session, ssb, mapping)
    assert count_rows(session) == 0


def test_bad_mapping_file_is_named(tmp_path: Path) -> None:
    mapping_path = tmp_path / "bad.json"
    mapping_path.write_text(json.dumps({"table": "1054", "query": []}), encoding="utf-8")
    result = CliRunner().invoke(app, ["import-kpis", "--map", str(mapping_path)])
    assert result.exit_code == 1
    assert "is not usable" in result.stderr
    assert "table: String should match pattern" in result.stderr
    assert "observations: Field required" in result.stderr


def test_csv_and_ssb_together_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import-kpis", str(tmp_path / "x.csv"), "--map", str(EXAMPLE_MAPPING)])
    assert result.exit_code == 2
    assert "not both" in result.output


@pytest.mark.usefixtures("cli_environment")
class TestCommand:
    """`innomatch import-kpis` end to end against the recorded server and a real database."""

    def test_ssb_import_then_reimport(self, ssb: RecordedSsb, session: Session) -> None:
        ssb.serve("10540", recorded("10540_unemployment.json"))
        arguments = [
            "import-kpis",
            "--ssb",
            "10540",
            "--map",
            str(EXAMPLE_MAPPING),
            "--ssb-url",
            ssb.base_url,
        ]
        first = CliRunner().invoke(app, arguments)
        assert first.exit_code == 0, first.output
        assert first.stdout.strip() == (
            "SSB table 10540: 7 created, 0 updated, 0 unchanged "
            "(1 missing values skipped, 1 regions that are not municipalities skipped)"
        )
        again = CliRunner().invoke(app, arguments)
        assert again.exit_code == 0, again.output
        assert "0 created, 0 updated, 7 unchanged" in again.stdout
        assert count_rows(session) == 7

    def test_table_option_overrides_the_mapping(self, ssb: RecordedSsb, session: Session) -> None:
        ssb.serve("99999", recorded("10540_unemployment.json"))
        result = CliRunner().invoke(
            app, ["import-kpis", "--ssb", "99999", "--map", str(EXAMPLE_MAPPING), "--ssb-url", ssb.base_url]
        )
        assert result.exit_code == 0, result.output
        assert ssb.requests[0][0] == "99999"

    def test_ssb_error_exits_1_and_stores_nothing(self, ssb: RecordedSsb, session: Session) -> None:
        ssb.fail_next(Answer(400, (Path(__file__).parent / "fixtures" / "error_400.json").read_bytes()))
        result = CliRunner().invoke(
            app, ["import-kpis", "--map", str(EXAMPLE_MAPPING), "--ssb-url", ssb.base_url]
        )
        assert result.exit_code == 1
        assert "SSB table 10540: nothing imported" in result.stderr
        assert "SSB answered 400 Bad Request for table 10540" in result.stderr
        assert count_rows(session) == 0

    def test_bad_rows_exit_1_naming_them(self, ssb: RecordedSsb, session: Session, tmp_path: Path) -> None:
        ssb.serve("10540", with_region(recorded("10540_unemployment.json"), "0", "1201", "Bergen (-2019)"))
        strict = json.loads(EXAMPLE_MAPPING.read_text(encoding="utf-8"))
        strict["skip_unknown_regions"] = False
        mapping_path = tmp_path / "strict.json"
        mapping_path.write_text(json.dumps(strict), encoding="utf-8")
        result = CliRunner().invoke(
            app, ["import-kpis", "--map", str(mapping_path), "--ssb-url", ssb.base_url]
        )
        assert result.exit_code == 1
        assert "Region 1201, ContentsCode Arbeidsledige2, Tid 2022: unknown municipality number '1201'" in (
            result.stderr
        )
        assert count_rows(session) == 0

    def test_csv_import_still_works(self, tmp_path: Path, session: Session) -> None:
        csv_path = tmp_path / "kpis.csv"
        csv_path.write_text(
            "municipality_number,kpi_code,year,value,unit,source\n0301,EC-P-EM-1C,2023,2.5,%,NAV\n",
            encoding="utf-8",
        )
        result = CliRunner().invoke(app, ["import-kpis", str(csv_path)])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == f"{csv_path}: 1 created, 0 updated, 0 unchanged"
        assert count_rows(session) == 1
