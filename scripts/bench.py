"""Benchmark (`make bench`): the numbers behind the closing notes. A script, not a test.

Measures on this machine, in one run, each step as a fresh process the way a user runs it:
  1. `fyrbodal prepare` (cold and repeated)
  2. cold build of all editions: `fyrbodal build --all --force` on an empty reports/ (and an empty item
     cache), with the time of each edition once the shared items are cached (editions 3-15), and the CPU
     time of the whole process tree
  3. a no-op rebuild (`fyrbodal build --all` with nothing changed), then one edition with a warm item cache
     (`build --edition bengtsfors --force --jobs 1`)
  4. the size of reports/ and of the largest edition page
  5. the same work as a plain script sharing work the same way (scripts/plain_build.py: the same cells, no
     kernel, no papermill), and the build's ratio to it (wall and CPU): the median over BENCH_PAIRS (default 3)
     back-to-back pairs of a cold build and the plain script, each with an empty item cache, both measured the
     same way (memory sampled beside them), every other pair with the plain script first
  6. the all-Sweden region (`prepare --region sverige`, `build --region sverige --all`): editions/minute after
     the first 15, 60 and 290 editions, peak memory of the process tree (BENCH_SWEDEN_EDITIONS=N builds the
     first N only; BENCH_SKIP=sweden skips it)
  7. the naive way: for every edition and every notebook, `papermill` CLI then
     `jupyter nbconvert --to html`, one after another (BENCH_NAIVE_EDITIONS=N limits it to N
     editions and extrapolates, saying so)
  8. peak resident memory of the whole process tree (build, workers, kernels) and of the
     largest single process, sampled from /proc
  9. where the time of one edition goes: kernel start, imports, computing and plotting items,
     SVG and HTML of the items, HTML page rendering, table export, printing the page to PDF (the first
     page with the browser's start, then a page with the browser kept open, as the build does)
  10. a large ledger: the demo ledger split into BENCH_LEDGER_ROWS (default 5 000 000) rows with the same
     totals per organisation (~224 MB), then `fyrbodal register` and `fyrbodal prepare` on it, with peak
     memory (target: each within 1 GiB)

BENCH_SKIP=ledger skips step 10; BENCH_ONLY=ledger runs only step 10 (BENCH_LEDGER_ROWS=N to change its size).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
ONLY = {s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()}
LEDGER_ROWS = int(os.environ.get("BENCH_LEDGER_ROWS", "5000000"))
SKIP = {s.strip() for s in os.environ.get("BENCH_SKIP", "").split(",") if s.strip()}  # "sweden", "ledger"
SWEDEN_EDITIONS = int(os.environ.get("BENCH_SWEDEN_EDITIONS", "0"))  # 0: all 291
PAIRS = max(1, int(os.environ.get("BENCH_PAIRS", "3")))  # build / plain script pairs for the ratio



# ----------------------------------------------------------------------------- memory sampling

def _tree_rss(root_pid: int) -> tuple[int, int, int]:
    """(sum of RSS, max RSS, sum of PSS) in KiB over ``root_pid`` and all its descendants.

    The RSS sum counts pages shared between processes (libraries, Chromium's processes) once per process;
    the PSS sum divides each shared page among the processes that map it, so it is what the tree really holds.
    """
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
    total, biggest, pss, stack = 0, 0, 0, [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                fields = {l.split(":")[0]: int(l.split()[1]) for l in f if l.split(":")[0] in ("Rss", "Pss")}
        except (OSError, ValueError, IndexError):
            continue
        total += fields.get("Rss", 0)
        biggest = max(biggest, fields.get("Rss", 0))
        pss += fields.get("Pss", 0)
    return total, biggest, pss


#: Seconds between memory samples. Reading smaps_rollup of every process of a build (Chromium's, kernels) costs
#: ~40 ms of CPU and ~150 ms of wall time: sampling every 0.1 s took a third of a core from the build measured.
SAMPLE_EVERY = 0.5


def run(cmd: list[str], lines: list | None = None, check: bool = True, **kw) -> dict:
    """Run ``cmd``; wall time and peak memory of its process tree. With ``lines``, its output lines are
    appended there as (seconds since start, line)."""
    peak = {"sum": 0, "max": 0, "pss": 0}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if lines is not None else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True, **kw)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            s, m, p = _tree_rss(proc.pid)
            peak["sum"], peak["max"], peak["pss"] = max(peak["sum"], s), max(peak["max"], m), max(peak["pss"], p)
            stop.wait(SAMPLE_EVERY)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    if lines is not None:
        for line in proc.stdout:
            lines.append((time.perf_counter() - t0, line.rstrip("\n")))
    code = proc.wait()
    stop.set()
    th.join()
    if code != 0 and check:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {code}")
    return {"seconds": time.perf_counter() - t0, "peak_tree_mib": peak["sum"] / 1024,
            "peak_process_mib": peak["max"] / 1024, "peak_tree_pss_mib": peak["pss"] / 1024, "exit": code}


def _cpu_children() -> float:
    r = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def done_times(lines: list) -> tuple[list[float], list[float]]:
    """From a build's progress: when each edition finished (s since start) and what it took itself."""
    import re
    at, took = [], []
    for t, line in lines:
        m = re.search(r"\] \S+\s+done in ([\d.]+) s", line)
        if m:
            at.append(t)
            took.append(float(m.group(1)))
    return at, took


def edition_phases(reports: Path, lines: list) -> dict:
    """Median of each phase (build.json's "phases") over the editions done third and later in the build."""
    import re
    order = [m.group(1) for _, line in lines if (m := re.search(r"\] (\S+)\s+done in", line))][2:]
    rows = []
    for slug in order:
        status = reports / slug / "build.json"
        if status.exists():
            rows.append(json.loads(status.read_text(encoding="utf-8")).get("phases", {}))
    names = [k for k in ("notebook", "execute", "page", "print") if any(k in r for r in rows)]
    return {k: statistics.median(r.get(k, 0.0) for r in rows) for k in names}


def per_minute(at: list[float], n: int) -> str:
    if len(at) < n:
        return "n/a"
    return f"{n / at[n - 1] * 60:.1f}"


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def show(label: str, r: dict) -> None:
    mem = (f"   peak tree RSS {r['peak_tree_mib']:6.0f} MiB, PSS {r.get('peak_tree_pss_mib', 0):6.0f} MiB, largest process "
           f"{r['peak_process_mib']:5.0f} MiB" if "peak_tree_mib" in r else "")
    print(f"{label:52s} {r['seconds']:8.2f} s{mem}", flush=True)


# ----------------------------------------------------------------------------- steps

def workspace() -> Path:
    work = Path(tempfile.mkdtemp(prefix="fyrbodal-bench-"))
    (work / "data").mkdir()
    shutil.copytree(ROOT / "data" / "raw", work / "data" / "raw", ignore=shutil.ignore_patterns("private"))
    shutil.copytree(ROOT / "params", work / "params")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    return work


def naive(work: Path, editions: list[dict]) -> float:
    out = work / "naive"
    out.mkdir()
    t0 = time.perf_counter()
    for e in editions:
        for nb in sorted((work / "notebooks").glob("*.ipynb")):
            target = out / f"{e['edition']}-{nb.name}"
            subprocess.run([str(BIN / "papermill"), str(nb), str(target), "-r", "edition", e["edition"],
                            "-k", "python3", "--cwd", str(work / "notebooks")], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "FYRBODAL_ROOT": str(work)})
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(target)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"    naive: {e['edition']:12s} done at {time.perf_counter() - t0:7.1f} s", flush=True)
    return time.perf_counter() - t0


