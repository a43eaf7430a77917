"""Staff exports: partnerships as CSV and XLSX through the live API, and the shared writer's rules
(byte-order mark, text that looks like a formula stays text, lists and times as readable cells)."""

import csv
import io
from datetime import UTC, datetime
from typing import Any

import httpx
from openpyxl import load_workbook

from service.exports import XLSX_MEDIA_TYPE, csv_bytes, xlsx_bytes
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, create, move, propose


def _two_partnerships(api: httpx.Client) -> tuple[dict[str, Any], dict[str, Any]]:
    first_need = create(api, "needs", **LEAK_NEED, municipality_number="1804")
    second_need = create(api, "needs", **LEAK_NEED, municipality_number="5001")
    solution = create(api, "solutions", **LEAK_SOLUTION, trl=9)
    joint = propose(
        api,
        need_ids=[first_need["id"], second_need["id"]],
        solution_ids=[solution["id"]],
        title="Felles lekkasjesøk i Bodø og Trondheim",
        buyer_group_key="needs:1,2",
    )
    single = propose(api, need_ids=[first_need["id"]], title='=HYPERLINK("http://example.org")')
    assert move(api, single["id"], "stopped").status_code == 200
    stopped = api.get(f"/api/v1/partnerships/{single['id']}").json()
    return joint, stopped


def test_partnerships_export_as_csv_parses_back(api: httpx.Client) -> None:
    joint, stopped = _two_partnerships(api)
    response = api.get("/api/v1/partnerships/export", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="partnerships-')
    assert response.headers["content-disposition"].endswith('.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    row = rows[joint["id"]]
    assert row["title"] == "Felles lekkasjesøk i Bodø og Trondheim"
    assert (row["status"], row["route"], row["lead_rule"]) == ("proposed", joint["route"], joint["lead_rule"])
    assert row["need_ids"] == "; ".join(str(i) for i in joint["need_ids"])
    assert row["buyer_group_key"] == "needs:1,2" and row["outcomes"] == "0"
    assert row["route_reasons"] == " | ".join(joint["route_reasons"])
    assert datetime.fromisoformat(row["created_at"]) == datetime.fromisoformat(joint["created_at"])
    assert rows[stopped["id"]]["title"] == "'" + stopped["title"]  # a formula stays text in a spreadsheet

    only_stopped = api.get("/api/v1/partnerships/export", params={"format": "csv", "status": "stopped"})
    ids = [int(r["id"]) for r in csv.DictReader(io.StringIO(only_stopped.content.decode("utf-8-sig")))]
    assert stopped["id"] in ids and joint["id"] not in ids
    assert api.get("/api/v1/partnerships/export", params={"format": "pdf"}).status_code == 422


def test_partnerships_export_as_xlsx_opens_with_openpyxl(api: httpx.Client) -> None:
    joint, stopped = _two_partnerships(api)
    response = api.get("/api/v1/partnerships/export", params={"format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    assert response.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.title == "Partnerships"
    header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    row = rows[joint["id"]]
    assert row["title"] == "Felles lekkasjesøk i Bodø og Trondheim" and row["status"] == "proposed"
    assert row["lead_municipality_number"] == joint["lead_municipality_number"]
    assert row["outcomes"] == 0 and isinstance(row["created_at"], datetime)
    assert rows[stopped["id"]]["title"] == stopped["title"] and rows[stopped["id"]]["status"] == "stopped"


def test_the_writer_keeps_text_as_text_in_both_formats() -> None:
    header = ["name", "numbers", "detail", "when", "missing", "flag", "amount"]
    moment = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    rows = [["=1+1", [3, 7], {"å": "ø"}, moment, None, True, -2.5]]
    parsed = list(csv.reader(io.StringIO(csv_bytes(header, rows).decode("utf-8-sig"))))
    assert parsed == [
        header,
        ["'=1+1", "3; 7", '{"å": "ø"}', "2026-11-23T09:30:00+00:00", "", "true", "-2.5"],
    ]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(header, rows, sheet_title="Test: a/b"))).active
    assert sheet is not None and sheet.title == "Test  a b"
    assert [cell.value for cell in sheet[2]] == [
        "=1+1",
        "3; 7",
        '{"å": "ø"}',
        moment.replace(tzinfo=None),
        None,
        True,
        -2.5,
    ]
    assert sheet["A2"].data_type == "s"  # stored as text, not as a formula
