import io

from django.core.management import call_command

from trainees.benchmark import run_issuance
from trainees.credentials.did import did_document


def test_run_issuance_reports_rates(db):
    result = run_issuance(count=3)
    assert result["credentials"] == 3
    assert result["credentials_per_second"] > 0
    assert result["raw_ed25519_signs_per_second"] > result["data_integrity_per_second"]
    assert result["data_integrity_two_processes_per_second"] > 0
    assert len(result["data_integrity_two_processes_per_cpu_second"]) == 2
    assert result["pdf_raw_per_second"] > 0  # the PDF row's limit reference


def test_credential_keys_rotate_keeps_old_keys_published(db):
    call_command("credential_keys", stdout=io.StringIO())
    before = [m["id"] for m in did_document()["verificationMethod"]]
    output = io.StringIO()
    call_command("credential_keys", "--rotate", stdout=output)
    after = [m["id"] for m in did_document()["verificationMethod"]]
    assert len(after) == len(before) + 1
    assert after[1:] == before  # the new key signs; old ones stay for verification
    assert "New current key" in output.getvalue()
