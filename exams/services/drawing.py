"""Building a paper from an exam blueprint."""

import random

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from exams.models import BlueprintSection, Exam, Question
from exams.selectors import category_descendant_ids


def _section_pool(section: BlueprintSection):
    pool = Question.objects.filter(is_current=True, status=Question.Status.ACTIVE)
    if section.category_id:
        if section.include_subcategories:
            pool = pool.filter(category_id__in=category_descendant_ids(section.category_id))
        else:
            pool = pool.filter(category_id=section.category_id)
    if section.competency_id:
        pool = pool.filter(competencies=section.competency_id)
    return pool


def paper_draw(*, exam: Exam, rng: random.Random) -> list[Question]:
    """Fixed questions first, then N random active questions per section, no repeats."""
    chosen: list[Question] = []
    seen: set = set()
    for section in exam.sections.prefetch_related("fixed_questions"):
        fixed = [q for q in section.fixed_questions.all() if q.lineage not in seen]
        seen.update(q.lineage for q in fixed)
        section_questions = list(fixed)
        if section.count:
            pool = [q for q in _section_pool(section).order_by("pk") if q.lineage not in seen]
            if len(pool) < section.count:
                raise ValidationError(
                    _(
                        "Section “%(section)s” needs %(count)s questions but the bank has %(available)s."
                    )
                    % {"section": section, "count": section.count, "available": len(pool)}
                )
            drawn = rng.sample(pool, section.count)
            seen.update(q.lineage for q in drawn)
            section_questions += drawn
        if exam.shuffle_questions:
            rng.shuffle(section_questions)
        chosen += section_questions
    if not chosen:
        raise ValidationError(_("This exam has no questions yet."))
    return chosen
