"""Issuance throughput, for `manage.py benchmark --scenario issuance` (`issuance_rows`).

`run_issuance(count=N)` signs N credentials, timing each step separately on unsaved
credential objects (no database writes), each beside its limit reference measured in the
same run: Data Integrity (eddsa-rdfc-2022) in-process and in one and two forked processes
started together (the two-process figure against twice the one-process one), VC-JWT against
raw Ed25519 signatures (of a 128-byte message, and of one the size of the JWS signing input),
and certificate PDFs against WeasyPrint alone rendering one fixed certificate's HTML.
`run_issuance_through_worker` issues through the real Celery task and database.
"""

import datetime
import os
import time
import uuid

from django.utils import timezone

PDF_SAMPLE_LIMIT = 200  # PDFs are ~100x slower than signatures; time a sample and extrapolate


def _unsaved_credential(index: int):
    from trainees.models import Credential, Scheme, SchemeVersion, TraineeProfile, User

    scheme = Scheme(
        code="benchmark",
        title_zh="产品认证工厂检查员 I 级",
        title_en="Product certification factory inspector, level I",
    )
    version = SchemeVersion(
        scheme=scheme,
        number=1,
        scope_zh="低压电器工厂检查",
        scope_en="Factory inspections of low-voltage apparatus",
    )
    holder = User(email=f"bench{index}@example.com")
    holder.profile = TraineeProfile(user=holder, name_zh="张伟", name_latin="ZHANG Wei")
    now = timezone.now()
    return Credential(
        number=f"BENCH-{now.year}-{index:06d}",
        holder=holder,
        scheme_version=version,
        scope_zh=version.scope_zh,
        scope_en=version.scope_en,
        issued_at=now,
        valid_from=now,
        valid_until=now + datetime.timedelta(days=3 * 365),
        status_index=index,
    )


def _raw_ed25519_rate(seconds: float = 1.0) -> float:
    from trainees.credentials.keys import current_key

    private_key = current_key().private_key
    message = uuid.uuid4().bytes * 8
    signed, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        private_key.sign(message)
        signed += 1
    return signed / (time.perf_counter() - start)


def _timed(function, items) -> float:
    start = time.perf_counter()
    for item in items:
        function(item)
    return time.perf_counter() - start


