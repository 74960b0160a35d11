"""Object permissions of the trainees app (django-rules). Ask them via `institute.permissions.can`."""

import rules

from . import roles


@rules.predicate
def is_officer(user):
    return roles.is_officer(user)


@rules.predicate
def is_instructor(user):
    return roles.is_instructor(user)


@rules.predicate
def is_manager(user):
    return roles.is_manager(user)


@rules.predicate
def is_own_profile(user, profile):
    return profile is not None and profile.user_id == user.id


@rules.predicate
def manages_profile_organisation(user, profile):
    return (
        profile is not None
        and profile.organisation_id is not None
        and profile.organisation.managers.filter(pk=user.pk).exists()
    )


@rules.predicate
def manages_organisation(user, organisation):
    return organisation is not None and organisation.managers.filter(pk=user.pk).exists()


rules.add_perm("trainees.view_profile", is_own_profile | is_officer | manages_profile_organisation)
rules.add_perm("trainees.change_own_profile", is_own_profile)
rules.add_perm("trainees.view_organisation_staff", is_officer | manages_organisation)
rules.add_perm("trainees.decide_certification", is_officer)
