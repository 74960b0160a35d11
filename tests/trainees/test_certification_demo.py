"""The demo seeder runs twice without duplicating anything."""

import io

from django.core.management import call_command

from trainees.models import Credential, Scheme


def test_seed_demo_certification_is_idempotent(db, client):
    call_command("seed_demo", stdout=io.StringIO())
    first = set(Credential.objects.values_list("number", "status"))
    call_command("seed_demo", stdout=io.StringIO())

    assert set(Credential.objects.values_list("number", "status")) == first
    assert Scheme.objects.count() == 2
    statuses = dict(
        Credential.objects.values_list("holder__email", "status").filter(
            holder__email="liu.yang@demo.local"
        )
    )
    assert statuses == {"liu.yang@demo.local": "suspended"}
    trainee_statuses = sorted(
        Credential.objects.filter(holder__email="trainee@demo.local").values_list(
            "status", flat=True
        )
    )
    assert trainee_statuses == ["active", "expired"]
    active = Credential.objects.get(holder__email="trainee@demo.local", status="active")
    assert client.get(f"/verify/{active.number}/").status_code == 200
