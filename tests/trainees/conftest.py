"""Fixtures of the certification tests: a temporary key directory, schemes, credentials."""

import pytest

from tests.trainees.certification_factories import (  # noqa: F401 - re-exported fixtures
    approved_application,
    issue_credential,
    scheme_version,
)


@pytest.fixture(autouse=True)
def _credential_keys(settings, tmp_path):
    """Each test signs with its own fresh keys (never the developer's `var/keys`)."""
    settings.CREDENTIAL_KEY_DIR = tmp_path / "keys"
    settings.SITE_URL = "https://testserver"
