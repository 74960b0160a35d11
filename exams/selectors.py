"""Reads of the exams app that span relations; permission-scoped querysets live here."""

from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from trainees import roles

from .models import (
    Accommodation,
    Attempt,
    AttemptQuestion,
    Exam,
    Question,
    QuestionCategory,
    Response,
)


def category_descendant_ids(category_id: int) -> list[int]:
    """The category and everything below it (the bank tree is small: one query per level)."""
    ids, frontier = [category_id], [category_id]
    while frontier:
        frontier = list(
            QuestionCategory.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def categories_for(*, user):
    """Categories a person may manage: officers all, instructors the ones they own."""
    if roles.is_officer(user):
        return QuestionCategory.objects.all()
    return QuestionCategory.objects.filter(owners=user)


def exams_taught_by(*, user):
    """Exams a person may configure: officers all, instructors the ones they teach."""
    if roles.is_officer(user):
        return Exam.objects.all()
    return Exam.objects.filter(instructors=user)


def candidates_of(*, user):
    """Whom an instructor may give an accommodation: people enrolled on the course of one of
    their exams or who attempted one (officers: everyone). Not every account: that list would
    show any instructor every trainee's name."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.all()
    if roles.is_officer(user):
        return people
    exams = exams_taught_by(user=user)
    enrolled = Q(enrolments__course__exams__in=exams)
    return people.filter(enrolled | Q(attempts__exam__in=exams)).distinct()


def questions_managed_by(*, user):
    """Questions of the categories a person manages (what a blueprint may point at)."""
    if roles.is_officer(user):
        return Question.objects.all()
    return Question.objects.filter(category__owners=user)


def category_path_parts(path: str) -> list[str]:
    """`A/ B//C/` -> ["A", "B", "C"]: the one way a category path is read (import and checks)."""
    return [part.strip()[:200] for part in path.split("/") if part.strip()]


def category_deepest_existing(*, path: str) -> QuestionCategory | None:
    """The deepest category of `path` that already exists (None when even the root is new)."""
    node = None
    for name in category_path_parts(path):
        child = QuestionCategory.objects.filter(parent=node, name=name).first()
        if child is None:
            break
        node = child
    return node


def exams_available_for(*, user):
    """Published exams, each annotated with the user's attempts so far (one query)."""
    return (
        Exam.objects.filter(is_published=True)
        .annotate(
            used_attempts=Count("attempts", filter=Q(attempts__user=user)),
            best_percent=Max(
                "attempts__score_percent",
                filter=Q(attempts__user=user, attempts__released_at__isnull=False),
            ),
        )
        .prefetch_related(
            Prefetch(
                "accommodations",
                queryset=Accommodation.objects.filter(user=user),
                to_attr="my_accommodations",
            )
        )
        .order_by("kind", "title_zh")
    )


def attempts_left(exam: Exam, used: int, accommodation: Accommodation | None) -> int:
    extra = accommodation.extra_attempts if accommodation else 0
    return max(0, exam.attempts_allowed + extra - used)


def attempt_paper(*, attempt: Attempt):
    """The frozen paper with its question versions and this attempt's responses (2 queries;
    none for an attempt just started, which carries its paper and has no response yet)."""
    new_slots = getattr(attempt, "new_slots", None)
    if new_slots is not None:
        return new_slots, {}
    slots = list(AttemptQuestion.objects.filter(attempt=attempt).select_related("question"))
    responses = {r.question_id: r for r in Response.objects.filter(attempt=attempt)}
    return slots, responses


def attempts_visible_to(*, user):
    """Attempts a person may see: own ones; instructors of the exam and officers all."""
    queryset = Attempt.objects.select_related("exam", "user")
    if roles.is_officer(user):
        return queryset
    return queryset.filter(Q(user=user) | Q(exam__instructors=user)).distinct()


def grading_queue(*, user):
    """Essay responses waiting for a grader, for the exams this person instructs."""
    queryset = Response.objects.filter(
        attempt__status=Attempt.Status.SUBMITTED,
        question__kind="essay",
        score__isnull=True,
    ).select_related("attempt__exam", "attempt__user", "question")
    if not roles.is_officer(user):
        queryset = queryset.filter(attempt__exam__instructors=user)
    return queryset.order_by("attempt__submitted_at", "pk")


def best_results(*, user) -> dict[int, Decimal]:
    """{exam_id: best score percent of released, graded attempts} for pathways."""
    rows = (
        Attempt.objects.filter(user=user, status=Attempt.Status.GRADED, released_at__isnull=False)
        .values("exam_id")
        .annotate(best=Max("score_percent"))
    )
    return {row["exam_id"]: row["best"] for row in rows}


def examiner_user_ids_for(*, user) -> set[int]:
    """Users who graded this trainee's work or instruct the exams they attempted."""
    attempts = Attempt.objects.filter(user=user)
    ids = set(attempts.exclude(graded_by=None).values_list("graded_by", flat=True))
    ids |= set(
        Response.objects.filter(attempt__user=user)
        .exclude(graded_by=None)
        .values_list("graded_by", flat=True)
    )
    ids |= set(
        Exam.instructors.through.objects.filter(exam_id__in=attempts.values("exam_id")).values_list(
            "user_id", flat=True
        )
    )
    return ids


def review_allowed(attempt: Attempt, now=None) -> bool:
    """Whether details (correctness, keys, explanations) may be shown for this attempt."""
    exam = attempt.exam
    if attempt.released_at is None or exam.review_when == Exam.ReviewWhen.NEVER:
        return False
    if exam.review_when == Exam.ReviewWhen.AFTER_CLOSE:
        closes = exam_last_close(exam)
        return closes is not None and (now or timezone.now()) >= closes
    return True


def exam_last_close(exam: Exam):
    """When the last candidate's window closes: the exam's close or a later accommodation's."""
    if exam.closes_at is None:
        return None
    latest = Accommodation.objects.filter(exam=exam).aggregate(latest=Max("closes_at"))["latest"]
    return max(exam.closes_at, latest) if latest else exam.closes_at
