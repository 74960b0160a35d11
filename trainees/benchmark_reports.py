# ruff: noqa: S608 - the SQL below is built from constant fragments; values are parameters
"""Officer reports at scale (issue 6 benchmark, issue 7 "officer reports" row).

On the data set of `bench_data` (100,000 trainees, 1,000 organisations, about a million
enrolments, attempts and credentials; 2,000 trainees with --quick) each page is fetched
through gunicorn with a logged-in session (officer or manager), p50/p95 from the separate
load driver, and its query count measured once in-process. The limit reference of each page
is the raw SQL that answers the same question, timed on a plain psycopg connection in the
same run.
"""

import os
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from institute.bench.loadgen import percentile
from institute.bench.runner import Row, gunicorn, load

from .bench_data import BenchData, bench_data_ensure

SCENARIO = "officer-reports"
FULL_SIZE, QUICK_SIZE = 100_000, 2_000
# BENCH_REPORTS_TRAINEES=100000 with --quick: the full data set under the quick load (20
# requests per page), to measure a change at scale without the full run.
SIZE_VARIABLE = "BENCH_REPORTS_TRAINEES"
REGISTER_QUERY = "王伟"  # a common name: the register answers with its first 50 holders


@dataclass
class Page:
    name: str
    path: str
    persona: str  # "officer", "manager" or "" (anonymous)
    reference_sql: list[str]
    reference_name: str


def _dashboard_sql() -> list[str]:
    """What the dashboard shows, as the five aggregates it needs: credentials by scheme and
    state, pass rate by exam and month (months in the site's time zone, as the page), enrolments
    per course, and per organisation the course hours of completions (awarded hours, else the
    course's) and the approved CPD outside the courses. The last two (the training hours
    panel) were missing until the dashboard's performance pass: the reference did less than
    the page."""
    return [
        """SELECT v.scheme_id, count(*),
                  count(*) FILTER (WHERE c.status = 'active' AND c.valid_until > %(soon)s),
                  count(*) FILTER (WHERE c.status = 'active' AND c.valid_until > %(now)s
                                   AND c.valid_until <= %(soon)s),
                  count(*) FILTER (WHERE c.status = 'expired' OR (c.status = 'active'
                                   AND c.valid_until <= %(now)s)),
                  count(*) FILTER (WHERE c.status = 'suspended'),
                  count(*) FILTER (WHERE c.status = 'withdrawn'),
                  count(*) FILTER (WHERE c.status = 'active' AND c.valid_until > %(now)s
                                   AND c.valid_until <= %(soon30)s),
                  count(*) FILTER (WHERE c.status = 'active' AND c.valid_until > %(now)s
                                   AND c.valid_until <= %(soon60)s)
           FROM trainees_credential c JOIN trainees_schemeversion v ON v.id = c.scheme_version_id
           WHERE c.status <> 'superseded' GROUP BY v.scheme_id""",
        """SELECT exam_id, date_trunc('month', submitted_at AT TIME ZONE %(zone)s), count(*),
                  count(*) FILTER (WHERE passed)
           FROM exams_attempt WHERE status = 'graded' AND passed IS NOT NULL
                                AND submitted_at IS NOT NULL
           GROUP BY 1, 2""",
        "SELECT course_id, status, count(*) FROM courses_enrolment GROUP BY 1, 2",
        """SELECT p.organisation_id, sum(coalesce(nullif(e.study_hours, 0), c.hours)), count(*)
           FROM courses_enrolment e
           LEFT JOIN trainees_traineeprofile p ON p.user_id = e.user_id
           JOIN courses_coursepage c ON c.page_ptr_id = e.course_id
           WHERE e.status = 'completed' GROUP BY 1""",
        """SELECT p.organisation_id, sum(a.hours), count(*)
           FROM trainees_cpdactivity a
           LEFT JOIN trainees_traineeprofile p ON p.user_id = a.user_id
           WHERE a.status = 'approved' AND a.source_key NOT LIKE 'enrolment:%%' GROUP BY 1""",
    ]


