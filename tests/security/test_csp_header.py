"""The Content Security Policy header built once per path policy (institute/security.py) is
the one django-csp builds for every response, and follows the settings when they change."""

import pytest
from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from institute.security import PathPolicyCSPMiddleware

PATHS = ["/", "/en/courses/", "/admin/pages/", "/en/admin/", "/api/v1/docs/", "/api/v1/me/"]


class BuiltEachTime(PathPolicyCSPMiddleware):
    """django-csp's own response handling, with this project's path policies."""

    process_response = CSPMiddleware.process_response


def header(middleware_class, path: str, response=None) -> str:
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda request: response or HttpResponse("ok"))
    middleware.process_request(request)
    return middleware.process_response(request, response or HttpResponse("ok"))[HEADER]


def directives(value: str) -> dict[str, list[str]]:
    return {part.split()[0]: sorted(part.split()[1:]) for part in value.split(";") if part.strip()}


@pytest.mark.parametrize("path", PATHS)
def test_header_is_the_one_django_csp_builds(path):
    assert directives(header(PathPolicyCSPMiddleware, path)) == directives(
        header(BuiltEachTime, path)
    )


def test_site_admin_and_swagger_policies_differ():
    site, admin, docs = (
        directives(header(PathPolicyCSPMiddleware, path))
        for path in ("/api/v1/me/", "/en/admin/", "/api/v1/docs/")
    )
    assert site["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in admin["script-src"]
    assert "https://cdn.jsdelivr.net" in docs["script-src"]


def test_changed_settings_change_the_header(settings):
    before = header(PathPolicyCSPMiddleware, "/")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert header(PathPolicyCSPMiddleware, "/") == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_PATHS = {"/": {"default-src": ["'self'", "https://x.test"]}}
    assert header(PathPolicyCSPMiddleware, "/") == "default-src 'self' https://x.test"
    assert before != header(PathPolicyCSPMiddleware, "/")


def test_a_views_own_policy_and_an_existing_header_still_win():
    decorated = HttpResponse("ok")
    decorated._csp_replace = {"script-src": ["'self'", "https://widget.test"]}
    assert (
        "https://widget.test"
        in directives(header(PathPolicyCSPMiddleware, "/", decorated))["script-src"]
    )
    preset = HttpResponse("ok")
    preset[HEADER] = "default-src 'none'"
    assert header(PathPolicyCSPMiddleware, "/", preset) == "default-src 'none'"
