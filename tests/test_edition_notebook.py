"""The edition notebook the build executes: the part notebooks merged, each part's item cells joined into one
cell that shows every item (fewer cells: Jupyter's per-cell machinery is a sixth of an edition's CPU)."""

from __future__ import annotations

from types import SimpleNamespace

import nbformat
import pytest

from fyrbodal_analysis.publish.build import _shown, edition_notebook
from tests.conftest import ROOT


def code(source, tags=None):
    return nbformat.v4.new_code_cell(source, metadata={"tags": tags} if tags else {})


def project_with(tmp_path, parts: dict[str, list]) -> SimpleNamespace:
    (tmp_path / "notebooks").mkdir()
    for name, cells in parts.items():
        nb = nbformat.v4.new_notebook()
        nb.cells = cells
        nbformat.write(nb, tmp_path / "notebooks" / name)
    return SimpleNamespace(root=tmp_path)


@pytest.mark.parametrize("source, shown", [
    ("method.figur_1(ed)", "display(method.figur_1(ed))"),
    ("pilots.plan(ed,\n           pilot_id=1)", "display(pilots.plan(ed,\n           pilot_id=1))"),
    ("x = 1\nf(x)  # the item", "x = 1\ndisplay(f(x))  # the item"),
    ("if a:\n    f(1)\ng(2)\n# done", "if a:\n    f(1)\ndisplay(g(2))\n# done"),
    ("a; b", "a; display(b)"),
    ("f(x);", "f(x);"),          # a cell that shows nothing still shows nothing
    ("x = f(1)", "x = f(1)"),    # a statement shows nothing
    ("", ""),
])
def test_a_joined_cell_shows_what_the_cell_showed(source, shown):
    assert _shown(source) == shown


def test_each_part_is_one_cell_that_shows_every_item(tmp_path):
    project = project_with(tmp_path, {
        "01_a.ipynb": [nbformat.v4.new_markdown_cell("# A"), code("edition = None", ["parameters"]),
                       code("import m\ned = m.edition(edition)", ["setup"]), code("m.f(ed)"), code("m.g(ed)")],
        "02_b.ipynb": [nbformat.v4.new_markdown_cell("# B"), code("edition = None", ["parameters"]),
                       code("import m\nimport n\ned = m.edition(edition)", ["setup"]), code("n.h(ed)"),
                       nbformat.v4.new_markdown_cell("Mellan två figurer."), code("n.i(ed)"),
                       code("%time n.j(ed)"), code("n.k(ed)"), code("n.hidden(ed)", ["hide"]), code("n.l(ed)")],
    })
    nb = edition_notebook(project)
    cells = [(c.cell_type, c.source) for c in nb.cells]
    assert cells == [
        ("code", "edition = None"),
        ("code", "import m\nimport n\n\ned = m.edition(edition)"),
        ("markdown", "# A"),
        ("code", "display(m.f(ed))\ndisplay(m.g(ed))"),
        ("markdown", "# B"),
        ("code", "display(n.h(ed))"),
        ("markdown", "Mellan två figurer."),            # a text between items stays between them
        ("code", "display(n.i(ed))"),
        ("code", "%time n.j(ed)"),                      # IPython magic: a cell of its own, as it was
        ("code", "display(n.k(ed))"),
        ("code", "n.hidden(ed)"),                       # a tagged cell keeps its cell and its tags
        ("code", "display(n.l(ed))"),
    ]
    assert nb.cells[10].metadata["tags"] == ["hide"]
    assert [c.id for c in nb.cells] == [f"c{i:04d}" for i in range(len(nb.cells))]
    nbformat.validate(nb)


def test_the_projects_edition_notebook_has_one_cell_per_part():
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    items = [c.source for p in notebooks for c in nbformat.read(p, as_version=4).cells
             if c.cell_type == "code" and not c.metadata.get("tags")]
    nb = edition_notebook(SimpleNamespace(root=ROOT))
    joined = [c for c in nb.cells if c.cell_type == "code" and not c.metadata.get("tags")]
    assert len(joined) == len(notebooks)
    assert [line for c in joined for line in c.source.splitlines()] == [f"display({s.strip()})" for s in items]
