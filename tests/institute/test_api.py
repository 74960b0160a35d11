import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from tests.factories import make_user


@pytest.mark.django_db
def test_me_requires_authentication(api_client_for):
    assert api_client_for().get("/api/v1/me/").status_code in (401, 403)


@pytest.mark.django_db
def test_me_shows_roles_and_masked_id(api_client_for, trainee):
    trainee.profile.id_number = "11010519491231002X"
    trainee.profile.save()
    body = api_client_for(trainee).get("/api/v1/me/").json()
    assert body["email"] == trainee.email
    assert body["roles"] == ["Trainee"]
    assert body["id_number_masked"] == "110***********002X"
    assert "11010519491231002X" not in str(body)


@pytest.mark.django_db
def test_drf_create_token_command_gives_a_working_token(client):
    user = make_user()
    call_command("drf_create_token", user.email)
    token = Token.objects.get(user=user)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


@pytest.mark.django_db
def test_openapi_document_lists_the_api(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/me/" in schema["paths"]
    assert schema["info"]["title"].startswith("CCIC")


@pytest.mark.django_db
def test_openapi_document_is_valid_and_complete(tmp_path):
    """Every endpoint documents its responses; no drf-spectacular warning is tolerated."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/v1/me/" in (tmp_path / "schema.yml").read_text()