def plain(work: Path, name: str) -> dict:
    """scripts/plain_build.py into a fresh folder (its own empty item cache): wall and CPU seconds, measured as the
    build is (:func:`run`, with the same memory sampling beside it)."""
    cpu0 = _cpu_children()
    lines: list = []
    out = run([sys.executable, str(ROOT / "scripts" / "plain_build.py"), str(work), str(work / name),
               "--jobs", str(os.cpu_count())], lines, env={**os.environ, "FYRBODAL_ROOT": str(work)})
    out.update(json.loads(lines[-1][1]), cpu_seconds=_cpu_children() - cpu0)
    shutil.rmtree(work / name, ignore_errors=True)
    return out


def cold_build(work: Path) -> tuple[dict, list]:
    """`fyrbodal build --all --force` with an empty item cache: wall and CPU seconds, peak memory, and the median
    seconds of an edition after the shared work (editions 3-15); with the build's output lines."""
    shutil.rmtree(work / "build" / "cache", ignore_errors=True)
    cpu0 = _cpu_children()
    lines: list = []
    out = run([str(BIN / "fyrbodal"), "--root", str(work), "build", "--all", "--force"], lines)
    out["cpu_seconds"] = _cpu_children() - cpu0
    took = done_times(lines)[1]
    out["edition_after_shared_s"] = statistics.median(sorted(took[2:]) or sorted(took))
    return out, lines


