"""Band arithmetic in both directions, and the gap views over imported observations."""

import httpx
import pytest

from service.kpis.bands import band_of, direction_for, gap_severity, percent_of_target, trend_of


@pytest.mark.parametrize(
    ("value", "target", "direction", "percent", "band"),
    [
        (60.0, 60.0, "+", 100.0, 4),  # the published U4SSC broadband target met
        (57.0, 60.0, "+", 95.0, 4),  # 95 % is band 4
        (39.0, 60.0, "+", 65.0, 2),
        (19.8, 60.0, "+", 33.0, 2),  # 33 % starts band 2
        (19.0, 60.0, "+", 31.7, 1),
        (10.0, 10.0, "-", 100.0, 4),  # water loss at its target
        (30.0, 10.0, "-", 33.3, 2),  # a loss three times the target
        (40.0, 10.0, "-", 25.0, 1),
        (5.0, 10.0, "-", 100.0, 4),  # better than the target counts as 100 %
        (13.0, 10.0, "-", 76.9, 3),
    ],
)
def test_percent_of_target_and_band(
    value: float, target: float, direction: str, percent: float, band: int
) -> None:
    computed = percent_of_target(value, target, direction)
    assert round(computed, 1) == percent
    assert band_of(computed) == band


def test_band_limits_are_exact() -> None:
    assert [band_of(p) for p in (0, 32.99, 33, 65.99, 66, 94.99, 95, 150)] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_severity_compares_kpis() -> None:
    assert gap_severity(25.0) == 0.75
    assert gap_severity(100.0) == 0.0
    assert gap_severity(140.0) == 0.0


def test_trend_follows_the_direction() -> None:
    assert trend_of([(2021, 30.0), (2023, 25.0)], "-").direction == "improving"  # type: ignore[union-attr]
    assert trend_of([(2021, 30.0), (2023, 25.0)], "+").direction == "worsening"  # type: ignore[union-attr]
    assert trend_of([(2022, 30.0), (2023, 30.1)], "+").direction == "stable"  # type: ignore[union-attr]
    assert trend_of([(2023, 30.0)], "+") is None


def test_split_kpis_have_a_direction_per_data_point() -> None:
    note = "split: private -, public/walk/cycle +, para ~"
    assert direction_for("~", note, "private") == "-"
    assert direction_for("~", note, "cycle") == "+"
    assert direction_for("~", note, "para") == "~"
    assert direction_for("+", None, "") == "+"


def _observation(number: str, value: float, year: int = 2023, **extra: object) -> dict[str, object]:
    return {
        "municipality_number": number,
        "kpi_code": "EC-I-WS-3C",
        "year": year,
        "value": value,
        "unit": "%",
        "source": "test",
        **extra,
    }


# Smart water meters (higher is better) have no published target: the peers set it.
METERS = {"5001": 10.0, "1103": 80.0, "4601": 60.0, "0301": 70.0, "4204": 25.0, "1804": 90.0}


def test_gap_views_rank_weak_municipalities_with_evidence(api: httpx.Client) -> None:
    batch = [_observation(number, value, kpi_code="EC-ICT-WS-1C") for number, value in METERS.items()]
    batch += [_observation("5001", 40.0, year=2021), _observation("5001", 62.5), _observation("1804", 20.0)]
    result = api.post("/api/v1/kpi-observations", json={"observations": batch})
    assert result.status_code == 200, result.text
    assert result.json() == {"created": 9, "updated": 0, "unchanged": 0}
    standings = {item["kpi_code"]: item for item in api.get("/api/v1/municipalities/5001/kpis").json()}
    assert len(standings) == 91
    water = standings["EC-I-WS-3C"]  # lower is better, national target 25 %
    assert water["value"] == 62.5 and water["year"] == 2023 and water["synthetic"] is False
    assert water["target_kind"] == "national" and water["target"] == 25.0
    assert "2033" in water["target_source"]
    assert water["percent_of_target"] == 40.0
    assert water["band"] == 2
    assert water["trend"] == {"direction": "worsening", "change": 22.5, "from_year": 2021}
    meters = standings["EC-ICT-WS-1C"]
    assert meters["target_kind"] == "peer"  # best quartile of the six, all cities of 50 000 or more
    assert "same population class" in meters["target_source"]
    assert meters["target"] == pytest.approx(77.5)
    assert meters["band"] == 1
    assert standings["EC-ICT-ICT-1C"]["value"] is None
    gaps = api.get("/api/v1/municipalities/5001/gaps").json()
    assert [item["kpi_code"] for item in gaps] == ["EC-ICT-WS-1C", "EC-I-WS-3C"]  # worst first
    assert gaps[0]["severity"] > gaps[1]["severity"]
    assert [item["municipality_number"] for item in api.get("/api/v1/kpis/EC-ICT-WS-1C/gaps").json()] == [
        "5001",
        "4204",
    ]
    assert api.get("/api/v1/municipalities/1804/gaps").json() == []
    assert api.get("/api/v1/municipalities/9999/gaps").status_code == 404
    assert api.get("/api/v1/kpis/XX/gaps").status_code == 404


def test_observation_batches_are_all_or_nothing(api: httpx.Client) -> None:
    good = _observation("5001", 20.0)
    bad_rows = [
        _observation("9999", 20.0),
        {**_observation("5001", 20.0, year=2022), "kpi_code": "XX-1"},
        {**_observation("5001", 20.0, year=2021), "value": "twenty"},
        _observation("5001", 20.0, year=1980),
        {**_observation("5001", 20.0, year=2020), "unit": "per 100 000"},
        _observation("5001", 120.0, year=2019),
    ]
    for bad in bad_rows:
        response = api.post("/api/v1/kpi-observations", json={"observations": [good, bad]})
        assert response.status_code == 422, bad
        locations = [item["loc"] for item in response.json()["detail"]]
        assert all(location[:3] == ["body", "observations", 1] for location in locations), locations
    assert api.get("/api/v1/municipalities/5001/kpis").json()[0]["value"] is None or all(
        item["value"] is None for item in api.get("/api/v1/municipalities/5001/kpis").json()
    )
    assert api.post("/api/v1/kpi-observations", json={"observations": [good]}).json()["created"] == 1
    again = api.post("/api/v1/kpi-observations", json={"observations": [{**good, "value": 25.0}]}).json()
    assert again == {"created": 0, "updated": 1, "unchanged": 0}
    assert (
        api.post("/api/v1/kpi-observations", json={"observations": [{**good, "value": 25.0}]}).json()[
            "unchanged"
        ]
        == 1
    )
    assert (
        api.post(
            "/api/v1/kpi-observations", json={"observations": [good]}, headers={"Authorization": ""}
        ).status_code
        == 401
    )
