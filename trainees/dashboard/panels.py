"""The dashboard's numbers arranged for the template: each number with the link to its list
and the size of its bar (charts are SVG drawn by the server: no script, no inline style)."""

from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from ..selectors_dashboard import (
    EXPIRY_HORIZONS,
    STATES,
    DashboardFilters,
    credentials_by_scheme,
    enrolments_per_course,
    pass_rates_by_month,
    training_hours_per_organisation,
)
from .filters import query_string


@lru_cache(maxsize=64)
def _report_path(report: str, script_prefix: str, urlconf, language: str | None) -> str:
    """Reversed once per list (the dashboard links to lists thousands of times), keyed by
    everything a reversed path depends on."""
    return reverse("certification_dashboard_report", args=[report])


def list_url(report: str, query: dict[str, str], **overrides) -> str:
    path = _report_path(report, get_script_prefix(), get_urlconf(), get_language())
    return path + query_string(query, **overrides)


def _share(part, whole) -> float:
    """Percentage for a bar's length (0-100), rounded for the SVG attribute."""
    return round(float(part) * 100 / float(whole), 1) if whole else 0.0


def credentials_panel(rows: list[dict], query: dict) -> dict:
    for row in rows:
        offset = 0.0
        row["url"] = list_url("credentials", query, scheme=row["code"])
        row["cells"] = []
        for state, count in row["states"].items():
            width = _share(count, row["total"])
            row["cells"].append({"state": state, "label": STATES[state], "count": count,
                                 "x": offset, "width": width,
                                 "url": list_url("credentials", query, scheme=row["code"],
                                                 state=state)})  # fmt: skip
            offset += width
    totals = [{"state": state, "label": STATES[state],
               "count": sum(row["states"][state] for row in rows),
               "url": list_url("credentials", query, state=state)} for state in STATES]  # fmt: skip
    return {"rows": rows, "totals": totals, "total": sum(row["total"] for row in rows),
            "total_url": list_url("credentials", query)}  # fmt: skip


def expiring_panel(rows: list[dict], query: dict) -> list[dict]:
    counts = {days: sum(row["expiring"][days] for row in rows) for days in EXPIRY_HORIZONS}
    largest = max(counts.values(), default=0)
    return [{"days": days, "count": counts[days], "width": _share(counts[days], largest),
             "url": list_url("credentials", query, expires_within=days)}
            for days in EXPIRY_HORIZONS]  # fmt: skip


def _month_point(row: dict, exam_query: dict, index: int) -> dict:
    month = f"{row['month']:%Y-%m}"
    rate = _share(row["passed"], row["attempts"])
    return {"month": month, "attempts": row["attempts"], "passed": row["passed"], "rate": rate,
            "x": index * 10 + 1, "y": 100 - rate,
            "attempts_url": list_url("attempts", exam_query, month=month),
            "passed_url": list_url("attempts", exam_query, month=month, result="passed")}  # fmt: skip


def pass_rates_panel(filters: DashboardFilters, query: dict) -> list[dict]:
    """One chart per exam: the pass rate of each month with attempts."""
    exams: dict[int, dict] = {}
    for row in pass_rates_by_month(filters):
        exam = exams.get(row["exam_id"])
        if exam is None:
            exam_query = {**query, "exam": str(row["exam_id"])}
            exam = exams[row["exam_id"]] = {
                "title_zh": row["exam__title_zh"], "title_en": row["exam__title_en"],
                "query": exam_query, "months": [], "attempts": 0, "passed": 0,
                "attempts_url": list_url("attempts", exam_query),
                "passed_url": list_url("attempts", exam_query, result="passed"),
            }  # fmt: skip
        exam["months"].append(_month_point(row, exam["query"], len(exam["months"])))
        exam["attempts"] += row["attempts"]
        exam["passed"] += row["passed"]
    for exam in exams.values():
        exam["rate"] = _share(exam["passed"], exam["attempts"])
        exam["chart_width"] = max(len(exam["months"]) * 10, 10)
    return list(exams.values())


def enrolments_panel(filters: DashboardFilters, query: dict) -> list[dict]:
    rows = enrolments_per_course(filters)
    largest = max((row["enrolled"] for row in rows), default=0)
    for row in rows:
        course = {**query, "course": str(row["course_id"])}
        row["enrolled_width"] = _share(row["enrolled"], largest)
        row["completed_width"] = _share(row["completed"], largest)
        row["enrolled_url"] = list_url("enrolments", course, measure="enrolled")
        row["completed_url"] = list_url("enrolments", course, measure="completed")
    return rows


def training_hours_panel(filters: DashboardFilters, query: dict) -> list[dict]:
    rows = training_hours_per_organisation(filters)
    largest = max((row["hours"] + row["cpd_hours"] for row in rows), default=Decimal(0))
    for row in rows:
        organisation = row["organisation_id"] or "none"
        row["width"] = _share(row["hours"], largest)
        row["cpd_width"] = _share(row["cpd_hours"], largest)
        row["url"] = list_url("training-hours", query, organisation=organisation)
        row["cpd_url"] = list_url("cpd-hours", query, organisation=organisation)
    return rows


def dashboard_panels(filters: DashboardFilters, query: dict, now: datetime) -> dict:
    """Four GROUP BY queries, and one for the names of what they found."""
    credentials = credentials_by_scheme(filters, now)
    return {
        "credentials": credentials_panel(credentials, query),
        "expiring": expiring_panel(credentials, query),
        "pass_rates": pass_rates_panel(filters, query),
        "enrolments": enrolments_panel(filters, query),
        "training_hours": training_hours_panel(filters, query),
    }
