"""Object permissions of the exams app (django-rules). Ask them via `institute.permissions.can`."""

import rules

from trainees import roles


@rules.predicate
def is_officer(user):
    return roles.is_officer(user)


@rules.predicate
def is_own_attempt(user, attempt):
    return attempt is not None and attempt.user_id == user.id


@rules.predicate
def instructs_attempt_exam(user, attempt):
    return attempt is not None and attempt.exam.instructors.filter(pk=user.pk).exists()


@rules.predicate
def instructs_exam(user, exam):
    return exam is not None and exam.instructors.filter(pk=user.pk).exists()


@rules.predicate
def may_take_exam(user, exam):
    return exam is not None and exam.is_published and user.is_authenticated


@rules.predicate
def owns_category(user, category):
    return category is not None and category.owners.filter(pk=user.pk).exists()


# Taking an exam: only the candidate acts on their own attempt (not even an officer).
rules.add_perm("exams.take_exam", may_take_exam)
rules.add_perm("exams.answer_attempt", is_own_attempt)
rules.add_perm("exams.view_attempt", is_own_attempt | instructs_attempt_exam | is_officer)
rules.add_perm("exams.grade_attempt", instructs_attempt_exam)
rules.add_perm("exams.view_item_analysis", instructs_exam | is_officer)
rules.add_perm("exams.manage_category", owns_category | is_officer)
