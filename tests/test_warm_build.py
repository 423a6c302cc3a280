"""Warm kernels: editions run one after another in a worker's kernel without seeing each other, and a
worker that dies takes only its own edition down."""

from __future__ import annotations

import json
import math
import shutil
import sys

import pytest

from fyrbodal_analysis.clean.pipeline import prepare
from fyrbodal_analysis.core.paths import Project
from fyrbodal_analysis.publish.build import build, summary
from fyrbodal_analysis.publish.cli import main
from tests.conftest import ROOT, copy_project


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Project:
    """A prepared project whose report is one short part (Demografi), so that a build takes seconds."""
    proj = copy_project(tmp_path_factory.mktemp("warm") / "proj")
    (proj.root / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "02_demography.ipynb", proj.root / "notebooks")
    prepare(proj)
    return proj


def with_cell(small: Project, dest, source: str) -> Project:
    import nbformat  # not at module level: importing it costs ~2 s, paid by every xdist worker at collection

    shutil.copytree(small.root, dest)
    path = dest / "notebooks" / "02_demography.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)
    return Project(dest)


@pytest.mark.integration  # papermill kernels
def test_an_edition_does_not_see_the_previous_one_in_the_same_kernel(small, tmp_path):
    proj = with_cell(small, tmp_path / "p", 'assert "leftover" not in dir(), leftover\nleftover = edition\n'
                                            'assert "_p" not in dir()  # nor a name from the warm-up')
    results = build(proj, ["fyrbodal", "bengtsfors", "amal"], jobs=1, force=True, progress=lambda m: None)
    text, code = summary(results)
    assert code == 0, text
    nb = json.loads((proj.reports / "amal" / "amal.ipynb").read_text(encoding="utf-8"))
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))  # numbered as if the kernel were its own


@pytest.mark.integration  # papermill kernels
def test_a_killed_worker_fails_its_edition_only(small, tmp_path, capsys):
    # the cell kills the kernel's parent: the worker process running Bengtsfors, as the OOM killer would
    proj = with_cell(small, tmp_path / "p", 'import os, signal\nif edition == "bengtsfors":\n'
                                            '    os.kill(os.getppid(), signal.SIGKILL)')
    code = main(["build", "--edition", "bengtsfors", "--edition", "amal", "--edition", "orust", "--jobs", "2",
                 "--force", "--root", str(proj.root)])
    err = capsys.readouterr().err
    assert code == 1 and "1 of 3 failed" in err and "bengtsfors: the worker process died" in err
    for slug in ("amal", "orust"):
        assert json.loads((proj.reports / slug / "build.json").read_text(encoding="utf-8"))["status"] == "built"
    assert not (proj.reports / "bengtsfors").exists() and (proj.reports / ".failed" / "bengtsfors").is_dir()
    assert not list(proj.reports.glob(".tmp-*"))
    index = (proj.reports / "index.html").read_text(encoding="utf-8")
    assert '<tr><td>Bengtsfors</td><td class="status-failed">misslyckades</td>' in index  # its status on the index



def test_a_worker_reads_an_executed_notebook_without_pandas_or_matplotlib():
    """The worker only turns the kernel's notebook into records, exports and a page: the heavy libraries stay in
    the kernel (importing them in every worker would cost ~100 MB per worker), and the CSV and XLSX are written
    without numpy (which openpyxl would import otherwise)."""
    code = ("import tempfile\nfrom pathlib import Path\nimport nbformat\n"
            "nb = nbformat.v4.new_notebook()\nc = nbformat.v4.new_code_cell('x')\n"
            "c.outputs = [nbformat.v4.new_output('display_data', data={b.ITEM_MIME: {'number': 'Figur 1', "
            "'title': 't', 'slug': 'figur-1', 'is_demo': False, 'source': 's', 'columns': ['a'], 'rows': [[1]], "
            "'release': {'status': 'offentlig', 'tables': [{'name': 't'}]}}})]\nnb.cells = [c]\n"
            "plain = lambda x: (type(x) is dict and all(map(plain, x.values()))) or (type(x) is list and "
            "all(map(plain, x))) or not isinstance(x, (dict, list))\n"
            "recs = b.take_release_records(nb)\nassert recs[0]['status'] == 'offentlig'\n"
            "assert plain(recs), 'records go to the main process as plain dicts and lists'\n"
            "d = Path(tempfile.mkdtemp())\nfiles = b.export_tables(nb, d, 'x')\n"
            "assert sorted(p.name for p in d.iterdir()) == ['figur-1.csv', 'x-csv.zip', 'x.xlsx']\n"
            "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if sys.modules.get(m)))")
    assert in_a_worker(code) == "[]"


