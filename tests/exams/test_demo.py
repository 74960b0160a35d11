import io

import pytest
from django.core.management import call_command

from exams.models import Attempt, Exam, Question


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_bilingual():
    for _ in range(2):
        call_command("seed_demo", stdout=io.StringIO())
    questions = Question.objects.filter(is_current=True)
    assert questions.count() >= 40
    assert all(q.stem_zh and q.stem_en for q in questions)
    assert set(questions.values_list("kind", flat=True)) == set(Question.Kind.values)
    assert questions.filter(competencies__isnull=False).distinct().count() == questions.count()
    assert set(Exam.objects.values_list("kind", flat=True)) == {"practice", "certification"}
    finished = Attempt.objects.get(user__email="trainee@demo.local")
    assert finished.status == Attempt.Status.GRADED and finished.released_at is not None
