"""ID numbers are shown in full only where needed (the holder's own data export) and masked
everywhere else: pages, API, organisation exports, the admin. Hostile text in forms is stored
as given and shown inert."""

import pytest
from rest_framework.test import APIClient

from trainees.validators import resident_id_check_character

pytestmark = pytest.mark.django_db

FIRST17 = "32050519900307123"
ID_NUMBER = FIRST17 + resident_id_check_character(FIRST17)
MASKED = ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:]


@pytest.fixture
def identified(trainee):
    trainee.profile.id_type = "resident"
    trainee.profile.id_number = ID_NUMBER
    trainee.profile.save()
    return trainee


def _body(response) -> str:
    content = b"".join(response) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def test_full_id_number_appears_nowhere_but_masked(
    client_for, identified, manager, officer, organisation
):
    from trainees.services.organisation_tokens import organisation_token_create

    staff_page = f"/en/organisation/{organisation.pk}/staff/"
    seen = {
        "certification": client_for(identified).get("/en/certification/"),
        "me api": client_for(identified).get("/api/v1/me/"),
        "staff page": client_for(manager).get(staff_page),
        "staff csv": client_for(manager).get(staff_page, {"format": "csv"}),
        "officer cpd queue": client_for(officer).get("/en/certification/cpd/"),
    }
    _, raw = organisation_token_create(organisation=organisation, name="HR", by=officer)
    seen["hr api"] = APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}").get(
        "/api/v1/organisation/staff/"
    )
    for name, response in seen.items():
        assert response.status_code == 200, name
        assert ID_NUMBER not in _body(response), name
    assert MASKED in _body(seen["staff page"])
    assert seen["me api"].json()["id_number_masked"] == MASKED


def test_the_holder_own_export_has_the_full_number(client_for, identified):
    response = client_for(identified).get("/en/certification/my-data/", {"download": "json"})
    assert response.json()["profile"]["id_number"] == ID_NUMBER


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_cpd_title_is_stored_as_text_and_shown_escaped(client_for, trainee):
    client = client_for(trainee)
    data = {"date": "2026-01-05", "hours": "2", "category": "training", "title": HOSTILE}
    assert client.post("/en/certification/cpd/", data).status_code == 302
    page = client.get("/en/certification/cpd/").content.decode()
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("hours", "1e9"), ("hours", "-3"), ("hours", "NaN"), ("date", "2026-02-30"),
     ("title", "x" * 201), ("category", "'; DROP TABLE x;--")],
)  # fmt: skip
def test_malformed_cpd_values_are_form_errors_and_write_nothing(client_for, trainee, field, value):
    from trainees.models import CpdActivity

    data = {"date": "2026-01-05", "hours": "2", "category": "training", "title": "内审员"}
    response = client_for(trainee).post("/en/certification/cpd/", {**data, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not CpdActivity.objects.exists()
