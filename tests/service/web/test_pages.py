"""The pages for people render the same matches as the API and never render stored text as markup."""

import re

import httpx

from tests.support.records import WATER_LOOKALIKES_NO


def test_need_page_lists_matches_and_escapes_text(api: httpx.Client) -> None:
    solution = api.post(
        "/api/v1/solutions",
        json={
            "title": "Leak detection <b>pro</b>",
            "description": "Acoustic loggers find leaks in water mains.",
        },
    ).json()
    need = api.post(
        "/api/v1/needs",
        json={"title": "<script>alert('x')</script> Vanntap", "description": "Vi mister vann i lekkasjer."},
    ).json()
    page = api.get(f"/needs/{need['id']}")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Vanntap" in page.text
    assert f'href="/solutions/{solution["id"]}"' in page.text
    assert "Leak detection &lt;b&gt;pro&lt;/b&gt;" in page.text
    assert re.search(r"Samsvar [01],\d\d<", page.text)


def test_home_solution_and_search_pages(api: httpx.Client) -> None:
    solution_id = api.post(
        "/api/v1/solutions", json={"title": "Bysykler", "description": "Elektriske bysykler med app."}
    ).json()["id"]
    need_id = api.post(
        "/api/v1/needs",
        json={"title": "Too many car trips", "description": "Commuters drive short distances."},
    ).json()["id"]
    assert f'href="/needs/{need_id}"' in api.get("/").text
    assert f'href="/needs/{need_id}"' in api.get(f"/solutions/{solution_id}").text
    search = api.get("/search", params={"q": "city bikes"})
    assert search.status_code == 200
    assert f'href="/solutions/{solution_id}"' in search.text
    assert api.get("/needs/424242").status_code == 404


def test_a_generated_need_page_shows_its_evidence_and_synthetic_marker(api: httpx.Client) -> None:
    peers = {"5001": 10.0, "1103": 80.0, "4601": 60.0, "0301": 70.0, "4204": 25.0, "1804": 90.0}
    observations = [
        {
            "municipality_number": n,
            "kpi_code": "EC-ICT-WS-1C",
            "year": 2023,
            "value": v,
            "unit": "%",
            "source": "Demo",
            "synthetic": True,
        }
        for n, v in peers.items()
    ]
    assert api.post("/api/v1/kpi-observations", json={"observations": observations}).status_code == 200
    [need_id] = api.post("/api/v1/municipalities/5001/needs/generate").json()["created"]
    page = api.get(f"/needs/{need_id}").text
    assert "fiktiv verdi" in page
    listed = api.get("/").text  # the list marks it too, wherever the value is shown
    assert listed.count("fiktiv verdi") == 1 and f'href="/needs/{need_id}"' in listed
    assert re.search(r"<th scope=\"row\">U4SSC-bånd</th><td>1</td>", page)
    assert "På engelsk" in page and "Smart Water Meters" in page


def test_a_search_in_another_language_shows_its_results_under_a_warning(api: httpx.Client) -> None:
    solution_id = api.post(
        "/api/v1/solutions",
        json={
            "title": "Acoustic leak detection",
            "description": "Acoustic loggers find leaks in water mains.",
        },
    ).json()["id"]
    page = api.get("/search", params={"q": "Vi förlorar mycket dricksvatten genom läckor i gamla ledningar."})
    assert page.status_code == 200
    assert (
        "Søketeksten ser ut til å være på svensk (sv). Innomatch matcher norsk og engelsk, så disse"
        " treffene kan være svake. Søk på norsk eller engelsk."
    ) in page.text
    assert f'href="/solutions/{solution_id}"' in page.text
    assert "Innomatch matcher norsk og engelsk" not in api.get("/search", params={"q": "lekkasjer"}).text


def test_the_search_page_says_when_there_is_no_good_match(api: httpx.Client) -> None:
    for title, description in WATER_LOOKALIKES_NO:
        assert api.post("/api/v1/solutions", json={"title": title, "description": description}).is_success
    page = api.get("/search", params={"q": "dog licence fees"}).text
    assert "Ingen gode treff: den beste løsningen har samsvar 0," in page
    assert "svakt treff" in page
    assert "Ingen gode treff" not in api.get("/search", params={"q": "lekkasjer i vannledningene"}).text
