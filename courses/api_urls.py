"""Routes under `/api/v1/` contributed by this app."""

from django.urls import path

from . import api

urlpatterns = [
    path("courses/", api.CourseListView.as_view(), name="api-courses"),
    path("courses/<int:pk>/", api.CourseDetailView.as_view(), name="api-course"),
    path("courses/<int:pk>/enrol/", api.EnrolView.as_view(), name="api-course-enrol"),
    path("courses/<int:pk>/withdraw/", api.WithdrawView.as_view(), name="api-course-withdraw"),
    path("me/enrolments/", api.MyEnrolmentsView.as_view(), name="api-my-enrolments"),
    path(
        "lessons/<int:pk>/complete/", api.LessonCompleteView.as_view(), name="api-lesson-complete"
    ),
]
