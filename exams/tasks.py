"""Thin Celery tasks: ids in, the service of the same name does the work."""

from celery import shared_task

from .models import Exam
from .services.analysis import item_analysis_compute
from .services.attempts import attempts_close_overdue


@shared_task(name="exams.attempts_close_overdue", time_limit=240, soft_time_limit=200)
def attempts_close_overdue_task() -> int:
    return attempts_close_overdue()


@shared_task(name="exams.item_analysis_compute", time_limit=240, soft_time_limit=200)
def item_analysis_compute_task(exam_id: int) -> None:
    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is not None:
        item_analysis_compute(exam=exam)


@shared_task(
    name="exams.attempt_result_email_send",
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def attempt_result_email_send_task(attempt_id: int) -> None:
    from .services.notifications import attempt_result_email_send

    attempt_result_email_send(attempt_id=attempt_id)
