"""Demo exams (idempotent): a bilingual question bank, a practice and a certification exam,
and one finished attempt of the demo trainee. Used by `manage.py seed_demo`."""

from django.db import transaction

from trainees.models import Competency, User

from .demo_bank import QUESTIONS
from .models import Attempt, BlueprintSection, Exam, Question, QuestionCategory
from .services.attempts import attempt_start, attempt_submit, response_save
from .services.papers import question_key
from .validators import clean_html

ROOT = "CCIC 题库"


def _category(name: str, parent=None, owner=None) -> QuestionCategory:
    category, _ = QuestionCategory.objects.get_or_create(parent=parent, name=name)
    if owner is not None:
        category.owners.add(owner)
    return category


def seed_bank(owner) -> dict[str, QuestionCategory]:
    root = _category(ROOT, owner=owner)
    categories = {}
    competencies = {c.code: c for c in Competency.objects.all()}
    for area, code, competency, kind, stem_zh, stem_en, data, explanation in QUESTIONS:
        category = categories.get(area) or _category(area, root, owner)
        categories[area] = category
        question = Question.objects.filter(
            category=category, name__startswith=f"{code} ", is_current=True
        ).first()
        question = question or Question(category=category, name=f"{code} {stem_en[:60]}")
        question.kind, question.data, question.status = kind, data, Question.Status.ACTIVE
        question.stem_zh, question.stem_en = (
            clean_html(f"<p>{stem_zh}</p>"),
            clean_html(f"<p>{stem_en}</p>"),
        )
        question.explanation = explanation
        question.points = 2 if kind == "essay" else 1
        question.difficulty = 4 if kind in ("essay", "numeric") else 3
        question.full_clean()
        question.save()
        if competency in competencies:
            question.competencies.set([competencies[competency]])
    return categories


def _course(slug: str):
    try:
        from courses.models import CoursePage
    except ImportError:
        return None
    return CoursePage.objects.filter(slug=slug, locale__language_code="zh-hans").first()


EXAMS = [
    {
        "key": "practice",
        "title_zh": "电气产品检验练习测验",
        "title_en": "Electrical product inspection: practice quiz",
        "kind": Exam.Kind.PRACTICE, "time_limit_minutes": 20, "attempts_allowed": 5, "pass_mark": 60,
        "review_show": Exam.ReviewShow.FULL, "course": "el-301",
        "sections": [("电气产品检验", 10, False)],
    },
    {
        "key": "certification",
        "title_zh": "产品认证工厂检查员资格考试",
        "title_en": "Product certification factory inspector: qualification exam",
        "kind": Exam.Kind.CERTIFICATION, "time_limit_minutes": 90, "attempts_allowed": 2, "pass_mark": 70,
        "wait_minutes": 7 * 24 * 60, "review_show": Exam.ReviewShow.SCORE, "course": "fi-101",
        "sections": [("产品认证工厂检查", 12, True), ("实验室质量管理", 6, True)],
    },
]  # fmt: skip


def seed_exam(spec: dict, categories, instructor) -> Exam:
    fields = {k: v for k, v in spec.items() if k not in ("key", "sections", "course")}
    exam, _ = Exam.objects.update_or_create(
        title_zh=spec["title_zh"],
        defaults={**fields, "is_published": True, "course": _course(spec["course"])},
    )
    exam.full_clean()
    if instructor is not None:
        exam.instructors.add(instructor)
    if not exam.sections.exists():
        for position, (area, count, with_essay) in enumerate(spec["sections"]):
            pool = categories[area].questions.filter(is_current=True)
            section = BlueprintSection.objects.create(
                exam=exam, position=position, title=area, category=categories[area], count=count
            )
            if with_essay:
                essay = pool.filter(kind="essay").first()
                section.fixed_questions.set([essay])
                section.count = min(count, pool.exclude(kind="essay").count())
            else:
                section.category = None
                section.fixed_questions.set(pool.exclude(kind="essay")[:count])
                section.count = 0
            section.save()
    return exam


def seed_finished_attempt(exam: Exam, trainee) -> None:
    """The demo trainee answered most questions right (every third one deliberately wrong)."""
    if Attempt.objects.filter(exam=exam, user=trainee).exists():
        return
    attempt = attempt_start(exam=exam, user=trainee)
    for index, slot in enumerate(attempt.slots.select_related("question")):
        answer = question_key(slot.question).get("answer")
        if index % 3 == 2:
            answer = None
        if answer is not None:
            response_save(
                attempt=attempt,
                question_id=slot.question_id,
                answer=answer,
                client_timestamp=1,
                by=trainee,
            )
    attempt_submit(attempt=attempt, by=trainee)


@transaction.atomic
def seed(*, password: str = "", stdout=None) -> dict:
    instructor = User.objects.filter(email="instructor@demo.local").first()
    trainee = User.objects.filter(email="trainee@demo.local").first()
    categories = seed_bank(instructor)
    exams = {spec["key"]: seed_exam(spec, categories, instructor) for spec in EXAMS}
    if trainee is not None:
        seed_finished_attempt(exams["practice"], trainee)
    if stdout is not None:
        stdout.write(
            f"  exams: {Question.objects.filter(is_current=True, category__parent__name=ROOT).count()} questions, 2 exams (/exams/)"
        )
    return exams
