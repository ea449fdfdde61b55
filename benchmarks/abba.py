"""Shared timing for the one-run benchmarks: A-B-B-A order, CPU time, best run, and the report."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

TIMING = "CPU time (process_time), best of 4 runs in A-B-B-A order"


def cpu_seconds(fn: Callable[[], object]) -> float:
    """CPU time of one call (immune to other processes' load, unlike elapsed time)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def abba_ms(jobs: Mapping[str, Callable[[], object]], items: int) -> dict[str, float]:
    """Warm every job once, then run them in A-B-B-A order twice; best CPU ms per item for each."""
    for job in jobs.values():  # lazy loads and caches
        job()
    names = list(jobs)
    runs: dict[str, list[float]] = {name: [] for name in names}
    for order in (names, names[::-1]) * 2:
        for name in order:
            runs[name].append(cpu_seconds(jobs[name]))
    return {name: 1000 * min(values) / items for name, values in runs.items()}


def report(result: dict[str, Any], out: Path | None) -> None:
    """Print the result as JSON with the load average and timing method, and write it to ``out``."""
    result = {**result, "load_average": os.getloadavg(), "timing": TIMING}
    print(json.dumps(result, indent=1))
    if out:
        out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
