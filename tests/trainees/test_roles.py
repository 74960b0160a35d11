import pytest
from django.contrib.auth.models import Group

from institute.permissions import can
from tests.factories import make_user
from trainees import roles


@pytest.mark.django_db
def test_role_groups_exist_with_their_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    assert {roles.TRAINEE, roles.INSTRUCTOR, roles.OFFICER, roles.MANAGER} <= names
    officer = Group.objects.get(name=roles.OFFICER)
    assert officer.permissions.filter(codename="access_admin").exists()
    assert officer.page_permissions.filter(permission__codename="publish_page").exists()
    instructor = Group.objects.get(name=roles.INSTRUCTOR)
    assert instructor.permissions.filter(codename="access_admin").exists()
    assert not instructor.page_permissions.exists()
    assert not Group.objects.get(name=roles.TRAINEE).permissions.exists()


@pytest.mark.django_db
def test_profile_visibility_rules(trainee, other_trainee, manager, other_manager, officer):
    assert can(trainee, "trainees.view_profile", trainee.profile)
    assert not can(trainee, "trainees.view_profile", other_trainee.profile)
    assert can(manager, "trainees.view_profile", trainee.profile)
    assert not can(other_manager, "trainees.view_profile", trainee.profile)
    assert can(officer, "trainees.view_profile", other_trainee.profile)
    assert not can(make_user(roles.INSTRUCTOR), "trainees.decide_certification")
    assert can(officer, "trainees.decide_certification")
