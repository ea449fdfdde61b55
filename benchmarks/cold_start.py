"""Cold start: how long commands take to start, the place index to open, and a pipeline to be reused.

Run: ``python benchmarks/cold_start.py --db watchfloor.db``. Every figure is the median (and minimum) wall
time of ``--runs`` fresh processes; the load average is recorded beside them, as busy cores inflate every
figure. ``--source DIR`` runs another checkout of the package (e.g. ``git archive HEAD`` unpacked), so
before/after pairs come from the same tool on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PLACE_PROBE = """
import time
t = time.perf_counter()
from watchfloor.link.places import load_place_index
index = load_place_index()
index.resolve("Jalalabad", {"AF"})
print(time.perf_counter() - t)
"""
PICKLE_PROBE = """
import pickle, sys, time
t = time.perf_counter()
with open(sys.argv[1], "rb") as fh:
    pickle.load(fh)
print(time.perf_counter() - t)
"""
PIPELINE_PROBE = """
import time
from watchfloor.link.gazetteer import load_gazetteer
from watchfloor.nlp.pipeline import shared_pipeline
g = load_gazetteer()
times = []
for _ in range(2):
    t = time.perf_counter()
    with shared_pipeline(g) as nlp:
        nlp("The Taliban said.")
    times.append(time.perf_counter() - t)
print(*times)
"""


CWD = tempfile.gettempdir()  # not the checkout: Python would import the package from the current folder


def _env(source: Path | None) -> dict[str, str]:
    env = dict(os.environ, COLUMNS="120")
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return env


def wall(argv: list[str], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median and minimum seconds of ``argv`` over ``runs`` fresh processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, cwd=CWD, capture_output=True, check=True, timeout=300)
        times.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3)}


def reported(code: str, runs: int, env: dict[str, str], *args: str) -> dict[str, float]:
    """Median and minimum of the seconds a probe script prints about itself."""
    times = []
    for _ in range(runs):
        argv = [sys.executable, "-c", code, *args]
        out = subprocess.run(argv, env=env, cwd=CWD, capture_output=True, text=True, check=True)
        times.append(float(out.stdout.split()[-1]))
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="store for status/docs/search (default: a new empty one)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, help="another checkout of the package to measure instead")
    parser.add_argument("--pickle", type=Path, help="also time loading this pickled place index (the old form)")
    parser.add_argument("--pipeline", action="store_true", help="also time building vs reusing the pipeline")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    env = _env(args.source)
    cli = [sys.executable, "-m", "watchfloor"]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(args.db or Path(tmp) / "empty.db")
        subprocess.run([*cli, "status", "--db", db], env=env, cwd=CWD, capture_output=True, check=True)  # migrate
        load_before = os.getloadavg()
        result: dict[str, Any] = {
            "source": str(args.source or "this checkout"),
            "cpus": os.cpu_count(),
            "python -c pass": wall([sys.executable, "-c", "pass"], args.runs, env),
            "import watchfloor.cli": wall([sys.executable, "-c", "import watchfloor.cli"], args.runs, env),
            "watchfloor --help": wall([*cli, "--help"], args.runs, env),
            "watchfloor status": wall([*cli, "status", "--db", db], args.runs, env),
            "watchfloor docs": wall([*cli, "docs", "--db", db], args.runs, env),
            "watchfloor search": wall([*cli, "search", "bombing", "--db", db], args.runs, env),
        }
    subprocess.run([sys.executable, "-c", PLACE_PROBE], env=env, cwd=CWD, capture_output=True, check=True)  # build
    result["place index open + first look-up"] = reported(PLACE_PROBE, args.runs, env)
    if args.pickle is not None:
        result["pickled place index load"] = reported(PICKLE_PROBE, min(args.runs, 3), env, str(args.pickle))
    if args.pipeline:
        probe = [sys.executable, "-c", PIPELINE_PROBE]
        out = subprocess.run(probe, env=env, cwd=CWD, capture_output=True, text=True, check=True)
        first, second = (float(x) for x in out.stdout.split()[-2:])
        result["pipeline first use / reuse"] = {"first_s": round(first, 3), "reuse_s": round(second, 4)}
    result["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
