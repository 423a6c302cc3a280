"""Disclosure control: what a member of the region may see of confidential microdata.

The reader defended against is a *member*: someone holding everything one
municipality receives (its own edition, the region edition, their downloads),
the public report and this repository. The rule, as what that reader must not
be able to do:

    For every confidential value a member can see or compute (from aggregates,
    with its own value known), the units it could belong to, given everything
    public (Figur 33, the report's statements of who answered what), must
    number at least ``MIN_OTHERS`` (3) besides the member's own.

What follows from it, and is enforced here:

* Every item built by an ``@item`` function passes through :func:`release`.
  For each confidential table the item loaded, the units behind the table
  (municipalities, IT organisations or capability assessors) are counted
  without the reader's own: in a municipality edition at least 3 besides the
  edition's own units; in the region edition, which every member receives, at
  least 3 besides the own units of *every* member (so at least 4). An item
  over fewer is replaced by a message. Items derived from a table (Figur 11b,
  28b, the summary) load it too and so follow the same suppression. An item
  whose texts name another unit (name, code, organisation id or name) is
  stopped as well.
* Subsets an item takes of a table (e.g. the organisations with a CISO) are
  checked by the item through :func:`enough` / :func:`edition.too_few`.
* Opinion surveys of individuals (Dimios, the manager survey) show a
  municipality its own breakdown only over at least 3 respondents
  (:func:`own_shown`); answers given on behalf of the organisation (IT-chef
  survey, information security and CISO, capability self-assessment) are shown
  to that organisation.
* Anonymous units are labelled by :func:`labels`: letters drawn per edition
  from an HMAC of edition and id under a secret key (``data/raw/private/
  disclosure.key``, git-ignored; the demo uses the published :data:`DEMO_KEY`
  and says so). Letters are shared between the items of an edition unless the
  difference in coverage between two items (read against Figur 33) would
  narrow a letter below the rule; then the later item gets its own numbers.
* Every released item carries a record (``Item.release``); the build refuses
  an item without one, so an item that bypasses the layer cannot be published.

Nothing here knows the demo data: a real private file dropped in later is a
confidential table like any other and gets the same protection.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from ..core.formatting import genitive

MIN_OTHERS = 3
#: Column that identifies the unit behind a row, in order of preference.
UNIT_COLUMNS = ("it_org_id", "assessor_id", "municipality_code")
#: Confidential tables without a unit column: their units are those of the table they were computed from.
UNITS_FROM = {"capability_summary": "capability_levels", "supplier_totals": "cost_pools_by_org"}
#: Opinion surveys of individuals: the processed table whose respondents count for an own breakdown.
RESPONDENTS_OF = {"dimios_answers": "dimios_answers", "dimios_scores": "dimios_answers",
                  "dimios_positions": "dimios_answers", "manager_answers": "manager_answers",
                  "manager_submissions": "manager_submissions"}
#: Tables whose units are shown as labelled anonymous points, by unit column (letters are shared between them).
LABELLED = {"it_org_id": ("cost_pools_by_org", "it_cost_share")}
KEY_FILE = ("private", "disclosure.key")  # under data/raw/
#: Published on purpose: the demo data are synthetic, so their letters may be recomputed by anyone.
DEMO_KEY = b"fyrbodal-analysis demo key - published, for synthetic demo data only"
FEW_RESPONDENTS = f"färre än {MIN_OTHERS} svar – visas inte"
RULE_SOURCE = "Regeln om röjandeskydd i fyrbodal-analysis"


class DisclosureError(RuntimeError):
    """Confidential data would be published without passing the disclosure rule."""


# ----------------------------------------------------------------------------- units and readers

def unit_column(columns: Iterable[str]) -> str | None:
    cols = set(columns)
    return next((c for c in UNIT_COLUMNS if c in cols), None)


def units_of(ed, table: str) -> set[str]:
    """The units behind a confidential table, as the edition holds it now."""
    source = UNITS_FROM.get(table, table)
    df = ed.peek(source)
    col = unit_column(df.columns)
    if col is None:
        raise DisclosureError(f"confidential table {table!r} has no unit column ({', '.join(UNIT_COLUMNS)}): "
                              "add it to disclosure.UNITS_FROM")
    return {str(u) for u in df[col].dropna().unique()}


def own_units(ed, code: str | None = None) -> set[str]:
    """The units a member knows as its own: the municipality and its IT organisation."""
    code = code or (None if ed.is_region else ed.code)
    if code is None:
        return set()
    out = {code}
    if _has(ed, "it_org_members"):
        out |= _orgs_by_municipality(ed.peek("it_org_members")).get(code, frozenset())
    return out


#: Organisations per municipality of the ``it_org_members`` frames seen last, by the frame's identity: the region
#: edition asks for every member's own units for every confidential item (hundreds of lookups per edition).
_ORGS_OF: dict[int, tuple] = {}


def _orgs_by_municipality(m) -> dict[str, frozenset[str]]:
    hit = _ORGS_OF.get(id(m))
    if hit is not None and hit[0] is m:
        return hit[1]
    orgs: dict[str, set[str]] = {}
    for code, org in zip(m["municipality_code"], m["it_org_id"]):
        orgs.setdefault(code, set()).add(str(org))
    out = {code: frozenset(o) for code, o in orgs.items()}
    if len(_ORGS_OF) >= 8:  # one frame per edition: keep only the last few
        _ORGS_OF.clear()
    _ORGS_OF[id(m)] = (m, out)  # the frame is kept alive with its entry, so its id is not reused meanwhile
    return out


def _has(ed, table: str) -> bool:
    return table in ed._cache or table in ed.info.get("tables", {})


def readers(ed) -> list[set[str]]:
    """Own units of every member who holds this edition: the edition's own, or every member for the region."""
    if not ed.is_region:
        return [own_units(ed)]
    codes = list(ed.registry.codes) if ed.registry is not None else []
    return [own_units(ed, c) for c in codes] or [set()]


