"""Everything under `/api/v1/`. Each app contributes its own routes from `<app>/api.py`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from institute.views_jobs import JobView
from institute.views_notifications import NotificationPreferencesView
from trainees import api as trainees_api
from trainees.views_export import MyDataExportView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", trainees_api.MeView.as_view(), name="api-me"),
    path(
        "me/notifications/",
        NotificationPreferencesView.as_view(),
        name="api-me-notifications",
    ),
    path("me/export/", MyDataExportView.as_view(), name="api-me-export"),
    path("jobs/<uuid:pk>/", JobView.as_view(), name="api-job"),
    path("", include("courses.api_urls")),
    path("", include("exams.api_urls")),
    path("", include("trainees.api_urls")),
]
