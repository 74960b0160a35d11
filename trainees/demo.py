"""Demo organisation and accounts (idempotent). Used by `manage.py seed_demo`."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from . import roles
from .models import Organisation, TraineeProfile, User
from .validators import resident_id_check_character, uscc_check_character

DEMO_ORGANISATION_CODE_PREFIX = "91320505MA1W8K2"


def demo_credit_code(serial: int) -> str:
    first17 = f"{DEMO_ORGANISATION_CODE_PREFIX}{serial:02d}"
    return first17 + uscc_check_character(first17)


def demo_resident_id(region: str, birth: str, sequence: str) -> str:
    first17 = f"{region}{birth}{sequence}"
    return first17 + resident_id_check_character(first17)


ACCOUNTS = [
    {
        "email": "officer@demo.local",
        "role": roles.OFFICER,
        "superuser": True,
        "first_name": "Min",
        "last_name": "Li",
        "name_zh": "李敏",
        "name_latin": "LI Min",
    },
    {
        "email": "instructor@demo.local",
        "role": roles.INSTRUCTOR,
        "first_name": "Jun",
        "last_name": "Wang",
        "name_zh": "王军",
        "name_latin": "WANG Jun",
    },
    {
        "email": "trainee@demo.local",
        "role": roles.TRAINEE,
        "first_name": "Wei",
        "last_name": "Zhang",
        "name_zh": "张伟",
        "name_latin": "ZHANG Wei",
        "id_number": demo_resident_id("320505", "19900315", "123"),
        "mobile": "13812345678",
        "job_title": "质量检验员",
        "organisation": True,
    },
    {
        "email": "manager@demo.local",
        "role": roles.MANAGER,
        "first_name": "Fang",
        "last_name": "Chen",
        "name_zh": "陈芳",
        "name_latin": "CHEN Fang",
        "job_title": "人力资源经理",
        "organisation": True,
        "manages": True,
    },
]


def seed_organisation() -> Organisation:
    organisation, _ = Organisation.objects.update_or_create(
        credit_code=demo_credit_code(1),
        defaults={
            "name_zh": "苏州新能电气有限公司",
            "name_en": "Suzhou Xinneng Electric Co., Ltd.",
            "contact_name": "陈芳",
            "contact_email": "manager@demo.local",
            "contact_phone": "0512-6688 1234",
            "address": "江苏省苏州市高新区科灵路 78 号",
        },
    )
    organisation.full_clean()
    return organisation


def _seed_account(spec: dict, password: str, organisation: Organisation) -> User:
    user, _ = User.objects.get_or_create(email=spec["email"])
    user.first_name, user.last_name = spec["first_name"], spec["last_name"]
    user.is_superuser = user.is_staff = bool(spec.get("superuser"))
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=spec["role"]))
    EmailAddress.objects.update_or_create(
        user=user, email=spec["email"], defaults={"verified": True, "primary": True}
    )
    profile, _ = TraineeProfile.objects.get_or_create(user=user)
    profile.name_zh, profile.name_latin = spec["name_zh"], spec["name_latin"]
    profile.id_number = spec.get("id_number", "")
    profile.mobile = spec.get("mobile", "")
    profile.job_title = spec.get("job_title", "")
    profile.organisation = organisation if spec.get("organisation") else None
    profile.full_clean()
    profile.save()
    if spec.get("manages"):
        organisation.managers.add(user)
    return user


@transaction.atomic
def seed(*, password: str, stdout=None) -> dict:
    organisation = seed_organisation()
    users = {spec["email"]: _seed_account(spec, password, organisation) for spec in ACCOUNTS}
    return {"organisation": organisation, "users": users}
