"""Certification pages: thin views (permission-checked getter, one service call, render)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from institute.audit import audit_history
from institute.permissions import can, get_object_or_404_for

from . import roles, selectors, services
from .credentials.public import current_status, public_summary
from .forms import (
    ApplicationForm,
    CpdForm,
    CpdReviewForm,
    CredentialActionForm,
    DecisionForm,
    EvidenceForm,
)
from .models import Application, CpdActivity, Credential, Scheme, User
from .services.eligibility import renewal_results, requirement_results
from .services.records import PersonRecords


def _error_messages(request, error) -> None:
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    for text in texts:
        messages.error(request, text)


def credential_verify(request, number: str):
    credential = selectors.credential_public_get(number=number)
    if credential is None:
        return render(request, "trainees/verify_not_found.html", {"number": number}, status=404)
    return render(request, "trainees/verify.html", {"summary": public_summary(credential)})


def register(request):
    query = request.GET.get("q", "")
    results = [public_summary(c) for c in selectors.register_search(query=query)]
    return render(request, "trainees/register.html", {"query": query, "results": results})


def _person_for(request) -> User:
    person_id = request.GET.get("person") or request.POST.get("person")
    if not person_id:
        return request.user
    if not re.fullmatch(r"[0-9]{1,18}", person_id):  # "abc", "²", "1.5": no such person
        raise Http404
    person = get_object_or_404(User.objects.select_related("profile"), pk=int(person_id))
    if not can(request.user, "trainees.view_pathway_progress", person):
        raise Http404
    return person


def _pathways(person, credentials) -> list[dict]:
    records = PersonRecords(person)  # read once for every scheme
    pathways = []
    for version in selectors.current_versions():
        held = [c for c in credentials if c.scheme_version.scheme_id == version.scheme_id]
        current = next((c for c in held if current_status(c) == Credential.Status.ACTIVE), None)
        results = (
            renewal_results(credential=current, records=records)
            if current
            else requirement_results(version=version, user=person, records=records)
        )
        pathways.append(
            {
                "version": version,
                "results": results,
                "current": current,
                "complete": all(r.met for r in results),
            }
        )
    return pathways


def _managed_staff(user) -> list:
    """An organisation manager's staff, to open each person's pathway progress."""
    if not roles.is_manager(user):
        return []
    return list(
        User.objects.filter(profile__organisation__managers=user)
        .exclude(pk=user.pk)
        .select_related("profile")
        .order_by("profile__name_zh")[:500]
    )


@login_required
def certification_home(request):
    person = _person_for(request)
    credentials = list(selectors.my_credentials(user=person))
    context = {
        "person": person,
        "pathways": _pathways(person, credentials),
        "credentials": credentials,
        "applications": selectors.applications_visible_to(request.user).filter(candidate=person),
        "application_form": ApplicationForm(),
        "is_officer": roles.is_officer(request.user),
        "staff": _managed_staff(request.user),
    }
    return render(request, "trainees/certification_home.html", context)


@login_required
@require_POST
def application_create(request, scheme_code: str):
    scheme = get_object_or_404(Scheme, code=scheme_code, is_active=True)
    person = _person_for(request)
    if not can(request.user, "trainees.apply_for", person):
        raise Http404
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the application form."))
        return redirect("certification-home")
    renews = (
        services.renewable_credential(user=person, scheme=scheme)
        if request.POST.get("renew")
        else None
    )
    try:
        application = services.application_submit(
            candidate=person, scheme=scheme, by=request.user, renews=renews, **form.cleaned_data
        )
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("certification-home")
    messages.success(request, _("Application submitted."))
    return redirect("application-detail", pk=application.pk)


@login_required
def application_list(request):
    queryset = selectors.applications_visible_to(request.user)
    if roles.is_officer(request.user):
        queryset = selectors.decision_queue()
    return render(request, "trainees/application_list.html", {"applications": queryset[:200]})


def _is_staff(user) -> bool:
    """Officers and instructors record training/examination evidence (it counts in decisions)."""
    return roles.is_officer(user) or roles.is_instructor(user)


def _application_for(request, pk: int) -> Application:
    return get_object_or_404_for(
        request.user,
        "trainees.view_application",
        selectors.applications_visible_to(request.user),
        pk=pk,
    )


@login_required
def application_detail(request, pk: int):
    application = _application_for(request, pk)
    context = {
        "application": application,
        "evidence": application.evidence.select_related("staff__profile", "added_by"),
        "history": audit_history(application),
        "can_decide": can(request.user, "trainees.decide_application", application),
        "decision_form": DecisionForm(),
        "evidence_form": EvidenceForm(staff_recorder=_is_staff(request.user)),
    }
    return render(request, "trainees/application_detail.html", context)


@login_required
@require_POST
def application_decide(request, pk: int):
    application = _application_for(request, pk)
    if not can(request.user, "trainees.decide_application", application):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.application_decide(
                application=application,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Decision recorded."))
        except (ValidationError, PermissionDenied) as error:
            _error_messages(request, error)
    return redirect("application-detail", pk=pk)


@login_required
@require_POST
def evidence_create(request, pk: int):
    application = _application_for(request, pk)
    form = EvidenceForm(request.POST, request.FILES, staff_recorder=_is_staff(request.user))
    if not form.is_valid():
        messages.error(request, _("Check the evidence form."))
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("application-detail", pk=pk)
    try:
        services.evidence_add(
            application=application,
            by=request.user,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            file=form.cleaned_data["file"],
            staff=form.cleaned_data.get("staff_email"),
        )
        messages.success(request, _("Evidence added."))
    except ValidationError as error:
        _error_messages(request, error)
    return redirect("application-detail", pk=pk)


def _credential_for(request, number: str) -> Credential:
    return get_object_or_404_for(
        request.user,
        "trainees.view_credential",
        selectors.credentials_visible_to(request.user),
        number=number,
    )


@login_required
def credential_detail(request, number: str):
    credential = _credential_for(request, number)
    context = {
        "credential": credential,
        "summary": public_summary(credential),
        "history": audit_history(credential),
        "can_change": can(request.user, "trainees.change_credential_status", credential),
        "action_form": CredentialActionForm(),
    }
    return render(request, "trainees/credential_detail.html", context)


@login_required
@require_POST
def credential_action(request, number: str):
    credential = _credential_for(request, number)
    if not can(request.user, "trainees.change_credential_status", credential):
        raise PermissionDenied
    form = CredentialActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("credential-detail", number=number)
    data = form.cleaned_data
    try:
        if data["action"] == "suspend":
            services.credential_suspend(
                credential=credential, by=request.user, reason=data["reason"], until=data["until"]
            )
        elif data["action"] == "reinstate":
            services.credential_reinstate(
                credential=credential, by=request.user, reason=data["reason"]
            )
        else:
            services.credential_withdraw(
                credential=credential, by=request.user, reason=data["reason"]
            )
        messages.success(request, _("Credential updated."))
    except (ValidationError, PermissionDenied) as error:
        _error_messages(request, error)
    return redirect("credential-detail", number=number)


@login_required
def cpd_ledger(request):
    form = CpdForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cpd_activity_create(user=request.user, **form.cleaned_data)
            messages.success(request, _("CPD activity recorded; an officer will review it."))
            return redirect("cpd-ledger")
        except ValidationError as error:
            _error_messages(request, error)
    services.cpd_course_completions_sync(user=request.user)
    activities = CpdActivity.objects.filter(user=request.user)
    pending = (
        CpdActivity.objects.filter(status=CpdActivity.Status.PENDING).select_related(
            "user__profile"
        )[:100]
        if roles.is_officer(request.user)
        else []
    )
    records = PersonRecords(request.user)
    cycles = [
        {"credential": c, "results": renewal_results(credential=c, records=records)}
        for c in selectors.my_credentials(user=request.user)
        if current_status(c) == Credential.Status.ACTIVE
    ]
    return render(
        request,
        "trainees/cpd_ledger.html",
        {
            "form": form,
            "activities": activities,
            "pending": pending,
            "cycles": cycles,
        },
    )


@login_required
@require_POST
def cpd_review(request, pk: int):
    activity = get_object_or_404(CpdActivity, pk=pk)
    if not can(request.user, "trainees.review_cpd", activity):
        raise Http404
    form = CpdReviewForm(request.POST)
    if form.is_valid():
        try:
            services.cpd_activity_review(
                activity=activity,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _error_messages(request, error)
    return redirect("cpd-ledger")
