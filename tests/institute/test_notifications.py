"""Notification kinds, preferences (page and API) and the one sending task."""

import json
import re
import uuid

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from courses import services as course_services
from courses.models import Enrolment
from institute.models import AuditRecord, NotificationPreference
from institute.notifications import (
    NOTIFICATION_KINDS,
    context_load,
    context_serialize,
    notify,
)
from institute.tasks import notification_send
from tests.courses.factories import make_course

PAGE = "/en/accounts/notifications/"
API = "/api/v1/me/notifications/"


@pytest.fixture
def decided_enrolment(db, trainee, instructor):
    """An approved enrolment, decided without sending (tests send it themselves)."""
    page, _ = make_course(instructors=[instructor], enrolment_policy="approval")
    enrolment = course_services.enrolment_create(user=trainee, course=page, by=trainee)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.ACTIVE)
    enrolment.refresh_from_db()
    return enrolment


def _notify_decision(enrolment, recipients, capture):
    with capture(execute=True):
        notify(
            recipients=recipients,
            kind="courses_enrolment_decision",
            context={"enrolment": enrolment, "approved": True, "course_title_en": "Inspection"},
        )


def _switch_off(user, kind):
    NotificationPreference.objects.create(user=user, kind=kind, email_enabled=False)


# --- Preferences honoured by notify() ------------------------------------------------------------


def test_optional_kind_switched_off_is_not_sent_to_that_person_only(
    decided_enrolment, trainee, other_trainee, django_capture_on_commit_callbacks
):
    _switch_off(trainee, "courses_enrolment_decision")
    _notify_decision(
        decided_enrolment, [trainee, other_trainee], django_capture_on_commit_callbacks
    )
    assert [message.to for message in mail.outbox] == [[other_trainee.email]]


def test_mandatory_kind_is_sent_even_with_a_row_saying_off(
    decided_enrolment, trainee, django_capture_on_commit_callbacks
):
    _switch_off(trainee, "credential_issued")  # written behind the services' back
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[trainee],
            kind="credential_issued",
            context={"enrolment": decided_enrolment},
            template="courses_enrolment_decision",
        )
    assert [message.to for message in mail.outbox] == [[trainee.email]]


def test_nothing_is_sent_when_the_business_transaction_rolls_back(
    trainee, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[trainee], kind="exams_result_released", context={})
        raise RuntimeError("the business action failed")
    assert callbacks == [] and mail.outbox == []


def test_switching_off_while_a_send_waits_stops_it(
    decided_enrolment, trainee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[trainee], kind="courses_enrolment_decision", context={})
    _switch_off(trainee, "courses_enrolment_decision")
    for callback in callbacks:
        callback()
    assert len(callbacks) == 1 and mail.outbox == []


# --- Rendering -----------------------------------------------------------------------------------


