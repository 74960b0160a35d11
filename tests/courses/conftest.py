import pytest

from courses import services

from .factories import make_course


@pytest.fixture
def course(db, instructor):
    """An open course of two modules with two lessons each, taught by `instructor`."""
    return make_course(modules=2, lessons=2, instructors=[instructor], capacity=20)


@pytest.fixture
def other_course(db, other_instructor):
    return make_course(instructors=[other_instructor])


@pytest.fixture
def enrolled(course, trainee):
    page, _ = course
    return services.enrolment_create(user=trainee, course=page, by=trainee)


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Course tests check the effect of tasks (emails, progress) in-process, also when CI sets a
    broker; the real-worker path is covered by the institute task tests."""
    from institute.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Service messages are checked in English (the msgids); pages pick their language by URL."""
    from django.utils import translation

    with translation.override("en"):
        yield
