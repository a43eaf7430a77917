"""The public evaluation set is what the README promises, and the default encoder clears the bar on it."""

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from embeddings import Encoder
from evaluation.kpi_suggestions import (
    KpiSuggestionModel,
    encode_cases,
    fit_temperature,
    report,
    suggestion_cases,
)
from evaluation.matching import (
    DEFAULT_SETS,
    Metrics,
    fit_suggested_kpis_weight,
    fit_weights,
    load_eval_set,
    report_for,
    score_tables,
    without_need_kpis,
)
from service.cli import app
from service.indexing import fit_centroids
from service.indexing.kpi_scoring import TEMPERATURE
from service.matching.scoring import choose_weights
from service.matching.signals import SIGNALS
from service.seeding import SEED_DIR, catalogue_kpi_names

EVAL_PATH = SEED_DIR / "eval" / "public_eval.json"
pytestmark = pytest.mark.slow


def test_the_public_set_has_the_promised_shape() -> None:
    document = json.loads(EVAL_PATH.read_text(encoding="utf-8"))
    solutions = {item["id"]: item for item in document["solutions"]}
    needs = document["needs"]
    assert len(needs) >= 100
    assert Counter(need["language"] for need in needs)["no"] / len(needs) >= 0.4
    pairs = Counter(f"{need['language']}->{solutions[need['relevant'][0]]['language']}" for need in needs)
    assert pairs["no->en"] >= 20 and pairs["en->no"] >= 20
    assert all(need["source"] and need["split"] in {"train", "heldout"} for need in needs)
    domains = Counter(item["domain"] for item in solutions.values())
    assert min(domains.values()) >= 3  # every answer has look-alikes in its own domain


def test_metrics_count_ranks() -> None:
    metrics = Metrics()
    for rank in (1, 3, 7, None):
        metrics.add(rank)
    assert metrics.recall(1) == 0.25
    assert metrics.recall(5) == 0.5
    assert metrics.recall(10) == 0.75
    assert metrics.mrr == pytest.approx((1 + 1 / 3 + 1 / 7) / 4)


def test_default_encoder_reaches_the_quality_bar(encoder: Encoder) -> None:
    eval_set = load_eval_set(EVAL_PATH)
    centroids, _counts = fit_centroids(encoder)
    names = catalogue_kpi_names()
    every_case = score_tables(eval_set, encoder, centroids=centroids, kpi_names=names)
    dense = report_for(eval_set, every_case, "dense", encoder="e5", split="all")
    assert dense.overall.recall(10) >= 0.85
    assert dense.by_pair["no->en"].recall(10) >= 0.75
    raw = report_for(eval_set, every_case, "dense, raw vectors", encoder="e5", split="all")
    assert dense.by_pair["no->en"].mrr > raw.by_pair["no->en"].mrr  # centring is what makes no->en work

    # The bar, on cases the weights were never fitted on.
    heldout = score_tables(eval_set, encoder, centroids=centroids, kpi_names=names, split="heldout")
    reports = {
        ranking: report_for(eval_set, heldout, ranking, encoder="e5", split="heldout")
        for ranking in ("dense", "lexical", "shared KPIs", "rrf", "final")
    }
    best_single = max(reports[ranking].overall.recall(1) for ranking in ("dense", "lexical", "shared KPIs"))
    final = reports["final"]
    assert final.overall.recall(1) >= best_single + 0.05
    assert final.overall.recall(1) > reports["rrf"].overall.recall(1)
    assert final.overall.recall(10) >= 0.95
    norwegian_needs = Metrics()
    for pair, metrics in final.by_pair.items():
        if pair.startswith("no->"):
            norwegian_needs.count += metrics.count
            norwegian_needs.hits[10] += metrics.hits[10]
    assert norwegian_needs.recall(10) >= 0.90


def test_weights_are_fitted_on_the_train_split_only(encoder: Encoder) -> None:
    eval_set = load_eval_set(EVAL_PATH)
    centroids, _counts = fit_centroids(encoder)
    heldout = score_tables(
        eval_set, encoder, centroids=centroids, kpi_names=catalogue_kpi_names(), split="heldout"
    )
    with pytest.raises(ValueError, match="train split only"):
        fit_weights(eval_set, heldout)
    train = score_tables(
        eval_set, encoder, centroids=centroids, kpi_names=catalogue_kpi_names(), split="train"
    )
    # The weights in use are the ones the rule picks from the train grid.
    assert choose_weights(fit_weights(eval_set, train)) == (
        SIGNALS.weight("lexical"),
        SIGNALS.weight("shared_kpis"),
    )


