"""The trainee import (trainees/imports/) refuses hostile files with a clear message: XLSX zip
bombs before openpyxl opens them, other encodings, oversized files, and hostile cell values
(formula or script text) are kept as inert text for the row checks."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from trainees.imports.parsing import ImportFileError, read_rows


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024**2))
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _english():
    """The messages below are matched in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


def test_xlsx_zip_bomb_is_refused_before_openpyxl(monkeypatch):
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a refused archive")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(ImportFileError, match="compressed suspiciously well"):
        read_rows(content=bomb(), filename="people.xlsx")


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"PK\x03\x04 broken", "people.xlsx", "not a readable ZIP/XLSX archive"),
        (b"%PDF-1.7 not a workbook", "people.xlsx", "not an XLSX workbook"),
        ("email,name_zh\n张三@x.cn,张三\n".encode("gb18030"), "people.csv", "not in UTF-8"),
        (b"email\n", "people.exe", "Upload a .csv"),
    ],
)
def test_malformed_files_get_a_clear_message(content, filename, message):
    with pytest.raises(ImportFileError, match=message):
        read_rows(content=content, filename=filename)


def test_hostile_cell_values_stay_inert_text():
    workbook = Workbook()
    workbook.active.append(["email", "name_zh", "id_type", "id_number", "mobile"])
    hostile = ["=HYPERLINK(\"http://evil\")@x.cn", "<script>alert(1)</script>", "resident",
               "1" * 5000, "+8613912345678"]  # fmt: skip
    workbook.active.append(hostile)
    buffer = io.BytesIO()
    workbook.save(buffer)
    [row] = read_rows(content=buffer.getvalue(), filename="people.xlsx")
    assert row.values["name_zh"] == "<script>alert(1)</script>"
    assert row.values["id_number"] == "1" * 5000  # refused by the row checks, not the parser


@pytest.mark.django_db
def test_hostile_values_are_row_errors_naming_the_column():
    from trainees.imports.validation import rows_check

    workbook = Workbook()
    workbook.active.append(["email", "name_zh", "id_type", "id_number", "mobile"])
    workbook.active.append(["=cmd|' /C calc'!A0", "<b>张三</b>", "resident", "1" * 5000, "1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows(content=buffer.getvalue(), filename="people.xlsx")
    check = rows_check(rows, allowed_organisation_ids=None)
    columns = {error.column for error in check.errors}
    assert {"email", "id_number"} <= columns
