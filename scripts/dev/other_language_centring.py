"""How should a need in a language without a centroid (Swedish, Danish, German) be centred? Issue 19.

The eight needs of seed_data/eval/language_samples.json, each in Bokmål, English, Swedish, Danish, German and
Nynorsk, against the 155 demo solutions (centred on their languages as the service centres them), ranked by
the cosine alone (`ranking=dense`). Relevance by topic, judged from the solutions' titles and texts.
Variants for the need's vector: left raw, centred on the Norwegian, on the English centroid, or on the
mean of the two (what embeddings.LanguageCentroids does for a language without a centroid).
Run: .venv/bin/python scripts/dev/other_language_centring.py
"""

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from embeddings import LanguageCentroids, load_encoder
from service.indexing.centroids import fit_centroids
from service.indexing.texts import record_text

SEED_DATA = Path(__file__).resolve().parents[2] / "seed_data"
RELEVANT = {  # 2: answers the need, 1: partly
    "water-leaks": {
        "aquasense-leak-correlator": 2,
        "aquasense-water-balance": 2,
        "lekkasjelosen-pressure-management": 2,
        "lekkasjelosen-satellite-screening": 2,
        "aquasense-smart-meter-platform": 1,
        "aquasense-pressure-transients": 1,
        "nordpipe-renewal-planner": 1,
        "nordpipe-trenchless-relining": 1,
    },
    "screen-visits": {
        "tryggtun-video-visits": 2,
        "stuevarm-medication-dispenser": 2,
        "tryggtun-remote-monitoring": 1,
    },
    "school-energy": {
        "byggpuls-indoor-climate": 2,
        "varmebyen-energy-followup": 2,
        "byggpuls-bms-overlay": 2,
        "gridlynx-demand-response": 1,
        "byggpuls-portfolio-twin": 1,
    },
    "cloudburst-basements": {
        "overvannsvakta-stormwater-twin": 2,
        "overvannsvakta-gully-monitor": 2,
        "overvannsvakta-blue-green-roofs": 2,
        "skredvakt-flood-warning": 1,
        "overvannsvakta-overflow-sensors": 1,
    },
    "cabin-waste-bins": {
        "sorterlab-fill-level": 2,
        "sorterlab-cabin-waste": 2,
        "sorterlab-route-optimizer": 1,
    },
    "night-falls": {
        "stuevarm-fall-radar": 2,
        "stuevarm-digital-safety-alarm": 2,
        "tryggtun-digital-night-check": 1,
    },
    "rural-on-demand": {"rutefjell-on-demand": 2, "rutefjell-maas-app": 1},
    "dimmed-street-lights": {"nattlys-adaptive-streetlight": 2},
}
DEPTH = 5


def ndcg(ranked: list[str], relevant: dict[str, int]) -> float:
    gain = sum(relevant.get(key, 0) / np.log2(rank + 2) for rank, key in enumerate(ranked[:DEPTH]))
    ideal = sorted(relevant.values(), reverse=True)[:DEPTH]
    return float(gain / sum(grade / np.log2(rank + 2) for rank, grade in enumerate(ideal)))


def main() -> None:
    encoder = load_encoder("e5-small")
    centroids, _counts = fit_centroids(encoder)
    solutions = json.loads((SEED_DATA / "demo_solutions.json").read_text(encoding="utf-8"))["items"]
    keys = [item["key"] for item in solutions]
    candidates = centroids.apply(
        encoder.encode_passages([record_text(item["title"], item["description"]) for item in solutions]),
        [item["language"] for item in solutions],
    )
    samples = json.loads((SEED_DATA / "eval/language_samples.json").read_text(encoding="utf-8"))["samples"]
    needs = [sample for sample in samples if sample["length"] == "long" and sample["topic"] in RELEVANT]
    shared = LanguageCentroids({"shared": np.mean([centroids.means["no"], centroids.means["en"]], axis=0)})
    variants: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "raw": lambda vectors: LanguageCentroids({}).apply(vectors, ["raw"] * len(vectors)),
        "Norwegian centroid": lambda vectors: centroids.apply(vectors, ["no"] * len(vectors)),
        "English centroid": lambda vectors: centroids.apply(vectors, ["en"] * len(vectors)),
        "mean of the two": lambda vectors: shared.apply(vectors, ["shared"] * len(vectors)),
    }
    print(f"hit@1 / nDCG@{DEPTH} of the needs in each language, dense ranking, {len(keys)} demo solutions")
    print(f"{'':>8}" + "".join(f"{name:>22}" for name in variants))
    for language in dict.fromkeys(sample["language"] for sample in needs):
        own = [sample for sample in needs if sample["language"] == language]
        vectors = encoder.encode_passages([sample["text"] for sample in own])
        cells = []
        for centre in variants.values():
            scores = centre(vectors) @ candidates.T
            ranked = [[keys[i] for i in np.argsort(-row, kind="stable")] for row in scores]
            relevance = [RELEVANT[sample["topic"]] for sample in own]
            hits = np.mean(
                [grades.get(order[0], 0) > 0 for order, grades in zip(ranked, relevance, strict=True)]
            )
            gains = np.mean([ndcg(order, grades) for order, grades in zip(ranked, relevance, strict=True)])
            cells.append(f"{hits:.2f} / {gains:.3f}")
        print(f"{language:>3} ({len(own)})" + "".join(f"{cell:>22}" for cell in cells))


if __name__ == "__main__":
    main()
