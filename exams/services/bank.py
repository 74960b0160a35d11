"""Question bank writes: create, and revise (an active question gets a new version)."""

from django.db import transaction

from exams.models import Question
from exams.validators import clean_html
from institute.audit import audit_record_create


@transaction.atomic
def question_create(*, by=None, competencies=(), **fields) -> Question:
    for name in ("stem_zh", "stem_en", "explanation"):
        if name in fields:
            fields[name] = clean_html(fields[name])
    question = Question(**fields)
    question.full_clean()
    question.save()
    if competencies:
        question.competencies.set(competencies)
    audit_record_create(actor=by, action="exams.question_created", target=question)
    return question


@transaction.atomic
def question_revise(*, question: Question, changes: dict, by) -> Question:
    """Edit a question. Drafts change in place; an active question becomes a new version
    so that attempts keep exactly the version they showed."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    for name in ("stem_zh", "stem_en", "explanation"):
        if name in changes:
            changes[name] = clean_html(changes[name])
    if question.status != Question.Status.ACTIVE:
        for name, value in changes.items():
            setattr(question, name, value)
        question.full_clean()
        question.save()
        return question
    competencies = list(question.competencies.all())
    Question.objects.filter(pk=question.pk).update(is_current=False)
    new = Question.objects.get(pk=question.pk)
    new.pk = None
    new.version = question.version + 1
    new.is_current = True
    for name, value in changes.items():
        setattr(new, name, value)
    new.full_clean()
    new.save()
    new.competencies.set(competencies)
    audit_record_create(
        actor=by, action="exams.question_revised", target=new, data={"previous": question.pk}
    )
    return new
