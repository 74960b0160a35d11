from django.core.exceptions import ValidationError


class AttemptClosedError(ValidationError):
    """A save or submit arrived after the attempt closed (deadline passed or submitted)."""