def breakdown(work: Path) -> dict:
    """Where one edition's time goes (region edition), measured in separate steps."""
    env = {**os.environ, "FYRBODAL_ROOT": str(work)}
    code = ("import time, json\nt0=time.perf_counter()\nfrom jupyter_client.manager import start_new_kernel\n"
            "km, kc = start_new_kernel(kernel_name='python3')\nt1=time.perf_counter()\n"
            "kc.execute_interactive('import fyrbodal_analysis as fa; from fyrbodal_analysis.report import parts')\n"
            "t2=time.perf_counter()\nkc.stop_channels(); km.shutdown_kernel(now=True)\n"
            "print(json.dumps({'kernel_start_s': t1-t0, 'imports_in_kernel_s': t2-t1}))")
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout)
    code2 = ("import time, json, io\nimport fyrbodal_analysis as fa\nfrom fyrbodal_analysis.report import parts\n"
             "ed = fa.edition('fyrbodal')\nt0=time.perf_counter(); items=list(parts.items(ed)); t1=time.perf_counter()\n"
             "html=[it._repr_html_() for it in items]; t2=time.perf_counter()\n"
             "ex=[it.export() for it in items]; t3=time.perf_counter()\n"
             "print(json.dumps({'items_compute_and_plot_s': t1-t0, 'svg_and_html_of_items_s': t2-t1, 'export_payloads_s': t3-t2,"
             " 'items': len(items)}))")
    out.update(json.loads(subprocess.run([sys.executable, "-c", code2], capture_output=True, text=True, env=env, check=True).stdout))
    code3 = ("import time, json, nbformat\nfrom fyrbodal_analysis.core.paths import Project\nfrom fyrbodal_analysis.publish.build import page_info\n"
             "from fyrbodal_analysis.publish.html import edition_page\nfrom fyrbodal_analysis.publish.build import export_tables\n"
             f"p=Project(__import__('pathlib').Path({str(work)!r}))\n"
             "nb=nbformat.read(p.root/'reports'/'fyrbodal'/'fyrbodal.ipynb', as_version=4)\ned=page_info(p, 'fyrbodal', 'fyrbodal', 'fyrbodal')\n"
             "t0=time.perf_counter(); h=edition_page(nb, ed, ['demo'], 'x', {}); t1=time.perf_counter()\n"
             "import tempfile, pathlib; d=pathlib.Path(tempfile.mkdtemp()); export_tables(nb, d, 'fyrbodal'); t2=time.perf_counter()\n"
             "print(json.dumps({'nbconvert_html_page_s': t1-t0, 'csv_xlsx_export_s': t2-t1}))")
    out.update(json.loads(subprocess.run([sys.executable, "-c", code3], capture_output=True, text=True, env=env, check=True).stdout))
    code4 = ("import time, json\nfrom pathlib import Path\nfrom fyrbodal_analysis.publish.build import chromium\n"
             "from fyrbodal_analysis.publish.printer import Printer\n"
             f"page = Path({str(work)!r}) / 'reports' / 'bengtsfors' / 'index.html'\nb = chromium()\n"
             f"if b:\n    with Printer(b) as p:\n        t0 = time.perf_counter(); p.print(page, Path({str(work)!r}) / 'bench.pdf')\n"
             f"        t1 = time.perf_counter(); p.print(page, Path({str(work)!r}) / 'bench.pdf'); t2 = time.perf_counter()\n"
             "    print(json.dumps({'pdf_first_page_with_browser_start_s': t1 - t0, 'pdf_next_page_s': t2 - t1}))\n"
             "else:\n    print('{}')")
    out.update(json.loads(subprocess.run([sys.executable, "-c", code4], capture_output=True, text=True, env=env, check=True).stdout))
    return out


def sweden(work: Path) -> dict:
    """The all-Sweden region (290 municipalities, public items only) built in one run."""
    fy = [str(BIN / "fyrbodal"), "--root", str(work)]
    run(fy + ["prepare", "--region", "sverige"])
    wanted = ["--all"]
    if SWEDEN_EDITIONS:
        slugs = sorted(p.stem for p in (work / "params" / "editions" / "sverige").glob("*.yml"))[:SWEDEN_EDITIONS]
        wanted = [a for s in slugs for a in ("--edition", s)]
    lines: list = []
    out = run(fy + ["build", "--region", "sverige", "--force", *wanted], lines)
    at, took = done_times(lines)
    out.update(editions=len(at), per_minute={n: per_minute(at, n) for n in (15, 60, 290)},
               median_edition_s=statistics.median(took) if took else None)
    show(f"all-Sweden region: {len(at)} editions in one run", out)
    print("    editions/minute for the first 15, 60, 290: " + ", ".join(f"{v}" for v in out["per_minute"].values()) +
          f"; peak memory of the process tree {out['peak_tree_pss_mib']:.0f} MiB PSS, {out['peak_tree_mib']:.0f} MiB "
          "RSS summed (target < 1024 MiB)", flush=True)
    return out


