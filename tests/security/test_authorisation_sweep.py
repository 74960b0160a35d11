"""Authorisation sweep (issue 8, item 1): every URL pattern and API operation, requested by
every persona against the victim's objects. A 500, a secret of the victim's shown to someone
not entitled, or a change to the victim's data fails; so does a route no filler can fill."""

import os
import re
import time

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from tests.security.checks import leaked, request, snapshot
from tests.security.patterns import endpoints

TRACE = open(os.environ["SWEEP_TRACE"], "w") if os.environ.get("SWEEP_TRACE") else None  # noqa: SIM115
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Objects that belong to the victim (a course, an exam or a scheme is anyone's to enrol in,
# sit or apply for: writing to those is a persona acting for themself).
VICTIM_OWNED = {
    "victim", "profile", "enrolment", "booking", "assessment", "attempt", "graded_attempt",
    "pending_response", "credential", "application", "evidence", "cpd", "job",
    "accommodation", "org_token", "audit", "api_token",
}  # fmt: skip
# The victim opens every page too (only for 500s: the data is theirs; their writes would be
# legitimate changes).
READ_ONLY_PERSONAS = {"victim"}
# 500s inside Wagtail itself on an empty POST by staff (its forms assume browser-sent fields);
# upstream behaviour, not this project's code.
UPSTREAM_500 = {
    ("POST", "admin/choose-external-link/"),
    ("POST", "admin/pages/<int:page_id>/copy/"),
}


def _methods(endpoint) -> list[str]:
    """API views: the methods they answer. Pages: GET and POST (what a browser can send;
    Django's form views answer PUT like POST)."""
    if not endpoint.is_api:
        return ["GET", "POST"]
    view_class = getattr(endpoint.pattern.callback, "view_class", None) or getattr(
        endpoint.pattern.callback, "cls", None
    )
    if view_class is None:
        return ["GET", "POST"]
    methods = [
        m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)
    ]
    return methods or ["GET"]


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _problems(world, persona, endpoint, method, path, response, body, changes) -> list[str]:
    where = f"{persona:16} {method:6} {path}"
    problems = []
    if response.status_code >= 500 and (method, endpoint.route) not in UPSTREAM_500:
        problems.append(f"{where}: {response.status_code}")
    if persona in world.entitled:
        return problems
    if secrets := leaked(world, body):
        problems.append(f"{where}: {response.status_code} shows {secrets}")
    if changes:
        problems.append(f"{where}: changed the victim's {changes}")
    owned = endpoint.owned_keys & VICTIM_OWNED
    if endpoint.is_api and owned and method in WRITE_METHODS and response.status_code < 300:
        problems.append(f"{where}: {response.status_code} on the victim's {sorted(owned)}")
    return problems


def _sweep_persona(world, persona, user, swept, baseline) -> list[str]:
    client, problems = _client(user), []
    for endpoint in swept:
        methods = ["GET"] if persona in READ_ONLY_PERSONAS else _methods(endpoint)
        for method in methods:
            for path in endpoint.paths:
                started = time.monotonic()
                try:
                    response, body, changes = request(
                        client, world, baseline, method, path, is_api=endpoint.is_api
                    )
                except Exception as error:
                    raise AssertionError(f"{persona} {method} {path}") from error
                if TRACE:
                    TRACE.write(
                        f"{time.monotonic() - started:.3f} {persona} {method} {path} {response.status_code}\n"
                    )
                problems += _problems(
                    world, persona, endpoint, method, path, response, body, changes
                )
                if user is not None and "_auth_user_id" not in client.session:
                    client.force_login(user)  # a view logged the persona out: carry on as them
    return problems


def _openapi_path(route: str) -> str:
    """`api/v1/courses/<int:pk>/` -> `/api/v1/courses/{id}/`, as drf-spectacular writes it."""
    path = re.sub(r"<(?:\w+:)?pk>", "{id}", route)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)


def _unswept_operations(swept) -> list[str]:
    """Operations the OpenAPI document declares that the sweep did not request."""
    requested = {
        (_openapi_path(endpoint.route), method)
        for endpoint in swept
        if endpoint.is_api
        for method in _methods(endpoint)
    }
    document = SchemaGenerator().get_schema(request=None, public=True)
    declared = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert len(declared) > 20  # the document really lists the API
    return [
        f"{method} {path} is in the OpenAPI document but not swept"
        for path, method in sorted(declared - requested)
    ]


@pytest.mark.django_db
def test_no_persona_sees_or_changes_the_victims_data_or_gets_a_500(world):
    swept, problems = endpoints(world)
    problems += _unswept_operations(swept)
    baseline = snapshot(world)
    for persona, user in {**world.personas, "victim": world.victim}.items():
        problems += _sweep_persona(world, persona, user, swept, baseline)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
