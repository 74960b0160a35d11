"""Write services of the certification domain (see CONVENTIONS.md: `<noun>_<verb>`)."""

from .applications import application_decide, application_submit, evidence_add, renewable_credential
from .cpd import (
    cpd_activity_create,
    cpd_activity_review,
    cpd_course_completion_record,
    cpd_course_completions_sync,
)
from .issuance import credential_issue, credential_pdf_render
from .lifecycle import (
    credential_reinstate,
    credential_reminders_send,
    credential_scope_reduce,
    credential_suspend,
    credential_withdraw,
    credentials_expire,
)

__all__ = [
    "application_decide",
    "application_submit",
    "cpd_activity_create",
    "cpd_activity_review",
    "cpd_course_completion_record",
    "cpd_course_completions_sync",
    "credential_issue",
    "credential_pdf_render",
    "credential_reinstate",
    "credential_reminders_send",
    "credential_scope_reduce",
    "credential_suspend",
    "credential_withdraw",
    "credentials_expire",
    "evidence_add",
    "renewable_credential",
]
