"""Export questions to Moodle XML (the same shapes the importer reads)."""

from xml.sax.saxutils import escape

from exams.models import Question


def _text(value: str, tag: str = "text", cdata: bool = True) -> str:
    if cdata:
        return f"<{tag}><![CDATA[{value.replace(']]>', ']]]]><![CDATA[>')}]]></{tag}>"
    return f"<{tag}>{escape(value)}</{tag}>"


def _answers(question: Question) -> list[str]:
    data, kind = question.data, question.kind
    if kind in ("single", "multiple"):
        return [
            f'<answer fraction="{o["fraction"] * 100:g}" format="html">{_text(o["text"])}</answer>'
            for o in data["options"]
        ]
    if kind == "truefalse":
        truth = data["correct"]
        return [f'<answer fraction="{100 if truth else 0}"><text>true</text></answer>',
                f'<answer fraction="{0 if truth else 100}"><text>false</text></answer>']  # fmt: skip
    if kind == "shorttext":
        return [
            f'<answer fraction="{a["fraction"] * 100:g}">{_text(a["text"], cdata=False)}</answer>'
            for a in data["answers"]
        ]
    if kind == "numeric":
        return [
            f'<answer fraction="{a["fraction"] * 100:g}"><text>{a["value"]}</text><tolerance>{a.get("tolerance", 0)}</tolerance></answer>'
            for a in data["answers"]
        ]
    if kind == "ordering":
        return [
            f'<answer fraction="0" format="html">{_text(item["text"])}</answer>'
            for item in data["items"]
        ]
    if kind == "matching":
        return [
            f'<subquestion format="html">{_text(p["prompt"])}<answer>{_text(p["answer"], cdata=False)}</answer></subquestion>'
            for p in data["pairs"]
        ]
    rubric = " ".join(item["criterion"] for item in data.get("rubric", []))
    return [f'<graderinfo format="html">{_text(rubric)}</graderinfo>']


MOODLE_TYPES = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse", "numeric": "numerical",
                "shorttext": "shortanswer", "matching": "matching", "ordering": "ordering", "essay": "essay"}  # fmt: skip


def questions_export_moodle_xml(questions) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = None
    for question in questions:
        if question.category.path != category:
            category = question.category.path
            parts.append(
                f'<question type="category"><category>{_text("$course$/" + category, cdata=False)}</category></question>'
            )
        body = [
            f"<name>{_text(question.name, cdata=False)}</name>",
            f'<questiontext format="html">{_text(question.stem_zh or question.stem_en)}</questiontext>',
            f'<generalfeedback format="html">{_text(question.explanation)}</generalfeedback>',
            f"<defaultgrade>{question.points}</defaultgrade>",
        ]
        if question.kind in ("single", "multiple"):
            body.append(f"<single>{'true' if question.kind == 'single' else 'false'}</single>")
        if question.kind == "shorttext":
            body.append(f"<usecase>{int(question.data.get('case_sensitive', False))}</usecase>")
        parts.append(
            f'<question type="{MOODLE_TYPES[question.kind]}">{"".join(body + _answers(question))}</question>'
        )
    parts.append("</quiz>")
    return "\n".join(parts)
