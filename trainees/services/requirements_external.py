"""Requirements evaluated from the courses and exams apps, once those apps exist.

Kept apart so the credential core works (and is tested) without them; each function
returns no results while the other app's selector or requirement table is missing.
"""

from django.utils.translation import gettext as _

from .eligibility import RequirementResult


def external_results(*, version, user) -> list[RequirementResult]:
    return []


def refresher_result(*, credential) -> RequirementResult:
    return RequirementResult(
        code="refresher",
        label=_("Refresher examination passed"),
        met=False,
        detail=_("Recorded by an officer as examination evidence on the renewal application."),
    )
