"""Reads of an organisation's staff and their certification status, shared by the manager
pages, the CSV/XLSX export and the HR API: the same rows, the same rules.

Every function works on a batch of people with a fixed number of queries (no N+1).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Enrolment
from exams.models import Attempt

from . import roles
from .models import Credential, Organisation, User

EXPIRING_WITHIN = timedelta(days=90)

# What a person's credential means for their employer today.
STATES = {
    "valid": _("Valid"),
    "expiring": _("Expiring within 90 days"),
    "expired": _("Expired"),
    "suspended": _("Suspended"),
    "withdrawn": _("Withdrawn"),
}


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Officers see every organisation; a manager only the ones they manage."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if roles.is_officer(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(managers=user)


def credential_state(credential: Credential, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if credential.status in (Credential.Status.SUSPENDED, Credential.Status.WITHDRAWN):
        return credential.status
    if credential.status == Credential.Status.EXPIRED or credential.valid_until <= now:
        return "expired"
    if credential.valid_until <= now + EXPIRING_WITHIN:
        return "expiring"
    return "valid"


def _state_condition(state: str, now: datetime) -> Q:
    active = Q(status=Credential.Status.ACTIVE)
    conditions = {
        "valid": active & Q(valid_until__gt=now + EXPIRING_WITHIN),
        "expiring": active & Q(valid_until__gt=now, valid_until__lte=now + EXPIRING_WITHIN),
        "expired": Q(status=Credential.Status.EXPIRED) | (active & Q(valid_until__lte=now)),
        "suspended": Q(status=Credential.Status.SUSPENDED),
        "withdrawn": Q(status=Credential.Status.WITHDRAWN),
    }
    return conditions[state]


def organisation_staff(
    *, organisation: Organisation, query: str = "", state: str = ""
) -> QuerySet[User]:
    """The organisation's staff, optionally by name/email and by the state of a credential."""
    people = User.objects.filter(profile__organisation=organisation).select_related("profile")
    query = query.strip()
    if query:
        people = people.filter(
            Q(profile__name_zh__icontains=query)
            | Q(profile__name_latin__icontains=query)
            | Q(email__icontains=query)
        )
    if state in STATES:
        holders = Credential.objects.filter(_state_condition(state, timezone.now()))
        people = people.filter(pk__in=holders.values("holder_id"))
    return people.order_by("profile__name_zh", "profile__name_latin", "email")


# What the staff pages, their exports and the HR API show of a credential and an enrolment:
# read alone, not the signed documents of each credential nor every column of each course
# page (a Wagtail page of some forty columns, built once per enrolment row).
CREDENTIAL_FIELDS = ("number", "holder_id", "status", "issued_at", "valid_from", "valid_until",
                     "scheme_version__scheme__code", "scheme_version__scheme__title_zh",
                     "scheme_version__scheme__title_en")  # fmt: skip
ENROLMENT_FIELDS = ("user_id", "status", "completed_at", "progress_percent", "course__code",
                    "course__title")  # fmt: skip


def staff_credentials(people_ids) -> dict[int, list[Credential]]:
    """Current credentials (not superseded by a renewal) per person, newest first."""
    credentials = (
        Credential.objects.filter(holder_id__in=people_ids)
        .exclude(status=Credential.Status.SUPERSEDED)
        .select_related("scheme_version__scheme")
        .only(*CREDENTIAL_FIELDS)
        .order_by("-issued_at")
    )
    by_person: dict[int, list[Credential]] = {}
    now = timezone.now()
    for credential in credentials:
        credential.state = credential_state(credential, now)
        credential.state_label = STATES[credential.state]
        by_person.setdefault(credential.holder_id, []).append(credential)
    return by_person


@dataclass
class ExamResult:
    exam_id: int
    title_zh: str
    title_en: str
    best_percent: Decimal
    passed: bool


@dataclass
class StaffRow:
    person: User
    completed: list = field(default_factory=list)
    in_progress: list = field(default_factory=list)
    exam_results: list = field(default_factory=list)
    credentials: list = field(default_factory=list)


def _best_exam_results(people_ids) -> dict[int, list[ExamResult]]:
    """Best released, graded result per person and exam (as `exams.selectors.best_results`,
    for many people in one query)."""
    rows = (
        Attempt.objects.filter(
            user_id__in=people_ids, status=Attempt.Status.GRADED, released_at__isnull=False
        )
        .values("user_id", "exam_id", "exam__title_zh", "exam__title_en", "exam__pass_mark")
        .annotate(best=Max("score_percent"))
        .order_by("user_id", "exam__title_zh")
    )
    results: dict[int, list[ExamResult]] = {}
    for row in rows:
        best = row["best"] or Decimal("0")
        results.setdefault(row["user_id"], []).append(
            ExamResult(
                exam_id=row["exam_id"],
                title_zh=row["exam__title_zh"],
                title_en=row["exam__title_en"],
                best_percent=best,
                passed=best >= row["exam__pass_mark"],
            )
        )
    return results


def staff_rows(people) -> list[StaffRow]:
    """One row per person: courses completed / in progress, best exam results, credentials.

    Four queries whatever the number of people (people, enrolments, attempts, credentials).
    """
    people = list(people)
    ids = [person.pk for person in people]
    rows = {person.pk: StaffRow(person=person) for person in people}
    enrolments = (
        Enrolment.objects.filter(
            user_id__in=ids,
            status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED],
        )
        .select_related("course")
        .only(*ENROLMENT_FIELDS)
        .order_by("course__code")
    )
    for enrolment in enrolments:
        row = rows[enrolment.user_id]
        if enrolment.status == Enrolment.Status.COMPLETED:
            row.completed.append(enrolment)
        else:
            row.in_progress.append(enrolment)
    for person_id, results in _best_exam_results(ids).items():
        rows[person_id].exam_results = results
    for person_id, credentials in staff_credentials(ids).items():
        rows[person_id].credentials = credentials
    return list(rows.values())


def staff_credential_rows(people) -> list[StaffRow]:
    """Rows with credentials only (what the HR API shows): two queries for any number."""
    people = list(people)
    credentials = staff_credentials([person.pk for person in people])
    return [StaffRow(person=p, credentials=credentials.get(p.pk, [])) for p in people]
