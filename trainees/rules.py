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


# --- Certification and credentials (issue 5) ---------------------------------------------------


@rules.predicate
def is_holder(user, credential):
    return credential is not None and credential.holder_id == user.id


@rules.predicate
def manages_holder_organisation(user, credential):
    return credential is not None and _manages_person(user, credential.holder)


@rules.predicate
def is_candidate(user, application):
    return application is not None and application.candidate_id == user.id


@rules.predicate
def manages_candidate_organisation(user, application):
    return application is not None and _manages_person(user, application.candidate)


@rules.predicate
def is_self(user, person):
    return person is not None and person.pk == user.pk


@rules.predicate
def manages_person(user, person):
    return person is not None and _manages_person(user, person)


@rules.predicate
def trained_or_examined_candidate(user, application):
    from .services.eligibility import conflicted_staff_ids

    return application is not None and user.pk in conflicted_staff_ids(application)


def _manages_person(user, person) -> bool:
    profile = getattr(person, "profile", None)
    organisation_id = profile.organisation_id if profile else None
    return (
        organisation_id is not None
        and user.managed_organisations.filter(pk=organisation_id).exists()
    )


rules.add_perm("trainees.view_credential", is_holder | is_officer | manages_holder_organisation)
rules.add_perm("trainees.change_credential_status", is_officer)
rules.add_perm(
    "trainees.view_application", is_candidate | is_officer | manages_candidate_organisation
)
rules.add_perm(
    "trainees.decide_application",
    is_officer & ~is_candidate & ~trained_or_examined_candidate,
)
# Apply on behalf of a person: the person, their organisation's manager, or an officer.
rules.add_perm("trainees.apply_for", is_self | is_officer | manages_person)
rules.add_perm("trainees.view_pathway_progress", is_self | is_officer | manages_person)
rules.add_perm("trainees.review_cpd", is_officer)


@rules.predicate
def owns_cpd_activity(user, activity):
    return activity is not None and activity.user_id == user.id


# CPD evidence (certificates of attendance, ...): the person themselves or an officer.
rules.add_perm("trainees.view_cpd_activity", owns_cpd_activity | is_officer)
