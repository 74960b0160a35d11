"""Factories and helpers for schemes, applications and credentials."""

import factory
import pytest
from django.utils import timezone

from trainees.models import Application, Scheme, SchemeVersion


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    code = factory.Sequence(lambda n: f"scheme-{n}")
    title_zh = factory.Sequence(lambda n: f"产品认证工厂检查员 {n} 级")
    title_en = factory.Sequence(lambda n: f"Product certification factory inspector, level {n}")


class SchemeVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchemeVersion

    scheme = factory.SubFactory(SchemeFactory)
    number = 1
    is_published = True
    published_at = factory.LazyFunction(timezone.now)
    scope_zh = "CCC 强制性产品认证工厂检查（低压电器）"
    scope_en = "CCC compulsory product certification factory inspections (low-voltage apparatus)"
    validity_months = 36
    cpd_hours_per_cycle = 30
    renewal_cpd_hours = 30


def make_approved_application(candidate, version, decided_by, **kwargs) -> Application:
    return Application.objects.create(
        candidate=candidate,
        scheme_version=version,
        submitted_by=candidate,
        status=Application.Status.APPROVED,
        decided_by=decided_by,
        decided_at=timezone.now(),
        is_eligible=True,
        **kwargs,
    )


@pytest.fixture
def scheme_version(db):
    return SchemeVersionFactory()


@pytest.fixture
def approved_application(trainee, officer, scheme_version):
    return make_approved_application(trainee, scheme_version, officer)


@pytest.fixture
def issue_credential(officer, scheme_version):
    """`issue_credential(user)` issues a credential through the real service (PDF included)."""
    from trainees.services import credential_issue, issuance

    def _issue(user, version=None, pdf=True, **kwargs):
        application = make_approved_application(user, version or scheme_version, officer, **kwargs)
        if not pdf:  # the signed documents only, for tests that do not look at the PDF
            return issuance.credential_claim(application.pk)
        return credential_issue(application_id=application.pk)

    return _issue
