"""Factories for the exams app: one question of every type, exams, attempts."""

import factory

from exams.models import BlueprintSection, Exam, Question, QuestionCategory

QUESTION_DATA = {
    "single": {
        "options": [
            {"id": "k3x9", "text": "1 000 V", "fraction": 0, "feedback": "Too low."},
            {"id": "p2m7", "text": "1 500 V", "fraction": 1, "feedback": "SECRET-FEEDBACK-SINGLE"},
            {"id": "z8q1", "text": "3 000 V", "fraction": 0, "feedback": ""},
        ]
    },
    "multiple": {
        "options": [
            {"id": "a1b2", "text": "Earth continuity", "fraction": 0.5, "feedback": ""},
            {"id": "c3d4", "text": "Insulation resistance", "fraction": 0.5, "feedback": ""},
            {
                "id": "e5f6",
                "text": "Colour of the case",
                "fraction": -1,
                "feedback": "SECRET-FEEDBACK-MULTI",
            },
        ]
    },
    "truefalse": {"correct": True},
    "numeric": {
        "answers": [{"value": 230, "tolerance": 5, "fraction": 1, "feedback": ""}],
        "units": [{"unit": "V", "multiplier": 1}, {"unit": "kV", "multiplier": 0.001}],
    },
    "shorttext": {
        "answers": [
            {"text": "calibration", "fraction": 1, "feedback": ""},
            {"text": "calib*", "fraction": 0.5, "feedback": ""},
        ]
    },
    "matching": {
        "pairs": [
            {"id": "m1", "prompt": "GB 4706.1", "answer": "household appliances"},
            {"id": "m2", "prompt": "GB 9706.1", "answer": "medical electrical equipment"},
            {"id": "m3", "prompt": "", "answer": "toys"},
        ]
    },
    "ordering": {
        "items": [
            {"id": "o7", "text": "Receive the sample"},
            {"id": "o2", "text": "Register and label it"},
            {"id": "o9", "text": "Test"},
            {"id": "o4", "text": "Issue the report"},
        ]
    },
    "essay": {"rubric": [{"criterion": "SECRET-RUBRIC names the hazard", "points": 2}]},
}


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionCategory

    name = factory.Sequence(lambda n: f"Category {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Q{n}")
    kind = "single"
    status = Question.Status.ACTIVE
    stem_zh = factory.Sequence(lambda n: f"<p>题目 {n}</p>")
    stem_en = factory.Sequence(lambda n: f"<p>Question {n}</p>")
    points = 1
    explanation = "SECRET-EXPLANATION"
    data = factory.LazyAttribute(lambda o: QUESTION_DATA[o.kind])


class ExamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exam

    title_zh = factory.Sequence(lambda n: f"考试 {n}")
    title_en = factory.Sequence(lambda n: f"Exam {n}")
    is_published = True
    time_limit_minutes = 30
    attempts_allowed = 2
    shuffle_questions = False


def exam_with_questions(questions, **kwargs) -> Exam:
    exam = ExamFactory(**kwargs)
    section = BlueprintSection.objects.create(exam=exam, title="All")
    section.fixed_questions.set(questions)
    return exam


def every_type_questions(category=None) -> list[Question]:
    category = category or CategoryFactory()
    return [QuestionFactory(kind=kind, category=category) for kind in QUESTION_DATA]
