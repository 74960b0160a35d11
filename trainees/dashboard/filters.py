"""The dashboard's query string, validated: `?organisation=<id|none>&scheme=<code|id>&period=`
(`30d`, `90d`, `365d`, or `YYYY-MM-DD..YYYY-MM-DD` with either end open), plus the keys of one
drill-down list. The same forms read the parameters of an export job, so a job's rows are
exactly the rows of the list it was started from.
"""

from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from exams.models import Exam

from ..models import Organisation, Scheme
from ..selectors_dashboard import EXPIRY_HORIZONS, STATES, DashboardFilters

FILTER_KEYS = ("organisation", "scheme", "period")
RELATIVE_PERIODS = {"30d": 30, "90d": 90, "365d": 365}
NO_ORGANISATION = "none"


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise forms.ValidationError(
            _("“%(value)s” is not a date (YYYY-MM-DD)."), params={"value": text}
        ) from error
    if not 1900 <= day.year <= 2999:  # also keeps `last + 1 day` and time zones in range
        raise forms.ValidationError(_("The period is out of range."))
    return day


def _as_id(value: str) -> int | None:
    """A database id, or None: ASCII digits only (`"²".isdigit()` is true) and in range."""
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def parse_period(text: str) -> tuple[datetime | None, datetime | None]:
    """(start, exclusive end); a date range includes both of its days."""
    text = text.strip()
    if not text:
        return None, None
    if text in RELATIVE_PERIODS:
        return timezone.now() - timedelta(days=RELATIVE_PERIODS[text]), None
    if ".." not in text:
        raise forms.ValidationError(
            _("Period must be 30d, 90d, 365d or a range like 2026-01-01..2026-06-30.")
        )
    first, last = (_day(part.strip()) for part in text.split("..", 1))
    if first and last and first > last:
        raise forms.ValidationError(_("The period starts after it ends."))
    return (_midnight(first) if first else None,
            _midnight(last + timedelta(days=1)) if last else None)  # fmt: skip


class DashboardFilterForm(forms.Form):
    organisation = forms.CharField(required=False, label=_("Organisation"))
    scheme = forms.CharField(required=False, label=_("Scheme"))
    period = forms.CharField(required=False, label=_("Period"))

    def clean_organisation(self):
        value = self.cleaned_data["organisation"].strip()
        if value in ("", NO_ORGANISATION):
            return value
        pk = _as_id(value)
        found = Organisation.objects.filter(pk=pk).first() if pk is not None else None
        if found is None:
            raise forms.ValidationError(_("There is no such organisation."))
        return found

    def clean_scheme(self):
        value = self.cleaned_data["scheme"].strip()
        if not value:
            return None
        # A code may be all digits: the code wins over an id.
        found = Scheme.objects.filter(code=value).first()
        if found is None and _as_id(value) is not None:
            found = Scheme.objects.filter(pk=_as_id(value)).first()
        if found is None:
            raise forms.ValidationError(_("There is no such scheme."))
        return found

    def clean_period(self):
        return parse_period(self.cleaned_data["period"])

    def filters(self) -> DashboardFilters:
        organisation = self.cleaned_data["organisation"]
        start, end = self.cleaned_data["period"]
        return DashboardFilters(
            organisation=organisation if isinstance(organisation, Organisation) else None,
            without_organisation=organisation == NO_ORGANISATION,
            scheme=self.cleaned_data["scheme"],
            start=start,
            end=end,
        )


# --- The keys of each drill-down list ----------------------------------------------------------


class CredentialListForm(forms.Form):
    state = forms.ChoiceField(required=False, choices=[("", "")] + list(STATES.items()))
    expires_within = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None,
        choices=[("", "")] + [(str(days), str(days)) for days in EXPIRY_HORIZONS],
    )  # fmt: skip

    def options(self) -> dict:
        return {"state": self.cleaned_data["state"],
                "expires_within": self.cleaned_data["expires_within"]}  # fmt: skip


class AttemptListForm(forms.Form):
    exam = forms.ModelChoiceField(queryset=Exam.objects.all(), label=_("Exam"))
    month = forms.RegexField(
        regex=r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$", required=False, label=_("Month")
    )
    result = forms.ChoiceField(
        required=False, choices=[("", ""), ("passed", _("passed")), ("failed", _("failed"))]
    )

    def options(self) -> dict:
        month = self.cleaned_data["month"]
        return {
            "exam_id": self.cleaned_data["exam"].pk,
            "month": tuple(int(part) for part in month.split("-")) if month else None,
            "result": self.cleaned_data["result"],
        }


class EnrolmentListForm(forms.Form):
    measure = forms.ChoiceField(
        choices=[("enrolled", _("enrolled")), ("completed", _("completed"))], label=_("Measure")
    )
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.all(), required=False, label=_("Course")
    )

    def options(self) -> dict:
        course = self.cleaned_data["course"]
        return {"measure": self.cleaned_data["measure"], "course_id": course and course.pk}


class NoOptionsForm(forms.Form):
    def options(self) -> dict:
        return {}


def clean_query(data, keys) -> dict[str, str]:
    """The known, non-empty parameters as plain strings (for links and job parameters)."""
    return {key: data.get(key, "").strip() for key in keys if (data.get(key) or "").strip()}


def query_string(base: dict[str, str], **overrides) -> str:
    """`base` with some keys replaced (None removes one), as `?a=b` or an empty string."""
    merged = {**base, **{key: str(value) for key, value in overrides.items() if value is not None}}
    for key, value in overrides.items():
        if value is None:
            merged.pop(key, None)
    return "?" + urlencode(merged) if merged else ""
