from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from institute import health, views_jobs, views_notifications
from institute import views as institute_views

# Routes that are never language-prefixed: machine interfaces and the admin.
urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", include("institute.api_urls")),
    # The Wagtail admin login is allauth's; no second password form for staff.
    path("admin/login/", institute_views.admin_login_redirect, name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("trainees.public_urls")),
]

# Pages for people, in Chinese at `/` and English at `/en/`.
urlpatterns += i18n_patterns(
    path(
        "accounts/notifications/",
        views_notifications.notification_preferences,
        name="notification-preferences",
    ),
    path("accounts/", include("allauth.urls")),
    path("search/", cms_views.search, name="search"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("jobs/<uuid:pk>/", views_jobs.job_detail, name="job-detail"),
    path("jobs/<uuid:pk>/download/", views_jobs.job_download, name="job-download"),
    path("", include("courses.urls")),
    path("", include("exams.urls")),
    path("", include("trainees.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    from django.urls import re_path

    urlpatterns = [
        re_path(r"^media/(?P<path>.+)$", institute_views.public_media, name="public-media"),
        *urlpatterns,
    ]

handler404 = "institute.views.page_not_found"
handler500 = "institute.views.server_error"
