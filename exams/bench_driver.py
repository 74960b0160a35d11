"""Exam-day load driver, run as a separate process by `manage.py benchmark` (exams/benchmark.py).

Reads one JSON object on stdin: base_url (loopback only), exam_id, tokens (one API token per
candidate), first_think_ms and think_ms [low, high], keepalive_expiry_s, time_limit_s.

Every candidate is an asyncio task on one httpx client (a keep-alive connection per candidate
in flight, as each browser has its own). All of them wait on one event, so they start their
attempt at the same moment (the exam opens for everyone at the same second). Each then reads
and answers at human pace: the first answer after `first_think_ms`, every next one after
`think_ms` (uniformly random), so candidates drift apart as real ones do; then submits.

The client drops a connection idle for `keepalive_expiry_s`, shorter than the server's
keep-alive: it never sends on a connection the server may be closing at that moment (that
race answers with a connection ReadError). A save that fails on the network or with a 5xx is
retried once after 1 s, as exam.js does; retries are counted apart from errors.

Prints one JSON object: latencies in ms per step, errors (with the step, the error and how long
the candidate's connection had been idle), retries, the answers the server acknowledged per
attempt, the span of the start burst, and whether the time limit cut the run short.

Usage: python -m exams.bench_driver < spec.json
"""

import asyncio
import json
import random
import sys
import time
from urllib.parse import urlsplit

import httpx

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
RETRY_AFTER_S = 1.0


class Results:
    def __init__(self):
        self.began = time.perf_counter()
        self.latency_ms: dict[str, list[float]] = {"start": [], "save": [], "submit": []}
        self.errors: list[dict] = []
        self.retries: list[dict] = []
        self.acknowledged: dict[str, dict[str, str]] = {}
        self.last_answer: dict[str, float] = {}  # token -> when its last response arrived

    def _failure(self, kind: str, reason: str, sent: float, idle: float) -> dict:
        """What failed, how long the candidate had been quiet before sending, and when."""
        return {"step": kind, "error": reason, "idle_s": round(idle, 2),
                "waited_s": round(time.perf_counter() - sent, 2),
                "at_s": round(time.perf_counter() - self.began, 2)}  # fmt: skip

    async def call(self, client, kind: str, token: str, method: str, url: str, retry=False, **kw):
        """The JSON answer of one request, its latency recorded; None on any error.

        With `retry`, a network error or a 5xx is retried once (same body), as exam.js does."""
        began = time.perf_counter()  # a retried save's latency includes the failed try and wait
        for attempt in (1, 2) if retry else (1,):
            sent = time.perf_counter()
            idle = sent - self.last_answer.get(token, self.began)
            try:
                response = await client.request(method, url, **kw)
                reason = f"HTTP {response.status_code}" if response.status_code >= 500 else None
            except httpx.HTTPError as error:
                response, reason = None, error.__class__.__name__
            failure = self._failure(kind, reason, sent, idle) if reason else None
            self.last_answer[token] = time.perf_counter()
            if failure is None:
                break
            if attempt == 1 and retry:
                self.retries.append(failure)
                await asyncio.sleep(RETRY_AFTER_S)
                continue
            self.errors.append(failure)
            return None
        self.latency_ms[kind].append(round((time.perf_counter() - began) * 1000, 2))
        if response.status_code >= 400:
            self.errors.append(self._failure(kind, f"HTTP {response.status_code}", began, 0))
            return None
        return response.json()


def _pause(window: list[int]) -> float:
    return random.uniform(*window) / 1000  # noqa: S311 - think time, not crypto


async def candidate(results: Results, client, spec: dict, token: str, start: asyncio.Event):
    headers = {"Authorization": f"Token {token}"}
    await start.wait()
    paper = await results.call(
        client, "start", token, "POST", f"/api/v1/exams/{spec['exam_id']}/attempts/", json={},
        headers=headers,
    )  # fmt: skip
    if paper is None:
        return
    acknowledged = results.acknowledged.setdefault(str(paper["id"]), {})
    for index, question in enumerate(paper["questions"]):
        await asyncio.sleep(_pause(spec["first_think_ms"] if index == 0 else spec["think_ms"]))
        answer = question["options"][index % len(question["options"])]["id"]
        body = {"answer": answer, "client_timestamp": int(time.time() * 1000)}
        path = f"/api/v1/attempts/{paper['id']}/responses/{question['id']}/"
        stored = await results.call(
            client, "save", token, "PUT", path, retry=True, json=body, headers=headers
        )
        if stored is not None and stored.get("accepted"):
            acknowledged[str(question["id"])] = answer
    path = f"/api/v1/attempts/{paper['id']}/submit/"
    await results.call(client, "submit", token, "POST", path, headers=headers)


async def drive(spec: dict) -> dict:
    if urlsplit(spec["base_url"]).hostname not in LOOPBACK:
        raise SystemExit("the exam-day driver only targets loopback addresses")
    results = Results()
    count = len(spec["tokens"])
    limits = httpx.Limits(
        max_connections=count,
        max_keepalive_connections=count,
        keepalive_expiry=spec["keepalive_expiry_s"],
    )
    timeout = httpx.Timeout(60.0, pool=None)
    start = asyncio.Event()
    async with httpx.AsyncClient(
        base_url=spec["base_url"], limits=limits, timeout=timeout
    ) as client:
        tasks = [asyncio.create_task(candidate(results, client, spec, token, start))
                 for token in spec["tokens"]]  # fmt: skip
        await asyncio.sleep(0)  # every candidate is now waiting on the start event
        results.began = began = time.perf_counter()
        start.set()
        done, pending = await asyncio.wait(tasks, timeout=spec["time_limit_s"])
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    failures = [task.exception() for task in done if task.exception() is not None]
    results.errors += [{"step": "driver", "error": repr(failure)} for failure in failures]
    return {"duration_s": round(time.perf_counter() - began, 2), "timed_out": bool(pending),
            "latency_ms": results.latency_ms, "errors": results.errors,
            "retries": results.retries, "acknowledged": results.acknowledged}  # fmt: skip


def main() -> None:
    spec = json.load(sys.stdin)
    json.dump(asyncio.run(drive(spec)), sys.stdout)


if __name__ == "__main__":
    main()
