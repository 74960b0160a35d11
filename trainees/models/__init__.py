"""Models of the trainees app, split by sub-domain; import them from here."""

from .accounts import Organisation, TraineeProfile, User, UserManager
from .competencies import Competency

__all__ = ["Competency", "Organisation", "TraineeProfile", "User", "UserManager"]