def _expiring_sql() -> list[str]:
    condition = "c.status = 'active' AND c.valid_until > %(now)s AND c.valid_until <= %(soon)s"
    return [
        f"SELECT count(*) FROM trainees_credential c WHERE {condition}",
        f"""SELECT c.number, c.valid_until, p.name_zh, o.name_zh, v.scheme_id
            FROM trainees_credential c
            JOIN trainees_traineeprofile p ON p.user_id = c.holder_id
            LEFT JOIN trainees_organisation o ON o.id = p.organisation_id
            JOIN trainees_schemeversion v ON v.id = c.scheme_version_id
            WHERE {condition} ORDER BY c.valid_until, c.id LIMIT 50""",
    ]


def _staff_sql(*, expiring: bool = False) -> list[str]:
    """The count and the first 25 people's enrolments, best results and credentials; with
    `expiring`, of the people holding a credential that expires within 90 days (the page's
    status filter: the reference was the unfiltered page's until issue 7)."""
    holders = ""
    if expiring:
        holders = """AND p.user_id IN (SELECT holder_id FROM trainees_credential
                     WHERE status = 'active' AND valid_until > %(now)s
                       AND valid_until <= %(soon)s)"""
    people = f"""SELECT u.id FROM trainees_user u
                 JOIN trainees_traineeprofile p ON p.user_id = u.id
                 WHERE p.organisation_id = %(organisation)s {holders}
                 ORDER BY p.name_zh, p.name_latin, u.email LIMIT 25"""
    return [
        f"""SELECT count(*) FROM trainees_traineeprofile p
            WHERE p.organisation_id = %(organisation)s {holders}""",
        f"""SELECT e.user_id, e.status, e.course_id FROM courses_enrolment e
            WHERE e.user_id IN ({people}) AND e.status IN ('active', 'completed')""",
        f"""SELECT user_id, exam_id, max(score_percent) FROM exams_attempt
            WHERE user_id IN ({people}) AND status = 'graded' AND released_at IS NOT NULL
            GROUP BY 1, 2""",
        f"""SELECT holder_id, number, status, valid_until FROM trainees_credential
            WHERE holder_id IN ({people}) AND status <> 'superseded'""",
    ]


def _register_sql() -> list[str]:
    """The search as one would write it by hand: each match an indexed lookup, united."""
    return [
        """SELECT c.number, c.status, c.valid_until, p.name_zh, o.name_zh
           FROM trainees_credential c
           JOIN trainees_traineeprofile p ON p.user_id = c.holder_id
           LEFT JOIN trainees_organisation o ON o.id = p.organisation_id
           WHERE c.id IN (
               SELECT id FROM trainees_credential WHERE upper(number) = upper(%(q)s)
               UNION
               SELECT id FROM trainees_credential WHERE holder_id IN (
                   SELECT user_id FROM trainees_traineeprofile WHERE name_zh = %(q)s
                   UNION SELECT user_id FROM trainees_traineeprofile
                         WHERE upper(name_latin) = upper(%(q)s)
                   UNION SELECT user_id FROM trainees_traineeprofile WHERE organisation_id IN (
                       SELECT id FROM trainees_organisation
                       WHERE upper(name_zh) LIKE upper('%%' || %(q)s || '%%')
                          OR upper(name_en) LIKE upper('%%' || %(q)s || '%%'))))
           ORDER BY c.issued_at DESC LIMIT 50"""
    ]


