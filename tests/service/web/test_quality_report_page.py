"""The needs-quality report over a real server on a copy of the demo data: staff see, per municipality,
how many open needs have findings of each rule, sorted most first and by any column, and download it as
CSV; officers and suppliers are refused, an anonymous reader is sent to sign in. The counts are the
API's check of each open need (POST /api/v1/needs/check), never a second rule."""

import csv
import io
import re
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from service.needs_quality import RULE_IDS
from tests.api.conftest import SharedServer
from tests.support.accounts import add_person, signed_in_client
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
STAVANGER = "1103"
OFFICER, SUPPLIER, STAFF = "kari@stavanger.kommune.no", "salg@leverandor.no", "stab@innomatch.no"
ADMIN = "admin@innomatch.no"
REPORT = "/tools/needs-quality"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("quality-report")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number=STAVANGER)
    with shared.client() as admin:
        supplier_id = admin.get("/api/v1/suppliers", params={"limit": 1}).json()["items"][0]["id"]
    add_person(url, SUPPLIER, name="Siri Salg", role="supplier", supplier_id=supplier_id)
    add_person(url, STAFF, name="Stine Stab", role="staff")
    add_person(url, ADMIN, name="Ada Admin", role="admin")
    yield shared
    shared.live.stop()


def _expected_stavanger(server: SharedServer) -> tuple[int, Counter[str]]:
    """Stavanger's open needs and their failed rules, as the API's check tells them one by one."""
    by_rule: Counter[str] = Counter()
    with server.client() as admin:
        needs = admin.get(
            "/api/v1/needs", params={"municipality": STAVANGER, "status": "open", "limit": 200}
        ).json()["items"]
        for need in needs:
            answer = admin.post(
                "/api/v1/needs/check",
                json={
                    "title": need["title"],
                    "description": need["description"],
                    "language": need["language"],
                },
            ).json()
            by_rule.update({finding["rule"] for finding in answer["findings"]})
    return len(needs), by_rule


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_staff_see_the_counts_of_the_apis_check_per_municipality(server: SharedServer) -> None:
    with server.client() as admin:
        admin.post(
            "/api/v1/needs",
            json={
                "title": "Nye brytere",
                "description": "Vi skal kjøpe Cisco-switcher.",
                "municipality_number": STAVANGER,
            },
        )
    open_needs, by_rule = _expected_stavanger(server)
    with signed_in_client(server.live.base_url, STAFF) as staff:
        tools = staff.get("/tools?lang=en").text
        page = staff.get(f"{REPORT}?lang=en")
        download = staff.get(f"{REPORT}/download?format=csv&lang=en")
    assert f'href="{REPORT}"' in tools and f'href="{REPORT}/download?format=csv"' in tools
    assert page.status_code == 200
    row = re.search(
        rf'<th scope="row"><a href="/municipalities/{STAVANGER}">Stavanger</a></th>(.*?)</tr>',
        page.text,
        re.S,
    )
    assert row, "Stavanger has a row"
    cells = re.findall(r'<td class="number" data-label="([^"]+)">(\d+)</td>', row.group(1))
    assert cells[0] == ("Open needs", str(open_needs))
    assert [int(count) for _, count in cells[2:]] == [by_rule[rule] for rule in RULE_IDS]
    assert [label for label, _ in cells[2:]] == [
        "Solution instead of problem",
        "Brand named",
        "No measurable outcome",
        "Missing context",
        "Too short",
        "Personal data",
    ]
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    stavanger = next(r for r in _csv_rows(download.text) if r["Municipality number"] == STAVANGER)
    assert int(stavanger["Open needs"]) == open_needs
    assert int(stavanger["Brand named"]) == by_rule["brand-name"] >= 1


def test_the_report_is_sorted_most_findings_first_and_by_any_column(server: SharedServer) -> None:
    with signed_in_client(server.live.base_url, STAFF) as staff:
        by_findings = _csv_rows(staff.get(f"{REPORT}/download?format=csv&lang=en").text)
        by_context = _csv_rows(staff.get(f"{REPORT}/download?format=csv&sort=context&lang=en").text)
        by_name = _csv_rows(staff.get(f"{REPORT}/download?format=csv&sort=municipality&lang=en").text)
        page = staff.get(f"{REPORT}?sort=context&lang=en").text
    findings = [sum(int(row[name]) for name in list(row)[4:]) for row in by_findings]
    assert findings == sorted(findings, reverse=True) and len(findings) > 1
    context = [int(row["Missing context"]) for row in by_context]
    assert context == sorted(context, reverse=True)
    names = [row["Municipality"].casefold() for row in by_name]
    assert names == sorted(names)
    assert re.search(
        r'<th scope="col" class="number" aria-sort="descending"><a class="ds-link" href="\?sort=context">',
        page,
    )


def test_only_staff_and_admins_see_the_report(server: SharedServer) -> None:
    for email in (OFFICER, SUPPLIER):
        with signed_in_client(server.live.base_url, email) as person:
            assert person.get(REPORT).status_code == 403
            assert person.get(f"{REPORT}/download?format=csv").status_code == 403
    with signed_in_client(server.live.base_url, ADMIN) as admin:
        assert admin.get(REPORT).status_code == 200
    with httpx.Client(base_url=server.live.base_url, timeout=30) as anonymous:
        for path in (REPORT, f"{REPORT}/download"):
            answer = anonymous.get(path, follow_redirects=False)
            assert answer.status_code == 303 and answer.headers["location"] == f"/login?next={REPORT}"


def test_the_report_is_in_bokmal_by_default(server: SharedServer) -> None:
    with signed_in_client(server.live.base_url, STAFF) as staff:
        staff.cookies.set("lang", "nb")
        page = staff.get(REPORT).text
    assert "Kvalitet på behov per kommune" in page and "Merkenavn" in page


def test_the_report_takes_little_time_at_the_demo_size(server: SharedServer) -> None:
    with signed_in_client(server.live.base_url, STAFF) as staff:
        started = time.perf_counter()
        assert staff.get(REPORT).status_code == 200
        assert time.perf_counter() - started < 3.0
