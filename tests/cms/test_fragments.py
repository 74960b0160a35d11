"""Shared fragments of the public site (cms/cache.py) and one-query routing (cms/routing.py):
what everyone sees is kept, changes show at once, personal parts and drafts never leak."""

import pytest
from wagtail.models import Page, PageViewRestriction, Site

from cms.cache import fragment_key, page_cache_version
from cms.models import HomePage, NavigationLink, SiteIdentity, StandardPage
from courses import services as course_services
from tests.courses.factories import make_course
from tests.performance.test_query_budgets import _home_with_news

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_whole_page_cache(settings):
    """Every request renders the page (the anonymous page cache would hide the fragments)."""
    settings.CMS_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def home() -> HomePage:
    home = _home_with_news(2)
    about = StandardPage(title="关于基地", slug="about")
    home.add_child(instance=about)
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.footer_text_zh = "<p>页脚一</p>"
    identity.save()
    NavigationLink.objects.create(setting=identity, page=about, sort_order=0)
    return home


def _html(client, path="/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_home_page_needs_no_queries(home, client, django_assert_num_queries):
    _html(client)
    with django_assert_num_queries(0):
        html = _html(client)
    assert "关于基地" in html and "页脚一" in html and "新闻1" in html


def test_navigation_shows_a_renamed_page_once_published(home, client):
    assert "关于基地" in _html(client)
    about = StandardPage.objects.get(slug="about")
    about.title = "基地简介"
    about.save_revision().publish()
    html = _html(client)
    assert "基地简介" in html and "关于基地" not in html


def test_navigation_and_footer_follow_the_site_settings(home, client):
    assert 'href="/news/"' not in _html(client)
    identity = SiteIdentity.objects.get()
    NavigationLink.objects.create(setting=identity, page=Page.objects.get(slug="news"))
    identity.footer_text_zh = "<p>页脚二</p>"
    identity.save()
    html = _html(client)
    assert 'href="/news/"' in html
    assert "页脚二" in html and "页脚一" not in html


def test_unpublishing_a_page_takes_it_out_of_the_navigation(home, client):
    assert "关于基地" in _html(client)
    StandardPage.objects.get(slug="about").unpublish()
    assert "关于基地" not in _html(client)
    assert client.get("/about/").status_code == 404


def test_the_account_links_stay_personal(home, client_for, trainee, other_trainee):
    first = _html(client_for(trainee))
    second = _html(client_for(other_trainee))
    assert trainee.get_full_name() in first and trainee.get_full_name() not in second
    assert other_trainee.get_full_name() in second
    anonymous = _html(client_for(None))
    assert trainee.get_full_name() not in anonymous and 'data-testid="logout"' not in anonymous


def test_a_preview_neither_reads_nor_leaves_shared_fragments(home, client):
    assert "培养检验检测认证人才" in _html(client)
    draft = HomePage.objects.get(pk=home.pk)
    draft.hero_title = "草稿标题"
    preview = draft.make_preview_request()
    assert "草稿标题" in preview.content.decode()
    html = _html(client)
    assert "草稿标题" not in html and "培养检验检测认证人才" in html


def test_a_restriction_added_later_is_enforced_at_once(home, client):
    assert client.get("/about/").status_code == 200
    PageViewRestriction.objects.create(
        page=StandardPage.objects.get(slug="about"),
        restriction_type=PageViewRestriction.LOGIN,
    )
    response = client.get("/about/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_moved_page_is_served_at_its_new_address_only(home, client):
    about = StandardPage.objects.get(slug="about")
    child = StandardPage(title="历史", slug="history")
    about.add_child(instance=child)
    assert client.get("/about/history/").status_code == 200
    child.move(home, pos="last-child")
    assert client.get("/history/").status_code == 200
    assert client.get("/about/history/").status_code != 200  # a redirect or not found


def test_routing_finds_deep_pages_in_two_queries_and_refuses_unknown_ones(
    home, client, django_assert_num_queries
):
    about = StandardPage.objects.get(slug="about")
    about.add_child(instance=StandardPage(title="历史", slug="history"))
    root = HomePage.objects.get(pk=home.pk)
    with django_assert_num_queries(2):  # the page's path, then its specific form
        first = root.route(None, ["about", "history"]).page
    with django_assert_num_queries(0):  # then kept under the site-wide version
        again = root.route(None, ["about", "history"]).page
    assert again.pk == first.pk and again is not first and _html(client, "/about/history/")
    StandardPage.objects.get(slug="history").unpublish()
    assert client.get("/about/history/").status_code == 404
    assert client.get("/about/nothing/").status_code == 404
    assert client.get("/nothing/history/").status_code == 404


def test_the_version_never_repeats_after_the_cache_is_lost(rf):
    from django.core.cache import cache

    request = rf.get("/")
    first = fragment_key(request, "navigation")
    cache.clear()
    assert page_cache_version() and fragment_key(request, "navigation") != first


def test_lesson_progress_stays_with_each_trainee(client_for, trainee, other_trainee):
    course, lessons = make_course(modules=1, lessons=1)
    for person in (trainee, other_trainee):
        course_services.enrolment_create(user=person, course=course, by=person)
    course_services.lesson_complete(user=trainee, lesson=lessons[0])
    done = _html(client_for(trainee), lessons[0].url)
    assert 'data-testid="lesson-complete"' in done
    not_done = _html(client_for(other_trainee), lessons[0].url)
    assert 'data-testid="mark-complete"' in not_done
    assert 'data-testid="lesson-complete"' not in not_done
    assert "检查要点。" in done and "检查要点。" in not_done


def test_the_editing_bar_is_for_staff_only(home, client_for, officer, trainee):
    assert "wagtail-userbar" in _html(client_for(officer))
    assert "wagtail-userbar" not in _html(client_for(trainee))


def test_reopening_the_same_lesson_writes_nothing(client_for, trainee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.models import Enrolment

    course, lessons = make_course(modules=1, lessons=2)
    course_services.enrolment_create(user=trainee, course=course, by=trainee)
    client = client_for(trainee)
    _html(client, lessons[0].url)
    with CaptureQueriesContext(connection) as again:
        _html(client, lessons[0].url)
    assert not [query for query in again.captured_queries if query["sql"].startswith("UPDATE")]
    _html(client, lessons[1].url)
    assert Enrolment.objects.get(user=trainee).last_lesson_id == lessons[1].pk
    _html(client, lessons[0].url)
    assert Enrolment.objects.get(user=trainee).last_lesson_id == lessons[0].pk


def test_the_anonymous_header_follows_the_page_and_its_address(home, client):
    about = _html(client, "/about/")
    assert 'aria-current="page">关于基地' in about
    assert 'aria-current="page">关于基地' not in _html(client)
    assert 'href="/en/?ref=mail"' in _html(client, "/?ref=mail")
    assert "ref=mail" not in _html(client)


def test_the_anonymous_header_is_shared_only_for_addresses_without_a_query(home, client):
    """A query string shows in the header (language links): each visitor's input must not
    become a shared entry of its own."""
    from cms.cache import _local_fragments

    _html(client, "/?ref=one")
    _html(client, "/?ref=two")
    keys = [key for key in _local_fragments._cache if "anonymous-header" in key]
    assert not any("ref=" in key for key in keys)
    _html(client, "/")
    assert any("anonymous-header" in key for key in _local_fragments._cache)