def others_seen(ed, units: Iterable[str]) -> int:
    """The fewest units a reader of this edition does not know as its own."""
    units = {str(u) for u in units}
    return min(len(units - own) for own in readers(ed))


def enough(ed, units) -> bool:
    """Whether a value resting on ``units`` (ids, or a count that may include the own unit) may be shown."""
    if isinstance(units, int):  # a bare count: assume the reader's own unit is among them
        return units - 1 >= MIN_OTHERS
    return others_seen(ed, units) >= MIN_OTHERS


def threshold_text(ed, n_others: int, what: str = "enheter") -> str:
    if ed.is_region:
        return (f"Visas inte: underlaget omfattar {n_others} {what} utöver den egna för någon medlem, färre än "
                f"{MIN_OTHERS}, och skulle kunna röja enskilda svar (regionutgåvan får alla medlemmar).")
    return (f"Visas inte: underlaget omfattar {n_others} {what} utöver {genitive(ed.name)} egna, färre än {MIN_OTHERS}, "
            "och skulle kunna röja enskilda svar.")


def allowed(ed, table: str) -> bool:
    """Whether an item may load ``table`` at all (for items that show the rest when one part is suppressed)."""
    if not ed.confidential(table):
        return True
    ok = enough(ed, units_of(ed, table))
    if not ok:
        ed.note_disclosure(f"{table}: undertryckt del, färre än {MIN_OTHERS} enheter utöver läsarens egna")
    return ok


# ----------------------------------------------------------------------------- respondents

def own_respondents(ed, table: str) -> int:
    df = ed.peek(RESPONDENTS_OF[table])
    return int(df.loc[df["municipality_code"] == ed.code, "respondent_id"].nunique())


def own_shown(ed, table: str) -> bool:
    """An opinion survey's own breakdown is shown only over at least MIN_OTHERS respondents."""
    if ed.is_region:
        return False
    n = own_respondents(ed, table)
    if 0 < n < MIN_OTHERS:
        ed.note_disclosure(f"egna svar i {table} visas inte: {FEW_RESPONDENTS}")
    return n >= MIN_OTHERS


