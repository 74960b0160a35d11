"""Object permissions of the project-wide models (django-rules)."""

import rules


@rules.predicate
def owns_job(user, job):
    return job is not None and job.owner_id == user.pk


rules.add_perm("institute.view_job", rules.is_authenticated & (owns_job | rules.is_superuser))
