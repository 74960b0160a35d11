"""Instructor rights in the Wagtail admin: a group per course holding page permissions on the
course subtree (in every locale). Membership follows the course's `instructors` field."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from ..models import CoursePage
from ..selectors import canonical_page

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def course_group_name(course: CoursePage) -> str:
    return f"Course {course.pk} instructors"


def course_instructor_permissions_sync(*, course: CoursePage) -> Group:
    """Idempotent: the group has exactly the course's instructors and rights on its pages."""
    course = canonical_page(course)
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=course_group_name(course))
        group.user_set.set(course.instructors.all())
        permissions = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
        pages = list(course.get_translations(inclusive=True))
        for page in pages:
            for permission in permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=permission
                )
        GroupPagePermission.objects.filter(group=group).exclude(page__in=pages).delete()
    return group
