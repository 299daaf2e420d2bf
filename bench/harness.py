"""What the bench scripts share: best-of timing, peak memory, one process per size, ratios to a base.

Bench scripts run as files (``python bench/x.py``), so this module is imported by its plain name
from the scripts' own folder.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``runs`` timings of ``work`` (seconds) and its last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def each_size_in_its_own_process(script: str, commands: list[list[str]]) -> list[dict[str, Any]]:
    """Run ``script`` once per argument list (each prints one JSON object) and add each row's
    ``cost_ratio`` (ms per article) and ``memory_ratio`` (peak MB) against the first row: its own
    process gives each size its own peak memory, and the first size is the baseline."""
    results = []
    for arguments in commands:
        child = subprocess.run(
            [sys.executable, script, *arguments], check=True, capture_output=True, text=True
        )
        results.append(json.loads(child.stdout))
    base = results[0]
    for row in results:
        row["cost_ratio"] = row["ms_per_article"] / base["ms_per_article"]
        row["memory_ratio"] = row["peak_mb"] / base["peak_mb"]
    return results
