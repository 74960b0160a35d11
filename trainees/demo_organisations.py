"""Demo customers (idempotent): three Suzhou organisations with their managers and staff.

Suzhou Xinneng Electric (manager@demo.local, kept as it is), a precision-machinery maker
(manager2@demo.local) and a food testing laboratory (manager3@demo.local), each with a dozen
staff who studied the demo courses (completed, active, withdrawn), sat the demo exams over
the last eight months (passed and failed, so pass rates over time mean something), and hold
credentials in every state: valid, expiring within 30/60/90 days, expired, suspended,
withdrawn and superseded by a renewal. Credentials are issued through the services (signed,
numbered, audited); dates are fixed relative to the day of seeding.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import roles
from .demo import _seed_account, demo_credit_code, demo_resident_id, seed_organisation
from .demo_certification import issue_historical
from .models import CpdActivity, Credential, Organisation, SchemeVersion, User
from .services import (
    credential_suspend,
    credential_withdraw,
    credentials_expire,
)

ORGANISATIONS = [
    {
        "serial": 2,
        "tag": "jg",
        "region": "320506",
        "name_zh": "苏州精工精密机械有限公司",
        "name_en": "Suzhou Jinggong Precision Machinery Co., Ltd.",
        "contact_name": "周静",
        "contact_phone": "0512-6532 7788",
        "address": "江苏省苏州市吴中经济开发区东吴南路 128 号",
        "manager": {"email": "manager2@demo.local", "first_name": "Jing", "last_name": "Zhou",
                    "name_zh": "周静", "name_latin": "ZHOU Jing", "job_title": "人力资源主管"},
    },
    {
        "serial": 3,
        "tag": "hy",
        "region": "320507",
        "name_zh": "苏州禾源食品检测技术有限公司",
        "name_en": "Suzhou Heyuan Food Testing Technology Co., Ltd.",
        "contact_name": "孙磊",
        "contact_phone": "0512-6588 2306",
        "address": "江苏省苏州市相城区澄阳街道嘉元路 959 号",
        "manager": {"email": "manager3@demo.local", "first_name": "Lei", "last_name": "Sun",
                    "name_zh": "孙磊", "name_latin": "SUN Lei", "job_title": "质量部经理"},
    },
]  # fmt: skip

STAFF = {
    "xn": [
        ("黄志强", "HUANG Zhiqiang", "工厂检查员"), ("吴秀英", "WU Xiuying", "质量检验员"),
        ("徐建华", "XU Jianhua", "电气安全检测员"), ("孙丽娟", "SUN Lijuan", "检测工程师"),
        ("马俊杰", "MA Junjie", "质量工程师"), ("朱海燕", "ZHU Haiyan", "实验室主管"),
        ("胡浩然", "HU Haoran", "工厂检查员"), ("郭雪梅", "GUO Xuemei", "质量检验员"),
        ("何文博", "HE Wenbo", "检测工程师"), ("高佳怡", "GAO Jiayi", "认证专员"),
        ("林国平", "LIN Guoping", "生产主管"), ("罗思远", "LUO Siyuan", "质量检验员"),
    ],
    "jg": [
        ("郑晓东", "ZHENG Xiaodong", "质量经理"), ("梁宇轩", "LIANG Yuxuan", "计量工程师"),
        ("谢欣怡", "XIE Xinyi", "质量检验员"), ("宋涛", "SONG Tao", "工厂检查员"),
        ("唐敏", "TANG Min", "检测工程师"), ("许子涵", "XU Zihan", "质量检验员"),
        ("韩超", "HAN Chao", "工艺工程师"), ("冯娜", "FENG Na", "实验室主管"),
        ("邓明", "DENG Ming", "质量检验员"), ("曹静", "CAO Jing", "认证专员"),
        ("彭勇", "PENG Yong", "工厂检查员"), ("曾艳", "ZENG Yan", "检测工程师"),
        ("蒋磊", "JIANG Lei", "生产主管"), ("沈佳", "SHEN Jia", "质量检验员"),
    ],
    "hy": [
        ("钱雨桐", "QIAN Yutong", "食品检测员"), ("陆文静", "LU Wenjing", "微生物检测员"),
        ("姚立新", "YAO Lixin", "实验室主管"), ("顾晨", "GU Chen", "理化检测员"),
        ("范婷婷", "FAN Tingting", "质量负责人"), ("金鹏", "JIN Peng", "技术负责人"),
        ("任晓燕", "REN Xiaoyan", "样品管理员"), ("程浩", "CHENG Hao", "检测工程师"),
        ("袁梦", "YUAN Meng", "食品检测员"), ("戴子豪", "DAI Zihao", "内审员"),
        ("方琳", "FANG Lin", "微生物检测员"), ("邹凯", "ZOU Kai", "理化检测员"),
    ],
}  # fmt: skip

# What each staff member's credential looks like, by position in the list (None: none yet).
CREDENTIAL_PLAN = [
    "valid", "expiring-30", "expiring-60", "expiring-90", "expired", "suspended",
    "withdrawn", "superseded", None, "valid", None, "expiring-60", "valid", None,
]  # fmt: skip
ENROLMENT_PLAN = ["completed", "completed", "active", "withdrawn", "completed", "active"]
CPD_ACTIVITIES = [
    ("conference", "8", "长三角检验检测认证技术交流会 / Yangtze Delta TIC technical forum"),
    ("training", "12", "GB/T 27025 内审员培训 / ISO/IEC 17025 internal auditor training"),
    ("work", "6", "带教新员工完成工厂检查 / Coached a new colleague through factory inspections"),
]


@dataclass
class DemoContext:
    officer: User
    courses: list
    exams: list
    versions: list
    now: datetime.datetime


def _organisation(spec: dict) -> Organisation:
    organisation, _ = Organisation.objects.update_or_create(
        credit_code=demo_credit_code(spec["serial"]),
        defaults={
            "name_zh": spec["name_zh"],
            "name_en": spec["name_en"],
            "contact_name": spec["contact_name"],
            "contact_email": spec["manager"]["email"],
            "contact_phone": spec["contact_phone"],
            "address": spec["address"],
        },
    )
    organisation.full_clean()
    return organisation


def _staff_member(tag: str, region: str, index: int, name, organisation) -> User:
    """A staff account without a usable password (the demo logs in as managers)."""
    name_zh, name_latin, job_title = name
    email = f"{name_latin.lower().replace(' ', '.')}.{tag}@demo.local"
    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        user.first_name, user.last_name = name_latin.split(" ")[1], name_latin.split(" ")[0]
        user.save()
        user.groups.add(Group.objects.get(name=roles.TRAINEE))
    profile = user.profile
    profile.name_zh, profile.name_latin, profile.job_title = name_zh, name_latin, job_title
    profile.organisation = organisation
    birth = f"19{80 + index % 18:02d}{1 + index % 12:02d}{10 + index:02d}"
    profile.id_number = demo_resident_id(region, birth, f"{300 + index:03d}")
    profile.mobile = f"139{int(region) % 1000:03d}{index:05d}"
    profile.full_clean()
    profile.save()
    return user


def _enrolments(person: User, index: int, context: DemoContext) -> None:
    from courses.models import Enrolment

    for position, course in enumerate(context.courses):
        status = ENROLMENT_PLAN[(index + position) % len(ENROLMENT_PLAN)]
        requested = context.now - datetime.timedelta(days=60 + (index * 17 + position * 40) % 300)
        completed = status == Enrolment.Status.COMPLETED
        enrolment, created = Enrolment.objects.get_or_create(
            user=person,
            course=course,
            defaults={
                "status": status,
                "decided_at": requested,
                "completed_at": requested + datetime.timedelta(days=35) if completed else None,
                "study_hours": course.hours if completed else Decimal("0"),
                "progress_percent": 100 if completed else (index * 13 + position * 7) % 90,
            },
        )
        if created:  # requested_at is set on creation; history needs the planned date
            Enrolment.objects.filter(pk=enrolment.pk).update(requested_at=requested)


def _attempts(person: User, index: int, context: DemoContext) -> None:
    """One to three graded attempts per exam spread over eight months; later ones score more."""
    from exams.models import Attempt

    for position, exam in enumerate(context.exams):
        for number in range(1, 2 + (index + position) % 3):
            submitted = context.now - datetime.timedelta(
                days=(index * 23 + position * 11) % 200 + 50 - number * 15
            )
            score = Decimal(min(100, 42 + (index * 7 + position * 13) % 40 + number * 9))
            Attempt.objects.get_or_create(
                exam=exam,
                user=person,
                number=number,
                defaults={
                    "status": Attempt.Status.GRADED,
                    "started_at": submitted - datetime.timedelta(minutes=70),
                    "deadline": submitted + datetime.timedelta(minutes=20),
                    "submitted_at": submitted,
                    "graded_at": submitted,
                    "released_at": submitted,
                    "max_points": Decimal("100"),
                    "score_points": score,
                    "score_percent": score,
                    "passed": score >= exam.pass_mark,
                },
            )


def _issue(holder, version, context: DemoContext, *, issued_at, renews=None) -> Credential:
    return issue_historical(holder, version, context.officer, issued_at=issued_at, renews=renews)


def _issued_at_for(plan: str, version: SchemeVersion, now) -> datetime.datetime:
    validity = relativedelta(months=version.validity_months)
    if plan.startswith("expiring-"):  # expires 10 days inside the 30/60/90-day window
        return now + datetime.timedelta(days=int(plan.split("-")[1]) - 10) - validity
    if plan == "expired":
        return now - validity - datetime.timedelta(days=45)
    if plan == "superseded":  # the first cycle, renewed 20 days ago
        return now - validity + datetime.timedelta(days=30)
    return now - datetime.timedelta(days=150)


def _credential(person: User, index: int, context: DemoContext) -> None:
    plan = CREDENTIAL_PLAN[index % len(CREDENTIAL_PLAN)]
    if plan is None:
        return
    version = context.versions[index % len(context.versions)]
    credential = _issue(
        person, version, context, issued_at=_issued_at_for(plan, version, context.now)
    )
    officer = context.officer
    if plan == "superseded":
        renewed_at = context.now - datetime.timedelta(days=20)
        _issue(person, version, context, issued_at=renewed_at, renews=credential)
    elif plan == "suspended" and credential.status == Credential.Status.ACTIVE:
        credential_suspend(
            credential=credential,
            by=officer,
            reason="监督抽查发现检测原始记录不完整 / Incomplete raw test records found in surveillance",
            until=timezone.localdate() + datetime.timedelta(days=45),
        )
    elif plan == "withdrawn" and credential.status == Credential.Status.ACTIVE:
        credential_withdraw(
            credential=credential,
            by=officer,
            reason="持证人已离开检测岗位 / The holder has left testing work",
        )


def _cpd(person: User, index: int, context: DemoContext) -> None:
    for position, (category, hours, title) in enumerate(CPD_ACTIVITIES[: 1 + index % 3]):
        approved = (index + position) % 4 != 0
        CpdActivity.objects.get_or_create(
            user=person,
            title=title,
            defaults={
                "date": context.now.date() - datetime.timedelta(days=30 + 70 * position + index),
                "hours": Decimal(hours),
                "category": category,
                "status": "approved" if approved else "pending",
                "reviewed_by": context.officer if approved else None,
                "reviewed_at": context.now if approved else None,
            },
        )


def _demo_context() -> DemoContext | None:
    from courses.models import CoursePage
    from courses.selectors import default_locale
    from exams.models import Exam

    versions = list(
        SchemeVersion.objects.filter(is_published=True, scheme__is_active=True).order_by(
            "scheme__code", "number"
        )
    )
    courses = list(CoursePage.objects.filter(locale=default_locale()).order_by("code"))
    officer = User.objects.filter(email="officer@demo.local").first()
    if not (versions and courses and officer):
        return None
    exams = list(Exam.objects.order_by("pk"))
    return DemoContext(officer=officer, courses=courses, exams=exams, versions=versions,
                       now=timezone.now())  # fmt: skip


def _seed_staff(tag: str, region: str, organisation, context: DemoContext) -> int:
    for index, name in enumerate(STAFF[tag]):
        person = _staff_member(tag, region, index, name, organisation)
        _enrolments(person, index, context)
        _attempts(person, index, context)
        _credential(person, index, context)
        _cpd(person, index, context)
    return len(STAFF[tag])


@transaction.atomic
def seed(*, password: str, stdout=None) -> dict:
    context = _demo_context()
    if context is None:  # courses, exams or schemes were not seeded: nothing to build on
        return {}
    organisations = {"xn": seed_organisation()}
    staff = _seed_staff("xn", "320505", organisations["xn"], context)
    for spec in ORGANISATIONS:
        organisation = _organisation(spec)
        account = {**spec["manager"], "role": roles.MANAGER, "organisation": True, "manages": True}
        _seed_account(account, password, organisation)
        organisations[spec["tag"]] = organisation
        staff += _seed_staff(spec["tag"], spec["region"], organisation, context)
    credentials_expire()
    if stdout is not None:
        stdout.write(
            f"  organisations: {len(organisations)} with {staff} staff; managers "
            "manager@demo.local, manager2@demo.local, manager3@demo.local (/organisation/)"
        )
    return organisations
