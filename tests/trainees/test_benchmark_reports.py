"""The officer-reports benchmark: its PostgreSQL data generator and one page measured.

The generator needs PostgreSQL (generate_series); on SQLite only the refusal is tested.
"""

import pytest
from django.db import connection

from courses.models import Enrolment
from exams.models import Attempt
from trainees.bench_data import bench_data_ensure
from trainees.benchmark_reports import (
    _client,
    count_queries,
    in_process_costs,
    pages,
    reference_latencies,
)
from trainees.models import Credential, Organisation

SIZE = 300

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the generator runs on PostgreSQL only"
)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite refusal")
def test_refuses_sqlite_with_a_clear_message(db):
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        bench_data_ensure(size=SIZE)
    assert not Organisation.objects.exists()


@on_postgresql
def test_generates_once_reuses_and_measures_a_page(db):
    """One test: the generator seeds the demo first (about a minute)."""
    data = bench_data_ensure(size=SIZE)
    assert data.created
    assert data.counts["trainees"] == SIZE
    assert len(data.organisation_ids) == SIZE // 100
    people = {"user__email__startswith": f"b{SIZE}-"}
    assert Enrolment.objects.filter(**people).count() == data.counts["enrolments"] > 0
    assert Attempt.objects.filter(**people).values("passed").distinct().count() == 2
    states = set(Credential.objects.filter(holder__email__startswith=f"b{SIZE}-").values_list(
        "status", flat=True))  # fmt: skip
    assert {"active", "expired", "suspended", "withdrawn", "superseded"} <= states
    assert 9 * SIZE <= data.counts["records"] <= 12 * SIZE
    again = bench_data_ensure(size=SIZE)
    assert not again.created and again.counts == data.counts
    assert again.organisation_ids == data.organisation_ids
    check_manager_page_measure(data)


def check_manager_page_measure(data):
    page = next(page for page in pages(data) if page.name == "manager staff page")
    status, queries = count_queries(_client(data.manager), page.path)
    assert status == 200
    assert 5 < queries < 40
    parameters = {"organisation": data.organisation_ids[0]}
    latencies = reference_latencies(page.reference_sql, parameters, repeat=3)
    assert len(latencies) == 3 and all(latency > 0 for latency in latencies)
    cpu, sql = in_process_costs(_client(data.manager), page.path, repeat=2)
    assert len(cpu) == len(sql) == 2 and all(seconds > 0 for seconds in cpu + sql)
    expiring = next(page for page in pages(data) if page.name == "manager staff expiring")
    assert "valid_until" in expiring.reference_sql[0]  # the filtered page's own reference
