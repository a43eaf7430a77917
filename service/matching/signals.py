"""The ranking signals, each declared once: how it is computed for a pair, its weight, how an explanation
says it in Norwegian and English, and how the API documents it.

Scoring, explanations, the API schema and the evaluation all loop over SIGNALS; a new signal is one more
entry here (and, if it needs data the pair lacks, a field on `Side` or `MatchContext`).
Weights: `lexical` and `shared_kpis` are fitted on the train split of the evaluation set
(`innomatch eval --fit`; docs/matching.md, "How the weights were fitted"): the fit gives BM25 no
weight, because half the pairs cross languages and word overlap rewards the need's own language; BM25
still brings candidates to the pool, ranks `ranking=lexical` and names the shared words. The other
weights are set by judgement, because the evaluation set carries none of their fields: small enough to
reorder near-ties and never outweigh the texts.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, get_args

from service.language import language_name, language_name_no
from service.matching.evidence import Reason
from service.matching.features import (
    POSITIVE_VERDICTS,
    cpv_fit,
    feedback_prior,
    maturity_fit,
    reference_fit,
    region_fit,
    share_of,
    suggested_kpi_overlap,
)
from service.matching.pairs import Pair, SideKind
from service.matching.scoring import RRF_K, Ranking

Language = Literal["en", "no"]
Phrase = Callable[[Reason], str]
Compute = Callable[[Pair], float]


@dataclass(frozen=True)
class Signal:
    name: str
    compute: Compute
    weight: float
    description: str  # for the API documentation of `contributions`
    phrase_en: Phrase
    phrase_no: Phrase
    rankings: frozenset[Ranking] = frozenset({"hybrid"})  # the rankings it takes part in
    candidates: frozenset[SideKind] = frozenset({"need", "solution"})  # the kinds of result it scores
    always_shown: bool = False  # in the contributions and the explanation even when it adds nothing

    def phrase(self, reason: Reason, language: Language) -> str:
        return self.phrase_no(reason) if language == "no" else self.phrase_en(reason)


class SignalSet:
    """Signals in the order their parts are listed and summed."""

    def __init__(self, signals: Sequence[Signal]) -> None:
        names = [signal.name for signal in signals]
        if len(set(names)) != len(names):
            raise ValueError(f"signal names repeat: {names}")
        self._signals = tuple(signals)
        self._by_name = {signal.name: signal for signal in signals}
        self._weights = {signal.name: signal.weight for signal in signals}
        self._always_shown = frozenset(signal.name for signal in signals if signal.always_shown)
        # Per (ranking, kind of result): the signals taking part, as (name, compute) for the hot loop.
        self._taking_part: dict[tuple[str, str], tuple[tuple[str, Compute], ...]] = {
            (ranking, kind): tuple(
                (signal.name, signal.compute)
                for signal in signals
                if ranking in signal.rankings and kind in signal.candidates
            )
            for ranking in get_args(Ranking)
            for kind in get_args(SideKind)
        }

    def __iter__(self) -> Iterator[Signal]:
        return iter(self._signals)

    def __getitem__(self, name: str) -> Signal:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def weight(self, name: str) -> float:
        return self._by_name[name].weight

    def with_weights(self, **weights: float) -> "SignalSet":
        """The same signals with some weights changed (to fit them)."""
        unknown = set(weights) - set(self._by_name)
        if unknown:
            raise ValueError(f"no such signals: {sorted(unknown)}")
        return SignalSet(
            [replace(signal, weight=weights.get(signal.name, signal.weight)) for signal in self._signals]
        )

    def features(self, pair: Pair, ranking: Ranking) -> dict[str, float]:
        """Each signal's value for the pair, of the signals taking part in this ranking."""
        return {name: compute(pair) for name, compute in self._taking_part[ranking, pair.candidate.kind]}

    def contributions(self, features: Mapping[str, float], ranking: Ranking) -> dict[str, float]:
        """Each signal's part of the score. Hybrid weighs them and leaves out those adding nothing; a
        ranking by one signal alone uses its raw value."""
        if ranking != "hybrid":
            return dict(features)
        weights, shown = self._weights, self._always_shown
        parts = {}
        for name, value in features.items():
            part = weights[name] * value
            if part or name in shown:
                parts[name] = part
        return parts

    def describe(self) -> str:
        """The API description of an explanation's `contributions`."""
        hybrid = [signal for signal in self._signals if "hybrid" in signal.rankings]
        rrf = [signal for signal in self._signals if "rrf" in signal.rankings]
        return (
            "Each signal's part of the score, summing to it. Hybrid (weight x value; a signal adding "
            "nothing is left out): "
            + "; ".join(f"'{signal.name}' {signal.description}" for signal in hybrid)
            + ". Ranked by one signal alone (dense, lexical): its raw value; rrf: "
            + "; ".join(f"'{signal.name}' {signal.description}" for signal in rrf)
            + "."
        )


