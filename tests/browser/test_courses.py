import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_user
from trainees import roles

pytestmark = pytest.mark.browser


def test_trainee_enrols_opens_a_lesson_completes_it_and_sees_progress_move(
    page, live_server, demo_site, screenshot
):
    person = make_user(roles.TRAINEE, email="new.trainee@example.com")
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_test_id("my-learning")).to_be_visible()

    page.goto(f"{live_server.url}/en/courses/")
    page.get_by_role("link", name="Factory inspection basics for product certification").click()
    expect(page).to_have_url(re.compile(r"/en/courses/fi-101/$"))
    page.get_by_test_id("enrol").click()
    expect(page.get_by_test_id("course-progress")).to_have_attribute("value", "0")
    screenshot("course-home-enrolled")

    page.get_by_test_id("continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "CCC certification and the factory inspection"
    )
    page.get_by_test_id("mark-complete").click()
    expect(page.get_by_test_id("lesson-complete")).to_be_visible()
    page.get_by_role("link", name="Back to the course").click()
    expect(page.get_by_test_id("course-progress")).to_have_attribute("value", "25")
    expect(page.get_by_test_id("course-progress-text")).to_have_text("25%")
    screenshot("course-home-progress")

    page.goto(f"{live_server.url}/en/learning/")
    expect(page.get_by_test_id("current-course")).to_contain_text("FI-101")
