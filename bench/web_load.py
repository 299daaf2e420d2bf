"""Load on the reader over loopback: requests/s and latency (p50, p99) of the front page and two story pages.

The demo corpus is ingested into a fresh database, ``newsfold serve`` is started on it in its
own process (one uvicorn worker, as a user runs it), the front page's stories are warmed, and
then ``--clients`` concurrent clients send ``--requests`` requests to each page: the front page,
the top story's page, and the page of the story with the most articles (the dearest to render:
every member in its coverage, every citation).  The baseline is
a static file (the stylesheet) served by the same process in the same run: the printed ratio says
how much dearer each page is than the cheapest answer the server can give.

    python bench/web_load.py [--clients 8] [--requests 400] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsfold.cli import demo_corpus  # noqa: E402
from newsfold.pipeline import Engine  # noqa: E402
from newsfold.store import open_store  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(base: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/static/style.css", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not come up")


def _load(url: str, clients: int, requests: int) -> dict[str, float]:
    latencies: list[float] = []

    def worker(count: int) -> list[float]:
        own = []
        with httpx.Client(timeout=60) as client:
            for _ in range(count):
                started = time.perf_counter()
                response = client.get(url)
                response.raise_for_status()
                own.append(time.perf_counter() - started)
        return own

    shares = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for own in pool.map(worker, shares):
            latencies.extend(own)
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        with open_store(url) as store:
            Engine(store).ingest_paths([demo_corpus()])
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "newsfold", "--db", url, "serve", "--port", str(port)],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            stdout=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(base)
            top = httpx.get(base + "/api/stories", params={"top": True, "limit": 1}, timeout=120).json()
            every = httpx.get(base + "/api/stories", params={"limit": 500}, timeout=120).json()
            largest = max(every, key=lambda s: (s["articles"], s["id"]))
            pages = {
                "static file (baseline)": base + "/static/style.css",
                "front page": base + "/",
                f"top story ({top[0]['articles']} art.)": f"{base}/story/{top[0]['id']}",
                f"largest story ({largest['articles']} art.)": f"{base}/story/{largest['id']}",
            }
            for page in pages.values():  # warm: syntheses cached, connections made
                httpx.get(page, timeout=120).raise_for_status()
            results: dict[str, Any] = {
                name: _load(page, args.clients, args.requests) for name, page in pages.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    base_rate = results["static file (baseline)"]["requests_per_s"]
    for row in results.values():
        row["cost_vs_static"] = base_rate / row["requests_per_s"]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{args.clients} clients, {args.requests} requests per page, loopback, one server process")
    print(f"{'page':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'× static':>9}")
    for name, row in results.items():
        print(
            f"{name:<28} {row['requests_per_s']:>8.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['cost_vs_static']:>9.2f}"
        )


if __name__ == "__main__":
    main()
