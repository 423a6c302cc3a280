"""Reading configuration files (YAML and JSON) so that every fault names its place.

``sources.yml``, the alias map, region and edition parameter files, ``manifest.json``
and the municipality GeoJSON are read through these helpers. A syntax error
becomes one :class:`~fyrbodal_analysis.core.errors.Problem` at the line and column the
parser reports; a semantic fault (a missing key, a wrong type) is located on
the YAML node it concerns with :func:`yaml.compose`, so the user sees
``file:line:key: what is wrong (what was expected)`` and exit code 2 instead of
a ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .errors import Problem, ValidationFailed

#: libyaml's safe loader where PyYAML was built with it (several times faster on sources.yml), else the pure one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str, loader_class) -> tuple:
    """The document and its node tree from one parse: the nodes give the lines, the document is built from them."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


class Located:
    """A parsed YAML document plus the line of every mapping key, for messages about its values."""

    def __init__(self, path: Path, display: str):
        self.path, self.display = path, display
        text = read_text(path, display)
        try:  # libyaml when present (the region files of all Sweden are read on every build, even a no-op one)
            self.doc, node = _parse(text, _LOADER)
        except yaml.YAMLError:
            self.doc = node = None  # parsed again below, so that the messages are the pure-Python parser's
        try:
            if self.doc is None and node is None:
                self.doc, node = _parse(text, yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            col = str(mark.column + 1) if mark else None
            what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
            raise ValidationFailed([Problem(display, line, col, f"YAML syntax error: {what}",
                                            "valid YAML (check indentation, colons and quotes)")]) from None
        except yaml.YAMLError as exc:
            raise ValidationFailed([Problem(display, None, None, f"YAML error: {exc}", "valid YAML")]) from None
        self.lines: dict[tuple, int] = {}
        self.duplicates: list[Problem] = []
        if node is not None:
            self._index(node, ())
        if self.duplicates:  # YAML would silently keep the last one
            raise ValidationFailed(self.duplicates)

    def _index(self, node, trail: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = trail + (k.value,)
                if key in self.lines:
                    self.duplicates.append(Problem(self.display, k.start_mark.line + 1, str(k.value),
                                                   f"key appears twice (also on line {self.lines[key]})",
                                                   "each key once"))
                    continue  # one line for the entry, not one per key inside it
                self.lines[key] = k.start_mark.line + 1
                self._index(v, key)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self.lines[trail + (i,)] = v.start_mark.line + 1
                self._index(v, trail + (i,))

    def line(self, *trail) -> int | None:
        """Line of the deepest known key on ``trail`` (e.g. ``line("files", "demo/x.csv", "tier")``)."""
        trail = tuple(trail)
        while trail:
            if trail in self.lines:
                return self.lines[trail]
            trail = trail[:-1]
        return None

    def problem(self, trail: tuple, column: str | None, message: str, expected: str | None = None) -> Problem:
        return Problem(self.display, self.line(*trail), column, message, expected)


def read_text(path: Path, display: str) -> str:
    """A config file's text, or one Problem (missing, a folder, not UTF-8)."""
    return decode_text(read_bytes(path, display), display)


def read_bytes(path: Path, display: str) -> bytes:
    """A config file's bytes, or one Problem (missing, a folder)."""
    if not path.exists():
        raise ValidationFailed([Problem(display, None, None, "file is missing", "the file (restore it from git)")])
    if path.is_dir():
        raise ValidationFailed([Problem(display, None, None, "is a folder, not a file", "a file")])
    return path.read_bytes()


def decode_text(data: bytes, display: str) -> str:
    """A config file's bytes as text, or one Problem at the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationFailed([Problem(display, line, None, f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                                        "UTF-8 text")]) from None


def load_json(path: Path, display: str):
    """A JSON document, or one Problem at the line and column where parsing stopped."""
    return parse_json(read_text(path, display), display)


def parse_json(text: str, display: str):
    """A JSON document from ``text``, or one Problem at the line and column where parsing stopped."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        stripped = text.rstrip()
        end = " (the file ends early: truncated?)" if exc.pos >= len(stripped) or not stripped.endswith(("}", "]")) else ""
        raise ValidationFailed([Problem(display, exc.lineno, str(exc.colno), f"JSON syntax error: {exc.msg}{end}",
                                        "valid JSON")]) from None


def type_name(value) -> str:
    return {dict: "a mapping", list: "a list", str: "a text", int: "a number", float: "a number", bool: "true/false",
            type(None): "empty"}.get(type(value), type(value).__name__)
