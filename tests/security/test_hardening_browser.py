"""In Chromium, under the real Content Security Policy: site pages and the Wagtail admin
report no CSP violation (an inline script or outside resource would be blocked and logged)."""

import io
import os

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser
# Playwright runs an event loop in the test thread; the live server has its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TRAINEE_PAGES = ["/en/", "/en/courses/", "/en/learning/", "/en/exams/", "/en/certification/",
                 "/en/certification/cpd/", "/en/certification/my-data/", "/en/register/"]  # fmt: skip
OFFICER_PAGES = ["/admin/", "/admin/pages/", "/admin/images/", "/admin/documents/",
                 "/admin/audit_log/", "/en/organisation/"]  # fmt: skip


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }  # fmt: skip


def _violations_while_visiting(page, base_url, email, paths) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text[:200]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(f"{base_url}/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "demo-pass-2026")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in paths:
        response = page.goto(f"{base_url}{path}")
        assert response.status < 400, path
        page.wait_for_load_state("networkidle")
    return violations


def test_site_and_admin_pages_run_without_csp_violations(
    page, live_server, transactional_db, settings
):
    settings.MFA_REQUIRED_FOR_STAFF = False  # the officer's TOTP enrolment is tested elsewhere
    call_command("seed_demo", stdout=io.StringIO())
    seen = _violations_while_visiting(page, live_server.url, "trainee@demo.local", TRAINEE_PAGES)
    page.context.clear_cookies()
    seen += _violations_while_visiting(page, live_server.url, "officer@demo.local", OFFICER_PAGES)
    assert seen == []
