"""Text that looks like HTML or SQL is stored and returned as written, and the pages show it escaped."""

import httpx
from markupsafe import escape

from tests.api.conftest import RowCounts

SCRIPT = "<script>alert(1)</script>"
SQL = "'; DROP TABLE need; --"
TITLE = f"Lekkasjer {SCRIPT} {SQL}"
DESCRIPTION = f'Vi mister vann.\n{SQL}\n<img src=x onerror="alert(2)"> & "sitater"\tog tabulator.'


def test_markup_and_sql_are_stored_verbatim_and_rendered_escaped(
    api: httpx.Client, counts: RowCounts
) -> None:
    before = counts()
    need = api.post("/api/v1/needs", json={"title": TITLE, "description": DESCRIPTION})
    assert need.status_code == 201, need.text
    solution = api.post("/api/v1/solutions", json={"title": f"Sensor {SCRIPT}", "description": DESCRIPTION})
    assert solution.status_code == 201, solution.text
    need_id, solution_id = need.json()["id"], solution.json()["id"]

    # The API returns the text byte for byte, on the record and in the lists.
    stored = api.get(f"/api/v1/needs/{need_id}").json()
    assert (stored["title"], stored["description"]) == (TITLE, DESCRIPTION)
    assert [item["title"] for item in api.get("/api/v1/needs").json()["items"]] == [TITLE]
    assert api.get(f"/api/v1/solutions/{solution_id}").json()["description"] == DESCRIPTION
    # The text reached SQL as a value: the table it names is there, one row longer.
    after = counts()
    assert after["need"] == before["need"] + 1
    assert after["solution"] == before["solution"] + 1

    pages = {
        "home": api.get("/"),
        "need": api.get(f"/needs/{need_id}"),
        "solution": api.get(f"/solutions/{solution_id}"),
        "search": api.get("/search", params={"q": f"vann {SCRIPT}"}),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        assert SCRIPT not in page.text, f"raw <script> on the {name} page"
        assert escape(SCRIPT) in page.text, f"no escaped <script> on the {name} page"
    for name in ("home", "need"):
        assert escape(SQL) in pages[name].text, name
        assert "&#39;; DROP TABLE need; --" in pages[name].text, name
    for name in ("need", "solution"):
        assert '<img src=x onerror="alert(2)">' not in pages[name].text
        assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt; &amp; &#34;sitater&#34;" in pages[name].text
