"""`course_of_lesson` is remembered on the lesson object, for the lesson's tree path only."""

from courses import selectors

from .factories import make_course


def test_the_course_of_a_lesson_is_asked_once(db, django_assert_num_queries):
    course, [lesson] = make_course(modules=1, lessons=1)
    assert selectors.course_of_lesson(lesson).pk == course.pk
    with django_assert_num_queries(0):
        assert selectors.course_of_lesson(lesson).pk == course.pk


def test_a_moved_lesson_belongs_to_its_new_course(db):
    course, [lesson] = make_course(modules=1, lessons=1)
    other, [other_lesson] = make_course(modules=1, lessons=1)
    assert selectors.course_of_lesson(lesson).pk == course.pk
    lesson.move(other_lesson.get_parent(), pos="last-child")
    lesson.refresh_from_db()
    assert selectors.course_of_lesson(lesson).pk == other.pk
