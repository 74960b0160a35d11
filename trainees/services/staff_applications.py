"""Certification applications started by a manager or an officer for several people at once
("enrolled by an officer/manager" in the design): all checked first, then all written."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institute.permissions import can

from .. import selectors
from ..models import Application, Credential, Scheme
from .applications import application_submit

NOTIFICATION_KIND = "certification_enrolled_by_manager"


def _person_name(person) -> str:
    profile = getattr(person, "profile", None)
    return profile.display_name if profile else person.email


def _blocking_holders(*, people_ids, scheme: Scheme) -> tuple[set[int], set[int]]:
    """Who already has an open application, and who holds a valid credential, for the scheme
    (two queries for any number of people)."""
    open_ids = set(
        Application.objects.filter(
            candidate_id__in=people_ids,
            scheme_version__scheme=scheme,
            status=Application.Status.SUBMITTED,
        ).values_list("candidate_id", flat=True)
    )
    valid_ids = set(
        Credential.objects.filter(
            holder_id__in=people_ids,
            scheme_version__scheme=scheme,
            status=Credential.Status.ACTIVE,
            valid_until__gt=timezone.now(),
        ).values_list("holder_id", flat=True)
    )
    return open_ids, valid_ids


def staff_applications_check(*, people, scheme: Scheme, by) -> list[str]:
    """Every reason the batch cannot be submitted, one message per person and problem."""
    if not scheme.is_active or selectors.current_version(scheme=scheme) is None:
        return [_("This scheme is not open for applications.")]
    problems = []
    open_ids, valid_ids = _blocking_holders(people_ids=[p.pk for p in people], scheme=scheme)
    for person in people:
        name = _person_name(person)
        if not can(by, "trainees.apply_for", person):
            problems.append(_("%(name)s: you may not apply for this person.") % {"name": name})
        elif person.pk in open_ids:
            problems.append(
                _("%(name)s already has an open application for this scheme.") % {"name": name}
            )
        elif person.pk in valid_ids:
            problems.append(
                _("%(name)s already holds a valid credential of this scheme.") % {"name": name}
            )
    return problems


@transaction.atomic
def staff_applications_submit(*, people, scheme: Scheme, by) -> list[Application]:
    """Apply for `scheme` on behalf of each person; nothing is written unless all can apply.

    Each application is audited by `application_submit` (actor: the manager or officer) and
    the person is told after commit.
    """
    people = list(people)
    if not people:
        raise ValidationError(_("Choose at least one staff member."))
    problems = staff_applications_check(people=people, scheme=scheme, by=by)
    if problems:
        raise ValidationError(problems)
    applications = [application_submit(candidate=person, scheme=scheme, by=by) for person in people]
    _notify(applications, scheme=scheme, by=by)
    return applications


def _notify(applications, *, scheme: Scheme, by) -> None:
    """Tell each person an application was started for them (emails go after commit).

    Skipped while the kind is not in the notifications registry, so the applications never
    depend on it.
    """
    from institute.notifications import NOTIFICATION_KINDS, notify

    if NOTIFICATION_KIND not in NOTIFICATION_KINDS:
        return
    for application in applications:
        notify(
            recipients=[application.candidate],
            kind=NOTIFICATION_KIND,
            context={"application": application, "scheme": scheme, "submitted_by": by},
        )
