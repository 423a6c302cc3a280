"""The build's work as a plain Python script, for `make bench` (goal: the build at most 1,2x this).

Same work, shared the same way: the same merged edition notebook, its code cells run in order in one
namespace per edition (no kernel, no papermill, no nbclient), the item cache on, ``--jobs`` processes that
keep their imports across editions, then the same HTML page, CSV/XLSX exports and notebook file per edition,
printed to PDF by one Chromium in the main process while the workers compute, with at most ``--jobs``
editions in flight from their first cell to their PDF (as the build does).

    python scripts/plain_build.py ROOT OUT [--jobs 2] [--region R]
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import contextlib
import json
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path


def run_cells(nb, edition: str) -> None:
    """Execute each code cell like a kernel would: the last expression's value is displayed."""
    import nbformat
    outputs: list = []

    def display(value) -> None:  # IPython's display(), as the edition notebook's joined cells call it
        if value is not None and hasattr(value, "_repr_mimebundle_"):
            outputs.append(nbformat.v4.new_output("display_data", data=value._repr_mimebundle_()))

    ns: dict = {"__name__": "__main__", "display": display}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if "parameters" in cell.metadata.get("tags", []):
            source += f"\nedition = {edition!r}"
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        cell.outputs = outputs = []
        exec(compile(tree, "<cell>", "exec"), ns)  # noqa: S102 - the project's own notebooks
        if last is not None:
            display(eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns))  # noqa: S307


def one(args) -> float:
    root, out, slug, params, region = args
    import nbformat

    from fyrbodal_analysis.core.paths import Project
    from fyrbodal_analysis.publish.build import chromium, edition_notebook, export_tables, page_info, render_html
    t0 = time.perf_counter()
    project = Project(Path(root), region)
    nb = edition_notebook(project)
    os.chdir(project.root / "notebooks")
    run_cells(nb, str(params["edition"]))
    folder = Path(out) / slug
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{slug}.ipynb")
    info = page_info(project, slug, params["code"], params["region"])
    files = export_tables(nb, folder / "tables", slug)
    pdf = f"{slug}.pdf" if chromium() else None
    (folder / "index.html").write_text(render_html(nb, info, info.tiers, "plain", files, pdf=pdf), encoding="utf-8")
    return slug, time.perf_counter() - t0


def _init(cache: str) -> None:
    os.environ["FYRBODAL_ITEM_CACHE"] = cache
    sys.modules.setdefault("rfc3987_syntax", None)  # as the build's workers (publish/build.py: _worker_init)
    import fyrbodal_analysis  # noqa: F401 - imports once per process, as a warm kernel does
    from fyrbodal_analysis.report import parts
    parts.warm_up(freeze=True)  # and warms up and freezes, as the build's kernels do (build.PREWARM)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("out")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--region")
    ap.add_argument("--limit", type=int, help="only the first N editions")
    a = ap.parse_args()
    from fyrbodal_analysis.core.paths import Project
    from fyrbodal_analysis.publish.build import editions
    project = Project(Path(a.root), a.region)
    eds = dict(list(editions(project).items())[:a.limit])
    cache = str(Path(a.out) / ".cache")
    t0 = time.perf_counter()
    from fyrbodal_analysis.publish.build import chromium
    from fyrbodal_analysis.publish.printer import Printer
    browser = chromium()
    times = []
    todo = [(a.root, a.out, s, p, a.region) for s, p in eds.items()]
    # like the build: worker processes compute the editions, one Chromium in this process prints them, and at
    # most --jobs editions are in flight from their first cell to their PDF (the next starts when one is printed)
    with cf.ProcessPoolExecutor(a.jobs, mp_context=mp.get_context("spawn"), initializer=_init,
                                initargs=(cache,)) as pool, \
            (Printer(browser) if browser else contextlib.nullcontext()) as printer:
        running = {pool.submit(one, todo.pop(0)) for _ in range(min(a.jobs, len(todo)))}
        while running:
            done, running = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for fut in done:
                slug, seconds = fut.result()
                t1 = time.perf_counter()
                if printer is not None:
                    printer.print(Path(a.out) / slug / "index.html", Path(a.out) / slug / f"{slug}.pdf")
                times.append(seconds + time.perf_counter() - t1)
                if todo:
                    running.add(pool.submit(one, todo.pop(0)))
    print(json.dumps({"seconds": time.perf_counter() - t0, "editions": len(times), "per_edition": times}))


if __name__ == "__main__":
    sys.exit(main())
