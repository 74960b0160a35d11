"""Page scenarios of `manage.py benchmark`: CMS pages against a plain view serving the same HTML,
and the catalogue at 10 and 10,000 courses against the same page on the small set."""

import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from .dashboard import dashboard_figures
from .datasets import ensure_bench_courses, ensure_demo_site, live_courses_limited_to
from .runner import Row, gunicorn, load

UNCACHED = {"CMS_PAGE_CACHE_SECONDS": "0"}
LARGE_COURSES = int(os.environ.get("BENCH_LARGE_COURSES", 10_000))


def _client(user=None) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def render_in_process(path: str, user=None) -> tuple[bytes, int]:
    """The page's HTML and its (uncached) query count, from a request in this process."""
    client = _client(user)
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    uncached = {
        "CMS_PAGE_CACHE_SECONDS": 0,
        "STORAGES": {**settings.STORAGES, "staticfiles": plain_static},
    }
    with override_settings(**uncached):
        client.get(path)  # warm per-process caches, as a running server has them
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return response.content, len(captured)


def cpu_per_render(paths: dict, user=None, repeat: int = 50) -> dict:
    """CPU ms per request (best of three loops of `repeat`) for each named path, in this process:
    robust to other load on the machine, unlike latency. Uncached as `render_in_process`."""
    client = _client(user)
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    figures = {}
    with override_settings(
        CMS_PAGE_CACHE_SECONDS=0, STORAGES={**settings.STORAGES, "staticfiles": plain_static}
    ):
        for name, path in paths.items():
            client.get(path)
            loops = []
            for _ in range(3):
                started = time.process_time()
                for _ in range(repeat):
                    client.get(path)
                loops.append((time.process_time() - started) * 1000 / repeat)
            figures[name] = round(min(loops), 2)
    return figures


def _cpu_rows(pages: dict, saved: Path) -> list[Row]:
    """Each page's CPU per render beside the plain view serving its saved HTML, in-process."""
    from . import reference_urls

    reference_urls.SAVED_PAGES.update(
        {name: (saved / f"{name}.html").read_bytes() for name in pages}
    )
    rows = []
    for name, page in pages.items():
        page_cpu = cpu_per_render({"page": page["path"]}, page["user"])["page"]
        with override_settings(ROOT_URLCONF="institute.bench.reference_urls"):
            plain_cpu = cpu_per_render({"plain": f"/plain/{name}/"}, page["user"])["plain"]
        rows.append(
            Row("cms-pages", f"{name} uncached CPU per render (in-process)", page_cpu, "ms",
                plain_cpu, "plain Django view, same HTML, in-process", queries=page["queries"],
                notes="process CPU time, best of 3 x 50 requests; robust to machine load")
        )  # fmt: skip
    return rows


def _demo_trainee_lesson():
    """A lesson of a course the demo trainee is enrolled in, and that trainee."""
    from courses.models import Enrolment, LessonPage

    enrolment = Enrolment.objects.filter(user__email="trainee@demo.local").first()
    if enrolment is None:
        raise RuntimeError("no demo enrolment: run `manage.py seed_demo` on this database")
    lesson = LessonPage.objects.live().descendant_of(enrolment.course).first()
    return lesson.url, enrolment.user


def _session_cookie(user) -> dict:
    client = _client(user)
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    }


def _page_rows(name, path, figures, queries) -> list[Row]:
    reference = "plain Django view, same HTML"
    rows = []
    for kind, measured in figures.items():
        if kind == "plain":
            continue
        plain = figures["plain"]
        rows += [
            Row("cms-pages", f"{name} {path} {kind} p50", measured["p50_ms"], "ms", plain["p50_ms"],
                reference, queries=queries if kind != "anonymous cached" else 0),
            Row("cms-pages", f"{name} {kind} p95", measured["p95_ms"], "ms", plain["p95_ms"], reference,
                notes=f"{measured['rps']} vs {plain['rps']} req/s; errors={measured['errors']}"),
        ]  # fmt: skip
    return rows


