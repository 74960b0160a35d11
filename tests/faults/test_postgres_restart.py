"""Fault: PostgreSQL restarts while a candidate is answering an exam.

The app runs in gunicorn against a private cluster with persistent connections
(DATABASE_CONN_MAX_AGE) and CONN_HEALTH_CHECKS, so the restart leaves it holding a dead
connection. Asserted:
- the first save after the restart succeeds at once (the dead connection is noticed and
  replaced before the request uses it);
- a client saving continuously through the restart, retrying a failed save as the exam page
  does (static/js/exam.js), sees only 5xx answers in the restart window and never a 4xx, and
  every save it retried is acknowledged in the end;
- every acknowledged (2xx) answer is in the database afterwards, with its latest value.
"""

import json
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from tests.conftest import wait_for

from .servers import (
    PROJECT,
    PYTHON,
    PostgresCluster,
    free_port,
    postgres_bin,
    require,
    uses_postgres,
)

pytestmark = [pytest.mark.faults]


@pytest.fixture
def private_postgres():
    require(uses_postgres(), "runs in the PostgreSQL test run (CI sets DATABASE_URL)")
    require(postgres_bin() is not None, "needs the PostgreSQL server binaries (initdb)")
    cluster = PostgresCluster(free_port())
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def exam_server(private_postgres, tmp_path):
    """gunicorn on the private cluster (migrated, with one trainee in an exam)."""
    environment = {
        **os.environ,
        "DATABASE_URL": private_postgres.url,
        "DATABASE_CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    run = {"env": environment, "cwd": PROJECT, "check": True, "timeout": 300}
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    seeded = subprocess.run(
        [PYTHON, "-m", "tests.faults.exam_seed"], capture_output=True, text=True, **run
    )
    exam = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(PROJECT / ".venv" / "bin")) or "gunicorn"
    with open(tmp_path / "gunicorn.log", "w") as log:
        server = subprocess.Popen(
            [gunicorn, "institute.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1"],
            env=environment,
            cwd=PROJECT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    client = ExamClient(f"http://127.0.0.1:{port}", exam)
    wait_for(client.is_up, 60, 0.1, "gunicorn answering")
    yield client
    server.terminate()
    server.wait(timeout=20)


class ExamClient:
    """Saves answers over HTTP as the exam page does, and remembers what was acknowledged."""

    def __init__(self, base_url: str, exam: dict):
        self.base_url, self.exam = base_url, exam
        self.acknowledged: dict[int, str] = {}
        self.failures: list[int] = []
        self.stamp = 0

    def is_up(self) -> bool:
        try:
            urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2)  # noqa: S310
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    def save(self, question: int, answer: str) -> int:
        self.stamp += 1
        request = urllib.request.Request(  # noqa: S310 - our own server
            f"{self.base_url}/api/v1/attempts/{self.exam['attempt']}/responses/{question}/",
            data=json.dumps({"answer": answer, "client_timestamp": self.stamp}).encode(),
            method="PUT",
            headers={
                "Authorization": f"Token {self.exam['token']}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if 200 <= status < 300:
            self.acknowledged[question] = answer
        return status

    def save_retrying(self, question: int, answer: str, attempts: int = 40) -> None:
        """exam.js: a failed save stays pending and is sent again after a pause."""
        for _ in range(attempts):
            status = self.save(question, answer)
            if 200 <= status < 300:
                return
            self.failures.append(status)
            time.sleep(0.25)
        pytest.fail(f"save of question {question} never acknowledged: {self.failures}")


def stored_answers(cluster: PostgresCluster, attempt: int) -> dict[int, str]:
    with psycopg.connect(cluster.url) as connection:
        rows = connection.execute(
            "SELECT question_id, answer FROM exams_response WHERE attempt_id = %s", [attempt]
        ).fetchall()
    return dict(rows)


def test_postgres_restart_next_save_succeeds_and_no_acknowledged_answer_is_lost(
    private_postgres, exam_server
):
    questions = exam_server.exam["questions"]
    for question in questions[:3]:
        assert exam_server.save(question, f"before restart {question}") == 200

    private_postgres.restart()
    assert exam_server.save(questions[3], "first save after the restart") == 200

    stop = threading.Event()

    def keep_answering():
        round_number = 0
        while not stop.is_set():
            round_number += 1
            for question in questions:
                exam_server.save_retrying(question, f"round {round_number} {question}")

    saver = threading.Thread(target=keep_answering)
    saver.start()
    time.sleep(0.5)
    private_postgres.restart()  # with saves in flight
    time.sleep(1.0)
    stop.set()
    saver.join(timeout=60)

    assert not saver.is_alive()
    assert all(status >= 500 for status in exam_server.failures), exam_server.failures
    assert set(exam_server.acknowledged) == set(questions)
    assert stored_answers(private_postgres, exam_server.exam["attempt"]) == {
        int(question): answer for question, answer in exam_server.acknowledged.items()
    }
