import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from exams.models import Attempt, Response
from tests.exams.factories import QuestionFactory, exam_with_questions
from tests.factories import PASSWORD, make_user
from trainees import roles

pytestmark = pytest.mark.browser


@pytest.fixture
def timed_exam(transactional_db):
    Group.objects.get_or_create(name=roles.TRAINEE)
    trainee = make_user(roles.TRAINEE)
    questions = [
        QuestionFactory(kind="single", stem_en="<p>Basic insulation test voltage?</p>"),
        QuestionFactory(kind="truefalse", stem_en="<p>Earthing current is 25 A or more.</p>"),
        QuestionFactory(kind="shorttext", stem_en="<p>Name the activity.</p>"),
    ]
    exam = exam_with_questions(questions, time_limit_minutes=10, review_show="full")
    return trainee, exam, questions


def log_in(page, base_url, email):
    page.goto(f"{base_url}/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_take_a_timed_exam_reload_go_offline_submit(page, live_server, timed_exam, screenshot):
    trainee, exam, (single, truefalse, shorttext) = timed_exam
    log_in(page, live_server.url, trainee.email)
    page.goto(f"{live_server.url}/en/exams/")
    page.get_by_test_id(f"start-{exam.pk}").click()
    expect(page).to_have_url(re.compile(r"/en/exams/attempts/\d+/$"))
    expect(page.get_by_test_id("time-left")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))

    page.locator(f"#q-{single.pk} input[value=p2m7]").check()
    expect(page.get_by_test_id(f"state-{single.pk}")).to_have_text("Saved")
    page.reload()
    expect(page.locator(f"#q-{single.pk} input[value=p2m7]")).to_be_checked()
    screenshot("exam-after-reload")

    page.context.set_offline(True)
    page.locator(f"#q-{truefalse.pk} input[value=true]").check()
    expect(page.get_by_test_id(f"state-{truefalse.pk}")).to_have_text("Not saved, retrying")
    expect(page.get_by_test_id("connection")).to_contain_text("offline")
    screenshot("exam-offline")
    page.context.set_offline(False)
    expect(page.get_by_test_id(f"state-{truefalse.pk}")).to_have_text("Saved", timeout=20000)
    attempt = Attempt.objects.get(user=trainee)
    assert Response.objects.get(attempt=attempt, question=truefalse).answer is True

    page.locator(f"#q-{shorttext.pk} input[name=text]").fill("Calibration")
    expect(page.get_by_test_id(f"state-{shorttext.pk}")).to_have_text("Saved")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-attempt").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    expect(page.get_by_test_id("result")).to_contain_text("Score: 100.0%")
    screenshot("exam-result")
