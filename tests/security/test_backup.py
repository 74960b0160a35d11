"""bin/backup and bin/restore: a dump restored into a fresh PostgreSQL database (with the media
folder and the signing keys) still serves a credential that an independent verifier accepts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.trainees.certification_factories import (  # noqa: F401 - fixtures
    issue_credential,
    scheme_version,
)

BASE_DIR = Path(settings.BASE_DIR)

VERIFY_RESTORED = """
import json, django
django.setup()
from django.test import Client
from openbadgeslib.ob3 import OB3LdpVerifier
from trainees.credentials.did import issuer_did
from trainees.models import Credential

client = Client()

def download(url):
    response = client.get(url.replace("https://testserver", ""))
    if response.status_code != 200:
        raise OSError(url)
    return b"".join(response) if response.streaming else response.content

number = "{number}"
document = client.get(f"/api/v1/credentials/{{number}}/ob3.json").json()
verified = OB3LdpVerifier.for_issuer_did(issuer_did()).verify(
    document, check_status=True, download=download
)
status = client.get(f"/api/v1/credentials/{{number}}/").json()
with Credential.objects.get(number=number).pdf.open("rb") as pdf:
    head = pdf.read(5)
print(json.dumps({{"issuer": verified.issuer.id, "status": status["status"],
                  "pdf": head.decode()}}))
"""


def _database_url(name: str) -> str:
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{database.get('USER') or 'postgres'}{password}@{host}:{port}/{name}"


def _admin_connection():
    url = _database_url("postgres").replace("postgres://", "postgresql://", 1)
    return psycopg.connect(url, autocommit=True)


@pytest.fixture
def restore_database():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        if os.environ.get("REQUIRE_CELERY_WORKER") == "1":  # CI: PostgreSQL is required
            pytest.fail("the restore test must run on PostgreSQL in CI")
        pytest.skip("needs PostgreSQL (set DATABASE_URL; CI does)")
    name = settings.DATABASES["default"]["NAME"] + "_restored"
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(command: list[str], **environment) -> str:
    result = subprocess.run(
        command,
        cwd=BASE_DIR,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_a_fresh_database_still_verifies_a_credential(
    settings,
    tmp_path,
    trainee,
    issue_credential,  # noqa: F811
    restore_database,
):
    settings.CREDENTIAL_KEY_DIR = tmp_path / "keys"
    settings.SITE_URL = "https://testserver"
    credential = issue_credential(trainee)  # signed documents and the PDF in MEDIA_ROOT
    source = {
        "DATABASE_URL": _database_url(settings.DATABASES["default"]["NAME"]),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CREDENTIAL_KEY_DIR": str(settings.CREDENTIAL_KEY_DIR),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "BACKUP_PASSPHRASE": "correct horse battery staple",
    }
    folder = _run(["bin/backup"], **source).strip().splitlines()[-1]
    assert sorted(path.name for path in Path(folder).iterdir()) == [
        "SHA256SUMS", "database.dump", "keys.tar.gz.enc", "media.tar.gz",
    ]  # fmt: skip
    restored = {
        **source,
        "DATABASE_URL": _database_url(restore_database),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "CREDENTIAL_KEY_DIR": str(tmp_path / "restored-keys"),
    }
    _run(["bin/restore", folder], **restored)
    output = _run(
        [sys.executable, "-c", VERIFY_RESTORED.format(number=credential.number)],
        **restored,
        SITE_URL="https://testserver",
        DJANGO_SETTINGS_MODULE="institute.settings",
    )
    assert json.loads(output.strip().splitlines()[-1]) == {
        "issuer": "did:web:testserver",
        "status": "active",
        "pdf": "%PDF-",
    }
    # A second restore over the now-filled database is refused, not merged.
    refused = subprocess.run(
        ["bin/restore", folder], cwd=BASE_DIR, env={**os.environ, **restored},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert refused.returncode != 0 and "not empty" in refused.stderr