# ----------------------------------------------------------------------------- pseudonyms

def key(ed) -> tuple[bytes, bool]:
    """The edition's pseudonym key and whether it is the published demo key.

    Real (private) confidential data without a secret key are refused: their letters could be recomputed.
    """
    project = getattr(ed, "project", None)
    path = project.raw.joinpath(*KEY_FILE) if project is not None else None
    if path is not None and path.exists():
        secret = path.read_bytes().strip()
        if len(secret) < 16:
            raise DisclosureError(f"{project.relative(path)} is too short: use at least 32 random bytes")
        return secret, False
    private = [t for t, v in ed.info.get("tables", {}).items() if v.get("confidential") and "private" in v.get("tiers", ())]
    if private:
        raise DisclosureError("confidential private data need a secret pseudonym key: create data/raw/private/"
                              "disclosure.key, e.g. `python -c \"import secrets; print(secrets.token_hex(32))\" > "
                              "data/raw/private/disclosure.key`, and keep it with the private files")
    return DEMO_KEY, True


def _rank(secret: bytes, edition: str, scope: str, ids: Iterable[str]) -> list[str]:
    return sorted(ids, key=lambda i: hmac.new(secret, f"{edition}|{scope}|{i}".encode(), hashlib.sha256).hexdigest())


def _letter(n: int) -> str:
    return chr(65 + n) if n < 26 else chr(65 + n // 26 - 1) + chr(65 + n % 26)


def _safe_split(ed, a: set[str], b: set[str]) -> bool:
    """Whether letters may be shared between two coverages: every cell of their overlap is empty or wide enough."""
    for own in readers(ed):
        for cell in (a & b, a - b, b - a):
            rest = cell - own
            if 0 < len(rest) < MIN_OTHERS:
                return False
    return True


def scopes(ed, column: str) -> dict[str, str]:
    """For each labelled table of a unit column: "" when it shares the edition's letters, else its own scope."""
    tables = [t for t in LABELLED.get(column, ()) if t in ed.info.get("tables", {}) or t in ed._cache]
    cov = {t: units_of(ed, t) for t in tables}
    shared: list[str] = []
    for t in sorted(tables, key=lambda t: (-len(cov[t]), t)):
        if all(_safe_split(ed, cov[t], cov[u]) for u in shared):
            shared.append(t)
    return {t: ("" if t in shared else t) for t in tables}


def labels(ed, ids: list[str], prefix: str, table: str, column: str = "it_org_id") -> tuple[list[str], str | None]:
    """Labels the edition may show for ``ids`` (rows of ``table``): the own unit by name, others by pseudonym.

    Returns the labels and a Swedish note for the reader (None when there is nothing to say).
    """
    secret, demo = key(ed)
    own = own_units(ed)
    scope = scopes(ed, column).get(table, table)
    if scope == "":
        universe = set().union(*(units_of(ed, t) for t, s in scopes(ed, column).items() if s == "")) - own
        names = {i: f"{prefix} {_letter(n)}" for n, i in enumerate(_rank(secret, ed.code, "", universe))}
        note = None
    else:
        universe = units_of(ed, table) - own
        names = {i: f"{prefix} {n + 1}" for n, i in enumerate(_rank(secret, ed.code, scope, universe))}
        note = (f"Beteckningarna här ({prefix} 1, 2, …) är dragna separat och går inte att koppla till bokstäverna i "
                "andra figurer: skillnaden i vilka som ingår skulle annars peka ut enskilda organisationer.")
        ed.note_disclosure(f"{table}: beteckningarna delas inte med andra figurer (täckningen skiljer sig för lite)")
    own_label = ed.org_label(ed.own_org) if ed.own_org else None
    out = [own_label or ed.name if str(i) in own else names[str(i)] for i in ids]
    if demo:
        note = ((note + " ") if note else "") + ("Beteckningarna dras med en publicerad demonyckel (demodata är "
                                                 "syntetiska); med verkliga data används en hemlig nyckel per utgåva.")
    return out, note


# ----------------------------------------------------------------------------- the release step

def _forbidden(ed) -> list[re.Pattern]:
    """Names, codes and organisation ids and names of every unit but the edition's own."""
    reg = ed.registry
    if reg is None:
        return []
    own = own_units(ed)
    pats = []
    for c in reg.codes:
        if c in own:
            continue
        pats.append(re.compile(rf"(?<![\wåäöÅÄÖ]){re.escape(reg.name_of[c])}(?![\wåäöÅÄÖ])"))
        pats.append(re.compile(rf"(?<![\d\w]){c}(?![\d])"))
    if _has(ed, "it_organisations"):
        orgs = ed.peek("it_organisations")
        for o, name in zip(orgs["it_org_id"], orgs["it_org_name"]):
            if str(o) not in own:
                pats += [re.compile(re.escape(str(o))), re.compile(rf"(?<![\wåäöÅÄÖ]){re.escape(str(name))}(?![\wåäöÅÄÖ])")]
    return pats


def _texts(it) -> list[str]:
    """What a reader can read of an item (numbers in numeric columns are values, not names)."""
    import pandas as pd
    out = [it.number, it.title, it.source, it.alt, *it.notes]
    if it.figure is not None:
        from matplotlib.text import Text
        out += [t.get_text() for t in it.figure.findobj(Text)]
    for df in (it.table, it.data):
        if df is not None:
            out += [str(c) for c in df.columns]
            for c in df.columns:
                if not pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]):
                    out += [str(v) for v in df[c].dropna()]
    return out