def big_ledger(work: Path, rows: int) -> int:
    """Replace the workspace's demo ledger by ``rows`` rows with the same total per organisation; return bytes."""
    path = work / "data" / "raw" / "demo" / "ledger.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], [l.rsplit(",", 1) for l in lines[1:]]
    k, extra = divmod(rows, len(body))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        for i, (rest, amount) in enumerate(body):
            n = k + (1 if i < extra else 0)
            q, r = divmod(int(amount), n)
            f.writelines(f"{rest},{q + (1 if j < r else 0)}\n" for j in range(n))
    return path.stat().st_size


def ledger(work: Path) -> dict:
    fy = [str(BIN / "fyrbodal"), "--root", str(work)]
    size = big_ledger(work, LEDGER_ROWS)
    print(f"large ledger: {LEDGER_ROWS:,} rows, {size / 1e6:.0f} MB".replace(",", " "), flush=True)
    out = {"rows": LEDGER_ROWS, "bytes": size}
    out["register"] = run(fy + ["register", str(work / "data" / "raw" / "demo" / "ledger.csv")])
    show("fyrbodal register (large ledger)", out["register"])
    shutil.rmtree(work / "data" / "processed", ignore_errors=True)
    out["prepare"] = run(fy + ["prepare"])
    show("fyrbodal prepare (large ledger)", out["prepare"])
    for step in ("register", "prepare"):
        print(f"peak resident memory of {step} with the large ledger: {out[step]['peak_tree_mib']:.0f} MiB "
              "(target ≤ 1024 MiB)", flush=True)
    return out


