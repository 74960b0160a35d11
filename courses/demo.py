"""Demo courses in Chinese with English translations (idempotent). Used by `manage.py seed_demo`."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Site
from wagtail.rich_text import RichText

from cms.demo import add_navigation, ensure_translated_page
from cms.models import HomePage
from trainees.models import Competency, User

from . import services
from .models import (
    AssessmentCriterion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    ModulePage,
    PracticeSession,
    SessionBooking,
)

COMPETENCIES = [
    ("PC-1", None, "产品认证工厂检查", "Factory inspection for product certification"),
    ("PC-1.1", "PC-1", "工厂质量保证能力评价", "Assessing factory quality assurance capability"),
    ("PC-1.2", "PC-1", "产品一致性检查", "Product conformity checks"),
    ("LAB-1", None, "实验室质量管理", "Laboratory quality management"),
    ("LAB-1.1", "LAB-1", "测量不确定度评定", "Evaluating measurement uncertainty"),
    ("EL-2", None, "电气产品检验", "Inspection of electrical products"),
    ("EL-2.1", "EL-2", "抽样方案的制定与实施", "Designing and applying sampling plans"),
    ("EL-2.3", "EL-2", "耐压与接地电阻测试", "Dielectric strength and earth-resistance testing"),
]


def _paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": RichText(text).source}


def _check(title: str, questions: list) -> dict:
    return {
        "type": "knowledge_check",
        "value": {
            "title": title,
            "questions": [
                {
                    "question": question,
                    "options": [
                        {"text": text, "correct": correct, "feedback": feedback}
                        for text, correct, feedback in options
                    ],
                    "explanation": explanation,
                }
                for question, options, explanation in questions
            ],
        },
    }


# (slug, zh title, en title, zh body, en body, minutes, required, knowledge check zh/en or None)
FI_LESSONS = {
    ("quality-assurance", "工厂质量保证能力要求", "Factory quality assurance requirements"): [
        (
            "ccc-overview",
            "CCC 认证与工厂检查概述",
            "CCC certification and the factory inspection",
            "<p>强制性产品认证（CCC）由型式试验、初始工厂检查和获证后监督组成。工厂检查依据"
            "《强制性产品认证实施规则》和 CNCA 的工厂质量保证能力要求进行。</p>",
            "<p>China Compulsory Certification (CCC) combines type testing, an initial factory "
            "inspection and follow-up surveillance. The inspection follows the implementation "
            "rules and CNCA's requirements for factory quality assurance capability.</p>",
            20,
            True,
        ),
        (
            "preparation",
            "检查准备与文件审核",
            "Preparing the inspection and reviewing documents",
            "<p>检查前应审核工厂的质量手册、程序文件、关键元器件清单和例行检验记录，"
            "并制定检查计划，明确检查范围与抽样安排。</p>",
            "<p>Before the visit, review the quality manual, procedures, the list of critical "
            "components and routine test records, then write an inspection plan stating the scope "
            "and sampling.</p>",
            25,
            True,
        ),
    ],
    ("on-site", "现场检查", "The on-site inspection"): [
        (
            "conformity",
            "产品一致性检查与抽样",
            "Product conformity checks and sampling",
            "<p>一致性检查核对认证产品的铭牌、结构、关键元器件与型式试验样品是否一致。"
            "关键元器件的型号、规格和制造商必须与认证文件相符。</p>",
            "<p>The conformity check compares the nameplate, construction and critical "
            "components of certified products with the type-tested sample. Model, rating and "
            "maker of each critical component must match the certificate file.</p>",
            30,
            True,
        ),
        (
            "nonconformities",
            "不符合项的判定与报告",
            "Grading and reporting nonconformities",
            "<p>不符合项分为严重和一般两类。严重不符合项将导致检查不通过；一般不符合项要求"
            "工厂在规定期限内完成整改并提交证据。</p>",
            "<p>Nonconformities are major or minor. A major one fails the inspection; a minor one "
            "must be corrected within the set period with evidence sent to the certification "
            "body.</p>",
            30,
            True,
        ),
    ],
}
FI_CHECK_ZH = _check(
    "自测",
    [
        (
            "关键元器件的制造商与认证文件不一致，应如何判定？",
            [
                ("一般不符合项", False, "制造商变更未经批准会影响产品安全，不是一般问题。"),
                ("严重不符合项", True, "正确：未经批准变更关键元器件属于严重不符合。"),
                ("不构成不符合", False, "关键元器件必须与认证文件一致。"),
            ],
            "关键元器件变更须事先向认证机构申请并获批准。",
        ),
        (
            "一般不符合项的整改期限内，工厂应当：",
            [
                ("完成整改并提交证据", True, "正确。"),
                ("暂停全部生产", False, "一般不符合项不要求停产。"),
            ],
            "",
        ),
    ],
)
FI_CHECK_EN = _check(
    "Self-check",
    [
        (
            "The maker of a critical component differs from the certificate file. How is it graded?",
            [
                ("Minor nonconformity", False, "An unapproved change of maker affects safety."),
                (
                    "Major nonconformity",
                    True,
                    "Right: an unapproved critical component change is major.",
                ),
                (
                    "Not a nonconformity",
                    False,
                    "Critical components must match the certificate file.",
                ),
            ],
            "Changes of critical components need prior approval by the certification body.",
        ),
        (
            "Within the correction period of a minor nonconformity the factory must:",
            [
                ("Correct it and send evidence", True, "Right."),
                ("Stop all production", False, "A minor nonconformity does not stop production."),
            ],
            "",
        ),
    ],
)

LAB_LESSONS = {
    ("management", "管理要求", "Management requirements"): [
        (
            "impartiality",
            "公正性与保密",
            "Impartiality and confidentiality",
            "<p>ISO/IEC 17025:2017 第 4 章要求实验室识别公正性风险并加以消除或降到最低，"
            "并对客户信息承担保密责任。</p>",
            "<p>Clause 4 of ISO/IEC 17025:2017 requires the laboratory to identify risks to "
            "impartiality and eliminate or minimise them, and to keep client information "
            "confidential.</p>",
            20,
            True,
        ),
    ],
    ("technical", "技术要求", "Technical requirements"): [
        (
            "traceability",
            "计量溯源性",
            "Metrological traceability",
            "<p>测量结果应通过不间断的校准链溯源到国际单位制（SI）。设备校准证书应包含测量"
            "不确定度。</p>",
            "<p>Results must be traceable to the SI through an unbroken chain of calibrations; "
            "calibration certificates state the measurement uncertainty.</p>",
            25,
            True,
        ),
        (
            "uncertainty",
            "测量不确定度评定入门",
            "Introduction to measurement uncertainty",
            "<p>按照 GUM 方法识别不确定度来源，分别进行 A 类和 B 类评定，合成后乘以包含因子 "
            "k=2 得到扩展不确定度。</p>",
            "<p>Following the GUM, identify the sources of uncertainty, evaluate them by Type A "
            "and Type B methods, combine them, and multiply by a coverage factor k=2 for the "
            "expanded uncertainty.</p>",
            35,
            True,
        ),
    ],
}

EL_LESSONS = {
    ("sampling", "抽样", "Sampling"): [
        (
            "gb2828",
            "GB/T 2828.1 计数抽样检验",
            "Sampling by attributes under GB/T 2828.1",
            "<p>根据批量和检验水平确定样本量字码，再按接收质量限（AQL）查得接收数 Ac 与拒收数 "
            "Re。</p>",
            "<p>From the lot size and inspection level find the sample-size code letter, then read "
            "the acceptance number Ac and rejection number Re for the AQL.</p>",
            30,
            True,
        ),
    ],
    ("safety-tests", "安全试验", "Safety tests"): [
        (
            "dielectric",
            "耐压试验操作规范",
            "Performing the dielectric strength test",
            "<p>试验前确认接线与安全防护；按标准规定的电压和时间施加试验电压，观察是否击穿或"
            "闪络。</p>",
            "<p>Check the connections and guarding first; apply the test voltage for the time the "
            "standard sets and watch for breakdown or flashover.</p>",
            40,
            True,
        ),
    ],
}

COURSES = [
    {
        "slug": "fi-101",
        "code": "FI-101",
        "zh": {
            "title": "产品认证工厂检查基础",
            "summary": "面向新任工厂检查员：CCC 工厂质量保证能力要求、一致性检查、不符合项判定，含基地模拟检查实操。",
        },
        "en": {
            "title": "Factory inspection basics for product certification",
            "summary": "For new factory inspectors: CCC quality assurance requirements, conformity "
            "checks, grading nonconformities, with a mock inspection at the base.",
        },
        "fields": {
            "hours": Decimal("16.0"),
            "delivery_mode": "blended",
            "level": 1,
            "enrolment_policy": "open",
            "capacity": 30,
            "language": "zh-hans",
        },
        "competencies": ["PC-1", "PC-1.1", "PC-1.2"],
        "lessons": FI_LESSONS,
        "check": (FI_CHECK_ZH, FI_CHECK_EN),
        "instructor": True,
    },
    {
        "slug": "lab-201",
        "code": "LAB-201",
        "zh": {
            "title": "ISO/IEC 17025 实验室质量管理",
            "summary": "实验室内审员与技术负责人必修：公正性、计量溯源性与测量不确定度。",
        },
        "en": {
            "title": "ISO/IEC 17025 laboratory quality",
            "summary": "For internal auditors and technical managers: impartiality, metrological "
            "traceability and measurement uncertainty.",
        },
        "fields": {
            "hours": Decimal("12.0"),
            "delivery_mode": "online",
            "level": 2,
            "enrolment_policy": "approval",
            "capacity": 40,
            "language": "bilingual",
        },
        "competencies": ["LAB-1", "LAB-1.1"],
        "lessons": LAB_LESSONS,
        "check": None,
        "instructor": False,
    },
    {
        "slug": "el-301",
        "code": "EL-301",
        "zh": {
            "title": "电气产品抽样与检验",
            "summary": "依据 GB/T 2828.1 制定抽样方案，并在电气安全实训室完成耐压与接地电阻实操。",
        },
        "en": {
            "title": "Sampling and inspection of electrical products",
            "summary": "Design sampling plans under GB/T 2828.1 and practise dielectric strength "
            "and earth-resistance tests in the electrical safety lab.",
        },
        "fields": {
            "hours": Decimal("24.0"),
            "delivery_mode": "on_site",
            "level": 2,
            "enrolment_policy": "open",
            "capacity": 16,
            "language": "zh-hans",
            "requires_sequence": True,
        },
        "competencies": ["EL-2", "EL-2.1", "EL-2.3"],
        "lessons": EL_LESSONS,
        "check": None,
        "instructor": False,
        "prerequisites": ["fi-101"],
    },
]


def seed_competencies() -> dict[str, Competency]:
    found = {}
    for code, parent, title_zh, title_en in COMPETENCIES:
        competency, _ = Competency.objects.get_or_create(
            code=code,
            defaults={"title_zh": title_zh, "title_en": title_en, "parent": found.get(parent)},
        )
        found[code] = competency
    return found


def _seed_lessons(course: CoursePage, spec: dict) -> list[LessonPage]:
    lessons = []
    for (module_slug, module_zh, module_en), items in spec["lessons"].items():
        module = ensure_translated_page(
            course, ModulePage, module_slug, {"title": module_zh}, {"title": module_en}
        )
        for slug, title_zh, title_en, body_zh, body_en, minutes, required in items:
            body_zh, body_en = [_paragraph(body_zh)], [_paragraph(body_en)]
            if spec["check"] and slug == "nonconformities":
                body_zh.append(spec["check"][0])
                body_en.append(spec["check"][1])
            common = {"estimated_minutes": minutes, "required": required}
            lessons.append(
                ensure_translated_page(
                    module,
                    LessonPage,
                    slug,
                    {"title": title_zh, "body": body_zh, **common},
                    {"title": title_en, "body": body_en, **common},
                )
            )
    return lessons


def seed_course(catalogue, spec, competencies, instructor) -> tuple[CoursePage, list]:
    common = {"code": spec["code"], **spec["fields"]}
    course = ensure_translated_page(
        catalogue, CoursePage, spec["slug"], {**spec["zh"], **common}, {**spec["en"], **common}
    )
    course.competencies.set([competencies[code] for code in spec["competencies"]])
    prerequisites = CoursePage.objects.filter(
        slug__in=spec.get("prerequisites", []), locale=course.locale
    )
    course.prerequisites.set(prerequisites)
    course.instructors.set([instructor] if spec["instructor"] and instructor else [])
    course.save_revision().publish()
    services.course_instructor_permissions_sync(course=course)
    return course, _seed_lessons(course, spec)


def seed_practice(course: CoursePage, instructor) -> PracticeSession:
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=10)
    session, _ = PracticeSession.objects.get_or_create(
        course=course,
        title="模拟工厂检查（电气安全实训室）",
        defaults={
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=7),
            "place": "苏州基地 B 栋 2 楼 电气安全实训室",
            "capacity": 12,
            "instructor": instructor,
            "required": True,
        },
    )
    session.title_en = "Mock factory inspection (electrical safety lab)"
    session.place_en = "Suzhou base, building B, 2nd floor, electrical safety lab"
    session.save(update_fields=["title_en", "place_en"])
    criteria = [
        ("检查计划完整、范围明确", "Complete inspection plan with a clear scope", 10, 6),
        ("关键元器件一致性核对正确", "Critical components checked correctly", 10, 7),
        ("不符合项判定准确、描述清晰", "Nonconformities graded and written clearly", 10, 6),
    ]
    for order, (title_zh, title_en, maximum, passing) in enumerate(criteria):
        AssessmentCriterion.objects.get_or_create(
            course=course,
            title_zh=title_zh,
            defaults={
                "title_en": title_en,
                "max_score": maximum,
                "pass_score": passing,
                "sort_order": order,
            },
        )
    return session


def seed_trainee_progress(course: CoursePage, lessons: list, session: PracticeSession) -> None:
    trainee = User.objects.filter(email="trainee@demo.local").first()
    if trainee is None:
        return
    if not Enrolment.objects.filter(user=trainee, course=course).exists():
        services.enrolment_create(user=trainee, course=course, by=trainee)
    for lesson in lessons[:2]:
        services.lesson_complete(user=trainee, lesson=lesson)
    if not SessionBooking.objects.filter(session=session, user=trainee).exists():
        services.session_book(session=session, user=trainee)


@transaction.atomic
def seed(*, password: str = "", stdout=None) -> dict:
    chinese = Locale.objects.get(language_code="zh-hans")
    home = HomePage.objects.get(locale=chinese, depth=2)
    catalogue = ensure_translated_page(
        home,
        CourseIndexPage,
        "courses",
        {"title": "课程", "introduction": "检验检测认证人员的线上课程与基地实操课程。"},
        {
            "title": "Courses",
            "introduction": "Online and on-site courses for inspection, testing and "
            "certification professionals.",
        },
    )
    site = Site.objects.get(is_default_site=True)
    add_navigation(site, [catalogue])
    competencies = seed_competencies()
    instructor = User.objects.filter(email="instructor@demo.local").first()
    courses = {}
    for spec in COURSES:
        courses[spec["slug"]] = seed_course(catalogue, spec, competencies, instructor)
    first_course, first_lessons = courses["fi-101"]
    session = seed_practice(first_course, instructor)
    seed_trainee_progress(first_course, first_lessons, session)
    if stdout is not None:
        stdout.write(f"  courses: {', '.join(spec['code'] for spec in COURSES)}")
    return {"catalogue": catalogue, "courses": courses}
