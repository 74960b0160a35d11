"""Manager portal: an organisation's staff and their certification status, with exports.

Managers of the organisation and certification officers only; for everyone else the
organisation does not exist (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from institute.audit import audit_record_create
from institute.permissions import get_object_or_404_for

from . import organisation_export, roles
from . import selectors_organisation as selectors
from .forms_organisation import StaffApplicationForm, schemes_open
from .models import Organisation
from .services.staff_applications import staff_applications_submit

PAGE_SIZE = 25
EXPORTS = {"csv": organisation_export.csv_response, "xlsx": organisation_export.xlsx_response}


@login_required
def organisation_list(request):
    """Where the manager portal starts: straight to the one organisation a manager manages,
    a searchable list for officers (and managers of several); 404 for everyone else."""
    organisations = selectors.organisations_visible_to(request.user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        organisations = organisations.filter(
            Q(name_zh__icontains=query) | Q(name_en__icontains=query) | Q(credit_code=query)
        )
    page = Paginator(organisations.order_by("name_zh", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if not query and page.paginator.count == 1:
        return redirect("organisation-staff-status", pk=page.object_list[0].pk)
    if not query and page.paginator.count == 0:
        raise Http404
    context = {"page_obj": page, "query": query}
    return render(request, "trainees/organisation_list.html", context)


@login_required
def organisation_staff_status(request, pk: int):
    organisation = get_object_or_404_for(
        request.user, "trainees.view_organisation_staff", Organisation.objects.all(), pk=pk
    )
    query = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("status", "")
    state = state if state in selectors.STATES else ""
    people = selectors.organisation_staff(organisation=organisation, query=query, state=state)
    export = request.GET.get("format", "")
    if export:
        return _export(request, organisation, people, export)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "page_obj": page,
        "rows": selectors.staff_rows(page.object_list),
        "query": query,
        "state": state,
        "states": selectors.STATES,
        "schemes": schemes_open(),
        # The course enrolment page is the manager's own (no query: roles are read already).
        "manages": roles.is_manager(request.user),
    }
    return render(request, "trainees/organisation_staff.html", context)


@login_required
@require_POST
def organisation_staff_apply(request, pk: int):
    """Start certification applications for the chosen staff (all of them, or none)."""
    organisation = get_object_or_404_for(
        request.user, "trainees.view_organisation_staff", Organisation.objects.all(), pk=pk
    )
    form = StaffApplicationForm(request.POST, organisation=organisation)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("organisation-staff-status", pk=organisation.pk)
    try:
        applications = staff_applications_submit(
            people=form.cleaned_data["people"], scheme=form.cleaned_data["scheme"], by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        messages.error(request, _("No application was submitted."))
    else:
        messages.success(
            request,
            _("%(count)d certification application(s) submitted.") % {"count": len(applications)},
        )
    return redirect("organisation-staff-status", pk=organisation.pk)


def _export(request, organisation, people, export: str):
    if export not in EXPORTS:
        raise Http404
    rows = selectors.staff_rows(people)
    with transaction.atomic():
        # Staff records leave the platform: who exported what is kept.
        audit_record_create(
            actor=request.user,
            action="organisation.staff_export",
            target=organisation,
            data={"format": export, "rows": len(rows), "q": request.GET.get("q", "")},
        )
    filename = f"staff-{organisation.credit_code}"
    return EXPORTS[export](rows, filename)
