"""Celery application. Every periodic schedule of the platform lives in `beat_schedule` below."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "institute.settings")

app = Celery("institute")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
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
}
