"""Exam-day load driver, run as a separate process by `manage.py benchmark` (exams/benchmark.py).

Reads one JSON object on stdin: base_url (loopback only), exam_id, tokens (one API token per
candidate), answers, think_ms [low, high], time_limit_s. Every candidate is an asyncio task on
one httpx client (one keep-alive connection per candidate, as each browser has its own); all
of them wait on one event, so they start their attempt at the same moment, then save one answer
after each think time (uniformly random within think_ms) and submit. Prints one JSON object:
latencies in ms per step, errors, the answers the server acknowledged per attempt, and whether
the time limit cut the run short.

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


class Results:
    def __init__(self):
        self.latency_ms: dict[str, list[float]] = {"start": [], "save": [], "submit": []}
        self.errors: list[str] = []
        self.acknowledged: dict[str, dict[str, str]] = {}

    async def call(self, client: httpx.AsyncClient, kind: str, method: str, url: str, **kwargs):
        """The JSON answer of one request, its latency recorded; None on any error."""
        began = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            self.errors.append(f"{kind}: {error.__class__.__name__}")
            return None
        self.latency_ms[kind].append(round((time.perf_counter() - began) * 1000, 2))
        if response.status_code >= 400:
            self.errors.append(f"{kind}: HTTP {response.status_code}")
            return None
        return response.json()


async def candidate(results: Results, client, spec: dict, token: str, start: asyncio.Event):
    headers = {"Authorization": f"Token {token}"}
    low, high = spec["think_ms"]
    await start.wait()
    paper = await results.call(
        client, "start", "POST", f"/api/v1/exams/{spec['exam_id']}/attempts/", json={},
        headers=headers,
    )  # fmt: skip
    if paper is None:
        return
    acknowledged = results.acknowledged.setdefault(str(paper["id"]), {})
    for index, question in enumerate(paper["questions"]):
        await asyncio.sleep(random.uniform(low, high) / 1000)  # noqa: S311 - think time, not crypto
        answer = question["options"][index % len(question["options"])]["id"]
        body = {"answer": answer, "client_timestamp": int(time.time() * 1000)}
        path = f"/api/v1/attempts/{paper['id']}/responses/{question['id']}/"
        stored = await results.call(client, "save", "PUT", path, json=body, headers=headers)
        if stored is not None and stored.get("accepted"):
            acknowledged[str(question["id"])] = answer
    path = f"/api/v1/attempts/{paper['id']}/submit/"
    await results.call(client, "submit", "POST", path, headers=headers)


async def drive(spec: dict) -> dict:
    if urlsplit(spec["base_url"]).hostname not in LOOPBACK:
        raise SystemExit("the exam-day driver only targets loopback addresses")
    results = Results()
    count = len(spec["tokens"])
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    timeout = httpx.Timeout(60.0, pool=None)
    start = asyncio.Event()
    async with httpx.AsyncClient(
        base_url=spec["base_url"], limits=limits, timeout=timeout
    ) as client:
        tasks = [asyncio.create_task(candidate(results, client, spec, token, start))
                 for token in spec["tokens"]]  # fmt: skip
        await asyncio.sleep(0)  # every candidate is now waiting on the start event
        began = time.perf_counter()
        start.set()
        done, pending = await asyncio.wait(tasks, timeout=spec["time_limit_s"])
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    failures = [task.exception() for task in done if task.exception() is not None]
    results.errors += [f"driver: {failure!r}" for failure in failures]
    return {"duration_s": round(time.perf_counter() - began, 2), "timed_out": bool(pending),
            "latency_ms": results.latency_ms, "errors": results.errors,
            "acknowledged": results.acknowledged}  # fmt: skip


def main() -> None:
    spec = json.load(sys.stdin)
    json.dump(asyncio.run(drive(spec)), sys.stdout)


if __name__ == "__main__":
    main()
