"""Fixtures of the query-budget tests: signing keys in a temporary folder, credentials."""

import pytest

from tests.trainees.certification_factories import (  # noqa: F401 - re-exported fixtures
    issue_credential,
    scheme_version,
)


@pytest.fixture(autouse=True)
def _credential_keys(settings, tmp_path):
    """Credentials are signed with fresh keys (never the developer's `var/keys`)."""
    settings.CREDENTIAL_KEY_DIR = tmp_path / "keys"
    settings.SITE_URL = "https://testserver"
