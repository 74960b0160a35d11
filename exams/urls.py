"""Pages for people (mounted under the language prefix, before Wagtail's catch-all)."""

from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("exams/", views.exam_list, name="list"),
    path("exams/<int:pk>/start/", views.exam_start, name="start"),
    path("exams/attempts/<int:pk>/", views.attempt_take, name="attempt"),
    path("exams/attempts/<int:pk>/result/", views.attempt_result, name="result"),
    path("exams/grading/", views.grading_list, name="grading"),
    path("exams/grading/<int:pk>/", views.grading_detail, name="grade"),
    path("exams/<int:pk>/analysis/", views.item_analysis, name="analysis"),
    path("exams/import/", views.question_import, name="import"),
    path("exams/categories/<int:pk>/export.xml", views.category_export, name="export"),
]
