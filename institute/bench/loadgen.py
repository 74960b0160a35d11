"""A small HTTP load generator run as a separate process by `manage.py benchmark`.

Bounded in request count and time; loopback only. Prints one JSON object with the figures.
Usage: python -m institute.bench.loadgen URL --requests N --concurrency C [--header K:V]
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summarise(latencies: list[float], errors: int, elapsed: float) -> dict:
    return {
        "requests": len(latencies) + errors,
        "errors": errors,
        "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else 0.0,
    }


def run(
    url: str, requests: int, concurrency: int, headers: dict, time_limit: float, warmup: int = 1
) -> dict:
    """Each connection first sends `warmup` untimed requests, then all start together: a
    freshly started worker imports the application on its first request (about a second),
    which is not the steady state the figures describe."""
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit("loadgen only targets loopback addresses")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + time_limit
    ready = threading.Barrier(concurrency + 1)

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        for _ in range(warmup):
            try:
                connection.request("GET", path, headers=headers)
                connection.getresponse().read()
            except (OSError, http.client.HTTPException):
                connection.close()
        ready.wait()
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return summarise(latencies, errors[0], time.perf_counter() - started)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--warmup", type=int, default=1, help="untimed requests per connection")
    args = parser.parse_args(argv)
    headers = dict(item.split(":", 1) for item in args.header)
    headers = {key.strip(): value.strip() for key, value in headers.items()}
    result = run(args.url, args.requests, args.concurrency, headers, args.time_limit, args.warmup)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