REAL_CASES = DEFAULT_SETS[0]
NEED_SETS = (REAL_CASES, EVAL_PATH)  # the sets of needs, whose labels KPI suggestions are measured on


def test_kpi_suggestions_have_the_right_kpi_in_their_three_for_most_held_out_needs(encoder: Encoder) -> None:
    """Issue 19: the right KPI in the top three for at least 80 % of held-out needs whose source names it."""
    centroids, _counts = fit_centroids(encoder)
    model = KpiSuggestionModel.build(encoder, centroids)
    for path in NEED_SETS:
        cases = [case for case in suggestion_cases(path) if case.split == "heldout"]
        measured = report(
            path.name, "heldout", cases, model.scores(encode_cases(cases, encoder, centroids)), model.codes
        )
        assert measured.count >= 40
        assert measured.top3 >= 0.80, measured


def test_the_suggestion_temperature_and_weight_in_use_are_the_ones_fitted_on_train(encoder: Encoder) -> None:
    centroids, _counts = fit_centroids(encoder)
    model = KpiSuggestionModel.build(encoder, centroids)
    cases = [case for path in NEED_SETS for case in suggestion_cases(path) if case.split == "train"]
    losses = fit_temperature(model.scores(encode_cases(cases, encoder, centroids)), cases, model.codes)
    assert min(losses, key=lambda item: item[1])[0] == TEMPERATURE
    names = catalogue_kpi_names()
    fits = []
    for path in NEED_SETS:
        untagged = without_need_kpis(load_eval_set(path))
        train = score_tables(
            untagged, encoder, centroids=centroids, kpi_names=names, split="train", suggester=model
        )
        fits.append(fit_suggested_kpis_weight(untagged, train))
    joint = [(weights, (first + second) / 2) for (weights, first), (_, second) in zip(*fits, strict=True)]
    assert choose_weights(joint) == (SIGNALS.weight("suggested_kpis"),)


def test_eval_command_prints_every_language_pair(tmp_path: Path) -> None:
    small = json.loads(EVAL_PATH.read_text(encoding="utf-8"))
    small["needs"] = small["needs"][:12]
    path = tmp_path / "small.json"
    path.write_text(json.dumps(small), encoding="utf-8")
    queries = json.loads((SEED_DIR / "eval" / "short_queries.json").read_text(encoding="utf-8"))
    queries["queries"] = queries["queries"][:12]
    queries_path = tmp_path / "queries.json"
    queries_path.write_text(json.dumps(queries), encoding="utf-8")
    # MiniLM keeps this test quick; the quality test above measures e5.
    result = CliRunner().invoke(app, ["eval", str(path), str(queries_path), "--encoder", "minilm"])
    assert result.exit_code == 0, result.output
    for heading in (
        "## small.json",
        "## queries.json",
        "| no query |",
        "nDCG@10",
        "split heldout",
        "split all",
        "| dense, raw vectors |",
        "| dense |",
        "| lexical |",
        "| shared KPIs |",
        "| rrf |",
        "| final |",
        "| overall |",
        "R@10",
        "MRR",
        "## KPI suggestions",
        "| small.json | heldout |",
        "| small.json | train |",
        "top-3",
    ):
        assert heading in result.output
    assert "| queries.json |" not in result.output  # search queries carry no KPI labels


def test_eval_command_fits_the_suggestion_temperature_and_weight(tmp_path: Path) -> None:
    small = json.loads(EVAL_PATH.read_text(encoding="utf-8"))
    small["needs"] = [need for need in small["needs"] if need["split"] == "train"][:6]
    path = tmp_path / "small.json"
    path.write_text(json.dumps(small), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(path), "--encoder", "minilm", "--fit", "--split", "train"])
    assert result.exit_code == 0, result.output
    for line in (
        "train MRR by suggested_kpis weight, the needs' KPI codes hidden: 0: ",
        "suggested_kpis weight over the sets of needs: chosen ",
        "train log loss, best temperatures: ",
    ):
        assert line in result.output


def test_the_weight_rule_prefers_the_smallest_near_best_weights() -> None:
    grid = [((0.0, 0.2), 0.90), ((0.0, 0.4), 0.935), ((0.0, 0.6), 0.944), ((0.05, 0.6), 0.940)]
    assert choose_weights(grid) == (0.0, 0.4)
    assert choose_weights([((0.0, 0.0), 0.80), ((0.5, 0.5), 0.70)]) == (0.0, 0.0)
    assert choose_weights([((0.0, 0.0), 0.70), ((0.1, 0.2), 0.90), ((0.2, 0.1), 0.90)]) == (0.1, 0.2)
