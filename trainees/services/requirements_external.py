"""Requirements evaluated from the courses and exams apps (their selectors, read once)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .eligibility import RequirementResult


def _course_url(course) -> str:
    try:
        return course.url or ""
    except AttributeError:
        return ""


def _course_results(version, user) -> list[RequirementResult]:
    from courses.selectors import completed_courses

    done = {enrolment.course_id for enrolment in completed_courses(user=user)}
    return [
        RequirementResult(
            code=f"course:{row.course_id}",
            label=_("Complete the course %(course)s") % {"course": row.course.title},
            met=row.course_id in done,
            url=_course_url(row.course),
        )
        for row in version.required_courses.all()
    ]


def _exam_results(version, user) -> list[RequirementResult]:
    from exams.selectors import best_results

    best = best_results(user=user)
    results = []
    for row in version.required_exams.all():
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


def _practical_results(version, user) -> list[RequirementResult]:
    from courses.models import PracticalAssessment

    passed = set(
        PracticalAssessment.objects.filter(user=user, passed=True).values_list(
            "course_id", flat=True
        )
    )
    return [
        RequirementResult(
            code=f"practical:{row.course_id}",
            label=_("Pass the practical assessment of %(course)s") % {"course": row.course.title},
            met=row.course_id in passed,
            url=_course_url(row.course),
        )
        for row in version.required_practicals.all()
    ]


def external_results(*, version, user) -> list[RequirementResult]:
    return (
        _course_results(version, user)
        + _exam_results(version, user)
        + _practical_results(version, user)
    )


def refresher_result(*, credential) -> RequirementResult:
    """The refresher exam passed during the current cycle (or recorded as evidence)."""
    version = credential.scheme_version
    met = False
    if version.refresher_exam_id:
        from exams.models import Attempt

        met = Attempt.objects.filter(
            user=credential.holder,
            exam_id=version.refresher_exam_id,
            status=Attempt.Status.GRADED,
            released_at__isnull=False,
            score_percent__gte=version.refresher_min_score,
            submitted_at__gte=credential.valid_from,
        ).exists()
    return RequirementResult(
        code="refresher",
        label=_("Refresher examination passed in this cycle"),
        met=met,
    )
