"""Shapes of the officer reports' and the register's queries that keep them cheap at 100,000
trainees (issue 7), with the rows they give unchanged."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_user
from tests.trainees.dashboard_data import World, make_credential
from trainees import roles, selectors
from trainees.reports import REPORTS, report_bind


@pytest.fixture
def world(officer, organisation):
    world = World(officer)
    world.add_people(organisation, 4, first_month=timezone.now() - timedelta(days=70))
    world.add_people(None, 2, first_month=timezone.now() - timedelta(days=70))
    return world


def _report_cases(world, organisation) -> list[tuple[str, dict]]:
    exam, course = str(world.exams[0].pk), str(world.courses[0].pk)
    cases = [("credentials", {}), ("credentials", {"expires_within": "90"}),
             ("credentials", {"state": "expired"}), ("attempts", {"exam": exam}),
             ("attempts", {"exam": exam, "result": "passed"}),
             ("enrolments", {"measure": "completed"}),
             ("enrolments", {"measure": "enrolled", "course": course}),
             ("training-hours", {}), ("cpd-hours", {})]  # fmt: skip
    narrowed = [(name, {**query, "organisation": str(organisation.pk)}) for name, query in cases]
    without = [(name, {**query, "organisation": "none"}) for name, query in cases]
    return cases + narrowed + without


def test_report_count_equals_its_rows(world, organisation):
    """The count skips the joins of the columns; it must still count exactly the rows."""
    checked = 0
    for name, query in _report_cases(world, organisation):
        bound = report_bind(REPORTS[name], query)
        assert not bound.errors, (name, query, bound.errors)
        rows = len(list(bound.rows()))
        assert bound.count() == rows, (name, query)
        checked += rows > 0
    assert checked >= 20  # the cases have rows: the equality is not 0 == 0


def test_report_count_reads_only_the_tables_its_filters_need(world, organisation):
    bound = report_bind(REPORTS["credentials"], {"expires_within": "90"})
    with CaptureQueriesContext(connection) as captured:
        bound.count()
    assert "JOIN" not in captured[0]["sql"]  # not the holder, profile, organisation, scheme
    narrowed = report_bind(REPORTS["credentials"], {"organisation": str(organisation.pk)})
    with CaptureQueriesContext(connection) as captured:
        assert narrowed.count() == 4 * 2  # 4 people per scheme, none of them superseded
    assert "trainees_traineeprofile" in captured[0]["sql"]


def test_report_list_shows_the_count_of_its_rows(client_for, officer, world):
    page = client_for(officer).get("/admin/certification-dashboard/credentials/").content.decode()
    current = report_bind(REPORTS["credentials"], {}).rows()
    assert f'data-count="{len(list(current))}"' in page


@pytest.fixture
def holders(officer, organisation):
    version = World(officer).versions[0]
    now = timezone.now()
    people = []
    for number in range(5):
        person = make_user(roles.TRAINEE, organisation=organisation)
        make_credential(person, version, officer, issued=now - timedelta(days=10 * number + 1))
        people.append(person)
    other = make_user(roles.TRAINEE)
    make_credential(other, version, officer, issued=now)  # the newest, but another organisation
    return people


def test_register_gives_the_newest_matches_first_up_to_the_limit(holders, organisation):
    found = list(selectors.register_search(query=organisation.name_zh, limit=3))
    assert [credential.holder for credential in found] == holders[:3]
    assert len(selectors.register_search(query=organisation.name_zh)) == 5


def test_register_finds_a_number_among_name_matches(holders, organisation):
    number = holders[4].credentials.get().number
    assert [credential.number for credential in selectors.register_search(query=number)] == [number]


def test_register_does_not_read_the_signed_documents(holders, organisation):
    found = selectors.register_search(query=organisation.name_zh)[0]
    assert {"ob3_json", "ob3_jwt", "pdf"} <= found.get_deferred_fields()
