import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_visit_in_chinese_switch_to_english_log_in_and_out(
    page, live_server, demo_site, screenshot
):
    page.goto(f"{live_server.url}/about/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("关于基地")
    screenshot("about-zh")

    page.get_by_test_id("lang-en").click()
    expect(page).to_have_url(f"{live_server.url}/en/about/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("About the base")

    page.get_by_test_id("login-link").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))
    page.fill("input[name=login]", "trainee@demo.local")
    page.fill("input[name=password]", "demo-pass-2026")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".account-name")).to_have_text("张伟")
    screenshot("logged-in-trainee-en")

    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-link")).to_be_visible()
