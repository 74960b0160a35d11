"""Demo certification data (idempotent): two schemes, credentials in several states.

- trainee@demo.local (张伟): a valid "factory inspector level I" credential and an expired
  "laboratory tester - electrical safety" one, plus CPD activities.
- liu.yang@demo.local (刘洋): a suspended credential.
"""

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import roles
from .demo import demo_resident_id, seed_organisation
from .models import (
    Application,
    Competency,
    CpdActivity,
    Credential,
    RequiredCourse,
    RequiredExam,
    RequiredPractical,
    Scheme,
    SchemeVersion,
    User,
)
from .services import credential_pdf_render, credential_suspend, credentials_expire
from .services.issuance import credential_claim

SCHEMES = [
    {
        "code": "factory-inspector-1",
        "title_zh": "产品认证工厂检查员 I 级",
        "title_en": "Product certification factory inspector, level I",
        "description_zh": "依据 CCC 及自愿性产品认证实施规则，独立完成工厂质量保证能力检查和产品一致性检查。",
        "description_en": "Carries out factory quality-assurance and product conformity inspections under CCC and voluntary product certification rules.",
        "scope_zh": "CCC 强制性产品认证工厂检查：低压电器、电线电缆、家用电器",
        "scope_en": "CCC factory inspections: low-voltage apparatus, wires and cables, household appliances",
        "validity_months": 36,
        "cpd": "30",
        "experience": 12,
        "courses": ["FI-101"],
        "practicals": ["FI-101"],
        "exams": [("产品认证工厂检查员资格考试", Decimal("70"))],
        "competencies": ["PC-1", "PC-1.1", "PC-1.2"],
    },
    {
        "code": "lab-tester-electrical-safety",
        "title_zh": "实验室检测员-电气安全",
        "title_en": "Laboratory tester - electrical safety",
        "description_zh": "按 GB 4706、GB 4943 等标准开展电气安全检测，出具符合 ISO/IEC 17025 要求的原始记录。",
        "description_en": "Performs electrical safety tests to GB 4706, GB 4943 and related standards with ISO/IEC 17025 records.",
        "scope_zh": "家用电器及信息技术设备的电气强度、泄漏电流、接地电阻试验",
        "scope_en": "Dielectric strength, leakage current and earth resistance tests of household and IT equipment",
        "validity_months": 24,
        "cpd": "20",
        "experience": 6,
        "courses": ["LAB-201", "EL-301"],
        "practicals": [],
        "exams": [],
        "competencies": ["EL-2", "EL-2.3", "LAB-1"],
    },
]


def _version(spec) -> SchemeVersion:
    scheme, _ = Scheme.objects.update_or_create(
        code=spec["code"],
        defaults={k: spec[k] for k in ("title_zh", "title_en", "description_zh", "description_en")},
    )
    scheme.competencies.set(Competency.objects.filter(code__in=spec["competencies"]))
    version, _ = SchemeVersion.objects.get_or_create(
        scheme=scheme,
        number=1,
        defaults={
            "is_published": True,
            "published_at": timezone.now(),
            "scope_zh": spec["scope_zh"],
            "scope_en": spec["scope_en"],
            "validity_months": spec["validity_months"],
            "cpd_hours_per_cycle": Decimal(spec["cpd"]),
            "renewal_cpd_hours": Decimal(spec["cpd"]),
            "min_experience_months": spec["experience"],
        },
    )
    _requirements(version, spec)
    return version


def _requirements(version, spec) -> None:
    """Link the demo courses and exams when their apps have seeded them."""
    from courses.models import CoursePage
    from exams.models import Exam

    courses = {c.code: c for c in CoursePage.objects.filter(code__in=spec["courses"])}
    for code in spec["courses"]:
        if code in courses:
            RequiredCourse.objects.get_or_create(version=version, course=courses[code])
    for code in spec["practicals"]:
        if code in courses:
            RequiredPractical.objects.get_or_create(version=version, course=courses[code])
    for title, score in spec["exams"]:
        exam = Exam.objects.filter(title_zh=title).first()
        if exam is not None:
            RequiredExam.objects.get_or_create(
                version=version, exam=exam, defaults={"min_score": score}
            )