def test_body_is_bilingual_chinese_first(
    decided_enrolment, trainee, django_capture_on_commit_callbacks
):
    _notify_decision(decided_enrolment, [trainee], django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert "报名已通过" in message.subject and "Enrolment approved" in message.subject
    assert "\n" not in message.subject
    assert 0 <= message.body.index("您好") < message.body.index("Dear")
    assert decided_enrolment.course.code in message.body
    assert message.alternatives == []


def test_html_body_is_attached_when_the_template_exists(
    decided_enrolment, trainee, settings, tmp_path, django_capture_on_commit_callbacks
):
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "courses_enrolment_decision_body.html").write_text(
        "<p>{{ enrolment.course.code }} 已通过 / approved</p>"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    _notify_decision(decided_enrolment, [trainee], django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and decided_enrolment.course.code in html


def test_context_travels_as_json_and_comes_back_as_objects(decided_enrolment):
    payload = context_serialize({"enrolment": decided_enrolment, "reason": "满员"})
    assert json.loads(json.dumps(payload)) == payload
    assert context_load(payload) == {"enrolment": decided_enrolment, "reason": "满员"}


def _send_kwargs(recipient, enrolment, message_id=None) -> dict:
    return {
        "recipient_id": recipient.pk,
        "kind": "courses_enrolment_decision",
        "template": "courses_enrolment_decision",
        "context": context_serialize({"enrolment": enrolment, "approved": True}),
        "message_id": message_id or uuid.uuid4().hex,
    }


def test_a_redelivered_message_is_sent_once(decided_enrolment, trainee):
    kwargs = _send_kwargs(trainee, decided_enrolment)
    assert notification_send.apply(kwargs=kwargs).get() is True
    assert notification_send.apply(kwargs=kwargs).get() is False
    assert len(mail.outbox) == 1


def test_nothing_is_sent_about_an_object_that_is_gone(decided_enrolment, trainee):
    kwargs = _send_kwargs(trainee, decided_enrolment)
    decided_enrolment.delete()
    assert notification_send.apply(kwargs=kwargs).get() is False
    assert mail.outbox == []


# --- The preferences page ------------------------------------------------------------------------


def test_page_lists_the_kinds_of_the_person(client_for, trainee, manager):
    trainee_page = client_for(trainee).get(PAGE).content.decode()
    manager_page = client_for(manager).get(PAGE).content.decode()
    assert "Enrolment decisions" in trainee_page and "Staff credentials" not in trainee_page
    assert "Staff credentials" in manager_page


def test_page_switches_an_optional_kind_off_and_audits(client_for, trainee):
    optional = {"courses_session_reminder": "on", "exams_result_released": "on"}
    response = client_for(trainee).post(PAGE, optional)
    assert response.status_code == 302
    off = NotificationPreference.objects.get(user=trainee, email_enabled=False)
    assert off.kind == "courses_enrolment_decision"
    record = AuditRecord.objects.get(action="notification_preferences_change")
    assert record.actor == trainee and record.data["courses_enrolment_decision"] is False


def test_page_refuses_to_switch_a_mandatory_kind_off(client_for, trainee):
    # The form posts nothing for credential_issued, and a tampered "off" value alike.
    client_for(trainee).post(PAGE, {"credential_issued": ""})
    assert not NotificationPreference.objects.filter(
        user=trainee, kind__in=["credential_issued", "credential_expiry_reminder"]
    ).exists()
    page = client_for(trainee).get(PAGE).content.decode()
    checkbox = re.search(r'<input[^>]*name="credential_issued"[^>]*>', page).group(0)
    assert "disabled" in checkbox and "checked" in checkbox


def test_page_needs_sign_in(client_for):
    response = client_for().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_page_is_linked_from_the_header(client_for, trainee):
    assert 'data-testid="my-notifications"' in client_for(trainee).get(PAGE).content.decode()


def test_page_queries_do_not_grow_with_preferences(client_for, manager):
    client = client_for(manager)
    client.get(PAGE)  # warm the per-process caches (site, locales)
    with CaptureQueriesContext(connection) as without_rows:
        assert client.get(PAGE).status_code == 200
    for kind in ("courses_session_reminder", "exams_result_released", "staff_credential_changes"):
        _switch_off(manager, kind)
    with CaptureQueriesContext(connection) as with_rows:
        assert client.get(PAGE).status_code == 200
    assert len(with_rows) == len(without_rows) <= 20, "\n".join(
        query["sql"] for query in with_rows.captured_queries
    )


# --- The API -------------------------------------------------------------------------------------


def test_api_lists_own_choices_only(api_client_for, trainee, other_trainee):
    _switch_off(other_trainee, "exams_result_released")
    _switch_off(trainee, "courses_session_reminder")
    body = api_client_for(trainee).get(API).json()
    choices = {row["kind"]: row["email_enabled"] for row in body["preferences"]}
    assert choices["exams_result_released"] is True
    assert choices["courses_session_reminder"] is False
    assert "staff_credential_changes" not in choices
    mandatory = {row["kind"] for row in body["preferences"] if row["mandatory"]}
    assert mandatory == {k for k, v in NOTIFICATION_KINDS.items() if v.mandatory}


def test_api_put_changes_listed_kinds(api_client_for, manager):
    rows = [{"kind": "staff_credential_changes", "email_enabled": False}]
    response = api_client_for(manager).put(API, {"preferences": rows}, format="json")
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=manager).kind == "staff_credential_changes"
    assert {"kind": "staff_credential_changes", "email_enabled": False}.items() <= next(
        row for row in response.json()["preferences"] if row["kind"] == "staff_credential_changes"
    ).items()


@pytest.mark.parametrize(
    "bad_row, message",
    [
        ({"kind": "credential_issued", "email_enabled": False}, "为必发通知，无法关闭"),
        ({"kind": "staff_credential_changes", "email_enabled": False}, "不是您可接收的通知"),
        ({"kind": "no_such_kind", "email_enabled": False}, "不是您可接收的通知"),
    ],
)
def test_api_refuses_bad_rows_and_changes_nothing(api_client_for, trainee, bad_row, message):
    rows = [{"kind": "exams_result_released", "email_enabled": False}, bad_row]
    response = api_client_for(trainee).put(API, {"preferences": rows}, format="json")
    assert response.status_code == 400
    # The API answers in the institute's default language, Simplified Chinese.
    assert message in str(response.json()["preferences"])
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_api_needs_authentication(api_client_for):
    assert api_client_for().get(API).status_code in (401, 403)
    put = api_client_for().put(API, {"preferences": []}, format="json")
    assert put.status_code in (401, 403)
    assert not NotificationPreference.objects.exists()
