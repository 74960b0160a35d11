"""Reading an uploaded trainee file (CSV in UTF-8, or XLSX) into numbered rows of text.

File-level problems (too big, not UTF-8, unreadable, missing or unknown columns, too many
rows) raise `ImportFileError` with a message for the person; row-level checks are in
`validation`.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .columns import COLUMN_KEYS, MAX_BYTES, MAX_ROWS, REQUIRED_KEYS

EXTENSIONS = (".csv", ".xlsx")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why."""


@dataclass
class SourceRow:
    number: int  # the row number the person sees in their spreadsheet (the header is row 1)
    values: dict[str, str]


def file_kind(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ImportFileError(_("Upload a .csv (UTF-8) or .xlsx file made from the template."))
    return suffix.lstrip(".")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # A number typed into a General cell: keep "13912345678", not "13912345678.0".
        value = int(value)
    return str(value).strip()


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(megabytes)s MB; split it into smaller files.")
            % {"megabytes": MAX_BYTES // (1024 * 1024)}
        )


def csv_text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The CSV file is not in UTF-8. In Excel choose “Save as” > “CSV UTF-8”, "
                "or upload the .xlsx file."
            )
        ) from None


def _csv_lines(content: bytes):
    yield from csv.reader(io.StringIO(csv_text(content), newline=""))


def _xlsx_lines(content: bytes):
    from django.core.exceptions import ValidationError
    from openpyxl import load_workbook

    from institute.uploads import check_xlsx_content

    try:
        # A zip bomb is refused from the archive's directory before openpyxl inflates anything.
        check_xlsx_content(content)
    except ValidationError as error:
        raise ImportFileError(" ".join(error.messages)) from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same clear message
        raise ImportFileError(_("The file cannot be read as an .xlsx workbook.")) from None
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def _header(cells) -> list[str]:
    header = [_cell_text(cell).lower() for cell in cells]
    while header and not header[-1]:
        header.pop()
    unknown = [name for name in header if name not in COLUMN_KEYS]
    if unknown:
        raise ImportFileError(
            _("Unknown column(s) %(columns)s; the template's columns are: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(COLUMN_KEYS)}
        )
    missing = [name for name in REQUIRED_KEYS if name not in header]
    if "name_zh" not in header and "name_latin" not in header:
        missing.append("name_zh / name_latin")
    if missing:
        raise ImportFileError(
            _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if len(set(header)) != len(header):
        raise ImportFileError(_("A column appears twice in the header row."))
    return header


def read_rows(*, content: bytes, filename: str) -> list[SourceRow]:
    """All non-empty data rows, numbered as in the spreadsheet."""
    check_size(len(content))
    lines = _csv_lines(content) if file_kind(filename) == "csv" else _xlsx_lines(content)
    try:
        header = _header(next(lines))
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    rows = []
    for number, cells in enumerate(lines, start=2):
        values = {key: _cell_text(cell) for key, cell in zip(header, cells, strict=False)}
        if not any(values.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
        rows.append(SourceRow(number=number, values=values))
    if not rows:
        raise ImportFileError(_("The file has a header but no trainees."))
    return rows
