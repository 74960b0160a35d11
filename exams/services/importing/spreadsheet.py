"""The institute's spreadsheet template (.xlsx or .csv); see exams/IMPORT_TEMPLATE.md.

One question per row after a header row with these columns (names, any order):
category, name, type, stem_zh, stem_en, points, difficulty, competencies, explanation,
option_1 … option_8, correct, tolerance, unit.
"""

import csv
import html
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from institute.uploads import check_csv_content, check_xlsx_content

from .moodle_xml import new_id
from .report import ImportReport, ParsedQuestion

TYPES = {"single", "multiple", "truefalse", "numeric", "shorttext", "matching", "ordering", "essay"}
TRUE_WORDS, FALSE_WORDS = {"true", "t", "对", "是", "正确"}, {"false", "f", "错", "否", "错误"}


class Malformed(ValueError):
    pass


def _options(row) -> list[str]:
    return [row[f"option_{n}"] for n in range(1, 9) if row.get(f"option_{n}")]


def _choice(row, kind) -> dict:
    options = _options(row)
    try:
        right = {int(part) for part in row["correct"].replace("，", ",").split(",") if part.strip()}
    except ValueError as error:
        raise Malformed(gettext("“correct” must list option numbers, e.g. 2 or 1,3")) from error
    if not right or not right <= set(range(1, len(options) + 1)):
        raise Malformed(gettext("“correct” must name existing option numbers"))
    if kind == "single" and len(right) != 1:
        raise Malformed(gettext("a single-choice question has exactly one correct option"))
    share = round(1 / len(right), 7)
    return {"options": [
        {"id": new_id(), "text": html.escape(text), "fraction": share if n in right else (-share if kind == "multiple" else 0), "feedback": ""}
        for n, text in enumerate(options, start=1)
    ]}  # fmt: skip


def _data(row, kind) -> dict:
    correct = row.get("correct", "").strip()
    if kind in ("single", "multiple"):
        return _choice(row, kind)
    if kind == "truefalse":
        if correct.lower() not in TRUE_WORDS | FALSE_WORDS:
            raise Malformed(gettext("“correct” must be TRUE or FALSE"))
        return {"correct": correct.lower() in TRUE_WORDS}
    if kind == "numeric":
        try:
            value, tolerance = float(correct), float(row.get("tolerance") or 0)
        except ValueError as error:
            raise Malformed(gettext("“correct” and “tolerance” must be numbers")) from error
        unit = row.get("unit", "").strip()
        return {"answers": [{"value": value, "tolerance": tolerance, "fraction": 1}],
                "units": [{"unit": unit, "multiplier": 1}] if unit else []}  # fmt: skip
    if kind == "shorttext":
        return {
            "answers": [
                {"text": text.strip(), "fraction": 1} for text in correct.split("|") if text.strip()
            ]
        }
    if kind == "matching":
        pairs = [option.partition("->") for option in _options(row)]
        return {
            "pairs": [
                {"id": new_id(), "prompt": p.strip(), "answer": a.strip()} for p, _, a in pairs
            ]
        }
    if kind == "ordering":
        return {"items": [{"id": new_id(), "text": text} for text in _options(row)]}
    return {
        "rubric": [
            {"criterion": line.strip(), "points": None}
            for line in correct.split("|")
            if line.strip()
        ]
    }


def _row_question(row: dict, number: int) -> ParsedQuestion:
    kind = row.get("type", "").strip().lower()
    if kind not in TYPES:
        raise Malformed(
            gettext("unknown type “%(kind)s” (use one of %(types)s)")
            % {"kind": kind, "types": ", ".join(sorted(TYPES))}
        )
    if not (row.get("stem_zh") or row.get("stem_en")):
        raise Malformed(gettext("a question needs stem_zh or stem_en"))
    try:
        points = float(row.get("points") or 1)
        difficulty = int(float(row.get("difficulty") or 3))
    except ValueError as error:
        raise Malformed(gettext("points and difficulty must be numbers")) from error
    question = ParsedQuestion(
        number=number, line=number + 1, name=row.get("name") or f"Row {number + 1}", kind=kind,
        category=row.get("category", "").strip().strip("/"), stem=html.escape(row.get("stem_zh", "")),
        stem_en=html.escape(row.get("stem_en", "")),
        data=_data(row, kind), points=points, difficulty=difficulty,
        explanation=html.escape(row.get("explanation", "")),
        competencies=[c.strip() for c in row.get("competencies", "").replace("；", ";").split(";") if c.strip()],
    )  # fmt: skip
    return question


def _rows_xlsx(content: bytes):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip().lower() for cell in next(rows, [])]
    for values in rows:
        yield {
            key: "" if value is None else str(value).strip()
            for key, value in zip(header, values, strict=False)
        }


def _rows_csv(content: bytes):
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    for row in reader:
        yield {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}


def parse(content: bytes, report: ImportReport, *, csv_format: bool = False) -> None:
    try:
        # Encoding, and zip bombs refused from the archive directory before openpyxl opens it.
        if csv_format:
            check_csv_content(content)
        else:
            check_xlsx_content(content)
    except ValidationError as error:
        report.errors.extend(error.messages)
        return
    try:
        rows = list(_rows_csv(content) if csv_format else _rows_xlsx(content))
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not raised
        report.errors.append(
            gettext("the spreadsheet cannot be read: %(error)s") % {"error": error}
        )
        return
    for number, row in enumerate(rows, start=1):
        if not any(row.values()):
            continue
        try:
            report.questions.append(_row_question(row, number))
        except Malformed as error:
            report.errors.append(
                gettext("row %(row)s “%(name)s”: %(error)s")
                % {"row": number + 1, "name": row.get("name", ""), "error": error}
            )
