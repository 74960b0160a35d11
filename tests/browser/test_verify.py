"""A visitor verifies a certificate and searches the register; the holder sees their record.

One test per module: `demo_site` flushes the database between tests (transactional).
"""

import re

import pytest
from playwright.sync_api import expect

from trainees.models import Credential

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _credential_keys(settings, tmp_path):
    settings.CREDENTIAL_KEY_DIR = tmp_path / "keys"


def test_visitor_verifies_and_searches_then_the_holder_sees_their_record(
    page, live_server, demo_site, screenshot
):
    active = Credential.objects.get(holder__email="trainee@demo.local", status="active")

    page.goto(f"{live_server.url}/verify/{active.number}/")
    expect(page.locator(".verify-status")).to_have_attribute("data-status", "active")
    expect(page.locator(".verify-details")).to_contain_text("张*")
    expect(page.locator(".verify-details")).not_to_contain_text("张伟")
    screenshot("verify-valid-zh")

    page.goto(f"{live_server.url}/en/register/")
    page.fill("#register-q", "刘洋")
    page.locator(".register-search button[type=submit]").click()
    row = page.locator("table tbody tr")
    screenshot("register-search-en")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Suspended")
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/en/verify/CCICI-\d{4}-\d{6}/"))
    expect(page.locator(".verify-status")).to_have_attribute("data-status", "suspended")
    screenshot("verify-suspended-en")

    # The holder signs in and sees both credentials and both pathways.
    page.goto(f"{live_server.url}/en/accounts/login/?next=/en/certification/")
    page.fill("input[name=login]", "trainee@demo.local")
    page.fill("input[name=password]", "demo-pass-2026")
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/en/certification/"))
    expect(page.locator("table.credentials tbody tr")).to_have_count(2)
    expect(page.locator(".pathway")).to_have_count(2)
    screenshot("certification-home-en")
