"""Writing a checked trainee file: new people, changed details, one audit record, invitations.

Everything is written in one transaction with bulk queries; the rows were checked against the
database just before (`validation.rows_check`), and the database's unique constraints catch
anyone registered by someone else in between (the whole import then rolls back).
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from institute.audit import audit_record_create
from trainees import roles
from trainees.models import TraineeProfile, User

from .validation import ImportCheck, PersonRow

BATCH = 1000
INVITATION_BATCH = 200
# Foreign keys are checked in bulk by the validation; full_clean would query once per row.
_NOT_CLEANED = ["user", "organisation", "photo"]


class ImportRowsError(Exception):
    """The file has bad rows and the person did not choose to import the valid rows only."""


def _new_profile(user: User, person: PersonRow) -> TraineeProfile:
    profile = TraineeProfile(user=user, organisation_id=person.organisation_id, **person.values)
    profile.full_clean(exclude=_NOT_CLEANED, validate_unique=False, validate_constraints=False)
    return profile


def _people_create(people: list[PersonRow]) -> list[int]:
    users = []
    for person in people:
        # No password: the person sets one from the invitation link.
        user = User(email=person.email, password=make_password(None))
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH)
    TraineeProfile.objects.bulk_create(
        [_new_profile(user, person) for user, person in zip(users, people, strict=True)],
        batch_size=BATCH,
    )
    # The officer or manager vouched for the address: no confirmation email is needed.
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=BATCH,
    )
    trainee_group = Group.objects.get(name=roles.TRAINEE)
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=user.pk, group_id=trainee_group.pk) for user in users],
        batch_size=BATCH,
    )
    return [user.pk for user in users]


def _people_update(people: list[PersonRow]) -> list[int]:
    missing_profile = [person for person in people if person.profile_id is None]
    if missing_profile:
        users = User.objects.in_bulk([person.user_id for person in missing_profile])
        TraineeProfile.objects.bulk_create(
            [_new_profile(users[person.user_id], person) for person in missing_profile]
        )
    changed = [person for person in people if person.profile_id is not None]
    profiles = TraineeProfile.objects.in_bulk([person.profile_id for person in changed])
    fields: set[str] = set()
    for person in changed:
        profile = profiles[person.profile_id]
        for name, value in person.changes.items():
            setattr(profile, name, value)
        profile.full_clean(exclude=_NOT_CLEANED, validate_unique=False, validate_constraints=False)
        fields.update(person.changes)
    if fields:
        TraineeProfile.objects.bulk_update(
            list(profiles.values()), sorted(fields), batch_size=BATCH
        )
    return [person.user_id for person in people]


def _invitations_enqueue(user_ids: list[int]) -> None:
    """Through the outbox, in this transaction: the invitations exist if and only if the
    people do, even when the broker is down at this moment."""
    from institute.outbox import enqueue

    from .tasks import trainee_invitations_send

    for start in range(0, len(user_ids), INVITATION_BATCH):
        enqueue(trainee_invitations_send, user_ids[start : start + INVITATION_BATCH])


@transaction.atomic
def trainees_import_write(
    *, check: ImportCheck, by, job, valid_only: bool, send_invitations: bool
) -> dict:
    """Create and update the people of a checked file; bad rows stop it unless `valid_only`."""
    counts = check.counts()
    if counts["invalid"] and not valid_only:
        raise ImportRowsError(counts["invalid"])
    created = _people_create(check.rows_with("create"))
    updated = _people_update(check.rows_with("update"))
    if created or updated:
        audit_record_create(
            actor=by,
            action="trainees.imported",
            target=job,
            data={
                "file": job.parameters.get("filename", ""),
                "counts": counts,
                "valid_only": valid_only,
                "created_user_ids": created,
                "updated_user_ids": updated,
            },
        )
    if send_invitations and created:
        _invitations_enqueue(created)
    invitations = len(created) if send_invitations else 0
    return {"counts": counts, "invitations": invitations}
