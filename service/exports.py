"""Tables for staff reports as CSV or XLSX bytes, and the HTTP answer that carries them as a file.

Any list endpoint can export: give a header and rows of plain values (text, numbers, booleans,
datetimes, lists, dicts, None). CSV is RFC 4180 (comma, CRLF) in UTF-8 *with a byte-order mark*:
without it Excel on Windows reads the file in the local ANSI code page and garbles æ, ø and å; Python
reads it back with `encoding="utf-8-sig"`. Norwegian Excel expects ';' between columns, so a CSV
opened by double-click there lands in one column: the XLSX file is the one for Excel, the CSV the one
for scripts (or Excel's Data > From Text).

Text that a spreadsheet would run as a formula (starting with =, +, -, @) is kept as text: in CSV it
gets a leading apostrophe (the OWASP advice against CSV injection), in XLSX the cell is typed as a
string, so the text is unchanged.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Literal

from fastapi import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

ExportFormat = Literal["csv", "xlsx"]
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
MAX_COLUMN_WIDTH = 60

Cell = object  # str | int | float | bool | datetime | date | Sequence | Mapping | None


def _as_text(value: Cell) -> str:
    """One cell as text, the same way in both formats: lists joined, dicts as JSON, times in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return LIST_SEPARATOR.join(_as_text(item) for item in value)
    return str(value)


def _csv_cell(value: Cell) -> str:
    """The cell's text, guarded if a spreadsheet would run it: a list joins to text too, and its first
    item may be a supplier's title; a number (-5) stays a number."""
    text = _as_text(value)
    if not isinstance(value, int | float) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A header row and the rows, as UTF-8 CSV with a byte-order mark."""
    return b"".join(csv_chunks(header, rows))


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, rows_per_chunk: int = 500
) -> Iterator[bytes]:
    """The bytes of csv_bytes a few hundred rows at a time, for an answer streamed while `rows` are read."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield buffer.getvalue().encode("utf-8-sig")
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(value) for value in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _xlsx_value(value: Cell) -> str | int | float | bool | datetime | date | None:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        # Excel has no time zones: times are written in UTC, without the offset.
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return value
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", _as_text(value))
    return cleaned


def _xlsx_cell(sheet: Worksheet, value: Cell, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
    if isinstance(cell.value, str) and cell.data_type in ("f", "e"):
        cell.data_type = "s"  # text that looks like a formula or an error code stays text
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet_title: str) -> bytes:
    """A workbook with one sheet: a bold header row, then the rows; times in UTC."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    widths = [len(name) for name in header]
    sheet.freeze_panes = "A2"
    body = []
    for row in rows:
        cells = [_xlsx_cell(sheet, value) for value in row]
        for position, cell in enumerate(cells[: len(widths)]):
            widths[position] = max(widths[position], len(str(cell.value or "")))
        body.append(cells)
    # Column widths must be set before the first row is written in write-only mode.
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.append([_xlsx_cell(sheet, name, bold=True) for name in header])
    for cells in body:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return (cleaned or "Export")[:31]  # Excel's limit


def export_response(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    export_format: ExportFormat,
    filename_stem: str,
    sheet_title: str | None = None,
) -> Response:
    """The table as a downloadable file named `<stem>-<UTC date>.csv|.xlsx`."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    if export_format == "csv":
        content, media_type = csv_bytes(header, rows), CSV_MEDIA_TYPE
    else:
        content = xlsx_bytes(header, rows, sheet_title=sheet_title or filename_stem)
        media_type = XLSX_MEDIA_TYPE
    filename = f"{filename_stem}-{stamp}.{export_format}"
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
