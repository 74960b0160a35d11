"""Reads of the certification domain, shared by HTML views, the API and tasks.

Visibility rules live here once: `credentials_visible_to`, `applications_visible_to`.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from . import roles
from .models import (
    Application,
    CpdActivity,
    Credential,
    Organisation,
    Scheme,
    SchemeVersion,
    TraineeProfile,
    User,
)


def current_versions() -> list[SchemeVersion]:
    """The newest published version of every open scheme (what new applicants get)."""
    versions = (
        SchemeVersion.objects.filter(is_published=True, scheme__is_active=True)
        .select_related("scheme")
        .prefetch_related(
            "required_credentials__scheme",
            "required_courses__course",
            "required_exams__exam",
            "required_practicals__course",
        )
        .order_by("scheme__code", "-number")
    )
    newest: dict[int, SchemeVersion] = {}
    for version in versions:
        newest.setdefault(version.scheme_id, version)
    return list(newest.values())


def current_version(*, scheme: Scheme) -> SchemeVersion | None:
    return scheme.versions.filter(is_published=True).order_by("-number").first()


def _credential_queryset():
    return Credential.objects.select_related(
        "holder__profile__organisation", "scheme_version__scheme", "superseded_by"
    )


def credentials_visible_to(user):
    """Own credentials; an organisation manager's staff; everything for officers."""
    queryset = _credential_queryset()
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if roles.is_officer(user):
        return queryset
    return queryset.filter(
        Q(holder=user) | Q(holder__profile__organisation__managers=user)
    ).distinct()


def applications_visible_to(user):
    queryset = Application.objects.select_related(
        "candidate__profile__organisation", "scheme_version__scheme", "decided_by__profile"
    )
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if roles.is_officer(user):
        return queryset
    return queryset.filter(
        Q(candidate=user) | Q(candidate__profile__organisation__managers=user)
    ).distinct()


def people_visible_to(user):
    """Whose pathway progress the user may see: self, own organisation's staff, or anyone."""
    queryset = User.objects.select_related("profile__organisation")
    if roles.is_officer(user):
        return queryset
    return queryset.filter(Q(pk=user.pk) | Q(profile__organisation__managers=user)).distinct()


def credential_public_get(*, number: str) -> Credential | None:
    return _credential_queryset().filter(number=number).first()


# Large columns of a credential that lists never show (the signed Open Badges document, its
# JWT and the PDF's path).
SIGNED_DOCUMENTS = ("ob3_json", "ob3_jwt", "pdf")


def register_search(*, query: str, limit: int = 50):
    """Public register: credentials by number, holder name or organisation (ISO/IEC 17024)."""
    query = query.strip()
    if len(query) < 2:
        return _credential_queryset().none()
    # Each way of matching is its own indexed lookup (trainees 0009_report_indexes), united:
    # one OR across the joined tables made PostgreSQL join every credential to its holder and
    # organisation before filtering (700 ms at 150,000 credentials).
    organisations = Organisation.objects.filter(
        Q(name_zh__icontains=query) | Q(name_en__icontains=query)
    ).values("pk")
    profiles = TraineeProfile.objects.order_by().values("user_id")
    people = profiles.filter(name_zh=query).union(
        profiles.filter(name_latin__iexact=query), profiles.filter(organisation__in=organisations)
    )
    credentials = Credential.objects.order_by().values("pk")
    matches = credentials.filter(number__iexact=query).union(
        credentials.filter(holder_id__in=people)
    )
    # The page's rows are chosen on the credential table alone (newest first), and only
    # those are joined to their holder, organisation and scheme: joining every match before
    # the sort took 11 ms for a common name at 100,000 trainees (half of it planning the
    # seven-table join around the union), 4 ms this way. The signed documents are not shown.
    newest = Credential.objects.filter(pk__in=matches).order_by("-issued_at", "-pk").values("pk")
    return (
        _credential_queryset()
        .filter(pk__in=newest[:limit])
        .defer(*SIGNED_DOCUMENTS, *(f"superseded_by__{name}" for name in SIGNED_DOCUMENTS))
        .order_by("-issued_at", "-pk")
    )


def valid_credentials(*, user) -> list[Credential]:
    now = timezone.now()
    return list(
        Credential.objects.filter(
            holder=user, status=Credential.Status.ACTIVE, valid_until__gt=now
        ).select_related("scheme_version__scheme")
    )


def credentials_expiring(*, within_days: int, organisation=None):
    now = timezone.now()
    queryset = _credential_queryset().filter(
        status=Credential.Status.ACTIVE,
        valid_until__gt=now,
        valid_until__lte=now + timedelta(days=within_days),
    )
    if organisation is not None:
        queryset = queryset.filter(holder__profile__organisation=organisation)
    return queryset


def cpd_hours(*, user, start, end) -> Decimal:
    """Approved CPD hours dated within [start, end] (one certification cycle)."""
    total = CpdActivity.objects.filter(
        user=user, status=CpdActivity.Status.APPROVED, date__gte=start, date__lte=end
    ).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")


def my_credentials(*, user):
    return (
        _credential_queryset()
        .filter(holder=user)
        .prefetch_related(Prefetch("renewal_applications"))
        .order_by("-issued_at", "-pk")
    )


def decision_queue():
    """Open applications for officers, oldest first."""
    return (
        Application.objects.filter(status=Application.Status.SUBMITTED)
        .select_related("candidate__profile__organisation", "scheme_version__scheme")
        .order_by("created_at")
    )
