"""Role names and the small questions the whole code asks about a user's roles."""

from django.utils.translation import gettext_lazy as _

TRAINEE = "Trainee"
INSTRUCTOR = "Instructor"
OFFICER = "Certification officer"
MANAGER = "Organisation manager"

ROLE_LABELS = {
    TRAINEE: _("Trainee"),
    INSTRUCTOR: _("Instructor"),
    OFFICER: _("Certification officer"),
    MANAGER: _("Organisation manager"),
}


def role_names(user) -> frozenset[str]:
    """The user's group names, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in role_names(user)


def is_officer(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, OFFICER)


def is_instructor(user) -> bool:
    return has_role(user, INSTRUCTOR)


def is_manager(user) -> bool:
    return has_role(user, MANAGER)


def is_staff_role(user) -> bool:
    """Staff must use multi-factor authentication (instructors, officers, superusers)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.is_staff) or bool(
        role_names(user) & {INSTRUCTOR, OFFICER}
    )


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    known = getattr(user, "_has_mfa", None)  # read with the API token (institute/api_auth.py)
    if known is not None:
        return known
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
