"""The manager portal's staff rows as flat text cells, written as CSV or XLSX."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .selectors_organisation import StaffRow

# A cell starting with one of these is a formula in a spreadsheet: never let data run as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _exam_title(result) -> str:
    english = (get_language() or "").startswith("en")
    return (result.title_en if english and result.title_en else result.title_zh) or ""


def headers() -> list[str]:
    return [
        _("Name (Chinese)"),
        _("Name (Latin script)"),
        _("Email"),
        _("Identity document (masked)"),
        _("Job title"),
        _("Courses completed"),
        _("Courses in progress"),
        _("Best exam results"),
        _("Credentials"),
    ]


def row_cells(row: StaffRow) -> list[str]:
    profile = row.person.profile
    passed, failed = _("passed"), _("not passed")
    cells = [
        profile.name_zh,
        profile.name_latin,
        row.person.email,
        profile.masked_id_number,
        profile.job_title,
        "; ".join(f"{e.course.code} {e.course.title}" for e in row.completed),
        "; ".join(f"{e.course.code} {e.course.title} ({e.progress_percent}%)"
                  for e in row.in_progress),
        "; ".join(f"{_exam_title(r)}: {r.best_percent:.1f}% ({passed if r.passed else failed})"
                  for r in row.exam_results),
        "; ".join(f"{c.number} {c.scheme_version.scheme.code}: {c.state_label}, "
                  f"{_('valid until')} {c.valid_until:%Y-%m-%d}" for c in row.credentials),
    ]  # fmt: skip
    return [_safe(cell) for cell in cells]


def csv_response(rows: list[StaffRow], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(headers())
    writer.writerows(row_cells(row) for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: list[StaffRow], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Staff")[:31])
    sheet.append(headers())
    for row in rows:
        sheet.append(row_cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
