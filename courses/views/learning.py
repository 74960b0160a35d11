"""The trainee's side: course home, lessons, enrolment actions, knowledge checks, bookings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from institute.permissions import can, get_object_or_404_for

from .. import selectors, services
from ..models import CoursePage, LessonPage, PracticeSession, SessionBooking


def _course_for(pk: int) -> CoursePage:
    return selectors.canonical_page(get_object_or_404(CoursePage.objects.live(), id=pk))


def _next(request, default: str) -> str:
    """Back to the page the form was on (same site only), else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def course_serve(request, page: CoursePage):
    """Course detail for everyone; the learning home (outline, progress) for enrolled people."""
    course = selectors.canonical_page(page)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    studying = enrolment is not None and enrolment.status in enrolment.STUDY_STATUSES
    taken = selectors.seats_taken(course=course)
    context = page.get_context(request)
    context.update(
        {
            "course": course,
            "enrolment": enrolment,
            "studying": studying,
            "outline": selectors.course_outline(course=page, enrolment=enrolment),
            "seats_left": None if course.capacity is None else max(course.capacity - taken, 0),
            "sessions": selectors.bookable_sessions(course=course) if studying else [],
            "booked_session_ids": set(
                SessionBooking.objects.filter(
                    user_id=request.user.pk, status=SessionBooking.Status.BOOKED
                ).values_list("session_id", flat=True)
            ),
            "prerequisites": course.prerequisites.all(),
            "competencies": course.competencies.all(),
            "instructors": course.instructors.select_related("profile"),
            "can_manage": can(request.user, "courses.manage_course", course),
        }
    )
    if studying:
        context["continue_lesson"] = _continue_lesson(page, enrolment, context["outline"])
    return TemplateResponse(request, "courses/course_page.html", context)


def _continue_lesson(page, enrolment, outline):
    if enrolment.last_lesson_id:
        rows = [row for module in outline.modules for row in module.lessons]
        for row in rows:
            if row.lesson.translation_key == enrolment.last_lesson.translation_key:
                return outline.next_lesson if row.completed and outline.next_lesson else row.lesson
    return outline.next_lesson


def lesson_serve(request, lesson: LessonPage, check=None):
    course_page = selectors.course_page_of_lesson(lesson)  # in the lesson's language
    access = selectors.lesson_access(user=request.user, lesson=lesson)  # as courses.view_lesson
    if not access.allowed:
        if getattr(request, "is_preview", False):
            raise Http404
        messages.info(request, _("Enrol on the course to open its lessons."))
        return redirect(course_page.url)
    course, enrolment = access.course, access.enrolment
    canonical_lesson = selectors.canonical_page(lesson) if enrolment is not None else None
    if enrolment is not None and selectors.lesson_is_locked(
        lesson=canonical_lesson, course=course, enrolment=enrolment
    ):
        messages.info(request, _("This lesson opens when the earlier lessons are complete."))
        return redirect(course_page.url)
    opened_before = enrolment is not None and enrolment.last_lesson_id == canonical_lesson.pk
    if enrolment is not None and not opened_before and not getattr(request, "is_preview", False):
        services.lesson_opened(enrolment=enrolment, lesson=lesson)  # a write only when it moves
    context = lesson.get_context(request)
    context.update(
        {
            "course_page": course_page,
            "course": course,
            "enrolment": enrolment,
            "completed": enrolment is not None and enrolment.lesson_done,
            "check": check,
        }
    )
    return TemplateResponse(request, "courses/lesson_page.html", context)


@login_required
@require_POST
def enrol(request, pk: int):
    course = _course_for(pk)
    try:
        enrolment = services.enrolment_create(user=request.user, course=course, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if enrolment.status == enrolment.Status.REQUESTED:
            messages.success(request, _("Your request was sent; you will get an email."))
        else:
            messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(_next(request, course.url))


@login_required
@require_POST
def withdraw(request, pk: int):
    course = _course_for(pk)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    if enrolment is None:
        raise Http404
    try:
        services.enrolment_withdraw(enrolment=enrolment, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("You have withdrawn from the course."))
    return redirect(_next(request, course.url))


def _lesson_for(request, pk: int) -> LessonPage:
    return get_object_or_404_for(
        request.user, "courses.view_lesson", LessonPage.objects.live(), id=pk
    )


@login_required
@require_POST
def lesson_complete(request, pk: int):
    lesson = _lesson_for(request, pk)
    try:
        services.lesson_complete(user=request.user, lesson=lesson)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Lesson complete."))
    return redirect(lesson.url)


@login_required
@require_POST
def knowledge_check(request, pk: int):
    lesson = _lesson_for(request, pk)
    answers = {}
    for key, _question in services.knowledge_check_questions(lesson):
        answers[key] = {
            int(value) for value in request.POST.getlist(f"q-{key}") if value.isdecimal()
        }
    try:
        result = services.knowledge_check_submit(user=request.user, lesson=lesson, answers=answers)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect(lesson.url)
    if result["passed"]:
        messages.success(request, _("All answers are correct: lesson complete."))
    result["answers"] = answers
    return lesson_serve(request, lesson, check=result)


@login_required
@require_POST
def session_book(request, pk: int):
    session = get_object_or_404(PracticeSession, pk=pk)
    try:
        services.session_book(session=session, user=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Your seat is booked."))
    return redirect(_next(request, reverse("courses:dashboard")))


@login_required
@require_POST
def booking_cancel(request, pk: int):
    booking = get_object_or_404(SessionBooking, pk=pk, user=request.user)
    try:
        services.session_booking_cancel(booking=booking, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Your booking is cancelled."))
    return redirect("courses:dashboard")


@login_required
def room_check_in(request, token: str):
    """The trainee scanned the QR code shown in the room; a POST confirms the check-in."""
    session = get_object_or_404(PracticeSession, check_in_token=token)
    if request.method == "POST":
        try:
            services.session_check_in(token=token, user=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("You are checked in. Welcome to the base."))
            return redirect("courses:dashboard")
    return TemplateResponse(request, "courses/check_in.html", {"session": session})
