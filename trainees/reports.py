"""The dashboard's drill-down lists as reports: one definition gives the admin list its rows
and columns, and the CSV/XLSX export job the very same rows and cells.

Only certification officers see them (`trainees.view_certification_dashboard`); an export
job checks its owner again when it runs.
"""

import csv
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import SimpleNamespace

import rules
from django import forms
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import Enrolment
from institute.jobs import job_fail, job_progress, job_start, job_succeed
from institute.models import Job
from institute.permissions import can

from .dashboard import filters as filter_forms
from .models import CpdActivity
from .organisation_export import FORMULA_STARTS
from .rules import is_officer
from .selectors_dashboard import (
    STATES,
    DashboardFilters,
    attempt_rows,
    cpd_rows,
    credential_rows,
    enrolment_rows,
    training_hour_rows,
)
from .selectors_organisation import credential_state

logger = logging.getLogger(__name__)

PERMISSION = "trainees.view_certification_dashboard"
rules.add_perm(PERMISSION, is_officer)

FORMATS = ("csv", "xlsx")
PROGRESS_EVERY = 1000


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# Rows are read as dictionaries of these columns, not model instances: an export of 100,000
# rows would otherwise spend most of its time building six objects per row.
def _person_fields(person: str) -> tuple[str, ...]:
    return (f"{person}__profile__name_zh", f"{person}__profile__name_latin",
            f"{person}__first_name", f"{person}__last_name", f"{person}__email",
            f"{person}__profile__organisation__name_zh")  # fmt: skip


def _person(row: dict, person: str) -> list[str]:
    full_name = f"{row[f'{person}__first_name']} {row[f'{person}__last_name']}".strip()
    name = row[f"{person}__profile__name_zh"] or row[f"{person}__profile__name_latin"]
    return [name or full_name, row[f"{person}__email"],
            row[f"{person}__profile__organisation__name_zh"] or ""]  # fmt: skip


def _credential_headers() -> list[str]:
    return [_("Number"), _("Holder"), _("Email"), _("Organisation"), _("Scheme"), _("State"),
            _("Issued"), _("Valid until")]  # fmt: skip


CREDENTIAL_FIELDS = ("number", *_person_fields("holder"), "scheme_version__scheme__code",
                     "status", "issued_at", "valid_until")  # fmt: skip


def _credential_cells(row: dict) -> list:
    state = credential_state(SimpleNamespace(status=row["status"], valid_until=row["valid_until"]))
    return [row["number"], *_person(row, "holder"), row["scheme_version__scheme__code"],
            str(STATES[state]), _when(row["issued_at"]), _when(row["valid_until"])]  # fmt: skip


def _attempt_headers() -> list[str]:
    return [_("Exam"), _("Candidate"), _("Email"), _("Organisation"), _("Attempt"),
            _("Submitted"), _("Score (%)"), _("Result")]  # fmt: skip


ATTEMPT_FIELDS = ("exam__title_zh", *_person_fields("user"), "number", "submitted_at",
                  "score_percent", "passed")  # fmt: skip


def _attempt_cells(row: dict) -> list:
    result = _("passed") if row["passed"] else _("failed")
    return [row["exam__title_zh"], *_person(row, "user"), row["number"],
            _when(row["submitted_at"]), row["score_percent"], result]  # fmt: skip


def _enrolment_headers() -> list[str]:
    return [_("Course code"), _("Course"), _("Trainee"), _("Email"), _("Organisation"),
            _("Status"), _("Requested"), _("Completed"), _("Hours")]  # fmt: skip


ENROLMENT_FIELDS = ("course__code", "course__title", *_person_fields("user"), "status",
                    "requested_at", "completed_at", "hours_counted")  # fmt: skip


def _enrolment_cells(row: dict) -> list:
    completed = row["status"] == Enrolment.Status.COMPLETED
    return [row["course__code"], row["course__title"], *_person(row, "user"),
            str(Enrolment.Status(row["status"]).label), _when(row["requested_at"]),
            _when(row["completed_at"]), row["hours_counted"] if completed else ""]  # fmt: skip


def _cpd_headers() -> list[str]:
    return [_("Date"), _("Person"), _("Email"), _("Organisation"), _("Activity"), _("Category"),
            _("Hours")]  # fmt: skip


CPD_FIELDS = ("date", *_person_fields("user"), "title", "category", "hours")


def _cpd_cells(row: dict) -> list:
    category = CpdActivity.Category(row["category"]).label
    return [row["date"].isoformat(), *_person(row, "user"), row["title"], str(category),
            row["hours"]]  # fmt: skip


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    options_form: type[forms.Form]
    option_keys: tuple[str, ...]
    select: Callable[..., QuerySet]  # (filters, **options) -> the ordered rows
    fields: tuple[str, ...]
    headers: Callable[[], list[str]]
    cells: Callable[[dict], list]

    @property
    def keys(self) -> tuple[str, ...]:
        return filter_forms.FILTER_KEYS + self.option_keys


