"""My learning: current courses, progress, upcoming sessions, completed courses, transcript."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language

from .. import selectors
from ..models import Enrolment, PracticalAssessment


def _current_locale_id() -> int:
    from wagtail.models import Locale

    return Locale.get_active().pk


def _with_local_pages(enrolments: list[Enrolment]) -> list[Enrolment]:
    """Attach the course page in the visitor's language (one query for all)."""
    pages = selectors.localized([e.course for e in enrolments], _current_locale_id())
    for enrolment in enrolments:
        enrolment.local_course = pages[enrolment.course_id]
    return enrolments


@login_required
def dashboard(request):
    enrolments = _with_local_pages(list(selectors.my_enrolments(user=request.user)))
    current = [e for e in enrolments if e.status in Enrolment.SEAT_STATUSES]
    completed = [e for e in enrolments if e.status == Enrolment.Status.COMPLETED]
    context = {
        "current": current,
        "completed": completed,
        "total_hours": sum((e.study_hours for e in completed), Decimal(0)),
        "bookings": selectors.upcoming_bookings(user=request.user),
        "teaching": selectors.taught_courses(user=request.user),
        "manages_staff": request.user.managed_organisations.exists(),
    }
    return TemplateResponse(request, "courses/dashboard.html", context)


def _transcript_context(user) -> dict:
    completed = _with_local_pages(list(selectors.completed_courses(user=user)))
    return {
        "person": user,
        "completed": completed,
        "total_hours": sum((e.study_hours for e in completed), Decimal(0)),
        "assessments": PracticalAssessment.objects.filter(user=user)
        .select_related("course", "assessed_by")
        .prefetch_related("scores__criterion"),
        "generated_at": timezone.now(),
    }


@login_required
def transcript(request):
    return TemplateResponse(request, "courses/transcript.html", _transcript_context(request.user))


@login_required
def transcript_pdf(request):
    from weasyprint import HTML

    html = render_to_string(
        "courses/transcript_pdf.html", _transcript_context(request.user), request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"transcript-{request.user.pk}-{get_language()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def booking_qr(request, token: str):
    """The trainee's own check-in QR code (it opens the instructor's check-in page)."""
    import io

    import segno
    from django.shortcuts import get_object_or_404
    from django.urls import reverse

    from ..models import SessionBooking

    booking = get_object_or_404(SessionBooking, check_in_token=token, user=request.user)
    url = request.build_absolute_uri(
        reverse("courses:trainee-check-in", args=[booking.check_in_token])
    )
    buffer = io.BytesIO()
    segno.make(url).save(buffer, kind="svg", scale=5)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
