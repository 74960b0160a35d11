"""Certification officers' dashboard: every number equals the rows of the list it links to,
known data gives the known numbers, filters narrow them, the query count does not grow with
the data, and nobody but an officer sees any of it."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from institute.models import Job
from tests.factories import OrganisationFactory
from tests.trainees.dashboard_data import DASHBOARD, World

NUMBER_LINK = re.compile(r'class="dashboard-number" href="([^"]+)">([\d.]+)<')
LIST_COUNT = re.compile(r'data-count="(\d+)"(?: data-hours="([\d.]+)")?')


@pytest.fixture
def world(officer):
    return World(officer)


def numbers_on(page: str) -> list[tuple[str, str]]:
    return [(html.unescape(url), value) for url, value in NUMBER_LINK.findall(page)]


def list_totals(client, url: str) -> tuple[int, str | None]:
    page = client.get(url).content.decode()
    found = LIST_COUNT.search(page)
    assert found, f"no row count on {url}"
    return int(found.group(1)), found.group(2)


def test_every_dashboard_number_equals_the_rows_of_its_list(
    client_for, officer, world, organisation
):
    world.add_people(organisation, 5, first_month=timezone.now() - timedelta(days=70))
    client = client_for(officer)
    page = client.get(DASHBOARD).content.decode()
    links = numbers_on(page)
    # 2 schemes x (5 states + total) + 6 totals, 3 expiry horizons, 2 exams x (2 + 2 months x 2),
    # 2 courses x 2, 1 organisation x (course hours, completions, CPD hours, CPD activities)
    assert len(links) == 41
    for url, value in links:
        rows, hours = list_totals(client, url)
        if "-hours/" in url and "." in value:
            assert hours == value, url
        else:
            assert rows == int(value), url


def test_known_data_gives_known_numbers(client_for, officer, world, organisation):
    """Five people per scheme: states cycle valid, expiring (20 d), expiring (50 d), expired
    by date, suspended, ... so the first scheme has 1 valid, 2 expiring, 1 expired..."""
    world.add_people(organisation, 5, first_month=timezone.now() - timedelta(days=70))
    client = client_for(officer)
    scheme = world.versions[0].scheme.code
    assert list_totals(client, f"{DASHBOARD}credentials/?scheme={scheme}&state=valid")[0] == 1
    assert list_totals(client, f"{DASHBOARD}credentials/?scheme={scheme}&state=expiring")[0] == 2
    assert list_totals(client, f"{DASHBOARD}credentials/?scheme={scheme}&state=expired")[0] == 1
    assert list_totals(client, f"{DASHBOARD}credentials/?scheme={scheme}")[0] == 5
    # Both schemes: expiring within 30 days are the 20-day ones only.
    assert list_totals(client, f"{DASHBOARD}credentials/?expires_within=30")[0] == 2
    assert list_totals(client, f"{DASHBOARD}credentials/?expires_within=90")[0] == 4
    exam = world.exams[0].pk
    assert list_totals(client, f"{DASHBOARD}attempts/?exam={exam}")[0] == 10
    assert list_totals(client, f"{DASHBOARD}attempts/?exam={exam}&result=passed")[0] == 3 + 2
    # Completions: people 0, 2, 4 of each scheme: 3 x 8 h + 3 x 12.5 h.
    assert list_totals(client, f"{DASHBOARD}training-hours/") == (6, "61.5")
    # Outside CPD: people 0 and 3 of each scheme, 5 h each (pending and course-mirrored not).
    assert list_totals(client, f"{DASHBOARD}cpd-hours/") == (4, "20.0")
    scheme_holders = f"{DASHBOARD}cpd-hours/?scheme={scheme}"
    assert list_totals(client, scheme_holders) == (2, "10.0")


def test_filters_narrow_every_panel(client_for, officer, world, organisation, other_organisation):
    world.add_people(organisation, 3, first_month=timezone.now() - timedelta(days=70))
    world.add_people(other_organisation, 2, first_month=timezone.now() - timedelta(days=70))
    client = client_for(officer)
    mine = f"organisation={organisation.pk}"
    assert list_totals(client, f"{DASHBOARD}credentials/?{mine}")[0] == 6
    assert list_totals(client, f"{DASHBOARD}credentials/?organisation=none")[0] == 0
    scheme = world.versions[1].scheme.code
    assert (
        list_totals(client, f"{DASHBOARD}enrolments/?{mine}&scheme={scheme}&measure=enrolled")[0]
        == 3
    )
    exam = world.exams[0].pk
    recent = f"period={(timezone.now() - timedelta(days=50)).date()}..{timezone.now().date()}"
    assert list_totals(client, f"{DASHBOARD}attempts/?exam={exam}&{recent}")[0] == 5
    assert list_totals(client, f"{DASHBOARD}attempts/?exam={exam}&period=30d")[0] == 0
    page = client.get(DASHBOARD, {"organisation": other_organisation.pk}).content.decode()
    for url, value in numbers_on(page):
        assert list_totals(client, url)[0 if "." not in value else 1] in (int(float(value)), value)


@pytest.mark.parametrize(
    "query", ["period=last-week", "period=2026-05-01..2026-01-01", "organisation=999999",
              "scheme=no-such-scheme", "period=..9999-12-31", "period=0001-01-01..",
              "organisation=²", "scheme=²", "organisation=99999999999999999999"],
)  # fmt: skip
def test_bad_filters_give_a_message_and_no_numbers(client_for, officer, world, query):
    response = client_for(officer).get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "help-critical" in page and "dashboard-number" not in page


@pytest.mark.parametrize("month", ["2026-13", "0000-01", "9999-12", "２０２６-01"])
def test_bad_list_parameters_give_a_message_and_no_rows(client_for, officer, world, month):
    query = {"exam": world.exams[0].pk, "month": month}
    response = client_for(officer).get(f"{DASHBOARD}attempts/", query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "help-critical" in page and "data-count" not in page


def _queries(client, url) -> int:
    client.get(url)  # warm caches (sessions, site, content types)
    cache.clear()  # but count the dashboard computing its figures, not reusing them
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_data(
    client_for, officer, world, organisation, other_organisation, django_assert_num_queries
):
    client = client_for(officer)
    first_month = timezone.now() - timedelta(days=70)
    world.add_people(organisation, 2, first_month=first_month)
    exam = world.exams[0].pk
    urls = [DASHBOARD, f"{DASHBOARD}credentials/", f"{DASHBOARD}attempts/?exam={exam}",
            f"{DASHBOARD}enrolments/?measure=completed", f"{DASHBOARD}training-hours/"]  # fmt: skip
    small = {url: _queries(client, url) for url in urls}
    world.add_people(other_organisation, 9, first_month=first_month)
    OrganisationFactory.create_batch(3)
    for url in urls:
        cache.clear()
        with django_assert_num_queries(small[url]):
            assert client.get(url).status_code == 200


def test_figures_are_reused_for_a_minute_then_recomputed(client_for, officer, world, organisation):
    first_month = timezone.now() - timedelta(days=70)
    world.add_people(organisation, 2, first_month=first_month)
    client = client_for(officer)
    total = f"{DASHBOARD}credentials/"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        first = dict(numbers_on(client.get(DASHBOARD).content.decode()))
        world.add_people(organisation, 3, first_month=first_month)
        page = client.get(DASHBOARD).content.decode()
        assert dict(numbers_on(page)) == first
        with translation.override("zh-hans"):  # the admin speaks the institute's language
            stamp = gettext("Figures as of %(time)s (recomputed at most once a minute).")
        assert stamp % {"time": timezone.localtime().strftime("%H:%M")} in page
        traveller.shift(timedelta(seconds=61))
        later = dict(numbers_on(client.get(DASHBOARD).content.decode()))
    assert int(later[total]) > int(first[total])
    assert int(later[total]) == list_totals(client, total)[0]


@pytest.mark.parametrize("persona", ["trainee", "instructor", "manager", None])
def test_only_officers_get_anything(request, client_for, persona, world, organisation):
    world.add_people(organisation, 2, first_month=timezone.now() - timedelta(days=70))
    client = client_for(request.getfixturevalue(persona) if persona else None)
    for url in (DASHBOARD, f"{DASHBOARD}credentials/", f"{DASHBOARD}training-hours/",
                f"{DASHBOARD}attempts/?exam={world.exams[0].pk}"):  # fmt: skip
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert b"dashboard-number" not in response.content and b"data-count" not in response.content
    response = client.post(f"{DASHBOARD}credentials/export/", {"format": "csv"})
    assert response.status_code in (302, 403, 404)
    assert not Job.objects.exists()
    assert b"certification-summary" not in client.get("/admin/").content


def test_instructor_in_the_admin_gets_a_404(client_for, instructor):
    assert client_for(instructor).get(DASHBOARD).status_code == 404


def test_admin_home_shows_officers_the_summary_with_links(client_for, officer, world, organisation):
    world.add_people(organisation, 4, first_month=timezone.now() - timedelta(days=70))
    page = client_for(officer).get("/admin/").content.decode()
    assert "certification-summary" in page
    assert f'href="{DASHBOARD}credentials/?state=valid"' in page
    assert f'href="{DASHBOARD}"' in page


def test_reports_menu_lists_the_dashboard_for_officers_only(client_for, officer, instructor):
    assert DASHBOARD in client_for(officer).get("/admin/").content.decode()
    assert DASHBOARD not in client_for(instructor).get("/admin/").content.decode()


def test_scheme_filter_takes_a_code_or_an_id(client_for, officer, world, organisation):
    world.add_people(organisation, 3, first_month=timezone.now() - timedelta(days=70))
    client = client_for(officer)
    scheme = world.versions[1].scheme
    by_code = list_totals(client, f"{DASHBOARD}credentials/?scheme={scheme.code}")[0]
    assert by_code == 3
    assert list_totals(client, f"{DASHBOARD}credentials/?scheme={scheme.pk}")[0] == by_code
