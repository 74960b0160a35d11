"""A large, reusable data set for the officer-reports benchmark, generated on PostgreSQL.

`bench_data_ensure(trainees=100_000)` writes 1,000 organisations, 100,000 trainees and about
a million enrolments, exam attempts and credentials with server-side `INSERT ... SELECT
generate_series` (no ORM per row): about a minute on a small machine. The data set is keyed
by its size (emails `b<size>-<n>@bench.local`), so the quick and the full one can coexist,
and a marker counter `bench-reports-<size>` written last says it is complete: a second run
reuses it. The courses, exams and schemes it refers to are the demo ones (`seed_demo` runs
first on an empty database).
"""

import math
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .models import Counter, Organisation, SchemeVersion, User
from .validators import uscc_check_character

TRAINEES_PER_ORGANISATION = 100
# Records per trainee: enrolments (one per demo course, at most 3), attempts, credentials
# (1.5): about ten, so 100,000 trainees give about a million records.
RECORDS_PER_TRAINEE = 10

SURNAMES = [
    ("王", "WANG"), ("李", "LI"), ("张", "ZHANG"), ("刘", "LIU"), ("陈", "CHEN"),
    ("杨", "YANG"), ("黄", "HUANG"), ("赵", "ZHAO"), ("吴", "WU"), ("周", "ZHOU"),
    ("徐", "XU"), ("孙", "SUN"), ("马", "MA"), ("朱", "ZHU"), ("胡", "HU"),
    ("郭", "GUO"), ("何", "HE"), ("高", "GAO"), ("林", "LIN"), ("罗", "LUO"),
    ("郑", "ZHENG"), ("梁", "LIANG"), ("谢", "XIE"), ("宋", "SONG"), ("唐", "TANG"),
    ("许", "XU"), ("韩", "HAN"), ("冯", "FENG"), ("邓", "DENG"), ("曹", "CAO"),
]  # fmt: skip
GIVEN_NAMES = [
    ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"),
    ("磊", "Lei"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"),
    ("军", "Jun"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"),
    ("晓东", "Xiaodong"), ("建华", "Jianhua"), ("海燕", "Haiyan"), ("志强", "Zhiqiang"),
    ("丽娟", "Lijuan"), ("文博", "Wenbo"), ("雪梅", "Xuemei"), ("国平", "Guoping"),
    ("佳怡", "Jiayi"), ("子涵", "Zihan"), ("浩然", "Haoran"), ("欣怡", "Xinyi"),
    ("宇轩", "Yuxuan"), ("俊杰", "Junjie"), ("思远", "Siyuan"),
]  # fmt: skip
JOB_TITLES = ["质量检验员", "检测工程师", "工厂检查员", "实验室主管", "认证审核员", "质量经理"]
ORGANISATION_KINDS = [
    ("精密机械", "Precision Machinery"), ("电子科技", "Electronics Technology"),
    ("检测技术", "Testing Technology"), ("新材料", "New Materials"),
    ("食品", "Food"), ("电气", "Electric"), ("汽车零部件", "Auto Parts"),
    ("医疗器械", "Medical Devices"), ("光电", "Optoelectronics"), ("纺织", "Textiles"),
]  # fmt: skip
PLACES = [
    ("苏州", "Suzhou"), ("昆山", "Kunshan"), ("常熟", "Changshu"), ("太仓", "Taicang"),
    ("张家港", "Zhangjiagang"), ("吴江", "Wujiang"), ("无锡", "Wuxi"), ("南通", "Nantong"),
]  # fmt: skip


@dataclass
class BenchData:
    size: int
    organisation_ids: list[int]
    officer: User
    manager: User
    created: bool
    seconds: float
    counts: dict


def marker_name(size: int) -> str:
    return f"bench-reports-{size}"


def email_prefix(size: int) -> str:
    return f"b{size}-"


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError(
            "The officer-reports benchmark generates its data with PostgreSQL "
            "(generate_series); set DATABASE_URL to a PostgreSQL database."
        )


def _ensure_demo_content() -> None:
    """Courses, exams and schemes come from the demo (seeded once on an empty database)."""
    from courses.models import CoursePage
    from exams.models import Exam

    if (
        CoursePage.objects.exists()
        and Exam.objects.exists()
        and SchemeVersion.objects.filter(is_published=True).exists()
    ):
        return
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - quiet


def credit_code(size: int, serial: int) -> str:
    first17 = f"91320500B{size + serial:08d}"
    return first17 + uscc_check_character(first17)


def _organisations(size: int, count: int, now) -> list[int]:
    rows = []
    for serial in range(1, count + 1):
        kind_zh, kind_en = ORGANISATION_KINDS[serial % len(ORGANISATION_KINDS)]
        place_zh, place_en = PLACES[serial % len(PLACES)]
        rows.append(
            Organisation(
                name_zh=f"{place_zh}{kind_zh}第{serial}有限公司",
                name_en=f"{place_en} {kind_en} No. {serial} Co., Ltd.",
                credit_code=credit_code(size, serial),
                contact_email=f"hr{serial}@bench.local",
            )
        )
    Organisation.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    codes = [credit_code(size, serial) for serial in range(1, count + 1)]
    by_code = dict(
        Organisation.objects.filter(credit_code__in=codes).values_list("credit_code", "pk")
    )
    return [by_code[code] for code in codes]


def _execute(sql: str, params: dict | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _people(size: int, organisation_ids: list[int], now) -> None:
    prefix = email_prefix(size)
    _execute(
        """
        INSERT INTO trainees_user (password, is_superuser, first_name, last_name, is_staff,
                                   is_active, date_joined, email)
        SELECT '!bench', false, '', '', false, true, %(now)s - (g %% 1000) * interval '1 day',
               %(prefix)s || g || '@bench.local'
        FROM generate_series(1, %(size)s) g
        ON CONFLICT (email) DO NOTHING
        """,
        {"now": now, "prefix": prefix, "size": size},
    )
    _execute("DROP TABLE IF EXISTS bench_people")
    _execute(
        """
        CREATE TEMP TABLE bench_people AS
        SELECT id, substring(email from '-([0-9]+)@')::int AS g
        FROM trainees_user WHERE email LIKE %(pattern)s
        """,
        {"pattern": prefix + "%@bench.local"},
    )
    _execute(
        """
        INSERT INTO trainees_traineeprofile (user_id, name_zh, name_latin, organisation_id,
                                             id_type, id_number, mobile, job_title, updated_at)
        SELECT p.id,
               (%(surnames_zh)s::text[])[1 + p.g %% %(surnames)s]
                 || (%(given_zh)s::text[])[1 + (p.g / %(surnames)s) %% %(given)s],
               (%(surnames_latin)s::text[])[1 + p.g %% %(surnames)s] || ' '
                 || (%(given_latin)s::text[])[1 + (p.g / %(surnames)s) %% %(given)s],
               (%(organisations)s::int[])[1 + p.g %% %(organisation_count)s],
               'resident', '', '', (%(jobs)s::text[])[1 + p.g %% %(job_count)s], %(now)s
        FROM bench_people p
        ON CONFLICT (user_id) DO NOTHING
        """,
        {
            "surnames_zh": [zh for zh, _ in SURNAMES],
            "surnames_latin": [latin for _, latin in SURNAMES],
            "given_zh": [zh for zh, _ in GIVEN_NAMES],
            "given_latin": [latin for _, latin in GIVEN_NAMES],
            "surnames": len(SURNAMES),
            "given": len(GIVEN_NAMES),
            "organisations": organisation_ids,
            "organisation_count": len(organisation_ids),
            "jobs": JOB_TITLES,
            "job_count": len(JOB_TITLES),
            "now": now,
        },
    )


def _enrolments(courses: list[tuple[int, float]], now) -> int:
    """Every trainee on each course: half completed, a third active, the rest withdrawn."""
    return _execute(
        """
        INSERT INTO courses_enrolment (user_id, course_id, status, requested_at, decided_at,
                                       completed_at, study_hours, progress_percent, updated_at)
        SELECT p.id, c.course_id, s.status, s.requested, s.requested,
               CASE WHEN s.status = 'completed' THEN s.requested + interval '30 days' END,
               CASE WHEN s.status = 'completed' THEN c.hours ELSE 0 END,
               CASE s.status WHEN 'completed' THEN 100 WHEN 'active' THEN (p.g * 7) %% 95
                    ELSE 10 END,
               %(now)s
        FROM bench_people p
        CROSS JOIN unnest(%(course_ids)s::int[], %(hours)s::numeric[]) AS c(course_id, hours)
        CROSS JOIN LATERAL (
            SELECT CASE WHEN (p.g + c.course_id) %% 20 < 10 THEN 'completed'
                        WHEN (p.g + c.course_id) %% 20 < 17 THEN 'active'
                        ELSE 'withdrawn' END AS status,
                   %(now)s - ((p.g * 13 + c.course_id * 101) %% 1000 + 31) * interval '1 day'
                     AS requested
        ) s
        ON CONFLICT DO NOTHING
        """,
        {
            "course_ids": [course_id for course_id, _ in courses],
            "hours": [hours for _, hours in courses],
            "now": now,
        },
    )


def _attempts(exams: list[tuple[int, float]], per_trainee: float, now) -> int:
    """Graded, released attempts spread over two years; later attempts score better."""
    spread = max(1, math.ceil(2 * per_trainee / len(exams) - 1))  # 1 + g % spread attempts
    written = 0
    for position, (exam_id, pass_mark) in enumerate(exams):
        written += _execute(
            """
            INSERT INTO exams_attempt (exam_id, user_id, number, status, started_at, deadline,
                                       submitted_at, auto_submitted, graded_at, released_at,
                                       score_points, max_points, score_percent, passed)
            SELECT %(exam)s, p.id, n, 'graded', t.started, t.started + interval '90 minutes',
                   t.started + interval '60 minutes', false, t.started + interval '61 minutes',
                   t.started + interval '62 minutes', t.score, 100, t.score,
                   t.score >= %(pass_mark)s
            FROM bench_people p
            CROSS JOIN LATERAL generate_series(1, 1 + (p.g + %(position)s) %% %(spread)s) n
            CROSS JOIN LATERAL (
                SELECT %(now)s - ((p.g * 17 + n * 29 + %(position)s * 7) %% 720 + 1)
                         * interval '1 day' AS started,
                       least(100, 30 + (p.g * 37 + %(position)s) %% 55 + n * 8)::numeric AS score
            ) t
            ON CONFLICT DO NOTHING
            """,
            {
                "exam": exam_id,
                "pass_mark": pass_mark,
                "position": position,
                "spread": spread,
                "now": now,
            },
        )
    return written


def _credentials(size: int, versions: list[SchemeVersion], officer_id: int, now) -> int:
    """1.5 credentials per trainee (an approved application each) in every state; expiry
    dates spread from a year ago to three years ahead, so some expire within 30/60/90 days."""
    marker = f"bench:{size}:"
    _execute(
        """
        INSERT INTO trainees_application (candidate_id, scheme_version_id, kind, submitted_by_id,
                                          status, experience_months, statement, eligibility,
                                          is_eligible, decided_by_id, decided_at,
                                          decision_reason, created_at)
        SELECT p.id, (%(versions)s::int[])[1 + (p.g + j) %% %(version_count)s], 'initial', p.id,
               'approved', 24, %(marker)s || p.g || ':' || j, '{}'::jsonb, true, %(officer)s,
               t.issued, '', t.issued - interval '14 days'
        FROM bench_people p
        CROSS JOIN generate_series(0, 1) j
        CROSS JOIN LATERAL (
            SELECT %(now)s - ((p.g * 11 + j * 173) %% 1500 + 1) * interval '1 day' AS issued
        ) t
        WHERE j = 0 OR p.g %% 2 = 0
        """,
        {
            "versions": [version.pk for version in versions],
            "version_count": len(versions),
            "marker": marker,
            "officer": officer_id,
            "now": now,
        },
    )
    return _execute(
        """
        INSERT INTO trainees_credential (number, application_id, holder_id, scheme_version_id,
                                         scope_zh, scope_en, issued_at, valid_from, valid_until,
                                         status, status_reason, status_index, ob3_jwt, pdf)
        SELECT 'BN' || %(size)s || '-' || lpad(k.g::text, 6, '0') || '-' || k.j,
               a.id, a.candidate_id, a.scheme_version_id, v.scope_zh, v.scope_en,
               a.decided_at, a.decided_at, a.decided_at + interval '1095 days',
               CASE WHEN k.h < 70 AND a.decided_at + interval '1095 days' <= %(now)s
                      THEN 'expired'
                    WHEN k.h < 70 THEN 'active'
                    WHEN k.h < 80 THEN 'superseded'
                    WHEN k.h < 90 THEN 'suspended'
                    ELSE 'withdrawn' END,
               '', %(index_base)s + k.g * 2 + k.j, '', ''
        FROM trainees_application a
        JOIN trainees_schemeversion v ON v.id = a.scheme_version_id
        CROSS JOIN LATERAL (
            SELECT split_part(a.statement, ':', 3)::int AS g,
                   split_part(a.statement, ':', 4)::int AS j
        ) k0
        CROSS JOIN LATERAL (SELECT k0.g, k0.j, (k0.g * 7 + k0.j * 3) %% 100 AS h) k
        WHERE a.statement LIKE %(pattern)s
        ON CONFLICT DO NOTHING
        """,
        {"size": size, "now": now, "index_base": 3_000_000 + 3 * size, "pattern": marker + "%"},
    )


def _personas(size: int, organisation_id: int) -> tuple[User, User]:
    """An officer (superuser, TOTP enrolled: staff must be) and the first organisation's
    manager; the benchmark logs in as them."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from . import roles
    from .models import TraineeProfile

    officer, _ = User.objects.get_or_create(
        email="bench-officer@bench.local", defaults={"is_staff": True, "is_superuser": True}
    )
    officer.groups.add(Group.objects.get(name=roles.OFFICER))
    if not Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(officer, generate_totp_secret())
    manager, _ = User.objects.get_or_create(email=f"bench-manager-{size}@bench.local")
    manager.groups.add(Group.objects.get(name=roles.MANAGER))
    TraineeProfile.objects.update_or_create(
        user=manager, defaults={"organisation_id": organisation_id, "name_zh": "基准经理"}
    )
    Organisation.objects.get(pk=organisation_id).managers.add(manager)
    return officer, manager


def _dependencies() -> tuple[list, list, list]:
    from courses.models import CoursePage
    from courses.selectors import default_locale
    from exams.models import Exam

    courses = list(
        CoursePage.objects.filter(locale=default_locale())
        .order_by("code")
        .values_list("pk", "hours")[:3]
    )
    exams = list(Exam.objects.order_by("pk").values_list("pk", "pass_mark")[:3])
    versions = list(SchemeVersion.objects.filter(is_published=True).order_by("pk"))
    return courses, exams, versions


def counts(size: int) -> dict:
    """How many rows the data set of `size` holds (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH people AS (SELECT id FROM trainees_user WHERE email LIKE %(pattern)s)
            SELECT (SELECT count(*) FROM people),
                   (SELECT count(*) FROM courses_enrolment WHERE user_id IN (SELECT id FROM people)),
                   (SELECT count(*) FROM exams_attempt WHERE user_id IN (SELECT id FROM people)),
                   (SELECT count(*) FROM trainees_credential
                     WHERE holder_id IN (SELECT id FROM people))
            """,
            {"pattern": email_prefix(size) + "%@bench.local"},
        )
        trainees, enrolments, attempts, credentials = cursor.fetchone()
    return {
        "trainees": trainees,
        "enrolments": enrolments,
        "attempts": attempts,
        "credentials": credentials,
        "records": enrolments + attempts + credentials,
    }


def _generate(size: int, now) -> list[int]:
    _ensure_demo_content()
    courses, exams, versions = _dependencies()
    if not (courses and exams and versions):
        raise RuntimeError("The demo courses, exams and schemes are missing (run seed_demo).")
    organisation_count = max(1, size // TRAINEES_PER_ORGANISATION)
    with transaction.atomic():
        organisation_ids = _organisations(size, organisation_count, now)
        _people(size, organisation_ids, now)
        _enrolments(courses, now)
        per_trainee = RECORDS_PER_TRAINEE - len(courses) - 1.5
        _attempts(exams, per_trainee, now)
        officer, _ = _personas(size, organisation_ids[0])
        _credentials(size, versions, officer.pk, now)
        Counter.objects.update_or_create(name=marker_name(size), defaults={"value": size})
    for table in ("trainees_user", "trainees_traineeprofile", "trainees_organisation",
                  "courses_enrolment", "exams_attempt", "trainees_application",
                  "trainees_credential"):  # fmt: skip
        _execute(f"ANALYZE {table}")
    return organisation_ids


def bench_data_ensure(*, size: int) -> BenchData:
    """The data set of `size` trainees: reused when its marker exists, generated otherwise."""
    _require_postgresql()
    started = time.perf_counter()
    created = not Counter.objects.filter(name=marker_name(size)).exists()
    if created:
        organisation_ids = _generate(size, timezone.now())
    else:
        codes = [credit_code(size, serial) for serial in range(1, max(1, size // 100) + 1)]
        found = dict(
            Organisation.objects.filter(credit_code__in=codes).values_list("credit_code", "pk")
        )
        organisation_ids = [found[code] for code in codes]
    officer, manager = _personas(size, organisation_ids[0])
    return BenchData(
        size=size,
        organisation_ids=organisation_ids,
        officer=officer,
        manager=manager,
        created=created,
        seconds=round(time.perf_counter() - started, 1),
        counts=counts(size),
    )
