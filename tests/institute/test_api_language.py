"""API answers speak the language the client asks for (Accept-Language), Chinese by default."""

import pytest

from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("accept", "expected_detail", "expected_language"),
    [
        ("en", "Authentication credentials were not provided.", "en"),
        ("en-GB,en;q=0.8", "Authentication credentials were not provided.", "en"),
        ("zh-CN,zh;q=0.9", "身份认证信息未提供。", "zh-hans"),
        (None, "身份认证信息未提供。", "zh-hans"),
    ],
)
def test_api_error_in_the_language_asked_for(client, accept, expected_detail, expected_language):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get("/api/v1/me/", **headers)
    assert response.status_code == 401
    assert response.json()["detail"] == expected_detail
    assert response.headers["Content-Language"] == expected_language
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.django_db
def test_signed_in_api_messages_follow_accept_language(client):
    client.force_login(UserFactory())
    english, chinese = (
        client.put("/api/v1/me/notifications/", data="{}", content_type="application/json", **h)
        for h in ({"HTTP_ACCEPT_LANGUAGE": "en"}, {})
    )
    assert english.status_code == chinese.status_code == 400
    assert english.json() == {"preferences": ["This field is required."]}
    assert chinese.json() == {"preferences": ["必需字段"]}
    assert english.headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_site_pages_keep_their_path_language(client):
    """Outside /api/ the URL prefix decides, not the header: / is Chinese, /en/ English."""
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").headers["Content-Language"] == "zh-hans"
    assert client.get("/en/", HTTP_ACCEPT_LANGUAGE="zh-CN").headers["Content-Language"] == "en"
