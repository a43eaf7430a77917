"""The notices figure: synthetic copies of the real samples, and a tiny --notices-only run whose section
replaces the old one in place. No timing is asserted (the machine is shared)."""

import json
import re
from pathlib import Path

import pytest

from bench import BenchOptions, run_bench
from bench.notices import synthetic_copies, valid_samples, with_notice_id
from bench.report import NOTICES_HEADING
from embeddings import Encoder
from service.notices.eforms import parse_notice

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_copies_of_the_valid_samples_differ_only_in_their_notice_id() -> None:
    samples = valid_samples()
    assert len(samples) == 12 and not any(name.startswith("INVALID") for name, _ in samples)
    copies = list(synthetic_copies(samples, 2 * len(samples) + 1, seed=1))
    notice_ids = set()
    for number, (name, data) in enumerate(copies):
        sample_name, sample = samples[number % len(samples)]
        assert name.endswith(sample_name)
        notice = parse_notice(data, name)
        original = parse_notice(sample, sample_name)
        assert UUID.fullmatch(notice.notice_id) and notice.notice_id != original.notice_id
        assert notice.titles == original.titles and notice.version == original.version
        assert with_notice_id(data, original.notice_id) == sample  # every other byte as it was
        notice_ids.add(notice.notice_id)
    assert len(notice_ids) == len(copies)
    assert copies == list(synthetic_copies(samples, len(copies), seed=1))  # reproducible


def test_a_document_without_exactly_one_notice_id_is_refused() -> None:
    with pytest.raises(ValueError, match="found 0"):
        with_notice_id(b"<cbc:ID schemeName='other'>x</cbc:ID>", "new")
    twice = b'<cbc:ID schemeName="notice-id">a</cbc:ID><cbc:ID schemeName="notice-id">b</cbc:ID>'
    with pytest.raises(ValueError, match="found 2"):
        with_notice_id(twice, "new")


@pytest.mark.slow
def test_a_notices_only_run_measures_every_figure_and_replaces_its_section(
    tmp_path: Path, encoder: Encoder, sqlite_template: Path
) -> None:
    report = tmp_path / "BENCHMARKS.md"
    before = "# Benchmarks\n\n## Targets\n\nkept\n\n"
    after = "## Alerts: saved searches against new records\n\nalso kept\n"
    report.write_text(before + f"{NOTICES_HEADING}\n\nold figures\n\n" + after, encoding="utf-8")
    options = BenchOptions(
        base_corpus="calibration",
        work_dir=tmp_path / "bench",
        report_path=report,
        command="pytest tests/bench --notices-only",
        notices_only=True,
        notice_documents=5,
    )

    results = run_bench(options, encoder=encoder, template=sqlite_template)

    assert results.ingest is None and results.sizes == [] and results.alerts is None
    notices = results.notices
    assert notices is not None and notices.documents == 5 and len(notices.samples) == 5
    assert notices.import_outcomes["imported"] == 5 and sum(notices.import_outcomes.values()) == 5
    assert notices.reimport_outcomes["unchanged"] == 5 and sum(notices.reimport_outcomes.values()) == 5
    for figure in (
        notices.parse_per_second,
        notices.import_per_second,
        notices.reimport_per_second,
        notices.encode_seconds,
        notices.encode_share,
        notices.open_seconds,
        notices.snapshot_seconds,
        notices.memory_after_open_mib,
        notices.peak_mib,
    ):
        assert figure > 0
    assert notices.encode_share < 1 and notices.encoded_texts >= 5  # each copy's need text, at least
    assert notices.memory_after_open_mib <= notices.peak_mib

    text = report.read_text(encoding="utf-8")
    assert text.startswith(before + NOTICES_HEADING + "\n") and text.endswith("\n\n" + after)
    assert text.count(NOTICES_HEADING) == 1 and "old figures" not in text
    assert "`pytest tests/bench --notices-only`" in text and "synthetic copies of real samples" in text
    assert f"(`{notices.encoder}`)" in text and notices.encoder == encoder.model_id
    assert "5 imported" in text and "5 unchanged" in text
    raw = json.loads(options.resolved_results_path.read_text(encoding="utf-8"))
    assert raw["notices"]["import_outcomes"]["imported"] == 5
    assert not (tmp_path / "bench" / "notices").exists(), "the figure's files are removed unless --keep"