def pages(data: BenchData) -> list[Page]:
    organisation = data.organisation_ids[0]
    staff = f"/organisation/{organisation}/staff/"
    return [
        Page("officer dashboard", "/admin/certification-dashboard/", "officer",
             _dashboard_sql(), "raw SQL: credentials by state, pass rate by month, enrolments, hours"),
        Page("expiring credentials (90 days)",
             "/admin/certification-dashboard/credentials/?expires_within=90", "officer",
             _expiring_sql(), "raw SQL: count + first 50 expiring"),
        Page("manager staff page", staff, "manager", _staff_sql(),
             "raw SQL: count + 25 people's enrolments, best results, credentials"),
        Page("manager staff expiring", f"{staff}?status=expiring", "manager",
             _staff_sql(expiring=True),
             "raw SQL: count + 25 people's enrolments, best results, credentials"),
        Page("register search", f"/register/?q={quote(REGISTER_QUERY)}", "", _register_sql(),
             "raw SQL: the same search, first 50"),
    ]  # fmt: skip


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _as_served():
    """In-process, as gunicorn serves it (runner.server_environment): no collectstatic run."""
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": plain_static},
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
    )


def count_queries(client: Client, path: str) -> tuple[int, int]:
    """(status code, queries) of one in-process request, after one warm-up request."""
    with _as_served():
        client.get(path)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    return response.status_code, len(captured.captured_queries)


def recomputed_latencies(client: Client, path: str, repeat: int) -> list[float]:
    """Seconds per in-process request of the dashboard with its reused figures dropped first
    (the request that computes them: one per minute and filter set)."""
    from .dashboard.views import panels_cache_key

    with _as_served():
        latencies = []
        for _ in range(repeat):
            cache.delete(panels_cache_key({}))
            started = time.perf_counter()
            client.get(path)
            latencies.append(time.perf_counter() - started)
    return latencies


def in_process_costs(client: Client, path: str, repeat: int) -> tuple[list, list]:
    """Per in-process request (after a warm-up): seconds of CPU of this process (framework,
    ORM, template) and seconds spent in its queries (database and round trips). What the raw
    SQL reference compares with is the second; the first is what a page adds to any SQL."""
    spent = {"sql": 0.0}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started

    cpu, queries = [], []
    with _as_served(), connection.execute_wrapper(timed):
        client.get(path)
        for _ in range(repeat):
            spent["sql"], started = 0.0, time.process_time()
            client.get(path)
            cpu.append(time.process_time() - started)
            queries.append(spent["sql"])
    return cpu, queries


def reference_latencies(statements: list[str], parameters: dict, repeat: int) -> list[float]:
    """Seconds per run of all `statements` on a plain psycopg connection (one round each)."""
    import psycopg

    database = connection.settings_dict
    with psycopg.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,
    ) as raw:
        latencies = []
        for _ in range(repeat + 1):  # the first run warms the cache and is dropped
            started = time.perf_counter()
            for statement in statements:
                raw.execute(statement, parameters).fetchall()
            latencies.append(time.perf_counter() - started)
    return latencies[1:]


def _session_headers(client: Client) -> dict:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie.value}"} if cookie else {}


def _ms(seconds: list[float], fraction: float = 0.5) -> float:
    return round(percentile(seconds, fraction) * 1000, 2)


def _page_rows(page: Page, figures: dict, reference: list[float], queries: int) -> list[Row]:
    notes = f"{figures['requests']} requests, errors={figures['errors']}, {page.path}"
    return [
        Row(SCENARIO, f"{page.name} p50 ({queries} queries)", figures["p50_ms"], "ms",
            _ms(reference), page.reference_name, queries=queries, notes=notes),
        Row(SCENARIO, f"{page.name} p95", figures["p95_ms"], "ms", _ms(reference, 0.95),
            page.reference_name, queries=queries),
    ]  # fmt: skip


def _in_process_rows(page: Page, client: Client, reference: list[float]) -> list[Row]:
    cpu, queries = in_process_costs(client, page.path, repeat=10)
    return [
        Row(SCENARIO, f"{page.name}: its queries' time p50 (in-process, all of them)",
            _ms(queries), "ms", _ms(reference), page.reference_name,
            notes="session, user, permissions and site chrome queries included"),
        Row(SCENARIO, f"{page.name}: CPU of the request p50 (in-process)", _ms(cpu), "ms",
            notes="this process only: middleware, ORM, template; the database not counted"),
    ]  # fmt: skip


