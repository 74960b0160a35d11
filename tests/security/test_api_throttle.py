"""API rate limits as counters (institute/security.py): one number per account, organisation
token or address and window, refused with 429 past the rate, open again when the window ends."""

import time

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import make_user
from trainees import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_api_rates(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min"})


def token_client(user) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def test_account_refused_past_the_rate_until_the_window_ends(low_api_rates, settings):
    # On the local cache, whose expiry follows the moved clock (Redis expires keys itself:
    # the test below checks the counter's time to live there).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    user = make_user(roles.TRAINEE)
    client = token_client(user)
    with time_machine.travel(time.time(), tick=False) as traveller:
        assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200] * 3
        refused = client.get("/api/v1/me/")
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 60
        traveller.shift(30)
        assert client.get("/api/v1/me/").status_code == 429
        traveller.shift(31)
        assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200] * 3 + [429]


def test_the_count_is_one_number_not_a_list_of_calls(low_api_rates):
    user = make_user(roles.TRAINEE)
    client = token_client(user)
    for _ in range(5):
        client.get("/api/v1/me/")
    key = f"throttle-count_user_{user.pk}"
    assert cache.get(key) == 5
    if hasattr(cache, "ttl"):  # Redis: the window ends with the key
        assert 0 < cache.ttl(key) <= 60


def test_anonymous_calls_counted_per_address(low_api_rates):
    one, two = APIClient(REMOTE_ADDR="203.0.113.1"), APIClient(REMOTE_ADDR="203.0.113.2")
    assert [one.get("/api/v1/register/").status_code for _ in range(3)] == [200, 200, 429]
    assert two.get("/api/v1/register/").status_code == 200


def test_a_list_left_by_drf_throttles_under_the_old_key_does_not_matter(low_api_rates):
    """Deployed over DRF's throttles, whose keys hold lists of times for one more window."""
    user = make_user(roles.TRAINEE)
    cache.set(f"throttle_user_{user.pk}", [time.time()] * 10, 60)
    assert token_client(user).get("/api/v1/me/").status_code == 200
