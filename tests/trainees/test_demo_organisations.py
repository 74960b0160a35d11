"""Three demo organisations with managers and staff whose history fills the reports."""

import io
from collections import Counter

from django.core.management import call_command
from django.urls import reverse

from courses.models import Enrolment
from exams.models import Attempt
from trainees.models import CpdActivity, Credential, Organisation, User
from trainees.selectors_organisation import credential_state
from trainees.validators import validate_uscc


def snapshot() -> dict:
    return {
        "organisations": set(Organisation.objects.values_list("credit_code", "name_zh")),
        "people": set(User.objects.values_list("email", flat=True)),
        "enrolments": set(Enrolment.objects.values_list("user__email", "course_id", "status")),
        "attempts": set(Attempt.objects.values_list("user__email", "exam_id", "number", "passed")),
        "credentials": set(Credential.objects.values_list("number", "status", "valid_until")),
        "cpd": CpdActivity.objects.count(),
    }


def test_seed_demo_twice_gives_three_complete_organisations(db, client):
    """One seeding for every check: seed_demo takes about a minute."""
    call_command("seed_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == first
    check_organisations()
    check_states_and_history()
    check_manager2_sees_only_their_staff(client)
    check_issued_credentials_verify(client)


def check_organisations():
    organisations = Organisation.objects.order_by("credit_code")
    assert organisations.count() == 3
    assert organisations[0].name_en == "Suzhou Xinneng Electric Co., Ltd."
    for organisation in organisations:
        validate_uscc(organisation.credit_code)
        assert organisation.name_zh and organisation.name_en and organisation.contact_phone
        assert organisation.managers.count() == 1
        assert 10 <= organisation.staff.count() <= 20
    managers = {o.managers.get().email for o in organisations}
    assert managers == {"manager@demo.local", "manager2@demo.local", "manager3@demo.local"}


def check_states_and_history():
    current = Credential.objects.exclude(status=Credential.Status.SUPERSEDED)
    states = Counter(credential_state(credential) for credential in current)
    assert {"valid", "expiring", "expired", "suspended", "withdrawn"} <= set(states)
    assert Credential.objects.filter(status=Credential.Status.SUPERSEDED).exists()
    statuses = set(Enrolment.objects.values_list("status", flat=True))
    assert {"active", "completed", "withdrawn"} <= statuses
    attempts = Attempt.objects.filter(user__email__endswith=".jg@demo.local")
    assert attempts.filter(passed=True).exists() and attempts.filter(passed=False).exists()
    months = {attempt.submitted_at.strftime("%Y-%m") for attempt in Attempt.objects.all()}
    assert len(months) >= 4


def check_manager2_sees_only_their_staff(client):
    client.login(email="manager2@demo.local", password="demo-pass-2026")
    organisation = Organisation.objects.get(managers__email="manager2@demo.local")
    response = client.get(reverse("organisation-staff-status", args=[organisation.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "郑晓东" in page and "黄志强" not in page
    other = Organisation.objects.get(managers__email="manager3@demo.local")
    assert client.get(reverse("organisation-staff-status", args=[other.pk])).status_code == 404


def check_issued_credentials_verify(client):
    credential = Credential.objects.filter(holder__email__endswith=".hy@demo.local").first()
    assert client.get(reverse("credential-verify", args=[credential.number])).status_code == 200