REPORTS = {
    report.name: report
    for report in (
        Report("credentials", gettext_lazy("Credentials"), filter_forms.CredentialListForm,
               ("state", "expires_within"), credential_rows, CREDENTIAL_FIELDS,
               _credential_headers, _credential_cells),
        Report("attempts", gettext_lazy("Exam attempts"), filter_forms.AttemptListForm,
               ("exam", "month", "result"), attempt_rows, ATTEMPT_FIELDS, _attempt_headers,
               _attempt_cells),
        Report("enrolments", gettext_lazy("Enrolments"), filter_forms.EnrolmentListForm,
               ("measure", "course"), enrolment_rows, ENROLMENT_FIELDS, _enrolment_headers,
               _enrolment_cells),
        Report("training-hours", gettext_lazy("Training hours"), filter_forms.NoOptionsForm, (),
               training_hour_rows, ENROLMENT_FIELDS, _enrolment_headers, _enrolment_cells),
        Report("cpd-hours", gettext_lazy("CPD hours"), filter_forms.NoOptionsForm, (),
               cpd_rows, CPD_FIELDS, _cpd_headers, _cpd_cells),
    )
}  # fmt: skip


@dataclass
class BoundReport:
    report: Report
    query: dict[str, str]
    filters: DashboardFilters | None
    options: dict
    errors: list[str]

    def queryset(self) -> QuerySet:
        return self.report.select(self.filters, **self.options)

    def rows(self) -> QuerySet:
        """The report's rows in order, as dictionaries of its columns."""
        return self.queryset().values(*self.report.fields)

    def count(self) -> int:
        """How many rows `rows()` gives, counted without the joins its columns need (only
        the filters' joins): on 100,000 trainees the count of the 6,400 credentials expiring
        within 90 days read every person through those joins (36 ms, 2 ms without). Every
        column join is a non-null foreign key or a LEFT JOIN, so the number is the same."""
        return self.queryset().order_by().count()


def report_bind(report: Report, data) -> BoundReport:
    """Validate the query string of a report; errors are messages for the person."""
    query = filter_forms.clean_query(data, report.keys)
    filter_form = filter_forms.DashboardFilterForm(query)
    options_form = report.options_form(query)
    valid = filter_form.is_valid() & options_form.is_valid()  # both, for every message
    errors = [f"{form[name].label or name}: {message}"
              for form in (filter_form, options_form)
              for name, messages in form.errors.items() for message in messages]  # fmt: skip
    if not valid:
        return BoundReport(report, query, None, {}, errors)
    return BoundReport(report, query, filter_form.filters(), options_form.options(), [])


# --- Files -------------------------------------------------------------------------------------


def _safe(value) -> object:
    """Numbers stay numbers; text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(headers: list[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_xlsx(headers: list[str], rows: Iterable[list], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The export job ----------------------------------------------------------------------------


def _cells_with_progress(bound: BoundReport, job_id) -> Iterable[list]:
    for done, row in enumerate(bound.rows().iterator(chunk_size=2000), start=1):
        if done % PROGRESS_EVERY == 0:
            job_progress(job_id=job_id, done=done)
        yield bound.report.cells(row)


def report_export_run(*, job_id) -> None:
    """Write the rows of a report job into its file. A finished job, or one another worker
    is running, is left alone (`job_start` decides; a job whose worker died is taken over)."""
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        return
    parameters = job.parameters
    with translation.override(parameters.get("language") or None):
        report = REPORTS[parameters["report"]]
        bound = report_bind(report, parameters.get("query", {}))
        if not can(job.owner, PERMISSION) or bound.errors:
            job_fail(job_id=job_id, error="; ".join(bound.errors) or _("Not allowed."))
            return
        if job_start(job_id=job_id, total=bound.count()) is None:
            return
        try:
            _write_output(job_id, bound, parameters.get("format", "csv"))
        except Exception as error:  # the person sees a failed job, not an endless spinner
            logger.exception("report export %s failed", job_id)
            job_fail(job_id=job_id, error=str(error) or error.__class__.__name__)


def _write_output(job_id, bound: BoundReport, file_format: str) -> None:
    counter = {"rows": 0}

    def counted(rows):
        for row in rows:
            counter["rows"] += 1
            yield row

    cells = counted(_cells_with_progress(bound, job_id))
    headers = bound.report.headers()
    if file_format == "xlsx":
        content = write_xlsx(headers, cells, str(bound.report.title))
    else:
        content = write_csv(headers, cells)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    job_succeed(job_id=job_id, result={"rows": counter["rows"]},
                output_name=f"{bound.report.name}-{stamp}.{file_format}",
                output_content=content)  # fmt: skip
