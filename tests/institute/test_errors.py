import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from institute.urls import urlpatterns as real_patterns


def broken_view(request):
    raise RuntimeError("secret internals")


def database_gone_view(request):
    # What psycopg raises when PostgreSQL restarts under an open connection.
    raise OperationalError("server closed the connection unexpectedly secret-host:5432")


class DatabaseGoneAPIView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return database_gone_view(request)


urlpatterns = [
    path("broken/", broken_view),
    path("database-gone/", database_gone_view),
    path("api/database-gone/", DatabaseGoneAPIView.as_view()),
    *real_patterns,
]
handler404 = "institute.views.page_not_found"
handler500 = "institute.views.server_error"


@pytest.mark.django_db
@pytest.mark.urls("tests.institute.test_errors")
def test_server_error_page_is_bilingual_and_shows_no_stack_trace(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "服务器出错了" in html
    assert "secret internals" not in html
    assert "Traceback" not in html


@pytest.mark.django_db
@pytest.mark.urls("tests.institute.test_errors")
def test_lost_database_connection_is_a_503_to_retry_with_nothing_internal(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    page = client.get("/database-gone/")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    html = page.content.decode()
    assert "Temporarily unavailable" in html and "暂时无法服务" in html
    assert "secret-host" not in html and "Traceback" not in html
    api = client.get("/api/database-gone/")
    assert api.status_code == 503 and api["Retry-After"] == "5"
    assert api.json() == {"detail": "The service is temporarily unavailable; try again."}