def main() -> None:
    work = workspace()
    results = {}
    if ONLY:
        try:
            if "ledger" in ONLY:
                results["ledger"] = ledger(work)
            (ROOT / ".bench").mkdir(exist_ok=True)
            (ROOT / ".bench" / "ledger.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if ONLY - {"ledger"}:
            print(f"BENCH_ONLY: only the ledger step can run alone; ignored {sorted(ONLY - {'ledger'})}")
        return
    try:
        fy = [str(BIN / "fyrbodal"), "--root", str(work)]
        print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}\n", flush=True)
        times = []
        for _ in range(RUNS):
            shutil.rmtree(work / "data" / "processed", ignore_errors=True)
            times.append(run(fy + ["prepare"]))
        results["prepare"] = {"seconds": statistics.median(t["seconds"] for t in times),
                              "peak_tree_mib": max(t["peak_tree_mib"] for t in times),
                              "peak_process_mib": max(t["peak_process_mib"] for t in times),
                              "peak_tree_pss_mib": max(t["peak_tree_pss_mib"] for t in times)}
        show(f"fyrbodal prepare (median of {RUNS})", results["prepare"])
        results["cold_build"], lines = cold_build(work)
        show("cold build, all editions (fyrbodal build --all)", results["cold_build"])
        at, took = done_times(lines)
        later = sorted(took[2:]) or sorted(took)
        print(f"    an edition after the shared work (editions 3-{len(took)} of the cold build, median): "
              f"{statistics.median(later):.1f} s, max {max(later):.1f} s (target ≤ 6 s)", flush=True)
        phases = edition_phases(work / "reports", lines)
        if phases:
            results["cold_build"]["edition_after_shared_phases_s"] = phases
            print("    where it goes (median of the same editions): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items()), flush=True)
        if len(at) >= 4:  # what one more edition adds to the build's wall time, with all workers and the printer busy
            results["cold_build"]["marginal_edition_s"] = (at[-1] - at[1]) / (len(at) - 2)
            print(f"    wall time the build spends per edition after the first two: "
                  f"{results['cold_build']['marginal_edition_s']:.1f} s", flush=True)
        results["noop_build"] = run(fy + ["build", "--all"])
        show("no-op rebuild (nothing changed)", results["noop_build"])
        one_lines: list = []
        results["warm_one"] = run(fy + ["build", "--edition", "bengtsfors", "--force", "--jobs", "1"], one_lines)
        show("one edition, warm build cache (build --edition bengtsfors --force)", results["warm_one"])
        took_one = done_times(one_lines)[1]
        if took_one:  # the edition itself, from its kernel's first cell to its PDF (the rest: starting up, the index)
            results["warm_one"]["edition_s"] = took_one[0]
            print(f"    of it the edition itself: {took_one[0]:.1f} s (target ≤ 6 s)", flush=True)
        reports = work / "reports"
        pages = {p.parent.name: p.stat().st_size / 1e6 for p in reports.glob("*/index.html")}
        results["sizes"] = {"reports_mb": folder_mb(reports), "largest_page_mb": max(pages.values()),
                            "notebooks_mb": sum(p.stat().st_size for p in reports.glob("*/*.ipynb")) / 1e6}
        print(f"reports/: {results['sizes']['reports_mb']:.1f} MB (target ≤ 60 MB), of it executed notebooks "
              f"{results['sizes']['notebooks_mb']:.1f} MB; largest page {results['sizes']['largest_page_mb']:.2f} MB "
              f"(target ≤ 1,5 MB)", flush=True)
        results["plain"] = plain(work, "plain")
        show("the same work as a plain script (scripts/plain_build.py)", results["plain"])
        # The machine's speed drifts by up to ~40 % within minutes (a shared VM), more than the difference measured:
        # the ratio is the median over PAIRS back-to-back pairs of a cold build (empty item cache) and the plain script.
        # Every other pair runs the plain script first, so a drift of the machine's speed favours neither.
        pairs = [(results["cold_build"], results["plain"])]
        for i in range(1, PAIRS):
            q = plain(work, f"plain-{i}") if i % 2 else None
            pairs.append((cold_build(work)[0], q or plain(work, f"plain-{i}")))
        ratios = [(b["seconds"] / q["seconds"], b["cpu_seconds"] / q["cpu_seconds"]) for b, q in pairs]
        results["ratio"] = {"pairs": [{"build_s": b["seconds"], "plain_s": q["seconds"], "build_cpu_s": b["cpu_seconds"],
                                       "plain_cpu_s": q["cpu_seconds"], "edition_after_shared_s": b["edition_after_shared_s"]}
                                      for b, q in pairs],
                            "wall": statistics.median(r[0] for r in ratios), "cpu": statistics.median(r[1] for r in ratios)}
        for (b, q), (w, c) in zip(pairs, ratios):
            print(f"    pair: build {b['seconds']:.1f} s / plain {q['seconds']:.1f} s = {w:.2f}x wall, "
                  f"cpu {b['cpu_seconds']:.1f} / {q['cpu_seconds']:.1f} s = {c:.2f}x; the build's edition after the shared "
                  f"work (median) {b['edition_after_shared_s']:.1f} s", flush=True)
        print(f"    build / plain script, median of {len(pairs)} pairs: wall {results['ratio']['wall']:.2f}x, "
              f"cpu {results['ratio']['cpu']:.2f}x (target ≤ 1,2x)", flush=True)
        if "sweden" not in SKIP:
            results["sweden"] = sweden(work)
        results["breakdown"] = breakdown(work)
        print("where one edition's time goes:", json.dumps({k: round(v, 2) for k, v in results["breakdown"].items()}), flush=True)
        eds = [json.loads(json.dumps(__import__("yaml").safe_load(p.read_text(encoding="utf-8"))))
               for p in sorted((work / "params" / "editions").glob("*.yml"))]
        limit = int(os.environ.get("BENCH_NAIVE_EDITIONS", len(eds)))
        secs = naive(work, eds[:limit])
        if limit < len(eds):
            print(f"    naive loop measured on {limit} of {len(eds)} editions; total extrapolated linearly", flush=True)
            secs = secs / limit * len(eds)
        results["naive"] = {"seconds": secs, "editions_measured": limit}
        show(f"naive loop: papermill CLI + nbconvert, {len(eds)} editions", results["naive"])
        ratio = results["naive"]["seconds"] / results["cold_build"]["seconds"]
        print(f"\ncold build is {ratio:.1f}x faster than the naive loop (target ≥ 4x)")
        print(f"no-op rebuild {results['noop_build']['seconds']:.2f} s (target < 1 s)")
        print(f"peak memory of the build's process tree {results['cold_build']['peak_tree_pss_mib']:.0f} MiB PSS "
              f"({results['cold_build']['peak_tree_mib']:.0f} MiB RSS summed), largest process {results['cold_build']['peak_process_mib']:.0f} MiB "
              "(the region's kernels hold its microdata; the < 1 GiB target is the all-Sweden run's, above)")
        if "ledger" not in SKIP:
            results["ledger"] = ledger(work)
        (ROOT / ".bench").mkdir(exist_ok=True)
        (ROOT / ".bench" / "last.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
