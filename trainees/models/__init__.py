"""Models of the trainees app, split by sub-domain; import them from here."""

from .accounts import Organisation, TraineeProfile, User, UserManager
from .certification import (
    Application,
    ApplicationEvidence,
    Counter,
    CpdActivity,
    Credential,
    CredentialReminder,
    RetiredStatusIndex,
)
from .competencies import Competency
from .organisation_tokens import OrganisationApiToken
from .requirements import RequiredCourse, RequiredExam, RequiredPractical
from .schemes import RequiredCredential, Scheme, SchemeVersion

__all__ = [
    "Application",
    "ApplicationEvidence",
    "Competency",
    "Counter",
    "CpdActivity",
    "Credential",
    "CredentialReminder",
    "Organisation",
    "OrganisationApiToken",
    "RequiredCourse",
    "RequiredCredential",
    "RequiredExam",
    "RequiredPractical",
    "RetiredStatusIndex",
    "Scheme",
    "SchemeVersion",
    "TraineeProfile",
    "User",
    "UserManager",
]
