"""Project-level checks: dependencies, registry, parameters, CLI help, notebooks."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from fyrbodal_analysis.clean.pipeline import prepare
from fyrbodal_analysis.core.registry import RegistryError, load_registry
from fyrbodal_analysis.publish.cli import main
from fyrbodal_analysis.publish.params import edition_params, write_edition_params

ROOT = Path(__file__).resolve().parents[1]


def _pins(items):
    return {re.split(r"==", i)[0].lower(): i for i in items if isinstance(i, str) and "==" in i}


def test_environment_yml_mirrors_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = _pins(py["project"]["dependencies"] + py["project"]["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    have = _pins(env["dependencies"])
    assert have == wanted
    assert all("==" in d for d in py["project"]["dependencies"]), "every dependency is pinned"


def test_lock_holds_every_pin_with_hashes():
    """requirements.lock (what `make setup` installs) pins the same versions as pyproject.toml, each with a sha256."""
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = _pins(py["project"]["dependencies"] + py["project"]["optional-dependencies"]["dev"])
    text = (ROOT / "requirements.lock").read_text()
    blocks = re.findall(r"^([A-Za-z0-9_.-]+==\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", text, flags=re.M)
    locked = {re.split("==", b[0])[0].lower().replace("_", "-"): b[0] for b in blocks}
    assert len(blocks) == len(re.findall(r"^[A-Za-z0-9_.-]+==", text, flags=re.M)), "every locked package has hashes"
    for name, pin in wanted.items():
        assert locked.get(name.replace("_", "-")) == pin, f"{pin} is not what requirements.lock installs (run `make lock`)"


def test_registry_codes_are_strings(prepared):
    reg = load_registry(prepared)
    assert len(reg.codes) == 14 and all(isinstance(c, str) and len(c) == 4 for c in reg.codes)
    assert reg.resolve_name("Amal") == "1492" and reg.resolve_name("Åmål") == "1492"
    assert reg.resolve_name("Habo") is None  # ambiguous without the source's id
    assert reg.resolve_name("Habo", "odectra", "HAB") == "0305"
    assert reg.resolve_name("Atlantis") is None


def test_registry_rejects_integer_codes(project):
    path = project.params / "regions" / "fyrbodal.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('code: "1421"', "code: 1421"), encoding="utf-8")
    with pytest.raises(RegistryError, match="must be a quoted 4-digit string"):
        load_registry(project)


def test_another_region_is_a_params_file(project):
    """A new region needs a file, not code: the SCB table is rebuilt for its municipalities."""
    (project.params / "regions" / "sjuharad.yml").write_text(
        "region: {code: sjuharad, name: Sjuhärad}\nmunicipalities:\n"
        '  - {code: "1490", name: Borås, slug: boras}\n  - {code: "1443", name: Bollebygd, slug: bollebygd}\n',
        encoding="utf-8")
    reg = load_registry(project, "sjuharad")
    assert reg.codes == ["1443", "1490"]
    from fyrbodal_analysis.clean import demography
    from fyrbodal_analysis.clean.pipeline import read_inputs
    inputs = read_inputs(project, reg)
    # inputs that name Fyrbodal's municipalities are out of scope for this region ...
    assert any("is not a municipality of Sjuhärad" in p.message for p in inputs.problems)
    # ... while the public SCB file serves any region
    pop = demography.clean_scb(inputs.frames["scb_population_wide"], reg)
    assert set(pop["municipality_code"]) == {"1443", "1490"} and len(pop) == 140


def test_edition_params_generated_from_registry(prepared):
    params = edition_params(prepared)
    assert len(params) == 15
    assert params["fyrbodal"]["code"] == "fyrbodal" and params["fyrbodal"]["is_region"]
    assert params["bengtsfors"]["code"] == "1460" and params["bengtsfors"]["edition"] == "bengtsfors"


def test_committed_params_are_up_to_date(tmp_path, prepared_copy):
    """params/editions/ in git equals what `fyrbodal params` generates (written into a copy: `prepared` is shared)."""
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "params" / "editions").glob("*.yml")}
    written = {p.name: p.read_text(encoding="utf-8") for p in write_edition_params(prepared_copy)}
    assert committed == written
    assert yaml.safe_load(committed["dals-ed.yml"])["code"] == "1438"


def test_help_for_every_command(capsys):
    for args in (["--help"], ["prepare", "--help"], ["validate", "--help"], ["register", "--help"],
                 ["tables", "--help"], ["params", "--help"]):
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert exc.value.code == 0
        assert "usage: fyrbodal" in capsys.readouterr().out


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "commands" in capsys.readouterr().out


def test_debug_flag_accepted_before_and_after_command(prepared, capsys):
    assert main(["--debug", "tables", "--root", str(prepared.root)]) == 0
    assert main(["tables", "--debug", "--root", str(prepared.root)]) == 0
    assert "figur07" in capsys.readouterr().out


def test_unused_alias_is_a_warning(project, capsys):
    with open(project.aliases_file, "a", encoding="utf-8") as f:
        f.write("")
    text = project.aliases_file.read_text(encoding="utf-8").replace("aliases:\n", 'aliases:\n  "Atlantis": "Åmål"\n', 1)
    project.aliases_file.write_text(text, encoding="utf-8")
    messages = []
    prepare(project, progress=messages.append)
    assert any("were not used by any input" in m for m in messages)
    assert any("dropped 5 earlier submission(s) from 5 people" in m for m in messages)


def test_notebooks_committed_without_outputs():
    for nb in ROOT.glob("notebooks/*.ipynb"):
        doc = json.loads(nb.read_text(encoding="utf-8"))
        for cell in doc["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, nb.name


def test_notebooks_are_thin_and_parameterized():
    """One `parameters` cell of plain literals; every report item is called from exactly one notebook cell."""
    import ast
    import functools

    from fyrbodal_analysis.report.parts import PARTS
    called = set()
    for name, module in PARTS.items():
        doc = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
        params = [c for c in doc["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(params) == 1, name
        tree = ast.parse("".join(params[0]["source"]))
        assert all(isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant) for s in tree.body), name
        for cell in doc["cells"]:
            src = "".join(cell["source"])
            if cell["cell_type"] == "code" and not cell.get("metadata", {}).get("tags"):
                assert src.count("\n") == 0 and src.endswith(")"), (name, src)  # one library call per item
                called.add(src)
        short = module.__name__.rsplit(".", 1)[-1]
        for fn in module.ITEMS:
            f = fn.func if isinstance(fn, functools.partial) else fn
            assert any(c.startswith(f"{short}.{f.__name__}(") for c in called), (name, f.__name__)


def test_kernel_start_race_gets_one_retry(monkeypatch, tmp_path):
    import papermill

    from fyrbodal_analysis.core.paths import Project
    from fyrbodal_analysis.publish import build
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel didn't respond in 120 seconds")

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    monkeypatch.setattr(build.time, "sleep", lambda s: None)
    build._execute(tmp_path / "in.ipynb", tmp_path / "out.ipynb", {}, Project(tmp_path), 10)
    assert len(calls) == 2

    def always(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", always)
    calls.clear()
    with pytest.raises(RuntimeError, match="Kernel died"):
        build._execute(tmp_path / "in.ipynb", tmp_path / "out.ipynb", {}, Project(tmp_path), 10)
    assert len(calls) == 2
