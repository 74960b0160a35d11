"""A person's records, each read at most once, for evaluating many requirements at a time.

The certification page evaluates every open scheme (and the renewal of every held
credential) for one person: reading the records once keeps its query count flat however
many schemes there are. Each record is read lazily, so a single evaluation costs no more.
"""

from decimal import Decimal
from functools import cached_property

from .. import selectors
from ..models import CpdActivity


class PersonRecords:
    def __init__(self, user):
        self.user = user

    @cached_property
    def held_scheme_ids(self) -> set[int]:
        return {c.scheme_version.scheme_id for c in selectors.valid_credentials(user=self.user)}

    @cached_property
    def completed_course_ids(self) -> set[int]:
        from courses.selectors import completed_courses

        return {enrolment.course_id for enrolment in completed_courses(user=self.user)}

    @cached_property
    def best_exam_results(self) -> dict:
        from exams.selectors import best_results

        return best_results(user=self.user)

    @cached_property
    def passed_practical_course_ids(self) -> set[int]:
        from courses.models import PracticalAssessment

        return set(
            PracticalAssessment.objects.filter(user=self.user, passed=True).values_list(
                "course_id", flat=True
            )
        )

    @cached_property
    def _approved_cpd(self) -> list[tuple]:
        return list(
            CpdActivity.objects.filter(
                user=self.user, status=CpdActivity.Status.APPROVED
            ).values_list("date", "hours")
        )

    def cpd_hours(self, *, start, end) -> Decimal:
        """Approved CPD hours dated within [start, end] (as `selectors.cpd_hours`)."""
        return sum((hours for day, hours in self._approved_cpd if start <= day <= end), Decimal(0))

    @cached_property
    def _released_attempts(self) -> list[tuple]:
        from exams.models import Attempt

        return list(
            Attempt.objects.filter(
                user=self.user, status=Attempt.Status.GRADED, released_at__isnull=False
            ).values_list("exam_id", "score_percent", "submitted_at")
        )

    def passed_exam_since(self, *, exam_id: int, min_score, since) -> bool:
        return any(
            exam == exam_id
            and score is not None
            and score >= min_score
            and submitted is not None
            and submitted >= since
            for exam, score, submitted in self._released_attempts
        )
