"""Per-process memos that make an edition cheaper (issue 14): they must give what a fresh read gives,
and notice a changed input."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from fyrbodal_analysis.core import filecache
from fyrbodal_analysis.report import diagrams, disclosure


def test_derived_reads_a_file_once_and_again_when_it_changes(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("one")
    reads = []

    def compute():
        reads.append(1)
        return path.read_text()

    assert filecache.derived(path, "k", compute) == "one"
    assert filecache.derived(path, "k", compute) == "one"
    assert len(reads) == 1
    path.write_text("two, longer")  # a new size (and mtime): read again
    assert filecache.derived(path, "k", compute) == "two, longer"
    assert len(reads) == 2
    st = path.stat()
    path.write_text("three, other")  # same size: the mtime tells it apart
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert filecache.derived(path, "k", compute) == "three, other"
    assert filecache.derived(path, "other key", lambda: "x") == "x"  # keys do not share a slot


def test_derived_missing_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        filecache.derived(tmp_path / "nope", "k", lambda: 1)


def _geojson(tmp_path, features):
    import json
    p = tmp_path / "m.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return p


def _square(code, x, multi=False):
    ring = [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]
    geom = {"type": "MultiPolygon", "coordinates": [[ring], [[[p[0] + 5, p[1]] for p in ring]]]} if multi else \
        {"type": "Polygon", "coordinates": [ring]}
    return {"type": "Feature", "properties": {"id": code}, "geometry": geom}


def test_load_shapes_filters_in_file_order_and_shares_read_only_rings(tmp_path):
    p = _geojson(tmp_path, [_square("b", 0), _square("a", 2, multi=True), _square("c", 4)])
    shapes = diagrams.load_shapes(p, ["a", "b"])
    assert list(shapes) == ["b", "a"]  # the file's order, as before
    assert [r.shape for r in shapes["a"]] == [(5, 2), (5, 2)]
    np.testing.assert_array_equal(shapes["b"][0][:, 0], [0, 1, 1, 0, 0])
    with pytest.raises(ValueError):
        shapes["b"][0][0, 0] = 99.0  # shared between editions: read only
    shapes["b"].append("mine")  # the list is the caller's own
    assert len(diagrams.load_shapes(p, ["b"])["b"]) == 1
    p.write_text(p.read_text().replace('"c"', '"a2"') + " ")  # the file changed: read again
    assert "a2" in diagrams.load_shapes(p, ["a2"])


def test_own_units_memo_follows_the_frame():
    from types import SimpleNamespace

    def ed_with(members):
        return SimpleNamespace(is_region=False, code="m1", info={"tables": {"it_org_members": {}}}, _cache={},
                               peek=lambda t: members, _recorders=[])
    a = pd.DataFrame({"municipality_code": ["m1", "m1", "m2"], "it_org_id": ["o1", "o2", "o3"]})
    assert disclosure.own_units(ed_with(a)) == {"m1", "o1", "o2"}
    assert disclosure.own_units(ed_with(a), "m2") == {"m2", "o3"}
    assert disclosure.own_units(ed_with(a), "m9") == {"m9"}
    b = a.assign(it_org_id=["x1", "x2", "x3"])  # another frame (a cut, a new edition): not the old answer
    assert disclosure.own_units(ed_with(b)) == {"m1", "x1", "x2"}
    out = disclosure.own_units(ed_with(a))
    out.add("mutated")  # a fresh set each time
    assert disclosure.own_units(ed_with(a)) == {"m1", "o1", "o2"}


def _notebook():
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("edition = 'x'", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_markdown_cell("# Kapitel"),
                nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
                    "display_data", data={"text/html": "<p>Figur 1</p>", "text/plain": "Figur 1"})])]
    return nb


def test_notebook_body_leaves_the_notebook_alone_and_still_validates():
    import copy

    from nbformat import ValidationError

    from fyrbodal_analysis.publish import html
    nb = _notebook()
    before = copy.deepcopy(nb)
    body = html._notebook_body(nb)
    assert "Figur 1" in body and "Kapitel" in body and "edition = " not in body
    assert nb == before  # the build keeps the notebook it publishes: nothing removed from it
    broken = _notebook()
    broken.cells[2].outputs[0]["output_type"] = "no such type"
    with pytest.raises(ValidationError):
        html._notebook_body(broken)


def test_table_attrs_are_shared_not_copied_and_read_only():
    import pickle

    from fyrbodal_analysis.clean.processed import SharedDict, SharedList
    labels, tiers = SharedDict({"a": "A"}), SharedList(["public"])
    df = pd.DataFrame({"a": [1, 2, 3]})
    df.attrs.update(labels=labels, tiers=tiers)
    derived = df[df["a"] > 1].copy()["a"]  # a filter, a copy, a column: pandas deep-copies attrs each time
    assert derived.attrs["labels"] is labels and derived.attrs["tiers"] is tiers
    assert labels == {"a": "A"} and tiers == ["public"]
    for change in (lambda: labels.update(b="B"), lambda: labels.__setitem__("b", "B"), lambda: tiers.append("demo")):
        with pytest.raises(TypeError):
            change()
    back = pickle.loads(pickle.dumps(derived))  # the item cache pickles items with their data
    assert back.attrs == {"labels": {"a": "A"}, "tiers": ["public"]} and isinstance(back.attrs["labels"], SharedDict)
