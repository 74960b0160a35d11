"""Staff pages (under /staff/, MFA enforced): enrolment requests, sessions, attendance,
practical assessment, and enrolment of organisation staff by their manager."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from institute.permissions import can, get_object_or_404_for
from trainees.models import Organisation

from .. import selectors, services
from ..models import (
    AssessmentCriterion,
    CoursePage,
    Enrolment,
    PracticalAssessment,
    PracticeSession,
    SessionBooking,
)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def course_admin(request, pk: int):
    course = get_object_or_404_for(request.user, "courses.manage_course", CoursePage.objects, id=pk)
    context = {
        "course": course,
        "requests": course.enrolments.filter(status=Enrolment.Status.REQUESTED).select_related(
            "user__profile"
        ),
        "enrolments": course.enrolments.exclude(status=Enrolment.Status.REQUESTED).select_related(
            "user__profile"
        ),
        "sessions": course.practice_sessions.annotate(
            booked=Count("bookings", filter=Q(bookings__status=SessionBooking.Status.BOOKED))
        ).select_related("instructor"),
    }
    return TemplateResponse(request, "courses/staff_course.html", context)


@login_required
@require_POST
def enrolment_decide(request, pk: int):
    enrolment = get_object_or_404_for(
        request.user, "courses.decide_enrolment", Enrolment.objects.select_related("course"), pk=pk
    )
    approve = request.POST.get("decision") == "approve"
    try:
        services.enrolment_decide(
            enrolment=enrolment,
            approve=approve,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Decision recorded; the trainee will get an email."))
    return redirect("courses:staff-course", pk=enrolment.course_id)


def _session_for(request, pk: int) -> PracticeSession:
    return get_object_or_404_for(
        request.user, "courses.run_session", PracticeSession.objects.select_related("course"), pk=pk
    )


@login_required
def session_roster(request, pk: int):
    import segno

    session = _session_for(request, pk)
    check_in_url = request.build_absolute_uri(session_check_in_path(session))
    context = {
        "session": session,
        "bookings": session.bookings.filter(status=SessionBooking.Status.BOOKED).select_related(
            "user__profile"
        ),
        "assessed_user_ids": set(
            PracticalAssessment.objects.filter(session=session).values_list("user_id", flat=True)
        ),
        "room_qr": segno.make(check_in_url).svg_inline(scale=6),
        "check_in_url": check_in_url,
    }
    return TemplateResponse(request, "courses/staff_session.html", context)


def session_check_in_path(session: PracticeSession) -> str:
    from django.urls import reverse

    return reverse("courses:room-check-in", args=[session.check_in_token])


@login_required
@require_POST
def attendance(request, pk: int):
    booking = get_object_or_404(SessionBooking.objects.select_related("session"), pk=pk)
    if not can(request.user, "courses.run_session", booking.session):
        raise Http404
    try:
        services.attendance_record(
            booking=booking, present=request.POST.get("present") == "1", by=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect("courses:staff-session", pk=booking.session_id)


@login_required
def trainee_qr_check_in(request, token: str):
    """The instructor scanned the QR code a trainee shows; a POST confirms attendance."""
    booking = get_object_or_404(
        SessionBooking.objects.select_related("session", "user__profile"), check_in_token=token
    )
    if not can(request.user, "courses.run_session", booking.session):
        raise Http404
    if request.method == "POST":
        try:
            services.booking_check_in(token=token, by=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("%(name)s is checked in.") % {"name": booking.user})
            return redirect("courses:staff-session", pk=booking.session_id)
    return TemplateResponse(request, "courses/staff_check_in.html", {"booking": booking})


def _scores_from(post, criteria) -> dict[int, int]:
    scores = {}
    for criterion in criteria:
        value = post.get(f"score-{criterion.pk}", "").strip()
        if value.isdecimal():
            scores[criterion.pk] = int(value)
    return scores


@login_required
def assess(request, pk: int):
    booking = get_object_or_404(
        SessionBooking.objects.select_related("session__course", "user__profile"), pk=pk
    )
    if not can(request.user, "courses.run_session", booking.session):
        raise Http404
    criteria = list(AssessmentCriterion.objects.filter(course_id=booking.session.course_id))
    if request.method == "POST":
        try:
            services.practical_assessment_record(
                session=booking.session,
                user=booking.user,
                scores=_scores_from(request.POST, criteria),
                comment=request.POST.get("comment", ""),
                by=request.user,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("courses:staff-session", pk=booking.session_id)
    context = {"booking": booking, "criteria": criteria, "values": request.POST}
    return TemplateResponse(request, "courses/staff_assess.html", context)


class StaffEnrolForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), label=gettext_lazy("Staff member")
    )
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.none(), label=gettext_lazy("Course")
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(profile__organisation__in=organisations)
            .select_related("profile")
        )
        self.fields["course"].queryset = CoursePage.objects.live().filter(
            locale=selectors.default_locale()
        )


@login_required
def organisation_staff(request):
    """An organisation manager's staff, their enrolments, and a form to enrol one of them."""
    organisations = Organisation.objects.filter(managers=request.user)
    if not organisations.exists():
        raise Http404
    form = StaffEnrolForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_create(
                user=form.cleaned_data["person"],
                course=form.cleaned_data["course"],
                by=request.user,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Enrolled."))
            return redirect("courses:organisation")
    enrolments = Enrolment.objects.filter(
        user__profile__organisation__in=organisations
    ).select_related("user__profile", "course")
    context = {"form": form, "enrolments": enrolments, "organisations": organisations}
    return TemplateResponse(request, "courses/organisation.html", context)
