"""The Norwegian and English wording of a need generated from a KPI gap, and its evidence."""

from dataclasses import replace

from service.kpis.bands import Trend
from service.kpis.gaps import KpiStanding, Target
from service.models import Kpi, KpiObservation
from service.needs.gap_texts import gap_need_text


def standing(
    *,
    direction: str = "-",
    value: float = 31.5,
    synthetic: bool = False,
    trend: Trend | None = None,
    data_point: str = "",
    sdgs: tuple[int, ...] = (6, 11),
    problems: bool = True,
) -> KpiStanding:
    kpi = Kpi(
        code="EC-I-WS-3C",
        name_no="Vanntap",
        name_en="Water loss",
        direction=direction,
        sdgs=list(sdgs),
        problem_no="Mye rent vann lekker ut." if problems else None,
        problem_en="Much clean water leaks." if problems else None,
    )
    latest = KpiObservation(
        municipality_number="5001",
        kpi_code="EC-I-WS-3C",
        data_point=data_point,
        year=2023,
        value=value,
        unit="%",
        source="Norsk Vann",
        synthetic=synthetic,
    )
    target = Target(10.0, direction, "national", "national target 10 % by 2030: Meld. St.")
    return KpiStanding(kpi, data_point, latest, direction, target, 31.7, 1, 0.683, trend)


def test_the_norwegian_text_uses_a_decimal_comma_and_says_too_high_for_a_lower_is_better_kpi() -> None:
    text = gap_need_text(standing(), "Trondheim")
    assert text.title_no == "Vanntap: Trondheim i U4SSC-bånd 1"
    assert text.description_no == (
        "Mye rent vann lekker ut. Vanntap er for høy i Trondheim. I 2023 var verdien 31,5 %, mot et mål på "
        "10 % (nasjonalt mål). Det er 32 % av målet, bånd 1 av 4 i U4SSC-metodikken (indikator EC-I-WS-3C). "
        "Kommunen ser etter løsninger som kan redusere vanntap. Kilde: Norsk Vann. Bærekraftsmål: 6, 11."
    )


def test_the_english_text_uses_a_decimal_point_and_says_too_high() -> None:
    text = gap_need_text(standing(), "Trondheim")
    assert text.title_en == "Water loss: Trondheim in U4SSC band 1"
    assert text.description_en == (
        "Much clean water leaks. Water loss is too high in Trondheim. In 2023 the value was 31.5 %, against a "
        "target of 10 % (national target). That is 32 % of the target, band 1 of 4 in the U4SSC methodology "
        "(indicator EC-I-WS-3C). The municipality is looking for solutions that reduce water loss. "
        "Source: Norsk Vann. Sustainable Development Goals: 6, 11."
    )


def test_a_higher_is_better_kpi_is_too_low_and_to_be_raised() -> None:
    text = gap_need_text(standing(direction="+"), "Bodø")
    assert "Vanntap er for lav i Bodø." in text.description_no
    assert "som kan øke vanntap." in text.description_no
    assert "Water loss is too low in Bodø." in text.description_en
    assert "solutions that raise water loss." in text.description_en


def test_values_lose_trailing_zeros_and_keep_two_decimals_at_most() -> None:
    text = gap_need_text(standing(value=12.3456), "Molde")
    assert "var verdien 12,35 %" in text.description_no
    assert "the value was 12.35 %" in text.description_en
    assert "mot et mål på 10 %" in text.description_no  # 10.0, not 10,0


def test_synthetic_values_are_marked_in_both_languages_before_the_goals() -> None:
    text = gap_need_text(standing(synthetic=True), "Trondheim")
    assert text.description_no.endswith(
        "Kilde: Norsk Vann. Verdien er syntetiske demodata, ikke en måling. Bærekraftsmål: 6, 11."
    )
    assert text.description_en.endswith(
        "Source: Norsk Vann. The value is synthetic demo data, not a measurement. "
        "Sustainable Development Goals: 6, 11."
    )
    assert text.evidence["synthetic"] is True


def test_a_trend_is_one_sentence_after_the_band() -> None:
    text = gap_need_text(standing(trend=Trend("worsening", 2.5, 2021)), "Trondheim")
    assert "(indikator EC-I-WS-3C). Verdien har blitt dårligere siden 2021. Kommunen" in text.description_no
    assert (
        "(indicator EC-I-WS-3C). The value has worsened since 2021. The municipality" in text.description_en
    )
    stable = gap_need_text(standing(trend=Trend("stable", 0.0, 2022)), "Trondheim")
    assert "Verdien har vært stabil siden 2022." in stable.description_no
    assert "The value has stayed stable since 2022." in stable.description_en


def test_a_data_point_is_named_and_missing_problem_and_goals_leave_no_trace() -> None:
    text = gap_need_text(standing(data_point="private", sdgs=(), problems=False), "Oslo")
    assert text.title_no == "Vanntap (private): Oslo i U4SSC-bånd 1"
    assert text.title_en == "Water loss (private): Oslo in U4SSC band 1"
    assert text.description_no.startswith("Vanntap (private) er for høy i Oslo.")
    assert text.description_no.endswith("Kilde: Norsk Vann.")
    assert text.description_en.endswith("Source: Norsk Vann.")


def test_a_peer_target_is_called_a_benchmark() -> None:
    base = standing()
    assert base.target is not None
    peer = replace(base, target=replace(base.target, kind="peer"))
    text = gap_need_text(peer, "Trondheim")
    assert "(referanse: beste kvartil blant sammenlignbare kommuner)" in text.description_no
    assert "(benchmark: best quartile of comparable municipalities)" in text.description_en


def test_the_evidence_carries_value_target_band_trend_and_a_link_to_the_gaps() -> None:
    text = gap_need_text(standing(trend=Trend("improving", -1.0, 2022), data_point="private"), "Trondheim")
    assert text.evidence == {
        "kpi_code": "EC-I-WS-3C",
        "sdgs": [6, 11],
        "data_point": "private",
        "value": 31.5,
        "unit": "%",
        "year": 2023,
        "source": "Norsk Vann",
        "synthetic": False,
        "target": 10.0,
        "target_kind": "national",
        "target_source": "national target 10 % by 2030: Meld. St.",
        "percent_of_target": 31.7,
        "band": 1,
        "trend": "improving",
        "link": "/api/v1/municipalities/5001/gaps",
    }
