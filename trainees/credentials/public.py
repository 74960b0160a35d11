"""What anyone may learn about a credential (verify page, register, status JSON): one place."""

from django.utils import timezone

from ..models import Credential


def mask_chinese_name(name: str) -> str:
    """张伟 -> 张*, 欧阳明月 -> 欧**月: the family name stays, the given name is hidden."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_latin_name(name: str) -> str:
    """ZHANG Wei -> ZHANG W."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return " ".join([parts[0], *(part[0] + "." for part in parts[1:])])


def current_status(credential: Credential) -> str:
    """The status now, even before the daily expiry task has run."""
    current = credential.status in (Credential.Status.ACTIVE, Credential.Status.SUSPENDED)
    if current and credential.valid_until <= timezone.now():
        return Credential.Status.EXPIRED
    return credential.status


def public_summary(credential: Credential) -> dict:
    profile = credential.holder.profile
    organisation = profile.organisation
    scheme = credential.scheme_version.scheme
    status = current_status(credential)
    return {
        "number": credential.number,
        "status": status,
        "status_label": Credential.Status(status).label,
        "valid": status == Credential.Status.ACTIVE,
        "holder_name_zh": mask_chinese_name(profile.name_zh),
        "holder_name_latin": mask_latin_name(profile.name_latin),
        "organisation_zh": organisation.name_zh if organisation else "",
        "organisation_en": organisation.name_en if organisation else "",
        "scheme_code": scheme.code,
        "scheme_zh": scheme.title_zh,
        "scheme_en": scheme.title_en,
        "scheme_version": credential.scheme_version.number,
        "scope_zh": credential.scope_zh,
        "scope_en": credential.scope_en,
        "issued_at": credential.issued_at,
        "valid_from": credential.valid_from,
        "valid_until": credential.valid_until,
        "suspended_until": credential.suspended_until,
        "superseded_by": credential.superseded_by.number if credential.superseded_by_id else None,
    }