def _pages_to_measure() -> dict:
    lesson_path, trainee = _demo_trainee_lesson()
    return {
        "home": {"path": "/", "user": None, "headers": {}},
        "lesson": {"path": lesson_path, "user": trainee, "headers": _session_cookie(trainee)},
    }


def cms_pages(*, quick: bool) -> list[Row]:
    """Home (anonymous) and a lesson (enrolled trainee): uncached, and the home served from the
    anonymous page cache, each vs a plain Django view serving the same HTML."""
    ensure_demo_site()
    requests, concurrency = (200, 4) if quick else (3000, 8)
    pages = _pages_to_measure()
    saved = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    for name, page in pages.items():
        html, page["queries"] = render_in_process(page["path"], page["user"])
        (saved / f"{name}.html").write_bytes(html)
    figures = {name: {} for name in pages}

    def drive(base, name, url, kind):
        headers = pages[name]["headers"]
        figures[name][kind] = load(url, requests=requests, concurrency=concurrency, headers=headers)

    reference = {"BENCH_SAVED_PAGES_DIR": str(saved)}
    with gunicorn("institute.bench.reference_wsgi:application", environment=reference) as base:
        for name in pages:
            drive(base, name, f"{base}/plain/{name}/", "plain")
    with gunicorn("institute.wsgi:application", environment=UNCACHED) as base:
        for name, page in pages.items():
            drive(base, name, f"{base}{page['path']}", "uncached")
    with gunicorn("institute.wsgi:application") as base:
        drive(base, "home", f"{base}/", "anonymous cached")
    rows = []
    for name, page in pages.items():
        rows += _page_rows(name, page["path"], figures[name], page["queries"])
    return rows + _cpu_rows(pages, saved)


def _catalogue_figures(base: str, requests: int, concurrency: int) -> dict:
    figures = {}
    for name, path in (("catalogue", "/courses/"), ("course list API", "/api/v1/courses/")):
        _html, queries = render_in_process(path)
        figures[name] = {**load(f"{base}{path}", requests=requests, concurrency=concurrency),
                         "queries": queries, "path": path}  # fmt: skip
    repeat = 3 if requests < 500 else 10
    return {**figures, **dashboard_figures(base, requests // 2, concurrency, repeat)}


def catalogue(*, quick: bool) -> list[Row]:
    """Catalogue page, course list API and officer dashboard at 10 and 10,000 courses
    (uncached; the dashboard both computing its figures and reusing them)."""
    large = 30 if quick else LARGE_COURSES
    built = ensure_bench_courses(large)
    requests, concurrency = (100, 4) if quick else (1000, 8)
    with (
        live_courses_limited_to(10),
        gunicorn("institute.wsgi:application", environment=UNCACHED) as base,
    ):
        small = _catalogue_figures(base, requests, concurrency)
    with (
        live_courses_limited_to(large),
        gunicorn("institute.wsgi:application", environment=UNCACHED) as base,
    ):
        big = _catalogue_figures(base, requests, concurrency)
    note = f"data set: {large} bench courses; made {built['made']} now in {built['seconds']} s"
    rows = []
    for name, figures in big.items():
        reference = small[name]
        rows += [
            Row("catalogue", f"{name} {figures['path']} p50 at {large} courses", figures["p50_ms"], "ms",
                reference["p50_ms"], "same page at 10 courses", queries=figures["queries"],
                notes=f"queries at 10 courses: {reference['queries']}; {note}"),
            Row("catalogue", f"{name} p95 at {large} courses", figures["p95_ms"], "ms",
                reference["p95_ms"], "same page at 10 courses",
                notes=f"{figures.get('rps', '-')} req/s vs {reference.get('rps', '-')}; "
                      f"errors={figures.get('errors', 0)}; requests={figures.get('requests')}"),
        ]  # fmt: skip
    return rows