def mentions(ed, it) -> list[str]:
    pats = _forbidden(ed)
    return sorted({p.pattern for text in _texts(it) for p in pats if p.search(text)})


def _suppressed(it, text: str, record: dict):
    out = type(it)(it.number, it.title, RULE_SOURCE, notes=[text], slug=it.slug)
    out.alt = text
    out.tables, out.is_demo, out.confidential = it.tables, it.is_demo, True
    out.release = record
    return out


def failed_on_small_data(ed, name: str, used, item_class) -> object | None:
    """A message (an ``item_class``, the items module's ``Item``) when an item function failed on a confidential
    table below the rule (None: a real error)."""
    short = [t for t in sorted(used) if ed.confidential(t) and not enough(ed, units_of(ed, t))]
    if not short:
        return None
    number = " ".join(w.capitalize() if n == 0 else w for n, w in enumerate(name.split("_")[:2]))
    it = item_class(number, "Visas inte", RULE_SOURCE, notes=["Visas inte: underlaget är för litet för att inte röja enskilda svar."])
    it.alt = it.notes[0]
    return it


def release(ed, it, used) -> object:
    """Pass an item through the rule; returns the item (with ``release`` set) or a message that replaces it."""
    notes = list(getattr(used, "notes", []))
    if not it.confidential:
        it.release = {"status": "offentlig"}
        return it
    units, short = {}, []
    for t in sorted(used):
        if not ed.confidential(t):
            continue
        u = units_of(ed, t)
        units[t] = len(u)
        if not enough(ed, u):
            short.append((t, others_seen(ed, u)))
    if short:
        table, n = min(short, key=lambda s: s[1])
        text = threshold_text(ed, n)
        return _suppressed(it, text, {"status": "undertryckt", "reason": f"{table}: {n} enheter utöver läsarens egna",
                                      "notes": notes, "units": units})
    found = mentions(ed, it)
    if found:
        text = "Visas inte: figuren skulle ha nämnt en annan kommun eller organisation intill konfidentiella uppgifter."
        return _suppressed(it, text, {"status": "stoppad", "reason": "nämner annan enhet: " + ", ".join(found),
                                      "notes": notes, "units": units})
    status = "släppt med begränsningar" if notes or any(n.startswith("Visas inte") for n in it.notes) else "släppt"
    it.release = {"status": status, "notes": notes, "units": units}
    return it


def check_released(payload: dict) -> None:
    """The build's gate: every published item must carry the layer's record."""
    if not payload.get("release"):
        raise DisclosureError(f"{payload.get('number')}: not released by the disclosure layer (build it with @item)")
