"""Factories shared by all tests. Apps with many models may add `tests/<app>/factories.py`."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from trainees import roles
from trainees.models import Organisation, User
from trainees.validators import uscc_check_character

PASSWORD = "test-pass-2026!"


def credit_code(serial: int) -> str:
    first17 = f"91320505MA{serial:07d}"
    return first17 + uscc_check_character(first17)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_zh = factory.Sequence(lambda n: f"苏州测试企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Suzhou Test Company {n} Ltd.")
    credit_code = factory.Sequence(credit_code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        if create and extracted:
            self.profile.organisation = extracted
            self.profile.save()


def make_user(role: str = roles.TRAINEE, **kwargs) -> User:
    return UserFactory(role=role, **kwargs)
