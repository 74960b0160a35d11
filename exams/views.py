"""Pages of the exams app. Thin: permission-checked getter, one service call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from institute.permissions import can, get_object_or_404_for
from trainees import roles

from .forms import GradeForm, ImportForm, StartForm
from .models import Attempt, Exam, ItemAnalysis
from .payloads import attempt_payload, result_payload
from .selectors import (
    attempts_left,
    categories_for,
    category_deepest_existing,
    category_descendant_ids,
    exams_available_for,
    grading_queue,
)
from .services.attempts import attempt_start
from .services.exporting import questions_export_moodle_xml
from .services.grading_flow import response_grade_manual
from .services.importing import questions_import
from .tasks import item_analysis_compute_task


@login_required
def exam_list(request):
    exams = list(exams_available_for(user=request.user))
    for exam in exams:
        accommodation = exam.my_accommodations[0] if exam.my_accommodations else None
        exam.left = attempts_left(exam, exam.used_attempts, accommodation)
    attempts = Attempt.objects.filter(user=request.user).select_related("exam")[:50]
    return render(
        request, "exams/exam_list.html", {"exams": exams, "attempts": attempts, "form": StartForm()}
    )


@login_required
@require_POST
def exam_start(request, pk: int):
    exam = get_object_or_404_for(request.user, "exams.take_exam", Exam.objects.all(), pk=pk)
    form = StartForm(request.POST)
    form.is_valid()
    try:
        attempt = attempt_start(
            exam=exam, user=request.user, access_code=form.cleaned_data.get("access_code", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("exams:list")
    return redirect("exams:attempt", pk=attempt.pk)


@login_required
def attempt_take(request, pk: int):
    attempt = get_object_or_404_for(
        request.user, "exams.answer_attempt", Attempt.objects.select_related("exam"), pk=pk
    )
    if not attempt.is_open:
        return redirect("exams:result", pk=attempt.pk)
    payload = attempt_payload(attempt)
    return render(request, "exams/attempt.html", {"attempt": attempt, "payload": payload})


@login_required
def attempt_result(request, pk: int):
    attempt = get_object_or_404_for(
        request.user, "exams.view_attempt", Attempt.objects.select_related("exam"), pk=pk
    )
    return render(
        request, "exams/result.html", {"attempt": attempt, "result": result_payload(attempt)}
    )


@login_required
def grading_list(request):
    if not (roles.is_instructor(request.user) or roles.is_officer(request.user)):
        raise Http404
    return render(
        request, "exams/grading_list.html", {"responses": grading_queue(user=request.user)[:200]}
    )


@login_required
def grading_detail(request, pk: int):
    response = get_object_or_404(grading_queue(user=request.user), pk=pk)
    if not can(request.user, "exams.grade_attempt", response.attempt):
        raise Http404
    form = GradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response_grade_manual(
                response=response,
                points=form.cleaned_data["points"],
                comment=form.cleaned_data["comment"],
                rubric_scores={},
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("points", error)
        else:
            messages.success(request, _("Grade saved."))
            return redirect("exams:grading")
    return render(
        request,
        "exams/grading_detail.html",
        {"response": response, "form": form, "rubric": response.question.data.get("rubric", [])},
    )


@login_required
def item_analysis(request, pk: int):
    exam = get_object_or_404_for(
        request.user, "exams.view_item_analysis", Exam.objects.all(), pk=pk
    )
    if request.method == "POST":
        item_analysis_compute_task.delay_on_commit(exam.pk)
        messages.success(request, _("The analysis is being computed; reload in a moment."))
        return redirect("exams:analysis", pk=exam.pk)
    analysis = ItemAnalysis.objects.filter(exam=exam).first()
    return render(request, "exams/analysis.html", {"exam": exam, "analysis": analysis})


def _may_import(user) -> bool:
    return roles.is_instructor(user) or roles.is_officer(user)


@login_required
def question_import(request):
    if not _may_import(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The deepest level that exists already decides: new levels are created below it.
        existing = category_deepest_existing(path=data["category"])
        if existing is not None and not can(request.user, "exams.manage_category", existing):
            form.add_error("category", _("You do not manage this category."))
        else:
            upload = data["file"]
            report = questions_import(
                content=upload.read(),
                filename=upload.name,
                category=data["category"],
                format=data["format"],
                dry_run=data["dry_run"],
                by=request.user,
            )
    return render(request, "exams/import.html", {"form": form, "report": report})


@login_required
def category_export(request, pk: int):
    category = get_object_or_404_for(
        request.user, "exams.manage_category", categories_for(user=request.user), pk=pk
    )
    from .models import Question

    questions = Question.objects.filter(
        category_id__in=category_descendant_ids(category.pk), is_current=True
    ).select_related("category")
    response = HttpResponse(
        questions_export_moodle_xml(questions), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="questions-{category.pk}.xml"'
    return response
