"""Anonymous page cache (cms/cache.py): served from the cache, fresh after a publish, never
shared with or taken from a signed-in person."""

from cms.cache import CACHED_HEADER
from tests.performance.test_query_budgets import _home_with_news


def test_anonymous_visitor_is_served_from_the_cache_without_queries(
    client_for, db, django_assert_num_queries
):
    _home_with_news(2)
    first = client_for(None).get("/")
    assert first.status_code == 200 and CACHED_HEADER not in first
    first = client_for(None).get("/")  # the first view created the site settings row
    with django_assert_num_queries(0):
        second = client_for(None).get("/")
    assert second[CACHED_HEADER] == "hit"
    assert second.content == first.content


def test_publishing_shows_the_new_content_at_once(client_for, db):
    home = _home_with_news(2)
    assert "培养检验检测认证人才" in client_for(None).get("/").content.decode()
    home.hero_title = "新的首页标题"
    home.save_revision().publish()
    page = client_for(None).get("/")
    assert CACHED_HEADER not in page
    assert "新的首页标题" in page.content.decode()


def test_unpublishing_a_news_page_removes_it_from_the_cached_home(client_for, db):
    from cms.models import NewsPage

    _home_with_news(2)
    assert "新闻1" in client_for(None).get("/").content.decode()
    NewsPage.objects.get(title="新闻1").unpublish()
    assert "新闻1" not in client_for(None).get("/").content.decode()


def test_signed_in_people_never_get_or_leave_a_cached_page(client_for, trainee, other_trainee):
    _home_with_news(2)
    client_for(None).get("/")  # creates the site settings row (a new cache version)
    client_for(None).get("/")  # an anonymous copy is in the cache now
    signed_in = client_for(trainee).get("/")
    assert CACHED_HEADER not in signed_in
    name = trainee.get_full_name()
    assert name in signed_in.content.decode()
    other = client_for(other_trainee).get("/")
    assert CACHED_HEADER not in other
    assert name not in other.content.decode()
    anonymous = client_for(None).get("/")
    assert anonymous[CACHED_HEADER] == "hit"
    assert name not in anonymous.content.decode()


def test_a_visitor_with_a_pending_message_is_not_served_from_the_cache(client_for, db):
    _home_with_news(2)
    client_for(None).get("/")  # creates the site settings row (a new cache version)
    client_for(None).get("/")
    assert client_for(None).get("/")[CACHED_HEADER] == "hit"
    visitor = client_for(None)
    visitor.cookies["messages"] = "anything"
    assert CACHED_HEADER not in visitor.get("/")
