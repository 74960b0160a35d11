"""Issuance throughput, for `manage.py benchmark` (wired by the lead).

`run_issuance(count=N)` signs N credentials in-process, timing each step separately on
unsaved credential objects (no database writes): Data Integrity (eddsa-rdfc-2022, RDF
canonicalisation dominates), VC-JWT, and the PDF; next to the raw Ed25519 signing rate.
`run_issuance_through_worker` issues through the real Celery task and database.
"""

import datetime
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


def _sign_data_integrity_many(first: int, count: int) -> int:
    """In a worker process: sign `count` Data Integrity credentials (no database)."""
    from trainees.credentials import ob3

    for index in range(first, first + count):
        ob3.sign_data_integrity(ob3.open_badge(_unsaved_credential(index)))
    return count


def _data_integrity_in_processes(count: int, processes: int) -> float:
    """Credentials/s signed by `processes` forked workers (canonicalisation is CPU-bound in
    pure Python, so one process uses one core)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's database socket
    share = -(-count // processes)
    context = multiprocessing.get_context("fork")
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        signed = sum(
            pool.map(_sign_data_integrity_many, range(0, count, share), [share] * processes)
        )
    return signed / (time.perf_counter() - start)


def run_issuance(*, count: int) -> dict:
    from trainees.credentials import ob3, pdf

    credentials = [_unsaved_credential(index) for index in range(count)]
    badges = [ob3.open_badge(credential) for credential in credentials]
    data_integrity = _timed(ob3.sign_data_integrity, badges)
    vc_jwt = _timed(ob3.sign_jwt, badges)
    sample = credentials[: min(count, PDF_SAMPLE_LIMIT)]
    pdf_seconds = _timed(pdf.certificate_pdf, sample) * count / max(len(sample), 1)
    signing = data_integrity + vc_jwt
    total = signing + pdf_seconds
    return {
        "credentials": count,
        "credentials_per_second": round(count / total, 2),
        "signing_seconds": round(signing, 3),
        "data_integrity_per_second": round(count / data_integrity, 1),
        "vc_jwt_per_second": round(count / vc_jwt, 1),
        "pdf_seconds": round(pdf_seconds, 3),
        "pdf_per_second": round(count / pdf_seconds, 2),
        "pdf_sampled": len(sample),
        "raw_ed25519_signs_per_second": round(_raw_ed25519_rate(), 1),
        "data_integrity_two_processes_per_second": round(
            _data_integrity_in_processes(count, processes=2), 1
        ),
    }


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
