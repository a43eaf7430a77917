"""Cells and files for CSV and XLSX exports: text forms, formula guards, the BOM, Excel's limits
(tests/service/test_exports.py round-trips a mixed row through both formats)."""

import io
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from service.exports import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    _as_text,
    _csv_cell,
    _sheet_title,
    _xlsx_value,
    csv_bytes,
    csv_chunks,
    export_response,
    xlsx_bytes,
)

OSLO_SUMMER = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (False, "false"),
        (0, "0"),
        (datetime(2026, 6, 1, 12, 0, tzinfo=OSLO_SUMMER), "2026-06-01T10:00:00+00:00"),  # to UTC
        (datetime(2026, 6, 1, 12, 0), "2026-06-01T12:00:00"),  # naive: as it is
        (date(2026, 6, 1), "2026-06-01"),
        ({"b": 1, "a": "ø"}, '{"a": "ø", "b": 1}'),  # sorted keys, letters kept
        ([[1, 2], (3, None)], "1; 2; 3; "),  # nested lists flattened
    ],
)
def test_a_cell_as_text(value: object, text: str) -> None:
    assert _as_text(value) == text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+47 22 00 00 00", "'+47 22 00 00 00"),
        ("-minus", "'-minus"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("a=b", "a=b"),  # only a leading sign is a formula
        (-2.5, "-2.5"),  # a number is not text a spreadsheet runs
    ],
)
def test_csv_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(value: object, cell: str) -> None:
    assert _csv_cell(value) == cell


def test_csv_is_utf8_with_a_bom_crlf_lines_and_quoted_fields() -> None:
    content = csv_bytes(["navn", "sitat"], [["Ærlig, AS", 'sa "hei"'], [None, 3]])
    assert content == '\ufeffnavn,sitat\r\n"Ærlig, AS","sa ""hei"""\r\n,3\r\n'.encode()
    assert content.startswith(b"\xef\xbb\xbf")


def test_a_list_cell_starting_with_a_formula_is_guarded_too() -> None:
    """The buyer-group export's solution titles are written by suppliers."""
    content = csv_bytes(
        ["best_solutions", "change"], [[['=HYPERLINK("http://x.example","Lekkasje") (0.61)'], -5]]
    )
    assert content.decode("utf-8-sig").splitlines()[1].startswith("\"'=HYPERLINK")
    assert content.decode("utf-8-sig").splitlines()[1].endswith(",-5"), "a negative number stays a number"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (datetime(2026, 1, 15, 9, 0, tzinfo=timezone(timedelta(hours=1))), datetime(2026, 1, 15, 8, 0)),
        (datetime(2026, 1, 15, 9, 0), datetime(2026, 1, 15, 9, 0)),
        (date(2026, 1, 15), date(2026, 1, 15)),
        (True, True),
        (None, None),
        ("a\x01b\x1fc", "abc"),  # characters XML cannot hold are dropped
        (["x", 1], "x; 1"),
    ],
)
def test_what_an_excel_cell_gets(value: object, cell: object) -> None:
    result = _xlsx_value(value)
    assert result == cell and type(result) is type(cell)


@pytest.mark.parametrize(
    ("title", "sheet"),
    [
        ("Partnerships: 2026/11", "Partnerships  2026 11"),
        ("[*?]", "Export"),
        ("", "Export"),
        ("Innovasjonspartnerskap i kommunene", "Innovasjonspartnerskap i kommun"),  # Excel's 31
    ],
)
def test_sheet_titles_lose_characters_excel_forbids_and_are_cut_to_31(title: str, sheet: str) -> None:
    assert _sheet_title(title) == sheet


def test_an_xlsx_file_has_a_bold_frozen_header_sized_columns_and_text_kept_as_text() -> None:
    header = ["tittel", "n"]
    rows: list[list[object]] = [["Vannlekkasje", 1], ["x" * 100, "#N/A"]]
    workbook = load_workbook(io.BytesIO(xlsx_bytes(header, rows, sheet_title="Behov")))
    sheet = workbook["Behov"]
    assert sheet.freeze_panes == "A2"
    assert [cell.font.b for cell in sheet[1]] == [True, True]
    assert sheet["B3"].value == "#N/A" and sheet["B3"].data_type == "s"  # text, not an error value
    # The width of the longest cell plus 2, at most 60.
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (60, 6)


def test_an_export_is_a_dated_attachment_of_the_right_type() -> None:
    response = export_response(["a"], [[1]], export_format="csv", filename_stem="partnerships")
    assert response.media_type == CSV_MEDIA_TYPE
    assert response.body == csv_bytes(["a"], [[1]])
    disposition = response.headers["content-disposition"]
    match = re.fullmatch(r'attachment; filename="partnerships-(\d{4}-\d{2}-\d{2})\.csv"', disposition)
    assert match is not None
    assert match.group(1) in {(datetime.now(UTC) - timedelta(days=d)).strftime("%Y-%m-%d") for d in (0, 1)}
    xlsx = export_response(["a"], [[1]], export_format="xlsx", filename_stem="audit")
    assert xlsx.media_type == XLSX_MEDIA_TYPE
    assert xlsx.headers["content-disposition"].endswith('.xlsx"')
    assert load_workbook(io.BytesIO(xlsx.body)).sheetnames == ["audit"]


def test_csv_in_chunks_is_the_same_file_a_few_rows_at_a_time() -> None:
    """Open data streams its CSV (service/open_data): the chunks join to exactly csv_bytes' file."""
    rows: list[list[object]] = [[f"rad {n}", "=1+1" if n == 3 else n] for n in range(7)]
    chunks = list(csv_chunks(["navn", "verdi"], rows, rows_per_chunk=3))
    assert len(chunks) == 4  # the header, then rows 3 + 3 + 1
    assert chunks[0] == "\ufeffnavn,verdi\r\n".encode()
    assert b"".join(chunks) == csv_bytes(["navn", "verdi"], rows)
    assert list(csv_chunks(["a"], [])) == ["\ufeffa\r\n".encode()]
