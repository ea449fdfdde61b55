"""Shared timing for the benchmarks: A-B-B-A order, CPU time, best or mean run, load check, report."""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TIMING = "CPU time (process_time), best of 4 runs in A-B-B-A order"
# A machine counts as busy when its 1-minute load average exceeds this share of its cores (plus the
# benchmark's own busy processes, once it has been running).
BUSY_SHARE_OF_CORES = 0.5


def cpu_seconds(fn: Callable[[], object]) -> float:
    """CPU time of one call (immune to other processes' load, unlike elapsed time)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def children_cpu_seconds() -> float:
    """User + system CPU time of this process's finished (waited-for) child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    cpu_s: float  # this process + the child processes the call started and waited for
    elapsed_s: float


def timed(fn: Callable[[], object]) -> Run:
    """CPU time (process + children, e.g. ``nlp.pipe`` workers) and elapsed time of one call."""
    cpu, children, start = time.process_time(), children_cpu_seconds(), time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    return Run(time.process_time() - cpu + children_cpu_seconds() - children, elapsed)


def abba_order(names: list[str], rounds: int) -> list[str]:
    """``rounds`` times A-B-...-...-B-A: each job as often early as late, so a drift cancels out."""
    return (names + names[::-1]) * rounds


def abba_runs(
    jobs: Mapping[str, Callable[[], object]], rounds: int = 1, between: Callable[[], object] | None = None
) -> dict[str, list[Run]]:
    """Run the jobs in A-B-B-A order ``rounds`` times (no warm-up); every run of each job, in order.

    ``between`` is called, untimed, after every run (e.g. to delete what the run wrote).
    """
    runs: dict[str, list[Run]] = {name: [] for name in jobs}
    for name in abba_order(list(jobs), rounds):
        runs[name].append(timed(jobs[name]))
        if between is not None:
            between()
    return runs


def abba_ms(jobs: Mapping[str, Callable[[], object]], items: int) -> dict[str, float]:
    """Warm every job once, then run them in A-B-B-A order twice; best CPU ms per item for each."""
    for job in jobs.values():  # lazy loads and caches
        job()
    names = list(jobs)
    runs: dict[str, list[float]] = {name: [] for name in names}
    for name in abba_order(names, 2):
        runs[name].append(cpu_seconds(jobs[name]))
    return {name: 1000 * min(values) / items for name, values in runs.items()}


def load_limit(own_processes: int = 0) -> float:
    """The 1-minute load average above which results are not trusted: a share of the cores + our own."""
    return BUSY_SHARE_OF_CORES * (os.cpu_count() or 1) + own_processes


def load_1min() -> float:
    return round(os.getloadavg()[0], 2)


def report(result: dict[str, Any], out: Path | None) -> None:
    """Print the result as JSON with the load average and timing method, and write it to ``out``."""
    result = {**result, "load_average": os.getloadavg(), "timing": TIMING}
    print(json.dumps(result, indent=1))
    if out:
        out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
