"""Builders for course trees (Wagtail pages are created with add_child, live)."""

import datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from courses.models import (
    AssessmentCriterion,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    PracticeSession,
)
from courses.services import course_instructor_permissions_sync

_serial = count(1)


def catalogue() -> CourseIndexPage:
    existing = CourseIndexPage.objects.filter(locale=Locale.get_default()).first()
    if existing:
        return existing
    root = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(title="课程", slug="catalogue")
    root.add_child(instance=index)
    return index


def add_lesson(module: ModulePage, *, required: bool = True, body=None, title=None) -> LessonPage:
    number = next(_serial)
    lesson = LessonPage(
        title=title or f"第{number}课",
        slug=f"lesson-{number}",
        required=required,
        estimated_minutes=20,
        body=body or [{"type": "paragraph", "value": "<p>检查要点。</p>"}],
    )
    module.add_child(instance=lesson)
    return lesson


def make_course(
    *, modules: int = 1, lessons: int = 2, instructors=(), competencies=(), **fields
) -> tuple[CoursePage, list[LessonPage]]:
    number = next(_serial)
    values = {
        "title": f"工厂检查课程{number}",
        "slug": f"course-{number}",
        "code": f"FI-{number:03d}",
        "summary": "产品认证工厂检查。",
        "hours": Decimal("8.0"),
        **fields,
    }
    course = CoursePage(**values)
    catalogue().add_child(instance=course)
    course.instructors.set(instructors)
    course.competencies.set(competencies)
    course.save()
    course_instructor_permissions_sync(course=course)
    made = []
    for module_number in range(modules):
        module = ModulePage(title=f"模块{module_number + 1}", slug=f"module-{module_number + 1}")
        course.add_child(instance=module)
        made += [add_lesson(module) for _ in range(lessons)]
    return course, made


def knowledge_check_body() -> list:
    return [
        {"type": "paragraph", "value": "<p>不符合项分为严重和一般两类。</p>"},
        {
            "type": "knowledge_check",
            "value": {
                "title": "自测",
                "questions": [
                    {
                        "question": "关键元器件未经批准变更属于？",
                        "options": [
                            {"text": "一般不符合", "correct": False, "feedback": "影响安全。"},
                            {"text": "严重不符合", "correct": True, "feedback": "正确。"},
                        ],
                        "explanation": "须事先批准。",
                    }
                ],
            },
        },
    ]


def make_session(course, *, instructor=None, days: float = 3, capacity: int = 10, **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    return PracticeSession.objects.create(
        course=course,
        title="模拟工厂检查",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        place="电气安全实训室",
        capacity=capacity,
        instructor=instructor,
        **fields,
    )


def make_criteria(course) -> list[AssessmentCriterion]:
    return [
        AssessmentCriterion.objects.create(
            course=course, title_zh="检查计划", title_en="Plan", max_score=10, pass_score=6
        ),
        AssessmentCriterion.objects.create(
            course=course, title_zh="不符合项判定", title_en="Grading", max_score=10, pass_score=7
        ),
    ]


def english_translation(page: Page) -> Page:
    english, _ = Locale.objects.get_or_create(language_code="en")
    translation = page.copy_for_translation(english, copy_parents=True).specific
    translation.save_revision().publish()
    return translation
