"""Importing questions (Moodle XML, GIFT, spreadsheet) with a report; all or nothing."""

import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext

from exams.models import Question, QuestionCategory, QuestionFile
from exams.selectors import category_path_parts
from exams.validators import clean_html, question_data_errors
from institute.audit import audit_record_create
from trainees.models import Competency

from . import gift, moodle_xml, spreadsheet
from .report import ImportReport, ParsedQuestion

FORMATS = ("moodle-xml", "gift", "xlsx", "csv")


def guess_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return {
        ".xml": "moodle-xml",
        ".txt": "gift",
        ".gift": "gift",
        ".xlsx": "xlsx",
        ".csv": "csv",
    }.get(suffix, "moodle-xml")


def questions_parse(*, content: bytes, format: str, target: str, dry_run: bool) -> ImportReport:
    report = ImportReport(format=format, target=target, dry_run=dry_run)
    if format == "moodle-xml":
        moodle_xml.parse(content, report)
    elif format == "gift":
        gift.parse(content, report)
    else:
        spreadsheet.parse(content, report, csv_format=format == "csv")
    _validate(report)
    return report


def _validate(report: ImportReport) -> None:
    codes = set(Competency.objects.values_list("code", flat=True))
    for question in report.questions:
        where = report.where(question.number, question.line, question.name)
        for error in question_data_errors(question.kind, question.data):
            report.errors.append(f"{where}: {error}")
        if question.points <= 0:
            report.errors.append(f"{where}: " + gettext("points must be positive"))
        unknown = set(question.competencies) - codes
        if unknown:
            report.errors.append(f"{where}: " + gettext("unknown competency code(s) %(codes)s")
                                 % {"codes": ", ".join(sorted(unknown))})  # fmt: skip
    if not report.questions and not report.errors:
        report.errors.append(gettext("the file contains no questions"))


def category_ensure(path: str, owner=None, under: QuestionCategory | None = None):
    """Get or create each level of `A/B/C` below `under` (the bank is a tree of names)."""
    node = under
    for name in category_path_parts(path):
        node, created = QuestionCategory.objects.get_or_create(parent=node, name=name)
        if created and owner is not None and owner.is_authenticated:
            node.owners.add(owner)
    if node is None:
        raise ValueError("empty category path")
    return node


def _replace_files(text: str, urls: dict[str, str]) -> str:
    for name, url in urls.items():
        text = text.replace(f"@@PLUGINFILE@@/{name}", url)
    return text


def _clean_data(data: dict) -> dict:
    """Option, item and prompt texts may hold HTML: keep formatting, drop anything active."""
    for entries in data.values():
        if isinstance(entries, list):
            for entry in entries:
                for key in ("text", "prompt", "feedback"):
                    if isinstance(entry, dict) and isinstance(entry.get(key), str):
                        entry[key] = clean_html(entry[key])
    return data


def _write(parsed: ParsedQuestion, category: QuestionCategory, source: str) -> Question:
    question = Question(
        category=category, name=parsed.name, kind=parsed.kind, status=Question.Status.ACTIVE,
        points=parsed.points, difficulty=parsed.difficulty, data=parsed.data, source=source,
    )  # fmt: skip
    question.save()
    urls = {}
    for name, payload in parsed.files.items():
        stored = QuestionFile(question=question, name=name)
        stored.file.save(name, ContentFile(payload), save=True)
        urls[name] = stored.file.url
    question.stem_zh = clean_html(_replace_files(parsed.stem, urls))
    question.stem_en = clean_html(_replace_files(parsed.stem_en, urls))
    question.explanation = clean_html(_replace_files(parsed.explanation, urls))
    question.data = _clean_data(json.loads(_replace_files(json.dumps(question.data), urls)))
    question.full_clean()
    question.save()
    if parsed.competencies:
        question.competencies.set(Competency.objects.filter(code__in=parsed.competencies))
    return question


@transaction.atomic
def questions_import(
    *,
    content: bytes,
    filename: str,
    category: str,
    format: str = "",
    dry_run: bool = False,
    by=None,
) -> ImportReport:
    """Parse and validate everything first; write only if the whole file is clean."""
    format = format or guess_format(filename)
    report = questions_parse(content=content, format=format, target=category, dry_run=dry_run)
    if not report.ok or dry_run:
        return report
    root = category_ensure(category, owner=by)
    for parsed in report.questions:
        target = category_ensure(parsed.category, owner=by, under=root) if parsed.category else root
        _write(parsed, target, source=f"{Path(filename).name}#{parsed.number}")
        report.created += 1
    audit_record_create(actor=by, action="exams.questions_imported", target=root,
                        data={"file": Path(filename).name, "created": report.created})  # fmt: skip
    return report
