import pytest
from django.test import Client
from django.urls import path

from institute.urls import urlpatterns as real_patterns


def broken_view(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("broken/", broken_view), *real_patterns]
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
