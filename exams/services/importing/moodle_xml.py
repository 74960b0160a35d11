"""Moodle XML question format (read with defusedxml; never the standard library parser)."""

import base64
import binascii
import re
import secrets
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, ElementTree
from django.utils.translation import gettext

from .report import ImportReport, ParsedQuestion

# Moodle only accepts these grade percentages (question/format/xml: "invalid grade").
VALID_GRADES = [
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
    16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0,
]  # fmt: skip
UNSUPPORTED = {"description", "calculated", "calculatedsimple", "calculatedmulti", "multianswer",
               "ddwtos", "gapselect", "ddmarker", "ddimageortext", "randomsamatch", "random"}  # fmt: skip


class Malformed(ValueError):
    pass


def new_id() -> str:
    return secrets.token_hex(3)


def _text(element, path: str, default: str = "") -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None and found.text else default


def _fraction(raw: str) -> float:
    try:
        percent = float(raw)
    except ValueError as error:
        raise Malformed(gettext("grade “%(raw)s” is not a number") % {"raw": raw}) from error
    if not any(abs(abs(percent) - grade) < 0.0001 for grade in VALID_GRADES):
        raise Malformed(
            gettext("invalid grade %(raw)s%% (Moodle accepts e.g. 100, 50, 33.33333)")
            % {"raw": raw}
        )
    return round(percent / 100, 7)


def _answers(element) -> list[dict]:
    return [
        {
            "text": _text(answer, "text"),
            "fraction": _fraction(answer.get("fraction", "0")),
            "feedback": _text(answer, "feedback/text"),
        }
        for answer in element.findall("answer")
    ]


def _choice(element) -> tuple[str, dict]:
    single = _text(element, "single", "true").lower() in ("true", "1")
    options = [{"id": new_id(), **answer} for answer in _answers(element)]
    data = {"options": options}
    return ("single" if single else "multiple"), data


def _true_false(element) -> tuple[str, dict]:
    answers = _answers(element)
    right = [a["text"].lower() for a in answers if a["fraction"] == 1]
    if right not in (["true"], ["false"]):
        raise Malformed(gettext("a true/false question needs exactly one right answer"))
    return "truefalse", {"correct": right[0] == "true"}


def _short_text(element) -> tuple[str, dict]:
    case = _text(element, "usecase", "0") == "1"
    return "shorttext", {"answers": _answers(element), "case_sensitive": case}


def _numeric(element) -> tuple[str, dict]:
    answers = []
    for answer in element.findall("answer"):
        value = _text(answer, "text")
        if value == "*":
            continue  # "any other answer" feedback: nothing to grade against
        try:
            answers.append({"value": float(value), "tolerance": float(_text(answer, "tolerance", "0") or 0),
                            "fraction": _fraction(answer.get("fraction", "0")), "feedback": _text(answer, "feedback/text")})  # fmt: skip
        except ValueError as error:
            raise Malformed(
                gettext("numeric answer “%(value)s” is not a number") % {"value": value}
            ) from error
    units = [
        {"unit": _text(unit, "unit_name"), "multiplier": float(_text(unit, "multiplier", "1"))}
        for unit in element.findall("units/unit")
    ]
    return "numeric", {"answers": answers, "units": units}


def _matching(element) -> tuple[str, dict]:
    pairs = [
        {"id": new_id(), "prompt": _text(sub, "text"), "answer": _text(sub, "answer/text")}
        for sub in element.findall("subquestion")
    ]
    return "matching", {"pairs": pairs}


def _ordering(element) -> tuple[str, dict]:
    items = [
        {"id": new_id(), "text": _text(answer, "text")} for answer in element.findall("answer")
    ]
    return "ordering", {"items": items}


def _essay(element) -> tuple[str, dict]:
    rubric = _text(element, "graderinfo/text")
    return "essay", {
        "rubric": [{"criterion": rubric, "points": None}] if rubric else [],
        "template": _text(element, "responsetemplate/text"),
    }


READERS = {
    "multichoice": _choice,
    "truefalse": _true_false,
    "shortanswer": _short_text,
    "numerical": _numeric,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
}


def category_path(raw: str) -> str:
    """`$course$/top/Default for X/Sub` -> `Default for X/Sub` (context tokens dropped)."""
    parts = [part.strip() for part in raw.split("/") if part.strip()]
    parts = [part for part in parts if not re.fullmatch(r"\$[a-z]+\$", part)]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts)


def _files(element) -> dict[str, bytes]:
    files = {}
    for node in element.iter("file"):
        try:
            files[node.get("name", "file")] = base64.b64decode(node.text or "", validate=False)
        except (binascii.Error, ValueError) as error:
            raise Malformed(
                gettext("embedded file %(name)s is not valid base64") % {"name": node.get("name")}
            ) from error
    return files


def _question(element, number: int, line: int | None, category: str) -> ParsedQuestion:
    kind, data = READERS[element.get("type")](element)
    points = float(_text(element, "defaultgrade", "1") or 1)
    if points <= 0:
        raise Malformed(gettext("the default grade must be positive"))
    return ParsedQuestion(
        number=number,
        line=line,
        name=_text(element, "name/text")[:255] or f"Question {number}",
        kind=kind,
        category=category,
        stem=_text(element, "questiontext/text"),
        data=data,
        points=points,
        explanation=_text(element, "generalfeedback/text"),
        files=_files(element),
    )


def parse(content: bytes, report: ImportReport) -> None:
    text = content.decode("utf-8-sig", errors="replace")
    try:
        root = ElementTree.fromstring(content)
    except ParseError as error:
        report.errors.append(
            gettext("the file is not well-formed XML: %(error)s") % {"error": error}
        )
        return
    except DefusedXmlException:
        # Entity declarations (billion laughs) and external entities/DTDs are never expanded.
        report.errors.append(
            gettext("the file declares XML entities or a DTD, which are not accepted")
        )
        return
    lines = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<question\b", text)]
    category = ""
    for number, element in enumerate(root.findall("question"), start=1):
        line = lines[number - 1] if number - 1 < len(lines) else None
        kind = element.get("type", "")
        if kind == "category":
            category = category_path(_text(element, "category/text"))
            continue
        name = _text(element, "name/text")
        if kind not in READERS:
            report.skipped.append(
                f"{report.where(number, line, name)}: "
                + gettext("type “%(kind)s” is not supported") % {"kind": kind}
            )
            continue
        try:
            report.questions.append(_question(element, number, line, category))
        except (Malformed, KeyError) as error:
            report.errors.append(f"{report.where(number, line, name)}: {error}")
