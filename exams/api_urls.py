"""Routes under `/api/v1/` contributed by this app (public contract, see DESIGN.md)."""

from django.urls import path

from . import api

urlpatterns = [
    path("exams/", api.ExamListView.as_view(), name="api-exams"),
    path("exams/<int:pk>/attempts/", api.AttemptStartView.as_view(), name="api-exam-start"),
    path("attempts/<int:pk>/", api.AttemptDetailView.as_view(), name="api-attempt"),
    path(
        "attempts/<int:pk>/responses/<int:question_id>/",
        api.ResponseSaveView.as_view(),
        name="api-attempt-response",
    ),
    path("attempts/<int:pk>/submit/", api.AttemptSubmitView.as_view(), name="api-attempt-submit"),
    path("attempts/<int:pk>/result/", api.AttemptResultView.as_view(), name="api-attempt-result"),
]
