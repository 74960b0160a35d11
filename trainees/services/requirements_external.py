"""Requirements evaluated from the courses and exams apps (their selectors, read once)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .eligibility import RequirementResult


def _course_url(course) -> str:
    try:
        return course.url or ""
    except AttributeError:
        return ""


def _course_results(version, records) -> list[RequirementResult]:
    rows = version.required_courses.all()
    done = records.completed_course_ids if rows else set()
    return [
        RequirementResult(
            code=f"course:{row.course_id}",
            label=_("Complete the course %(course)s") % {"course": row.course.title},
            met=row.course_id in done,
            url=_course_url(row.course),
        )
        for row in rows
    ]


def _exam_results(version, records) -> list[RequirementResult]:
    rows = version.required_exams.all()
    best = records.best_exam_results if rows else {}
    results = []
    for row in rows:
        score = best.get(row.exam_id)
        results.append(
            RequirementResult(
                code=f"exam:{row.exam_id}",
                label=_("Exam %(exam)s with at least %(score)s%%")
                % {"exam": row.exam.title_zh, "score": row.min_score},
                met=score is not None and Decimal(score) >= row.min_score,
                detail=_("Best result: %(score)s%%") % {"score": score}
                if score is not None
                else _("Not attempted yet"),
            )
        )
    return results


def _practical_results(version, records) -> list[RequirementResult]:
    rows = version.required_practicals.all()
    passed = records.passed_practical_course_ids if rows else set()
    return [
        RequirementResult(
            code=f"practical:{row.course_id}",
            label=_("Pass the practical assessment of %(course)s") % {"course": row.course.title},
            met=row.course_id in passed,
            url=_course_url(row.course),
        )
        for row in rows
    ]


def external_results(*, version, records) -> list[RequirementResult]:
    return (
        _course_results(version, records)
        + _exam_results(version, records)
        + _practical_results(version, records)
    )


def refresher_result(*, credential, records) -> RequirementResult:
    """The refresher exam passed during the current cycle (or recorded as evidence)."""
    version = credential.scheme_version
    met = bool(version.refresher_exam_id) and records.passed_exam_since(
        exam_id=version.refresher_exam_id,
        min_score=version.refresher_min_score,
        since=credential.valid_from,
    )
    return RequirementResult(
        code="refresher",
        label=_("Refresher examination passed in this cycle"),
        met=met,
    )
