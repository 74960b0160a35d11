"""The one helper the whole code uses to ask "may this user do X to this object".

Rules are declared per app in `<app>/rules.py` with django-rules and resolved through
`user.has_perm`, so Django, Wagtail, HTML views and the API all ask the same question.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404


def can(user, permission: str, obj=None) -> bool:
    return bool(user and user.has_perm(permission, obj))


def get_object_or_404_for(user, permission: str, queryset, **lookup):
    """Fetch an object and answer 404 (not 403) when the user may not see it."""
    obj = get_object_or_404(queryset, **lookup)
    if not can(user, permission, obj):
        raise Http404
    return obj
