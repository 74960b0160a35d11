"""Eligibility: every requirement of a scheme version evaluated against a person's records.

Each requirement yields a `RequirementResult` (ticked or outstanding, with a link to what
to do next). Requirement kinds backed by courses and exams are evaluated when those apps
provide their selectors (see `_optional_selector`).
"""

from dataclasses import asdict, dataclass
from importlib import import_module

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Application, Credential, SchemeVersion
from .records import PersonRecords


@dataclass
class RequirementResult:
    code: str
    label: str
    met: bool
    detail: str = ""
    url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _optional_selector(dotted: str):
    """A selector of another app, or None while that app does not provide it yet."""
    module_name, _dot, name = dotted.rpartition(".")
    try:
        return getattr(import_module(module_name), name)
    except (ImportError, AttributeError):
        return None


def _safe_reverse(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _prerequisite_results(version: SchemeVersion, records) -> list[RequirementResult]:
    held = records.held_scheme_ids
    return [
        RequirementResult(
            code=f"credential:{required.scheme.code}",
            label=_("Holds a valid credential: %(scheme)s") % {"scheme": required.scheme.title},
            met=required.scheme_id in held,
            url=_safe_reverse("certification-home"),
        )
        for required in version.required_credentials.all()
    ]


def _experience_result(version: SchemeVersion, experience_months: int | None):
    if not version.min_experience_months:
        return []
    declared = experience_months or 0
    return [
        RequirementResult(
            code="experience",
            label=_("At least %(months)s months of relevant experience")
            % {"months": version.min_experience_months},
            met=declared >= version.min_experience_months,
            detail=_("Declared: %(months)s months (with evidence in the application)")
            % {"months": declared},
        )
    ]


def requirement_results(
    *, version: SchemeVersion, user, experience_months: int | None = None, records=None
) -> list[RequirementResult]:
    """Pass the same `records` when evaluating many versions for one person (read once)."""
    from .requirements_external import external_results

    records = records or PersonRecords(user)
    results = _prerequisite_results(version, records)
    results += external_results(version=version, records=records)
    results += _experience_result(version, experience_months)
    return results


def renewal_results(*, credential: Credential, records=None) -> list[RequirementResult]:
    """Recertification: inside the window (or grace), CPD hours met, refresher if required."""
    records = records or PersonRecords(credential.holder)
    version = credential.scheme_version
    now = timezone.now()
    window_opens = credential.valid_until - timezone.timedelta(days=version.renewal_window_days)
    window_closes = credential.valid_until + timezone.timedelta(days=version.grace_days)
    # CPD activities carry the institute's local date; compare local dates, not UTC ones.
    cycle_start = timezone.localdate(credential.valid_from)
    hours = records.cpd_hours(start=cycle_start, end=timezone.localdate(now))
    results = [
        RequirementResult(
            code="renewal-window",
            label=_("Within the renewal window"),
            met=window_opens <= now <= window_closes
            and credential.status in (Credential.Status.ACTIVE, Credential.Status.EXPIRED),
            detail=_("Opens %(opens)s, closes %(closes)s")
            % {"opens": f"{window_opens:%Y-%m-%d}", "closes": f"{window_closes:%Y-%m-%d}"},
        ),
        RequirementResult(
            code="cpd",
            label=_("CPD hours in this cycle: %(required)s")
            % {"required": version.renewal_cpd_hours},
            met=hours >= version.renewal_cpd_hours,
            detail=_("Approved so far: %(hours)s h") % {"hours": hours},
            url=_safe_reverse("cpd-ledger"),
        ),
    ]
    if version.renewal_requires_refresher:
        from .requirements_external import refresher_result

        results.append(refresher_result(credential=credential, records=records))
    return results


def application_results(application: Application) -> list[RequirementResult]:
    if application.kind == Application.Kind.RENEWAL and application.renews_id:
        results = renewal_results(credential=application.renews)
        if application.scheme_version.renewal_requires_refresher:
            results = _refresher_from_evidence(application, results)
        return results
    return requirement_results(
        version=application.scheme_version,
        user=application.candidate,
        experience_months=application.experience_months,
    )


def staff_recorded_evidence(application: Application):
    """Evidence recorded by institute staff (officers, instructors), never by the candidate.

    Only this evidence may tick a requirement or exclude a decider: what candidates or their
    managers upload supports the application but decides nothing on its own.
    """
    from ..roles import INSTRUCTOR, OFFICER

    return application.evidence.filter(
        Q(added_by__groups__name__in=[OFFICER, INSTRUCTOR]) | Q(added_by__is_superuser=True)
    ).exclude(added_by_id=application.candidate_id)


def _refresher_from_evidence(application, results):
    """A refresher exam recorded by staff as examination evidence on the application counts."""
    has_record = staff_recorded_evidence(application).filter(kind="examination").exists()
    for result in results:
        if result.code == "refresher" and has_record:
            result.met = True
    return results


def conflicted_staff_ids(application: Application) -> set[int]:
    """Staff who trained or examined the candidate: they may not decide (impartiality)."""
    ids = set(
        staff_recorded_evidence(application)
        .exclude(staff=None)
        .values_list("staff_id", flat=True)
        .distinct()
    )
    for dotted in (
        "courses.selectors.instructor_user_ids_for",
        "exams.selectors.examiner_user_ids_for",
    ):
        selector = _optional_selector(dotted)
        if selector is not None:
            ids |= set(selector(user=application.candidate))
    return ids