# -- how each signal is said --------------------------------------------------------------------------

LANGUAGE_ADJECTIVES_NO = {"no": "norske", "en": "engelske"}  # definite form: "det norske behovet"
SIDE_NAMES_EN = {"need": "need", "solution": "solution", "text": "search text"}
SIDE_NAMES_NO = {"need": "det {} behovet", "solution": "den {} løsningen", "text": "den {} søketeksten"}
SIDES_NO = {"need": "behovet", "solution": "løsningen", "text": "søketeksten"}  # "behovet på svensk"
VERDICTS_NO = {
    "useful": "nyttig",
    "not_useful": "ikke nyttig",
    "contacted": "kontaktet",
    "piloted": "pilotert",
}
SHOWN_WORDS = 5


def shown_words(words: Iterable[str]) -> str:
    """The first SHOWN_WORDS distinct words: a compound and its parts are written as one word."""
    return ", ".join(list(dict.fromkeys(words))[:SHOWN_WORDS])


def number_no(value: float, signed: bool = False) -> str:
    """A number as Norwegian writes it: decimal comma, and a minus sign rather than a hyphen."""
    text = f"{value:+.2f}" if signed else f"{value:.2f}"
    return text.replace(".", ",").replace("-", "−")


def _side_en(kind: SideKind, language: str) -> str:
    return f"the {language_name(language)} {SIDE_NAMES_EN[kind]}"


def _side_no(kind: SideKind, language: str) -> str:
    if language in LANGUAGE_ADJECTIVES_NO:
        return SIDE_NAMES_NO[kind].format(LANGUAGE_ADJECTIVES_NO[language])
    return f"{SIDES_NO[kind]} på {language_name_no(language)}"


def _similarity_en(reason: Reason) -> str:
    query, candidate = reason.pair.query, reason.pair.candidate
    return (
        f"text similarity {reason.contribution:.2f} between "
        f"{_side_en(query.kind, query.language)} and {_side_en(candidate.kind, candidate.language)}"
    )


def _similarity_no(reason: Reason) -> str:
    query, candidate = reason.pair.query, reason.pair.candidate
    return (
        f"tekstlikhet {number_no(reason.contribution)} mellom "
        f"{_side_no(query.kind, query.language)} og {_side_no(candidate.kind, candidate.language)}"
    )


def _query_words(reason: Reason) -> str:
    return shown_words(term.query_words[0] for term in reason.evidence.matched_terms)


SUGGESTED_FROM_EN = {"need": "the need's text", "solution": "the solution's text"}
SUGGESTED_FROM_NO = {"need": "behovets tekst", "solution": "løsningens tekst"}


def _suggested_en(reason: Reason) -> str:
    return ", ".join(
        f"{kpi.code} {kpi.name_en} (from {' and '.join(SUGGESTED_FROM_EN[side] for side in kpi.suggested_for)})"
        for kpi in reason.evidence.suggested_kpis
    )


def _suggested_no(reason: Reason) -> str:
    return ", ".join(
        f"{kpi.code} {kpi.name_no} (fra {' og '.join(SUGGESTED_FROM_NO[side] for side in kpi.suggested_for)})"
        for kpi in reason.evidence.suggested_kpis
    )


