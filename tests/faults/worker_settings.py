"""Settings of the fault tests' Celery workers: the real settings plus two test-only knobs.

- Unacknowledged messages are swept every second (not every 100 s), so a task whose worker
  was killed is redelivered as soon as `CELERY_VISIBILITY_TIMEOUT` (set short by the test)
  has passed.
- `FAULTS_PAUSE_AT=claim|pdf` holds `credential_issue` at that point (after touching the file
  `FAULTS_PAUSE_MARKER`) so the test can SIGKILL the worker exactly there:
  `claim`: the credential row is written but its transaction has not committed;
  `pdf`: the credential is committed, its PDF and notification are not done yet.
"""

import os
import time
from pathlib import Path

from celery.signals import task_prerun

from institute.settings import *  # noqa: F403
from institute.settings import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

PAUSE_AT = os.environ.get("FAULTS_PAUSE_AT", "")
PAUSE_MARKER = os.environ.get("FAULTS_PAUSE_MARKER", "")


def _pause(*args, **kwargs) -> None:
    Path(PAUSE_MARKER).write_text(PAUSE_AT)
    time.sleep(600)  # until the test kills this worker


def _pause_inside_issue(sender=None, **kwargs) -> None:
    if not PAUSE_AT or sender.name != "trainees.tasks.credential_issue":
        return
    if PAUSE_AT == "claim":
        from django.db.models.signals import post_save

        from trainees.models import Credential

        post_save.connect(_pause, sender=Credential, weak=False)
    elif PAUSE_AT == "pdf":
        from trainees.services import issuance

        issuance.credential_pdf_render = _pause


task_prerun.connect(_pause_inside_issue, weak=False)