def _signature_rates(badges) -> dict:
    """VC-JWTs/s beside raw Ed25519 signatures/s of a 128-byte message and of one the size
    of the JWS signing input, the three taking turns over several passes (a VC-JWT takes
    ~40 us: the passes last long enough even with --quick, and a change of load on a shared
    machine falls on all three alike)."""
    from trainees.credentials import ob3
    from trainees.credentials.keys import current_key

    private_key = current_key().private_key
    signing_input = len(ob3.sign_jwt(badges[0]).rpartition(".")[0])
    short = uuid.uuid4().bytes * 8
    same_size = (uuid.uuid4().bytes * (signing_input // 16 + 1))[:signing_input]
    steps = {
        "vc_jwt": ob3.sign_jwt,
        "raw": lambda _badge: private_key.sign(short),
        "raw_same_size": lambda _badge: private_key.sign(same_size),
    }
    spent = dict.fromkeys(steps, 0.0)
    rounds = max(2, 5000 // len(badges))
    for _round in range(rounds):
        for name, function in steps.items():
            spent[name] += _timed(function, badges)
    signed = rounds * len(badges)
    return {"signing_input_bytes": signing_input} | {
        name: signed / seconds for name, seconds in spent.items()
    }


def _sign_data_integrity_many(first: int, count: int) -> int:
    """Sign `count` Data Integrity credentials (no database)."""
    from trainees.credentials import ob3

    for index in range(first, first + count):
        ob3.sign_data_integrity(ob3.open_badge(_unsaved_credential(index)))
    return count


_start_together = None  # a Barrier shared by the forked workers of one measurement


def _worker_ready(barrier) -> None:
    global _start_together
    _start_together = barrier
    _sign_data_integrity_many(10**6, 1)  # warm (contexts, key) before the clock starts


def _worker_share(first: int, count: int) -> tuple[int, float, float]:
    """In a forked worker: (signed, wall seconds, CPU seconds) from a common start."""
    _start_together.wait(timeout=60)
    wall, cpu = time.perf_counter(), time.process_time()
    _sign_data_integrity_many(first, count)
    return count, time.perf_counter() - wall, time.process_time() - cpu


def _data_integrity_in_processes(count: int, processes: int) -> dict:
    """Credentials/s signed by `processes` forked workers started together (pool start-up
    not timed). Signing is CPU-bound Python that shares nothing between processes, so each
    worker's rate per CPU-second shows whether a shortfall is the code or missing cores."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's database socket
    share = -(-count // processes)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes)
    with ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_worker_ready, initargs=(barrier,)
    ) as pool:
        shares = list(
            pool.map(_worker_share, range(0, share * processes, share), [share] * processes)
        )
    signed = sum(done for done, _wall, _cpu in shares)
    return {
        "per_second": signed / max(wall for _done, wall, _cpu in shares),
        "per_cpu_second": [round(done / cpu, 1) for done, _wall, cpu in shares],
    }


def _pdf_rates(credentials) -> dict:
    """Certificate PDFs/s, beside WeasyPrint alone rendering one fixed certificate's HTML
    (same template, fonts, images and QR code; no Django, no database) in the same run."""
    from django.conf import settings
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from trainees.credentials import pdf

    fixed_html = pdf.certificate_html(credentials[0])
    base_url = str(settings.BASE_DIR)
    fonts = FontConfiguration()  # loaded once, as the certificate path keeps its own

    def raw_render(_credential) -> bytes:
        return HTML(string=fixed_html, base_url=base_url).write_pdf(font_config=fonts)

    raw_render(None)
    pdf.certificate_pdf(credentials[0])  # both warm, as in a worker that has rendered one
    certificate = raw = 0.0
    for credential in credentials:  # taking turns: a change of load falls on both alike
        certificate += _timed(pdf.certificate_pdf, [credential])
        raw += _timed(raw_render, [credential])
    return {
        "pdf_per_second": len(credentials) / certificate,
        "pdf_raw_per_second": len(credentials) / raw,
    }


def run_issuance(*, count: int) -> dict:
    from trainees.credentials import ob3

    credentials = [_unsaved_credential(index) for index in range(count)]
    badges = [ob3.open_badge(credential) for credential in credentials]
    ob3.sign_data_integrity(badges[0])  # the per-thread context cache, as in a warm worker
    # One process before and after the two, averaged: a change of load falls on both sides.
    before = _data_integrity_in_processes(count, processes=1)
    two = _data_integrity_in_processes(count, processes=2)
    after = _data_integrity_in_processes(count, processes=1)
    one = {"per_second": (before["per_second"] + after["per_second"]) / 2}
    data_integrity = _timed(ob3.sign_data_integrity, badges)
    signatures = _signature_rates(badges)
    pdfs = _pdf_rates(credentials[: min(count, PDF_SAMPLE_LIMIT)])
    per_credential = data_integrity / count + 1 / signatures["vc_jwt"] + 1 / pdfs["pdf_per_second"]
    return {
        "credentials": count,
        "credentials_per_second": round(1 / per_credential, 2),
        "data_integrity_per_second": round(count / data_integrity, 1),
        "data_integrity_one_process_per_second": round(one["per_second"], 1),
        "data_integrity_two_processes_per_second": round(two["per_second"], 1),
        "data_integrity_two_processes_per_cpu_second": two["per_cpu_second"],
        "vc_jwt_per_second": round(signatures["vc_jwt"], 1),
        "vc_jwt_signing_input_bytes": signatures["signing_input_bytes"],
        "pdf_per_second": round(pdfs["pdf_per_second"], 2),
        "pdf_raw_per_second": round(pdfs["pdf_raw_per_second"], 2),
        "pdf_sampled": min(count, PDF_SAMPLE_LIMIT),
        "raw_ed25519_signs_per_second": round(signatures["raw"], 1),
        "raw_ed25519_jwt_size_signs_per_second": round(signatures["raw_same_size"], 1),
        "load_average": round(os.getloadavg()[0], 1),
    }


def issuance_rows(*, quick: bool) -> list:
    """The `issuance` scenario's table rows, each beside its limit reference (same run)."""
    from institute.bench.runner import Row

    figures = run_issuance(count=20 if quick else 1000)
    raw = figures["raw_ed25519_signs_per_second"]
    load = f"load average {figures['load_average']}"
    one = figures["data_integrity_one_process_per_second"]
    per_cpu = ", ".join(
        f"{rate}/s" for rate in figures["data_integrity_two_processes_per_cpu_second"]
    )
    return [
        Row("issuance", "Data Integrity (eddsa-rdfc-2022) credentials/s",
            figures["data_integrity_per_second"], "/s", raw, "raw Ed25519 signs/s", notes=load),
        Row("issuance", "Data Integrity credentials/s, 2 processes (both cores)",
            figures["data_integrity_two_processes_per_second"], "/s", round(2 * one, 1),
            "2 x one forked process, same run",
            notes=f"one process {one}/s; per CPU-second in each of the two: {per_cpu}; {load}"),
        Row("issuance", "VC-JWT credentials/s", figures["vc_jwt_per_second"], "/s", raw,
            "raw Ed25519 signs/s (128-byte message)", notes=load),
        Row("issuance", "VC-JWT credentials/s (same-size reference)",
            figures["vc_jwt_per_second"], "/s", figures["raw_ed25519_jwt_size_signs_per_second"],
            f"raw Ed25519 signs/s of a {figures['vc_jwt_signing_input_bytes']}-byte message "
            "(the JWS signing input's size)"),
        Row("issuance", "PDF certificates/s", figures["pdf_per_second"], "/s",
            figures["pdf_raw_per_second"],
            "raw PDF render of a fixed template (WeasyPrint alone, same HTML and fonts)",
            notes=f"sampled {figures['pdf_sampled']}"),
        Row("issuance", "end to end credentials/s (signing + PDF)",
            figures["credentials_per_second"], "/s"),
    ]  # fmt: skip


def run_issuance_through_worker(*, count: int, timeout: float = 3600) -> dict:
    """Approve `count` applications for throwaway people and let the Celery worker(s) issue
    them (signing + PDF + emails); reports credentials/s end to end. Writes to the database:
    run it against a benchmark database only."""
    from trainees.models import Application, Credential, SchemeVersion, User
    from trainees.tasks import credential_issue

    version = SchemeVersion.objects.filter(is_published=True).first()
    run = uuid.uuid4().hex[:8]
    officer = User.objects.filter(is_superuser=True).first()
    ids = []
    for index in range(count):
        person = User.objects.create_user(f"bench-{run}-{index}@example.com", None)
        ids.append(
            Application.objects.create(
                candidate=person,
                scheme_version=version,
                submitted_by=person,
                status=Application.Status.APPROVED,
                decided_by=officer,
                decided_at=timezone.now(),
                is_eligible=True,
            ).pk
        )
    start = time.perf_counter()
    for application_id in ids:
        credential_issue.delay(application_id)
    issued = 0
    while time.perf_counter() - start < timeout:
        issued = Credential.objects.filter(application_id__in=ids).exclude(pdf="").count()
        if issued >= count:
            break
        time.sleep(0.5)
    elapsed = time.perf_counter() - start
    return {
        "credentials": issued,
        "seconds": round(elapsed, 2),
        "credentials_per_second": round(issued / elapsed, 2),
        "raw_ed25519_signs_per_second": round(_raw_ed25519_rate(), 1),
    }
