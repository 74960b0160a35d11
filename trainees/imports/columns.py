"""The documented columns of the trainee import template, its limits, and the template files.

Keep this in step with `trainees/IMPORT_TEMPLATE.md`.
"""

import csv
import io

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# (column key, required, help text shown in the XLSX template's help sheet)
COLUMNS = (
    ("email", True, _("Login email address; the invitation is sent here.")),
    ("name_zh", False, _("Name in Chinese characters (name_zh or name_latin is required).")),
    ("name_latin", False, _("Name in Latin script, e.g. ZHANG San.")),
    ("id_type", False, _("resident (default) or passport; 身份证 and 护照 are accepted too.")),
    ("id_number", True, _("Resident ID number (18 characters, checked) or passport number.")),
    ("date_of_birth", False, _("YYYY-MM-DD; for resident IDs it must match the ID number.")),
    ("mobile", False, _("Mobile number, e.g. 13912345678 or +8613912345678.")),
    ("organisation_credit_code", False, _("Unified social credit code of the employer.")),
    ("job_title", False, _("Job title.")),
)
COLUMN_KEYS = tuple(key for key, _required, _help in COLUMNS)
REQUIRED_KEYS = tuple(key for key, required, _help in COLUMNS if required)


def template_csv() -> bytes:
    """The header row only, UTF-8 with a BOM so that Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMN_KEYS)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "trainees"
    sheet.append(COLUMN_KEYS)
    for letter in "ABCDEFGHI":
        sheet.column_dimensions[letter].width = 22
    # Text cells: Excel would otherwise turn ID numbers and mobiles into rounded numbers.
    for column in range(1, len(COLUMN_KEYS) + 1):
        for row in range(2, 502):
            sheet.cell(row=row, column=column).number_format = "@"
    help_sheet = workbook.create_sheet("help")
    help_sheet.append(["column", "required", "meaning"])
    for key, required, help_text in COLUMNS:
        help_sheet.append([key, "yes" if required else "", str(help_text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
