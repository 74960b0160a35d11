"""Publishing reaches the domain through Wagtail's `page_published` signal rather than the
admin's `after_publish_page` hook, because scheduled publishing and scripts publish too.
The receivers only enqueue or sync; the work lives in services and tasks."""

from django.db import transaction
from wagtail.signals import page_published

from .models import CoursePage, LessonPage


def _course_published(sender, instance, **kwargs):
    from .services import course_instructor_permissions_sync

    course_instructor_permissions_sync(course=instance)


def _lesson_published(sender, instance, **kwargs):
    from . import selectors
    from .tasks import course_progress_refresh

    course = selectors.course_of_lesson(instance)
    if course is not None and instance.required:
        # A new required lesson changes the progress of everyone still studying the course.
        transaction.on_commit(lambda: course_progress_refresh.delay(course.pk))


def connect() -> None:
    page_published.connect(_course_published, sender=CoursePage, dispatch_uid="courses-course")
    page_published.connect(_lesson_published, sender=LessonPage, dispatch_uid="courses-lesson")