def test_a_worker_runs_papermill_without_pyarrow():
    """papermill imports pyarrow.fs for hdfs:// paths when pyarrow is installed (~30 MB), and jsonschema (through
    nbformat) rfc3987_syntax, which compiles a grammar (~0,9 s); a build worker goes without both, and papermill
    and nbformat's validation still work."""
    code = ("import papermill, papermill.iorw, nbformat\n"
            "papermill.inspect_notebook\nnb = nbformat.v4.new_notebook()\nnbformat.validate(nb)\n"
            "nb.cells = [{'cell_type': 'code'}]\n"
            "try:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n    pass\n"
            "else:\n    raise SystemExit('an invalid notebook passed')\n"
            "print(sorted(m for m in ('pyarrow', 'pandas', 'rfc3987_syntax') if sys.modules.get(m)))")
    assert in_a_worker(code) == "[]"


def in_a_worker(code: str) -> str:
    """Run ``code`` in a fresh Python set up as a build worker is (``b`` is publish.build); its standard output."""
    import subprocess
    setup = "import os, sys\nfrom fyrbodal_analysis.publish import build as b\nb._worker_init(os.getppid(), '')\n"
    out = subprocess.run([sys.executable, "-c", setup + code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-500:]
    return out.stdout.strip()


@pytest.mark.integration  # a kernel
def test_a_worker_starts_its_kernel_and_the_imports_before_its_first_edition(small, tmp_path):
    """The worker's kernel is started (and imports and warms up the package) when the worker starts, so the first
    edition does not wait for it; its chatter goes to the build's log, not the console, and it leaves no name
    behind. The warm-up leaves scipy out (a region without test statistics never needs it); what it leaves alive is
    frozen out of the garbage collector's passes, which run less often."""
    import subprocess

    from fyrbodal_analysis.report import parts
    logs = tmp_path / "logs"
    code = ("import os, sys\nfrom fyrbodal_analysis.publish import build as b\n"
            f"b._worker_init(os.getppid(), '', {str(small.root / 'notebooks')!r}, {str(logs)!r})\n"
            "from jupyter_core.utils import run_sync\nkc = b._WARM['kc']\nout = []\n"
            "r = run_sync(kc.execute_interactive)(\"import sys, os; print('fyrbodal_analysis.report.parts' in sys.modules, "
            "'fyrbodal_analysis.report.svgcanvas' in sys.modules, 'pyarrow.parquet' in sys.modules, "
            "'scipy' in sys.modules, __import__('gc').get_freeze_count() > 0, __import__('gc').get_threshold()[0], "
            "'_p' in dir(), '_gc' in dir(), os.getcwd())\", "
            "output_hook=lambda m: out.append(m['content'].get('text', '')), timeout=60)\n"
            "b._stop_warm()\nprint(''.join(out).strip())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-800:]
    assert out.stdout.strip() == f"True True True False True {parts.GC_THRESHOLD} False False {small.root / 'notebooks'}"
    assert "Kernel" not in out.stderr  # the kernel's warnings are in its log
    assert [p.name.startswith("kernel-") for p in logs.iterdir()] == [True]


@pytest.mark.integration  # papermill kernels
def test_one_browser_prints_the_build_and_a_failed_print_fails_its_edition_only(small, tmp_path, monkeypatch):
    """The build starts one Chromium for all its editions (in its main process); a page it cannot print fails
    that edition alone (kept in .failed/, on the index), and the next page gets a new browser."""
    exe = tmp_path / "chromium"
    exe.write_text(f"#!/bin/sh\nexec {sys.executable} {ROOT / 'tests' / 'fixtures' / 'fake_chromium.py'} \"$@\"\n",
                   encoding="utf-8")
    exe.chmod(0o755)
    log = tmp_path / "log"
    monkeypatch.setenv("FYRBODAL_CHROMIUM", str(exe))
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("FAKE_DIE_ON", "/.tmp-amal-")
    proj = with_cell(small, tmp_path / "p", "pass")
    results = {r.edition: r for r in build(proj, ["bengtsfors", "amal", "orust", "tanum"], jobs=2, force=True,
                                           progress=lambda m: None)}
    assert results["amal"].status == "failed" and "Chromium closed the connection" in results["amal"].error
    assert (proj.reports / ".failed" / "amal" / "index.html").exists() and not (proj.reports / "amal").exists()
    for slug in ("bengtsfors", "orust", "tanum"):
        assert results[slug].status == "built"
        assert (proj.reports / slug / f"{slug}.pdf").read_bytes().startswith(b"%PDF-fake")
    events = [line.split()[0] for line in log.read_text(encoding="utf-8").splitlines()]
    assert events.count("print") == 3 and events.count("die") == 1
    assert events.count("start") == (1 if events[-1] == "die" else 2)  # one browser, replaced after it died
    assert not list(proj.reports.glob(".tmp-*"))


@pytest.mark.integration  # papermill kernels
def test_a_worker_takes_the_next_edition_when_one_is_printed(small, tmp_path, monkeypatch):
    """At most ``jobs`` editions are in flight from their first cell to their PDF: with a slow printer, a worker
    waits for a print instead of computing a third edition beside two (on two cores an edition then took two
    editions' time plus its print, not its own compute plus its print)."""
    exe = tmp_path / "chromium"
    exe.write_text(f"#!/bin/sh\nexec {sys.executable} {ROOT / 'tests' / 'fixtures' / 'fake_chromium.py'} \"$@\"\n",
                   encoding="utf-8")
    exe.chmod(0o755)
    monkeypatch.setenv("FYRBODAL_CHROMIUM", str(exe))
    monkeypatch.setenv("FAKE_PRINT_SECONDS", "2")
    proj = with_cell(small, tmp_path / "p", "pass")
    lines: list[str] = []
    results = build(proj, ["bengtsfors", "amal", "orust", "tanum"], jobs=2, force=True, progress=lines.append)
    assert summary(results)[1] == 0
    in_flight, most = 0, 0
    for line in lines:
        if line.rstrip().endswith(("started", "(alone)")):
            in_flight += 1
        elif line.startswith("["):
            in_flight -= 1
        most = max(most, in_flight)
    assert most == 2, lines
    assert all(r.phases["print"] >= 2 for r in results)  # the slow printer was in the way


def test_the_package_imports_scipy_only_where_a_test_statistic_is_computed():
    """A kernel of the all-Sweden region (public items, no test statistics) never loads scipy (~50 MB each)."""
    import subprocess
    code = ("import sys\nimport fyrbodal_analysis as fa\nfrom fyrbodal_analysis.report import parts\n"
            "from fyrbodal_analysis.clean import stats\nprint('scipy' in sys.modules)\n"
            "stats.mean_ci([1, 2, 3])\nprint('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.split() == ["False", "True"]


@pytest.mark.integration  # a kernel
def test_the_kernel_warms_up_while_the_worker_imports(small, tmp_path):
    """The warm-up is sent to the kernel as soon as it is started, before the worker imports papermill (~1,5 s):
    the two run side by side instead of one after the other."""
    import subprocess
    code = ("import os, sys, importlib.abc\nlog = []\n"
            "class Watch(importlib.abc.MetaPathFinder):\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'papermill':\n            log.append('import papermill')\n"
            "sys.meta_path.insert(0, Watch())\n"
            "from jupyter_client.asynchronous.client import AsyncKernelClient\n"
            "real = AsyncKernelClient.execute\n"
            "def execute(self, code, *a, **k):\n    log.append('warm-up' if 'warm_up' in code else 'other')\n"
            "    return real(self, code, *a, **k)\n"
            "AsyncKernelClient.execute = execute\n"
            "from fyrbodal_analysis.publish import build as b\n"
            f"b._worker_init(os.getppid(), '', {str(small.root / 'notebooks')!r}, {str(tmp_path)!r})\n"
            "b._stop_warm()\nprint(log)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-800:]
    assert out.stdout.strip() == "['warm-up', 'import papermill']"


@pytest.mark.integration  # papermill kernels
def test_the_build_main_process_does_not_import_nbformat(small):
    """The build's main process works without nbformat (and jsonschema, ~1 s and memory for the whole build):
    workers hand back plain data (the records' types are tested above: a NotebookNode among them made the main
    process import nbformat at the first result). It does read parquet once the workers are done, for the
    index's key figures when their cache is stale."""
    import subprocess
    code = ("import sys\nfrom fyrbodal_analysis.publish.cli import main\n"
            f"code = main(['build', '--edition', 'amal', '--force', '--jobs', '1', '--root', {str(small.root)!r}])\n"
            "print(code, sorted(m for m in ('nbformat', 'jsonschema', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stdout[-500:] + out.stderr[-500:]


def test_the_confidence_interval_uses_the_t_quantile_without_scipy_stats():
    """ci_from_summary takes the t quantile from scipy.special (light); the same floats as scipy.stats.t.ppf, and a
    process that computes an interval does not load scipy.stats."""
    import subprocess

    from scipy import stats as sps

    from fyrbodal_analysis.clean import stats
    for n in (2, 3, 5, 12, 48, 1000):
        for level in (0.8, 0.9, 0.95, 0.99):
            half = sps.t.ppf(0.5 + level / 2, n - 1) * 2.5 / math.sqrt(n)
            ci = stats.ci_from_summary(10.0, 2.5, n, level)
            assert (ci["lo"], ci["hi"]) == (10.0 - half, 10.0 + half)
    code = "import sys\nfrom fyrbodal_analysis.clean import stats\nstats.mean_ci([1, 2, 3])\nprint('scipy.stats' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["False"], out.stderr[-500:]