def measure_page(page: Page, *, base_url: str, clients: dict, parameters: dict, load_size) -> list:
    """Rows of one page: p50/p95 through gunicorn beside its raw SQL, its query count, and
    in-process how much of a request is its queries and how much the CPU around them."""
    client = clients[page.persona]
    status, queries = count_queries(client, page.path)
    if status != 200:
        return [Row(SCENARIO, f"{page.name}: missing (HTTP {status})", 0, "ms",
                    notes=page.path)]  # fmt: skip
    requests, concurrency = load_size
    figures = load(
        base_url + page.path,
        requests=requests,
        concurrency=concurrency,
        headers=_session_headers(client),
        time_limit=300,
    )
    # The raw SQL runs one statement at a time; so does this row's client (no queueing
    # behind the other clients on the two workers), which makes its ratio the like-for-like one.
    alone = load(
        base_url + page.path,
        requests=max(20, requests // 4),
        concurrency=1,
        headers=_session_headers(client),
        time_limit=300,
    )
    reference = reference_latencies(page.reference_sql, parameters, repeat=max(20, requests // 4))
    single = Row(SCENARIO, f"{page.name} p50, one client at a time", alone["p50_ms"], "ms",
                 _ms(reference), page.reference_name, queries=queries)  # fmt: skip
    return [*_page_rows(page, figures, reference, queries), single,
            *_in_process_rows(page, client, reference)]  # fmt: skip


def run_officer_reports(*, quick: bool) -> list[Row]:
    size = int(os.environ.get(SIZE_VARIABLE) or (QUICK_SIZE if quick else FULL_SIZE))
    data = bench_data_ensure(size=size)
    now = timezone.now()
    parameters = {
        "now": now,
        "soon": now + timedelta(days=90),
        "soon30": now + timedelta(days=30),
        "soon60": now + timedelta(days=60),
        "zone": settings.TIME_ZONE,
        "organisation": data.organisation_ids[0],
        "q": REGISTER_QUERY,
    }
    clients = {
        "officer": _client(data.officer),
        "manager": _client(data.manager),
        "": _client(None),
    }
    load_size = (20, 2) if quick else (200, 4)
    rows = [_data_row(data), _recomputed_row(clients["officer"], parameters)]
    with gunicorn("institute.wsgi:application", workers=2) as base_url:
        for page in pages(data):
            rows += measure_page(
                page, base_url=base_url, clients=clients, parameters=parameters,
                load_size=load_size,
            )  # fmt: skip
    return rows


def _recomputed_row(client: Client, parameters: dict) -> Row:
    path = "/admin/certification-dashboard/"
    figures = recomputed_latencies(client, path, repeat=5)
    reference = reference_latencies(_dashboard_sql(), parameters, repeat=5)
    return Row(SCENARIO, "officer dashboard p50, figures recomputed (in-process, unloaded)",
               round(percentile(figures, 0.5) * 1000, 2), "ms",
               round(percentile(reference, 0.5) * 1000, 2),
               "raw SQL: credentials by state, pass rate by month, enrolments, hours",
               notes="the request that computes the figures; others reuse them for 60 s")  # fmt: skip


def _data_row(data: BenchData) -> Row:
    counts = data.counts
    return Row(
        SCENARIO,
        f"data set: {counts['trainees']} trainees, {len(data.organisation_ids)} organisations, "
        f"{counts['records']} records",
        data.seconds,
        "s",
        notes=(
            f"{'generated' if data.created else 'reused'}; enrolments={counts['enrolments']} "
            f"attempts={counts['attempts']} credentials={counts['credentials']}"
        ),
    )
