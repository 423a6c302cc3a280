"""Benchmark (`make bench`): wall time and peak memory of the data pipeline.

Runs each step as a fresh process, the way a user runs it, several times, and
prints median and best times and the peak resident memory. Not a test: numbers
are reported, not asserted. Build benchmarks are added with the build command.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def timed(cmd: list[str], **kw) -> tuple[float, float]:
    """(seconds, peak RSS in MiB of that child) for one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024


def series(label: str, cmd: list[str], setup=None, **kw) -> dict:
    times, peaks = [], []
    for _ in range(RUNS):
        if setup:
            setup()
        t, p = timed(cmd, **kw)
        times.append(t)
        peaks.append(p)
    row = {"step": label, "median_s": statistics.median(times), "best_s": min(times), "peak_rss_mib": max(peaks)}
    print(f"{label:44s} median {row['median_s']:6.2f} s   best {row['best_s']:6.2f} s   peak RSS {row['peak_rss_mib']:6.0f} MiB",
          flush=True)
    return row


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="fyrbodal-bench-"))
    try:
        (work / "data").mkdir()
        shutil.copytree(ROOT / "data" / "raw", work / "data" / "raw", ignore=shutil.ignore_patterns("private"))
        shutil.copytree(ROOT / "params", work / "params")
        fyrbodal = [str(BIN / "fyrbodal"), "--root", str(work)]
        print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, {RUNS} runs each\n")
        series("python -c 'import fyrbodal_analysis'", [sys.executable, "-c", "import fyrbodal_analysis"])
        series("fyrbodal prepare (cold: no data/processed)", fyrbodal + ["prepare"],
               setup=lambda: shutil.rmtree(work / "data" / "processed", ignore_errors=True))
        series("fyrbodal prepare (again, replacing outputs)", fyrbodal + ["prepare"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
