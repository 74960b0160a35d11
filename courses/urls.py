"""Pages for people (mounted under the language prefix, before Wagtail's catch-all)."""

from django.urls import path

from .views import dashboard, learning, staff

app_name = "courses"

urlpatterns = [
    path("learning/", dashboard.dashboard, name="dashboard"),
    path("learning/transcript/", dashboard.transcript, name="transcript"),
    path("learning/transcript.pdf", dashboard.transcript_pdf, name="transcript-pdf"),
    path("learning/courses/<int:pk>/enrol/", learning.enrol, name="enrol"),
    path("learning/courses/<int:pk>/withdraw/", learning.withdraw, name="withdraw"),
    path("learning/lessons/<int:pk>/complete/", learning.lesson_complete, name="lesson-complete"),
    path("learning/lessons/<int:pk>/check/", learning.knowledge_check, name="knowledge-check"),
    path("learning/sessions/<int:pk>/book/", learning.session_book, name="session-book"),
    path("learning/bookings/<int:pk>/cancel/", learning.booking_cancel, name="booking-cancel"),
    path("learning/check-in/<str:token>/", learning.room_check_in, name="room-check-in"),
    path("learning/bookings/<str:token>/qr.svg", dashboard.booking_qr, name="booking-qr"),
    path("learning/organisation/", staff.organisation_staff, name="organisation"),
    path("staff/courses/<int:pk>/", staff.course_admin, name="staff-course"),
    path("staff/enrolments/<int:pk>/decide/", staff.enrolment_decide, name="enrolment-decide"),
    path("staff/sessions/<int:pk>/", staff.session_roster, name="staff-session"),
    path("staff/bookings/<int:pk>/attendance/", staff.attendance, name="attendance"),
    path("staff/bookings/<int:pk>/assess/", staff.assess, name="assess"),
    path("staff/check-in/<str:token>/", staff.trainee_qr_check_in, name="trainee-check-in"),
]
