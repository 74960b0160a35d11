"""Celery application. Every periodic schedule of the platform lives in `beat_schedule` below."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "institute.settings")

app = Celery("institute")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Transactional outbox: publish tasks whose first publish failed (broker down at commit).
    # Every 10 s, so a credential is issued within seconds of Redis coming back; a run that
    # no worker picks up expires instead of piling up behind an outage.
    "institute-outbox-relay": {
        "task": "institute.outbox_relay",
        "schedule": 10.0,
        "options": {"expires": 10},
    },
    # Liveness trace for operators: proves beat and a worker are both running.
    "heartbeat-every-5-minutes": {
        "task": "institute.tasks.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
    # Practice sessions: email booked trainees once, about a day before their session starts.
    "courses-session-reminders-hourly": {
        "task": "courses.tasks.send_session_reminders",
        "schedule": crontab(minute=15),
    },
    # Certification: mark lapsed credentials expired (and end due suspensions) every night,
    # so the verify page, register and status lists agree with the calendar.
    "trainees-credentials-expire-daily": {
        "task": "trainees.tasks.credentials_expire",
        "schedule": crontab(hour=0, minute=5),
    },
    # Certification: expiry reminders to holder and manager, once per offset (90/30/7 days).
    "trainees-credential-reminders-daily": {
        "task": "trainees.tasks.credential_reminders_send",
        "schedule": crontab(hour=8, minute=30),
    },
    # CPD: completed institute courses count as CPD hours (idempotent catch-up, hourly).
    "trainees-cpd-course-completions-hourly": {
        "task": "trainees.tasks.cpd_course_completions_sync",
        "schedule": crontab(minute=40),
    },
    # Exams: submit and grade attempts whose deadline has passed (the browser may be gone).
    # Every 30 s so a candidate waits at most half a minute for the result after time is up.
    "exams-close-overdue-attempts": {
        "task": "exams.attempts_close_overdue",
        "schedule": 30.0,
    },
}