def _cpv_codes(reason: Reason) -> str:
    return ", ".join(reason.evidence.fitting_cpv_codes or reason.pair.candidate.cpv_codes)


def _en(text: Callable[[Reason], str]) -> Phrase:
    return lambda reason: f"{reason.contribution:+.2f} {text(reason)}"


def _no(text: Callable[[Reason], str]) -> Phrase:
    return lambda reason: f"{number_no(reason.contribution, signed=True)} {text(reason)}"


def _verdict(pair: Pair) -> str:
    return pair.context.verdicts.get(pair.candidate.id or 0, "")


# -- the signals ----------------------------------------------------------------------------------------

SOLUTIONS_ONLY: frozenset[SideKind] = frozenset({"solution"})

SIGNALS = SignalSet(
    [
        Signal(
            name="similarity",
            compute=lambda pair: pair.text.get("similarity", 0.0),
            weight=1.0,
            description="(cosine of the two texts' vectors, each centred on its language, -1..1)",
            phrase_en=_similarity_en,
            phrase_no=_similarity_no,
            rankings=frozenset({"hybrid", "dense"}),
            always_shown=True,
        ),
        Signal(
            name="lexical",
            compute=lambda pair: pair.text.get("lexical", 0.0),
            weight=0.15,
            description="(BM25 against the best candidate's, 0..1)",
            phrase_en=_en(
                lambda r: (
                    "shared words"
                    + (f" ({_query_words(r)})" if r.evidence.matched_terms else " in KPI names")
                )
            ),
            phrase_no=_no(
                lambda r: (
                    "felles ord" + (f" ({_query_words(r)})" if r.evidence.matched_terms else " i KPI-navn")
                )
            ),
            rankings=frozenset({"hybrid", "lexical"}),
        ),
        Signal(
            name="shared_kpis",
            compute=lambda pair: share_of(pair.query.kpi_codes, pair.candidate.kpi_codes),
            weight=0.45,
            description="(share of the query's U4SSC KPIs the result also addresses, 0..1)",
            phrase_en=_en(
                lambda r: (
                    "both address " + ", ".join(f"{kpi.code} {kpi.name_en}" for kpi in r.evidence.shared_kpis)
                )
            ),
            phrase_no=_no(
                lambda r: (
                    "begge gjelder "
                    + ", ".join(f"{kpi.code} {kpi.name_no}" for kpi in r.evidence.shared_kpis)
                )
            ),
        ),
        Signal(
            name="suggested_kpis",
            compute=lambda pair: suggested_kpi_overlap(
                pair.query.kpi_codes,
                pair.query.suggested_kpis,
                pair.candidate.kpi_codes,
                pair.candidate.suggested_kpis,
            ),
            # Fitted on the train splits with the needs' KPI codes hidden (innomatch eval --fit, docs/matching.md)
            weight=0.05,
            description="(where a side has no KPI codes of its own: the KPIs suggested from its text that the "
            "other side chose or had suggested too, weighted by both sides' confidence, 0..1)",
            phrase_en=_en(lambda r: f"KPI suggested from the text, not chosen: {_suggested_en(r)}"),
            phrase_no=_no(lambda r: f"KPI foreslått ut fra teksten, ikke valgt: {_suggested_no(r)}"),
        ),
        Signal(
            name="shared_sdgs",
            compute=lambda pair: share_of(pair.query.sdgs, pair.candidate.sdgs),
            weight=0.03,
            description="(share of the query's SDGs the result also serves, 0..1)",
            phrase_en=_en(
                lambda r: "both serve SDG " + ", ".join(str(sdg) for sdg in r.evidence.shared_sdgs)
            ),
            phrase_no=_no(
                lambda r: (
                    "begge bidrar til bærekraftsmål " + ", ".join(str(sdg) for sdg in r.evidence.shared_sdgs)
                )
            ),
        ),
        Signal(
            name="cpv",
            compute=lambda pair: cpv_fit(pair.query.cpv_codes, pair.candidate.cpv_codes),
            weight=0.05,
            description="(1 when a CPV code lies in the other side's subtree, 0.5 in the same division)",
            phrase_en=_en(lambda r: f"CPV codes fit ({_cpv_codes(r)})"),
            phrase_no=_no(lambda r: f"CPV-kodene passer ({_cpv_codes(r)})"),
        ),
        Signal(
            name="region",
            compute=lambda pair: region_fit(pair.need.county, pair.solution.regions_served),
            weight=0.03,
            description="(1 when the solution serves the need's county, or all of Norway)",
            phrase_en=_en(lambda r: "the supplier serves the need's county"),
            phrase_no=_no(lambda r: "leverandøren leverer i behovets fylke"),
        ),
        Signal(
            name="maturity",
            compute=lambda pair: maturity_fit(pair.need.trl_min, pair.solution.trl),
            weight=0.03,
            description="(1 when the solution's TRL reaches the lowest the need accepts)",
            phrase_en=_en(lambda r: "the solution's TRL reaches the lowest the need accepts"),
            phrase_no=_no(lambda r: "løsningens TRL er minst det behovet krever"),
        ),
        Signal(
            name="references",
            compute=lambda pair: reference_fit(
                pair.need.county,
                pair.need.municipality,
                pair.solution.reference_municipalities,
                pair.context.county_of,
            ),
            weight=0.03,
            description="(1 when another municipality of the need's county uses the solution, 0.5 elsewhere)",
            phrase_en=_en(
                lambda r: (
                    "already in use in another municipality"
                    + (" of the need's county" if r.value >= 1 else "")
                )
            ),
            phrase_no=_no(
                lambda r: "allerede i bruk i en annen kommune" + (" i behovets fylke" if r.value >= 1 else "")
            ),
            candidates=SOLUTIONS_ONLY,
        ),
        Signal(
            name="feedback_prior",
            compute=lambda pair: feedback_prior(
                *pair.context.verdict_counts.get(pair.candidate.id or 0, (0, 0))
            ),
            weight=0.05,
            description="(officers' verdicts on the solution for other needs, -1..1)",
            phrase_en=_en(lambda r: "officers' verdicts on it for other needs"),
            phrase_no=_no(lambda r: "innkjøpernes vurderinger av den for andre behov"),
            candidates=SOLUTIONS_ONLY,
        ),
        Signal(
            name="feedback",
            compute=lambda pair: 1.0 if _verdict(pair) in POSITIVE_VERDICTS else 0.0,
            weight=0.2,  # about the spread of a top ten: the officer's own verdict lifts a solution into view
            description="(1 when an officer marked the solution useful, contacted or piloted for this need)",
            phrase_en=_en(lambda r: f"an officer marked it {_verdict(r.pair)} for this need"),
            phrase_no=_no(
                lambda r: (
                    f"en innkjøper markerte den som {VERDICTS_NO.get(_verdict(r.pair), '')} for dette behovet"
                )
            ),
            candidates=SOLUTIONS_ONLY,
        ),
        Signal(
            name="dense_rank",
            compute=lambda pair: pair.text.get("dense_rank", 0.0),
            weight=1.0,
            description=f"(1 / ({RRF_K} + rank) in the dense list)",
            phrase_en=_en(lambda r: "rank in the dense list (reciprocal-rank fusion)"),
            phrase_no=_no(lambda r: "plass i den semantiske listen (resiprok rangfusjon)"),
            rankings=frozenset({"rrf"}),
        ),
        Signal(
            name="lexical_rank",
            compute=lambda pair: pair.text.get("lexical_rank", 0.0),
            weight=1.0,
            description=f"(1 / ({RRF_K} + rank) in the BM25 list)",
            phrase_en=_en(lambda r: "rank in the BM25 list (reciprocal-rank fusion)"),
            phrase_no=_no(lambda r: "plass i BM25-listen (resiprok rangfusjon)"),
            rankings=frozenset({"rrf"}),
        ),
    ]
)
