"""Moodle's GIFT text format: one question per blank-line separated block.

Supported: true/false, single and multiple choice (with %weights%), short answer,
matching (`=a -> b`), numeric (`#value:tolerance`, `#min..max`) and essay (`{}`).
"""

import html
import re

from django.utils.translation import gettext

from .moodle_xml import new_id
from .report import ImportReport, ParsedQuestion

ESCAPES = {"\\~": "\x01", "\\=": "\x02", "\\#": "\x03", "\\{": "\x04", "\\}": "\x05", "\\:": "\x06"}
RESTORE = {"\x01": "~", "\x02": "=", "\x03": "#", "\x04": "{", "\x05": "}", "\x06": ":"}


class Malformed(ValueError):
    pass


def _restore(text: str) -> str:
    for placeholder, char in RESTORE.items():
        text = text.replace(placeholder, char)
    return text.strip()


def _formatted(text: str) -> str:
    """Drop a leading [html]/[moodle]/[plain]/[markdown] marker; plain text is escaped."""
    match = re.match(r"\s*\[(html|moodle|plain|markdown)\]", text)
    kind = match.group(1) if match else "moodle"
    body = _restore(text[match.end() :] if match else text)
    return body if kind == "html" else html.escape(body)


def _items(block: str) -> list[tuple[str, str]]:
    """Split an answer block into (marker, text-without-feedback) items."""
    items = []
    for match in re.finditer(r"([=~])([^=~]*)", block):
        marker, body = match.group(1), match.group(2)
        items.append((marker, body.split("#", 1)[0].strip()))
    return items


def _weight(text: str) -> tuple[float | None, str]:
    match = re.match(r"%(-?\d+(?:\.\d+)?)%(.*)", text, flags=re.DOTALL)
    if not match:
        return None, text
    return float(match.group(1)) / 100, match.group(2).strip()


def _numeric(block: str) -> tuple[str, dict]:
    answers = []
    for part in re.split(r"[=~]", block[1:].strip()):
        value = part.split("#", 1)[0].strip()
        if not value:
            continue
        weight, value = _weight(value)
        if ".." in value:
            low, high = (float(x) for x in value.split(".."))
            center, tolerance = (low + high) / 2, (high - low) / 2
        else:
            center_text, _, tolerance_text = value.partition(":")
            center, tolerance = float(center_text), float(tolerance_text or 0)
        answers.append(
            {"value": center, "tolerance": tolerance, "fraction": 1 if weight is None else weight}
        )
    return "numeric", {"answers": answers, "units": []}


def _choices(items) -> tuple[str, dict]:
    options, multiple = [], False
    for marker, text in items:
        weight, text = _weight(text)
        if weight is None:
            weight = 1.0 if marker == "=" else 0.0
        elif marker == "~":
            multiple = True
        options.append(
            {"id": new_id(), "text": _formatted(text), "fraction": weight, "feedback": ""}
        )
    if sum(1 for option in options if option["fraction"] == 1) > 1:
        multiple = True
    return ("multiple" if multiple else "single"), {"options": options}


def _answer_block(block: str) -> tuple[str, dict]:
    stripped = block.strip()
    if not stripped:
        return "essay", {"rubric": [], "template": ""}
    if stripped.startswith("#"):
        return _numeric(stripped)
    truth = stripped.split("#", 1)[0].strip().upper()
    if truth in ("T", "TRUE", "F", "FALSE"):
        return "truefalse", {"correct": truth.startswith("T")}
    items = _items(stripped)
    if not items:
        raise Malformed(gettext("the answer block has no answers"))
    if all(marker == "=" for marker, _ in items) and any("->" in text for _, text in items):
        pairs = []
        for _, text in items:
            prompt, _, answer = text.partition("->")
            pairs.append({"id": new_id(), "prompt": _formatted(prompt), "answer": _restore(answer)})
        return "matching", {"pairs": pairs}
    if all(marker == "=" for marker, _ in items):
        answers = []
        for _, text in items:
            weight, text = _weight(text)
            answers.append({"text": _restore(text), "fraction": 1 if weight is None else weight})
        return "shorttext", {"answers": [a for a in answers if a["text"] != "*"]}
    return _choices(items)


def _question(text: str, number: int, line: int, category: str) -> ParsedQuestion:
    for escape, placeholder in ESCAPES.items():
        text = text.replace(escape, placeholder)
    name = ""
    title = re.match(r"\s*::(.*?)::", text, flags=re.DOTALL)
    if title:
        name, text = _restore(title.group(1)), text[title.end() :]
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise Malformed(gettext("no answer block { … } found"))
    kind, data = _answer_block(text[start + 1 : end])
    stem = text[:start] + (" ____ " + text[end + 1 :] if text[end + 1 :].strip() else "")
    return ParsedQuestion(number=number, line=line, name=name or f"Question {number}", kind=kind,
                          category=category, stem=_formatted(stem), data=data)  # fmt: skip


def _blocks(text: str):
    """Yield (first line number, text) for each block of non-comment lines."""
    block, first = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if block:
                yield first, "\n".join(block)
            block, first = [], None
            continue
        first = first or number
        block.append(line)
    if block:
        yield first, "\n".join(block)


def parse(content: bytes, report: ImportReport) -> None:
    text = content.decode("utf-8-sig", errors="replace")
    category, number = "", 0
    for line, block in _blocks(text):
        if block.startswith("$CATEGORY:"):
            from .moodle_xml import category_path

            category = category_path(block.split(":", 1)[1].strip())
            continue
        number += 1
        try:
            report.questions.append(_question(block, number, line, category))
        except (Malformed, ValueError) as error:
            report.errors.append(f"{report.where(number, line, '')}: {error}")