def _liu_yang(password: str, organisation) -> User:
    user = User.objects.filter(email="liu.yang@demo.local").first()
    if user is None:
        user = User.objects.create_user(
            "liu.yang@demo.local", password, first_name="Yang", last_name="Liu"
        )
        user.groups.add(Group.objects.get(name=roles.TRAINEE))
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    profile = user.profile
    profile.name_zh, profile.name_latin = "刘洋", "LIU Yang"
    profile.organisation = organisation
    profile.id_number = demo_resident_id("320506", "19880621", "451")
    profile.job_title = "检测工程师"
    profile.full_clean()
    profile.save()
    return user


def issue_historical(holder, version, officer, *, issued_at, renews=None) -> Credential:
    """A historical approved application (a renewal of `renews`, if given) and its credential,
    issued through the service (signed, numbered, audited) at `issued_at`, once."""
    kind = Application.Kind.RENEWAL if renews else Application.Kind.INITIAL
    application = Application.objects.filter(
        candidate=holder, scheme_version=version, status=Application.Status.APPROVED, kind=kind
    ).first()
    if application is None:
        application = Application.objects.create(
            candidate=holder,
            scheme_version=version,
            submitted_by=holder,
            kind=kind,
            renews=renews,
            status=Application.Status.APPROVED,
            experience_months=version.min_experience_months + 12,
            statement="历史认证记录迁入 / Certification record migrated from the previous system",
            is_eligible=True,
            decided_by=officer,
            decided_at=issued_at,
            decision_reason="",
            created_at=issued_at - datetime.timedelta(days=14),
        )
    credential = credential_claim(application.pk, now=issued_at)
    credential_pdf_render(credential=credential)
    return credential


def _cpd(trainee, officer) -> None:
    today = timezone.localdate()
    for days_ago, hours, category, title, approved in [
        (200, "8", "conference", "CNAS 认可技术交流会（苏州）", True),
        (120, "12", "training", "GB/T 27025 内审员培训", True),
        (15, "4", "work", "带教新检查员完成 2 次工厂检查", False),
    ]:
        CpdActivity.objects.get_or_create(
            user=trainee,
            title=title,
            defaults={
                "date": today - datetime.timedelta(days=days_ago),
                "hours": Decimal(hours),
                "category": category,
                "status": "approved" if approved else "pending",
                "reviewed_by": officer if approved else None,
                "reviewed_at": timezone.now() if approved else None,
            },
        )


@transaction.atomic
def seed(*, password: str, stdout=None) -> dict:
    officer = User.objects.get(email="officer@demo.local")
    trainee = User.objects.get(email="trainee@demo.local")
    inspector, lab_tester = (_version(spec) for spec in SCHEMES)
    now = timezone.now()
    active = issue_historical(
        trainee, inspector, officer, issued_at=now - datetime.timedelta(days=400)
    )
    expired = issue_historical(
        trainee, lab_tester, officer, issued_at=now - datetime.timedelta(days=800)
    )
    liu = _liu_yang(password, seed_organisation())
    suspended = issue_historical(
        liu, inspector, officer, issued_at=now - datetime.timedelta(days=200)
    )
    if suspended.status == Credential.Status.ACTIVE:
        credential_suspend(
            credential=suspended,
            by=officer,
            reason="监督检查中发现检查记录不完整，暂停至整改完成 / Incomplete inspection records found in surveillance; suspended until corrected",
            until=timezone.localdate() + datetime.timedelta(days=60),
        )
    credentials_expire()
    _cpd(trainee, officer)
    if stdout is not None:
        stdout.write(
            f"  certification: valid {active.number}, expired {expired.number} (trainee@demo.local), "
            f"suspended {suspended.number} (liu.yang@demo.local); verify at /verify/<number>/"
        )
    return {"active": active, "expired": expired, "suspended": suspended}
