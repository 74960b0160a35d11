"""API fuzzing (issue 8, item 2): schemathesis generates requests for every operation of the
OpenAPI document at /api/v1/schema/, as a trainee and as an officer (token auth), with a
bounded, reproducible number of examples. No answer may be a 500, and every answer must match
the schema the document declares for it."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from courses.services import enrolment_create
from institute.wsgi import application
from tests.conftest import enrol_totp
from tests.courses.factories import make_course
from tests.exams.factories import QuestionFactory, exam_with_questions
from tests.factories import OrganisationFactory, make_user
from trainees import roles

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = 15
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, whose request signals close a database
    connection that is not in autocommit: inside the test's transaction that is every request
    on PostgreSQL. Django's test client disconnects the same receiver."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db) -> dict[str, str]:
    """A trainee with an enrolment and an exam to sit, and an officer; their API tokens."""
    organisation = OrganisationFactory()
    trainee = make_user(roles.TRAINEE, organisation=organisation)
    officer = make_user(roles.OFFICER, is_staff=True)
    enrol_totp(officer)
    course, _lessons = make_course()
    enrolment_create(user=trainee, course=course, by=trainee)
    exam_with_questions([QuestionFactory(kind="single")], course=course)
    return {
        "trainee": Token.objects.create(user=trainee).key,
        "officer": Token.objects.create(user=officer).key,
    }


def _fuzz(operation, token: str) -> list[str]:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples on every run: CI failures reproduce locally
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        with transaction.atomic():  # every example meets the same data
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
            transaction.set_rollback(True)

    try:
        run()
    except BaseException as error:  # schemathesis raises a BaseExceptionGroup of failures
        if isinstance(error, KeyboardInterrupt):
            raise
        return [f"{operation.label}: {str(error)[:1500]}"]
    return []


@pytest.mark.parametrize("persona", ["trainee", "officer"])
def test_every_api_operation_survives_fuzzing_and_matches_the_schema(tokens, persona):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20  # the document really lists the API
    failures = []
    for operation in operations:
        failures += _fuzz(operation, tokens[persona])
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
