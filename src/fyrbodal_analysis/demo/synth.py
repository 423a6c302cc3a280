"""``fyrbodal synth``: a synthetic demo set calibrated to every published aggregate.

The real microdata are confidential. This module writes ``data/raw/demo/`` so
that every figure can be built and tested: same seed, same bytes. Every target
is read from the published tier (``data/raw/report/``) through the pipeline's
own readers; none is typed in here. Where the report leaves something undefined
(how Dimios turns answers into a percentage, the A-D quadrant lines, whether a
CISO "deltid" means half-time) the choice is documented in the module that
uses it, and no data is tuned to a number that depends on such a choice.

Which municipality has data in which step follows Figur 33 (participation):
surveys only from municipalities with enkäter > 0, the ledger only from those
that delivered both cost documents. Choices the text does not settle:

* Dimios: the municipality measured in 2019 is the first (by code) of those
  that skipped the surveys (Uddevalla; by Figur 33 it can only be Trollhättan
  or Uddevalla, and the Dimios items say on the page that this is the demo's
  assumption); respondents are spread evenly; statements 1-15 (Bilaga 3) are
  "digital förmåga", 16-30 (text unpublished) "digitalt arv". Figur 11's prose
  is met under the project's quadrant line: exactly one in typ A, several in
  typ D, the mean in typ B (see ``_area_targets``).
* Capabilities: all 14 municipalities and SML IT (15 assessments); the Figur 30
  means are exact sums over 15, so the three-way tie at 2,67 is exact; strategic
  importance shows "ingen uppenbar korrelation" with maturity (Figur 29).
* Broadband (Figur 14): none at the 95 % goal, "några få" near it.
* Förvaltningschef survey: the published shares are multiples of 2.5 %, so the
  report must have counted 40 submissions from 35 people; the demo has 5 people
  who answered twice, with different answers.
* IT-chef survey: one answer per IT organisation (SML IT answers for its three
  municipalities): 10 answers for 12 municipalities, so 70 % = 7 and 90 % = 9.
* Information security: the 10 municipalities that answered all three surveys
  (Bilaga 4's "x av 10"; the prose's "åtta personer ... 11 kommuner" conflicts
  with it, and the pages show the conflict).
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import dimios as D
from ..clean.demography import SCB_YEAR
from ..clean.facts import get as fact
from ..clean.infosec import CISO_RECOMMENDED_PCT
from ..clean.pipeline import microdata_specs
from ..clean.stats import ALPHA, spearman, submissions_needed
from ..core.formatting import round_half_up
from ..core.paths import Project
from ..raw.microdata import ITCHEF_QUESTIONS, MANAGER_QUESTIONS, QUESTIONS

YEAR = SCB_YEAR  # the year the demo data describe: the report's data year, defined once in demography
SML = "sml-it"
#: "nära att nå målet" (Figur 14) read as at most this many percentage points below the goal
NEAR_GOAL_PP = 5


# --------------------------------------------------------------------------- helpers

def _r1(x: float) -> float:
    return round_half_up(x, 1)


def _compose(rng, total: int, n: int, lo: int, hi: int) -> list[int]:
    """n integers in [lo, hi] summing to ``total``, spread at random."""
    if not n * lo <= total <= n * hi:
        raise ValueError(f"cannot split {total} into {n} values in [{lo}, {hi}]")
    vals = [lo] * n
    rest = total - n * lo
    while rest:
        i = int(rng.integers(n))
        if vals[i] < hi:
            vals[i] += 1
            rest -= 1
    return vals


def _spread(rng, vals: list[int], lo: int, hi: int, moves: int) -> list[int]:
    """Sum-preserving random moves that widen the spread of ``vals``."""
    vals = list(vals)
    for _ in range(moves):
        i, j = rng.integers(len(vals), size=2)
        if i != j and vals[i] < hi and vals[j] > lo:
            vals[i] += 1
            vals[j] -= 1
    return vals


# --------------------------------------------------------------------------- inputs

class Published:
    """The published tier and registry, read through the pipeline's own validated readers."""

    def __init__(self, project: Project):
        from ..clean.pipeline import read_inputs
        from ..core.registry import load_registry
        self.registry = load_registry(project)
        inputs = read_inputs(project, self.registry)
        blocking = [p for p in inputs.problems if "/demo/" not in p.file and "/private/" not in p.file]
        if blocking:
            from ..core.errors import ValidationFailed
            raise ValidationFailed(blocking)
        f = inputs.frames
        self.facts = f["facts"].reset_index(drop=True)
        self.areas = f["figur09_dimios_areas"].reset_index(drop=True)
        self.statements = f["bilaga3_dimios_statements"].reset_index(drop=True)
        self.questions = f["bilaga4_infosec_questions"].reset_index(drop=True)
        self.degree = f["bilaga4_infosec_degree"].reset_index(drop=True)
        self.capabilities = f["bilaga5_capabilities"].reset_index(drop=True)
        self.extremes = f["figur30_maturity_extremes"].reset_index(drop=True)
        self.top3 = f["figur26_strategic_top3"].reset_index(drop=True)
        part = f["figur33_participation"].reset_index(drop=True)
        part["municipality_code"] = part["municipality"].map(self.registry.resolve_name)
        self.participation = part.set_index("municipality_code")
        from ..clean.demography import clean_scb
        pop = clean_scb(f["scb_population_wide"], self.registry)
        self.population_2019 = pop[pop["year"] == YEAR].set_index("municipality_code")["population"]

    def codes_where(self, step: str, at_least: int | None = None) -> list[str]:
        """Municipalities that took part in ``step``: fully (default) or at least ``at_least`` times."""
        p = self.participation
        took = p[f"{step}_n"] >= (p[f"{step}_of"] if at_least is None else at_least)
        return sorted(p.index[took])

    def cap_id(self, name: str) -> str:
        return self.capabilities.set_index("capability").loc[name, "capability_id"]


# --------------------------------------------------------------------------- IT organisations

def it_organisations(pub: Published, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    reg = pub.registry
    shared = {m: o["id"] for o in reg.shared_it for m in o["members"]}
    members = pd.DataFrame({"municipality_code": reg.codes})
    members["it_org_id"] = [shared.get(c, f"it-{reg.slug_of[c]}") for c in reg.codes]
    ledger_munis = set(pub.codes_where("kostnadsunderlag"))
    orgs = []
    for org_id, g in members.groupby("it_org_id", sort=True):
        codes = list(g["municipality_code"])
        name = next((o["name"] for o in reg.shared_it if o["id"] == org_id), f"IT {reg.name_of[codes[0]]}")
        orgs.append({"it_org_id": org_id, "it_org_name": name, "in_cost_pool_analysis": set(codes) <= ledger_munis})
    orgs = pd.DataFrame(orgs)
    ledger = orgs["in_cost_pool_analysis"]
    assert ledger.sum() == int(fact(pub.facts, "costs_it_orgs_n")), "Figur 33 and the cost facts disagree"
    # staff: mean over the ledger organisations = the published mean, larger for larger organisations
    target = fact(pub.facts, "costs_central_it_staff_mean_fte")
    pop = members.assign(p=members["municipality_code"].map(pub.population_2019)).groupby("it_org_id")["p"].sum()
    raw = pop.reindex(orgs["it_org_id"]).to_numpy() / 3000.0 * rng.uniform(0.8, 1.2, len(orgs))
    fte = np.clip(np.round(raw * 2) / 2, 2, None)
    idx = np.flatnonzero(ledger.to_numpy())
    while round_half_up(fte[idx].mean(), 0) != target:
        step = 0.5 if fte[idx].mean() < target else -0.5
        j = idx[int(rng.integers(len(idx)))]
        fte[j] = max(2.0, fte[j] + step)
    orgs["central_it_fte"] = fte
    return orgs[["it_org_id", "it_org_name", "central_it_fte", "in_cost_pool_analysis"]], members[["it_org_id", "municipality_code"]]


# --------------------------------------------------------------------------- Dimios

def dimios(pub: Published, rng) -> pd.DataFrame:
    surveyed = pub.codes_where("enkater", at_least=1)
    assert len(surveyed) == int(fact(pub.facts, "dimios_municipalities_surveyed_n"))
    extra = [c for c in pub.registry.codes if c not in surveyed][: int(fact(pub.facts, "dimios_municipalities_2019_n"))]
    n_resp = int(fact(pub.facts, "dimios_respondents_n"))
    per = _compose(rng, n_resp, len(surveyed), 2, 6)
    respondents = []  # (respondent_id, code, role, year)
    for code, k in zip(surveyed, per):
        for i in range(k):
            respondents.append((f"d{code}-{i + 1}", code, "IT-chef" if i == 0 else "förvaltningschef", 2020))
    for code in extra:
        for i in range(4):
            respondents.append((f"d{code}-2019-{i + 1}", code, "IT-chef" if i == 0 else "förvaltningschef", 2019))
    codes = sorted({r[1] for r in respondents})
    resp_idx = {c: [i for i, r in enumerate(respondents) if r[1] == c] for c in codes}
    n_st = D.N_STATEMENTS
    ans = np.zeros((len(respondents), n_st), dtype=int)
    cells_of = {c: len(resp_idx[c]) for c in codes}
    targets = _area_targets(pub, codes, cells_of, rng)
    for _, a in pub.areas.iterrows():
        area = int(a["dimios_area_id"])
        sts = [s - 1 for s in D.statements_of(area)]
        for c in codes:
            cells = len(resp_idx[c]) * len(sts)
            total = int(round(targets[area][c] * cells))
            vals = _spread(rng, _compose(rng, total, cells, 1, 6), 1, 6, cells * 3)
            block = np.array(vals).reshape(len(resp_idx[c]), len(sts))
            for r, row in zip(resp_idx[c], block):
                ans[r, sts] = row
    _fit_statement_moments(pub, ans, respondents, resp_idx, rng)
    rows = []
    for i, (rid, code, role, year) in enumerate(respondents):
        for s in range(n_st):
            rows.append({"respondent_id": rid, "municipality_code": code, "role": role, "statement_id": s + 1,
                         "answer": str(ans[i, s]), "survey_year": year})
    return pd.DataFrame(rows)


def _area_targets(pub: Published, codes: list[str], respondents_of: dict[str, int], rng) -> dict[int, dict[str, float]]:
    """Each municipality's value per area, meeting Figur 9 and Figur 11's prose.

    Figur 9: per area one municipality at the published minimum, one at the
    maximum, the mean as published. Figur 11: "En kommun placerar sig ... i typ
    A" (exactly one), "flera kommuners självskattning [placerar] dem inom typ D"
    (at least two), the mean position in typ B. The quadrant line is the
    project's (``dimios.MIDPOINT``), not tuned: the data are drawn to meet the
    counts under it, and redrawn until they do.
    """
    F = pub.facts
    n_a, d_more_than = int(fact(F, "dimios_type_a_n")), int(fact(F, "dimios_type_d_n"))
    formaga, arv = D.DIMENSION_AREAS["Digital förmåga"], D.DIMENSION_AREAS["Digitalt arv"]
    while True:
        type_a = list(rng.choice(codes, n_a, replace=False))
        targets = {}
        for _, a in pub.areas.iterrows():
            area = int(a["dimios_area_id"])
            cells = {c: respondents_of[c] * len(D.statements_of(area)) for c in codes}
            # typ A: lowest in every "digitalt arv" area, below the middle in every "digital förmåga" area
            pinned_lo = type_a[0] if area in arv else None
            low_cap = {c: D.MIDPOINT - 0.2 for c in type_a} if area in formaga else {}
            targets[area] = _one_area(a, codes, cells, pinned_lo, low_cap, rng)
        pos = {c: (np.mean([targets[i][c] for i in formaga]), np.mean([targets[i][c] for i in arv])) for c in codes}
        types = {c: D.dimios_type(*v) for c, v in pos.items()}
        mean = D.dimios_type(np.mean([v[0] for v in pos.values()]), np.mean([v[1] for v in pos.values()]))
        counts = {k: sum(t == k for t in types.values()) for k in "ABCD"}
        if counts["A"] == n_a and counts["D"] > d_more_than and mean == "B":
            return targets


def _one_area(a, codes, cells, pinned_lo, low_cap, rng) -> dict[str, float]:
    """One area: min, max and mean as published; ``low_cap`` keeps some municipalities below a value."""
    while True:
        order = [c for c in rng.permutation(codes) if c != pinned_lo]
        lo_c = pinned_lo or order.pop(0)
        hi_c = next(c for c in order if c not in low_cap)
        order.remove(hi_c)
        others = order
        targets = {lo_c: _on_grid(a["min_value"], cells[lo_c]), hi_c: _on_grid(a["max_value"], cells[hi_c])}

        def upper(c):
            return min(a["max_value"], low_cap.get(c, a["max_value"]))
        vals = {c: min(max(rng.normal(a["mean_value"], 0.6), a["min_value"] + 0.1), upper(c) - 0.1) for c in others}
        snapped = {c: round(v * cells[c]) / cells[c] for c, v in vals.items()}
        for _ in range(400):
            m = np.mean([targets[lo_c], targets[hi_c], *snapped.values()])
            if _r1(m) == a["mean_value"]:
                break
            c = others[int(rng.integers(len(others)))]
            new = snapped[c] + 1 / cells[c] * (1 if m < a["mean_value"] else -1)
            if a["min_value"] < new < upper(c):
                snapped[c] = new
        if _r1(np.mean([targets[lo_c], targets[hi_c], *snapped.values()])) == a["mean_value"]:
            targets.update(snapped)
            return targets


def _on_grid(value: float, cells: int) -> float:
    """The multiple of 1/cells closest to ``value`` that still rounds (one decimal) to ``value``."""
    k = min((k for k in range(cells, 6 * cells + 1) if _r1(k / cells) == value), key=lambda k: abs(k / cells - value))
    return k / cells


def _fit_statement_moments(pub, ans, respondents, resp_idx, rng) -> None:
    """Hill-climb: published statement means/SDs (2020 respondents), keeping every municipality-area sum."""
    targets = pub.statements.dropna(subset=["mean_value"])
    cols = {int(r["statement_id"]) - 1: (r["mean_value"], r["sd_value"]) for _, r in targets.iterrows()}
    rows2020 = np.array([i for i, r in enumerate(respondents) if r[3] == 2020])

    def loss() -> float:
        total = 0.0
        for j, (m, sd) in cols.items():
            x = ans[rows2020, j]
            total += max(0.0, abs(x.mean() - m) - 0.03) ** 2 + max(0.0, abs(x.std(ddof=1) - sd) - 0.03) ** 2
        return total

    current = loss()
    codes = list(resp_idx)
    for _ in range(200_000):
        if current == 0.0:
            break
        j = list(cols)[int(rng.integers(len(cols)))]
        area = D.area_of(j + 1)
        sts = [s - 1 for s in D.statements_of(area)]
        c = codes[int(rng.integers(len(codes)))]
        r1, r2 = rng.choice(resp_idx[c], 2)
        k = sts[int(rng.integers(len(sts)))]
        sign = 1 if rng.random() < 0.5 else -1
        a, b = (r1, j), (r2, k)
        if not (1 <= ans[a] + sign <= 6 and 1 <= ans[b] - sign <= 6) or a == b:
            continue
        ans[a] += sign
        ans[b] -= sign
        new = loss()
        if new <= current:
            current = new
        else:
            ans[a] -= sign
            ans[b] += sign
    for j, (m, sd) in cols.items():
        x = ans[rows2020, j]
        if _r1(x.mean()) != m or _r1(x.std(ddof=1)) != sd:
            raise RuntimeError(f"could not calibrate statement {j + 1}: mean {x.mean():.3f}, sd {x.std(ddof=1):.3f}")


# --------------------------------------------------------------------------- surveys


def surveys_manager(pub: Published, rng) -> pd.DataFrame:
    F = pub.facts
    codes = pub.codes_where("enkater", at_least=1)
    assert len(codes) == int(fact(F, "surveys_manager_municipalities_n"))
    people = int(fact(F, "surveys_manager_respondents_n"))
    exact = [fact(F, k) for k in ("fig20_verksamhetsorienterat_pct", "fig21_acceptabel_pct", "fig21_bra_mycket_bra_pct",
                                  "fig21_lite_ingen_pct", "fig22_bra_pct", "fig22_jamn_acceptabel_bra_pct", "fig22_inte_alls_pct")]
    n = submissions_needed(exact, people)

    def count(k):
        return int(Fraction(str(fact(F, k))) * n / 100)

    blandning = int(n * fact(F, "fig20_blandning_pct") / 100) + 1 + int(rng.integers(3))  # "över hälften"
    verks = count("fig20_verksamhetsorienterat_pct")
    f20 = {"Blandning": blandning, "Verksamhetsorienterat": verks, "Teknikorienterat": n - blandning - verks}
    bra_mb = count("fig21_bra_mycket_bra_pct")
    mb = int(rng.integers(2, bra_mb - 5))
    lite_ingen = count("fig21_lite_ingen_pct")
    ingen = int(rng.integers(1, 4))
    f21 = {"Acceptabel": count("fig21_acceptabel_pct"), "Bra": bra_mb - mb, "Mycket bra": mb,
           "Lite": lite_ingen - ingen, "Ingen": ingen}
    f21["Vet ej"] = n - sum(f21.values())
    # Figur 22: 4 % "mycket bra" is not a whole count of n answers; the nearest count is used (flagged in facts.csv)
    mycket_bra = max(1, int(round_half_up(fact(F, "fig22_mycket_bra_pct") * n / 100)))
    f22 = {"Bra": count("fig22_bra_pct"), "Acceptabelt": count("fig22_jamn_acceptabel_bra_pct"),
           "Inte alls": count("fig22_inte_alls_pct"), "Mycket bra": mycket_bra}
    vet = int(rng.integers(1, 3))
    f22["Lite"] = n - sum(f22.values()) - vet
    f22["Vet ej"] = vet
    pools = {q: rng.permutation([c for c, k in dist.items() for _ in range(k)])
             for q, dist in zip(MANAGER_QUESTIONS, (f20, f21, f22))}
    per = _compose(rng, people, len(codes), 2, 4)
    persons = [(f"m{code}-{i + 1}", code) for code, k in zip(codes, per) for i in range(k)]
    twice = set(rng.choice(len(persons), n - people, replace=False))
    subs = []  # (person index, submitted_at)
    for i, _ in enumerate(persons):
        day = 2 + int(rng.integers(12))
        subs.append((i, f"2020-10-{day:02d}T{8 + int(rng.integers(9)):02d}:{int(rng.integers(60)):02d}"))
        if i in twice:
            subs.append((i, f"2020-10-{day + 1:02d}T{8 + int(rng.integers(9)):02d}:{int(rng.integers(60)):02d}"))
    # a second submission must differ from the first in at least one answer
    order = list(range(len(subs)))
    for _ in range(1000):
        ok = True
        for a, b in zip(order, order[1:]):
            if subs[a][0] == subs[b][0] and all(pools[q][a] == pools[q][b] for q in MANAGER_QUESTIONS):
                ok = False
                q = MANAGER_QUESTIONS[int(rng.integers(3))]
                pools[q] = rng.permutation(pools[q])
        if ok:
            break
    rows = []
    for k, (i, when) in enumerate(subs):
        rid, code = persons[i]
        for q in MANAGER_QUESTIONS:
            rows.append({"respondent_id": rid, "municipality_code": code, "submitted_at": when, "question_id": q,
                         "choice": str(pools[q][k])})
    return pd.DataFrame(rows)


def surveys_itchef(pub: Published, orgs: pd.DataFrame, members: pd.DataFrame, rng) -> pd.DataFrame:
    F = pub.facts
    codes = set(pub.codes_where("enkater", at_least=1))
    answering = sorted(set(members.loc[members["municipality_code"].isin(codes), "it_org_id"]))
    covered = members.loc[members["it_org_id"].isin(answering), "municipality_code"].nunique()
    assert covered == int(fact(F, "surveys_itchef_municipalities_n"))
    n = len(answering)
    rows = []
    for q, key in zip(ITCHEF_QUESTIONS, ("fig23_value_4_5_pct", "fig23b_infrastructure_4_5_pct", "fig24_value_4_5_pct")):
        k = int(Fraction(str(fact(F, key))) * n / 100)
        if Fraction(str(fact(F, key))) * n / 100 != k:
            raise ValueError(f"{key} is not a whole count of {n} answers")
        others = [c for c in QUESTIONS[q] if c not in ("4", "5")]
        vals = [str(rng.choice(["4", "5"])) for _ in range(k)] + [str(rng.choice(others)) for _ in range(n - k)]
        for org, v in zip(answering, rng.permutation(vals)):
            rows.append({"respondent_id": f"c-{org}", "it_org_id": org, "submitted_at": "2020-10-05T10:00",
                         "question_id": q, "choice": str(v)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- information security

def infosec(pub: Published, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    F = pub.facts
    codes = pub.codes_where("enkater")  # answered all three surveys
    n = len(codes)
    assert n == int(pub.questions["respondents_n"].iloc[0]), "Figur 33 and Bilaga 4 disagree on respondents"
    rows = []

    def answer(qid, yes, dont_know, degrees):
        choices = ["ja"] * yes + ["vet ej"] * dont_know + ["nej"] * (n - yes - dont_know)
        degs = [d for d, k in degrees for _ in range(k)]
        degs = list(rng.permutation(degs)) + [None] * (n - len(degs))
        perm = rng.permutation(n)
        for i, code in enumerate(codes):
            j = int(perm[i])
            rows.append({"municipality_code": code, "question_id": qid, "choice": choices[j],
                         "degree": degs[j] if choices[j] == "ja" else None})

    for _, q in pub.questions.iterrows():
        d = pub.degree[pub.degree["question_id"] == q["question_id"]]
        answer(q["question_id"], int(q["yes_n"]), int(q["dont_know_n"]), list(zip(d["degree"], d["count"])))
    yes = int(fact(F, "infosec_management_yes_n"))
    full = int(fact(F, "infosec_management_full_n"))
    partial = _compose(rng, yes - full, 2, 0, yes)
    answer("ledning", yes, int(rng.integers(0, 2)),
           [("Är fullt infört", full), ("Har just påbörjats", partial[0]), ("Har delvis genomförts", partial[1])])
    with_ciso = int(fact(F, "infosec_ciso_yes_n"))
    at_rec = int(round_half_up(fact(F, "infosec_ciso_recommended_time_pct") / 100 * with_ciso))
    steps = np.array([5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 100])
    at_or_above, below = steps[steps >= CISO_RECOMMENDED_PCT], steps[steps < CISO_RECOMMENDED_PCT]
    times = [int(rng.choice(at_or_above)) for _ in range(at_rec)] + \
            [int(rng.choice(below)) for _ in range(with_ciso - at_rec)]
    times = list(rng.permutation(times)) + [None] * (n - with_ciso)
    has = [True] * with_ciso + [False] * (n - with_ciso)
    perm = rng.permutation(n)
    ciso = pd.DataFrame({"municipality_code": codes, "has_ciso": [has[int(p)] for p in perm],
                         "ciso_time_pct": [times[int(p)] for p in perm]})
    return pd.DataFrame(rows), ciso


# --------------------------------------------------------------------------- capabilities

def capabilities(pub: Published, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    F = pub.facts
    ids = list(pub.capabilities["capability_id"])
    assessors = list(pub.registry.codes) + [SML]
    n = len(assessors)
    assert n == int(fact(F, "capabilities_respondents_n"))
    sums = {pub.cap_id(r["capability"]): int(round(r["mean_level"] * n)) for _, r in pub.extremes.iterrows()}
    hi_floor = min(v for k, v in sums.items() if pub.extremes.set_index("capability")["extreme"].get(
        pub.capabilities.set_index("capability_id").loc[k, "capability"]) == "högst")
    lo_ceiling = max(v for k, v in sums.items() if pub.extremes.set_index("capability")["extreme"].get(
        pub.capabilities.set_index("capability_id").loc[k, "capability"]) == "lägst")
    for c in ids:  # the others strictly between the five lowest and the five highest
        sums.setdefault(c, int(rng.integers(lo_ceiling + 1, hi_floor)))
    named = [pub.cap_id(x) for x in ("Identifiera, förstå och agera på omvärldstrender", "Förstå teknisk miljö",
                                     "Upprätthålla stabil och tillförlitlig driftsleverans")]
    fours = {c: int(fact(F, "capabilities_level4_named_each_n")) for c in named}
    with4 = int(fact(F, "capabilities_with_level4_n"))
    rest = [c for c in ids if c not in fours]
    for c in rng.choice(rest, with4 - len(fours), replace=False):
        fours[str(c)] = int(rng.integers(1, 3))
    rows = []
    for c in ids:
        k = fours.get(c, 0)
        others = _spread(rng, _compose(rng, sums[c] - 4 * k, n - k, 0, 3), 0, 3, 20)
        levels = list(rng.permutation([4] * k + others))
        rows += [{"assessor_id": a, "capability_id": c, "level": int(v)} for a, v in zip(assessors, levels)]
    # strategic importance: the report's top three on top, and "ingen uppenbar korrelation" with the mean
    # maturity (Figur 29): redrawn until a Spearman test finds no correlation at the project's level (stats.ALPHA)
    top = [pub.cap_id(x) for x in pub.top3.sort_values("rank")["capability"]]
    mean_level = pd.DataFrame(rows).groupby("capability_id")["level"].mean().reindex(ids)
    while True:
        imp = {c: float(round_half_up(rng.uniform(2.0, 4.4), 1)) for c in ids}
        for c, v in zip(top, sorted(rng.choice(np.arange(45, 51) / 10, 3, replace=False), reverse=True)):
            imp[c] = float(v)
        if spearman([imp[c] for c in ids], mean_level.to_numpy())["p"] >= ALPHA:
            break
    return pd.DataFrame(rows), pd.DataFrame({"capability_id": ids, "strategic_importance": [imp[c] for c in ids]})


# --------------------------------------------------------------------------- costs

POOL_MIX = {"internal_labor": 0.30, "external_labor": 0.03, "outside_services": 0.08, "software": 0.24,
            "facilities_power": 0.03, "telecom": 0.07, "other": 0.02}  # hardware set separately
ACCOUNTS = [("5010", "Löner", "internal_labor"), ("5410", "Sociala avgifter", "internal_labor"),
            ("6410", "Konsulttjänster IT", "external_labor"), ("6420", "IT-tjänster och drift", "outside_services"),
            ("6540", "Datorer och hårdvara", "hardware"), ("6550", "Licenser och programvara", "software"),
            ("6110", "Lokalhyra och el", "facilities_power"), ("6810", "Tele- och datakommunikation", "telecom"),
            ("6990", "Övriga kostnader", "other")]
CENTRES = [("IT-INFRA", "infrastruktur", 0.37), ("IT-SUPPORT", "slutanvandartjanster", 0.30),
           ("IT-APP", "applikationsverksamhet", 0.20), ("IT-LEDNING", "styra_stodja", 0.13)]


def costs(pub: Published, orgs: pd.DataFrame, members: pd.DataFrame, rng) -> dict[str, pd.DataFrame]:
    F = pub.facts
    # municipality total operating cost: a plausible cost per inhabitant (demo)
    muni = pd.DataFrame({"municipality_code": pub.registry.codes, "year": YEAR})
    muni["total_operating_cost_sek"] = [float(round(pub.population_2019[c] * rng.uniform(58_000, 72_000), -3)) for c in muni["municipality_code"]]
    total_of = members.assign(t=members["municipality_code"].map(muni.set_index("municipality_code")["total_operating_cost_sek"])
                              ).groupby("it_org_id")["t"].sum()
    # Figur 19 shares: one ledger organisation at the published maximum, all but it below the Swedish average
    n_orgs = len(orgs)
    assert n_orgs == int(fact(F, "costs_share_it_orgs_n"))
    ledger_orgs = list(orgs.loc[orgs["in_cost_pool_analysis"], "it_org_id"])
    outlier = str(rng.choice(ledger_orgs))
    target_mean, top, ceiling = fact(F, "costs_share_mean_pct"), fact(F, "costs_share_max_pct"), fact(F, "costs_sweden_share_pct")
    others = [o for o in orgs["it_org_id"] if o != outlier]
    # "Utredningen har inte kunnat se någon korrelation till kommunstorlek" (Figur 17 and 19): every measure
    # Tabell 19b tests is redrawn until a Spearman test against the organisation's population finds none
    org_pop = members.assign(p=members["municipality_code"].map(pub.population_2019)).groupby("it_org_id")["p"].sum()

    def unrelated_to_size(values: dict) -> bool:
        ids = list(values)
        return spearman(org_pop.reindex(ids).to_numpy(), [values[i] for i in ids])["p"] >= ALPHA

    while True:
        share = {o: float(round_half_up(min(max(rng.normal((target_mean * n_orgs - top) / (n_orgs - 1), 0.25), 0.5), ceiling - 0.1), 2))
                 for o in others}
        share[outlier] = top
        if _r1(np.mean(list(share.values()))) == target_mean and unrelated_to_size(share):
            break
    it_cost = {o: round(share[o] / 100 * total_of[o], 0) for o in orgs["it_org_id"]}
    totals = pd.DataFrame({"it_org_id": list(it_cost), "year": YEAR, "central_it_cost_sek": list(it_cost.values())})
    # hardware share of the ledger organisations: published mean, the outlier at its published share
    hw_mean, hw_top = fact(F, "costs_hardware_mean_pct"), fact(F, "costs_outlier_hardware_pct")
    while True:
        hw = {o: float(rng.uniform(15, 28)) for o in ledger_orgs if o != outlier}
        hw[outlier] = hw_top
        if round_half_up(np.mean(list(hw.values())), 0) == hw_mean and all(round_half_up(v, 0) < hw_top for o, v in hw.items() if o != outlier) \
                and unrelated_to_size(hw):
            break
    while True:  # the other pools' shares of each organisation's IT cost
        mixes = {}
        for org in ledger_orgs:
            mix = np.array(list(POOL_MIX.values())) * rng.uniform(0.6, 1.4, len(POOL_MIX))
            mixes[org] = dict(zip(POOL_MIX, mix / mix.sum() * (1 - hw[org] / 100)))
        if all(unrelated_to_size({o: m[pool] for o, m in mixes.items()}) for pool in ("software", "internal_labor")):
            break
    # ledger rows: monthly invoices per pool, spread over suppliers; salaries without supplier
    n_big = int(fact(F, "costs_suppliers_n"))
    threshold = fact(F, "costs_supplier_threshold_sek")
    big = [f"L{i:04d}" for i in range(1, n_big + 1)]
    small = [f"L{i:04d}" for i in range(n_big + 1, n_big + 61)]
    rows = []
    for org in ledger_orgs:
        c = it_cost[org]
        pools = {"hardware": hw[org] / 100, **mixes[org]}
        amounts = {p: round(v * c, 0) for p, v in pools.items()}
        amounts["other"] += c - sum(amounts.values())  # exact total
        for pool, amount in amounts.items():
            accounts = [a for a in ACCOUNTS if a[2] == pool]
            n_rows = 12 if pool == "internal_labor" else int(rng.integers(10, 40))
            parts = rng.dirichlet(np.ones(n_rows)) * amount
            parts = np.round(parts, 0)
            parts[-1] += amount - parts.sum()
            for k, amt in enumerate(parts):
                acc = accounts[k % len(accounts)]
                supplier = None if pool == "internal_labor" else str(rng.choice(big))
                centre = CENTRES[int(rng.choice(len(CENTRES), p=[w for *_, w in CENTRES]))][0]
                rows.append({"it_org_id": org, "period": f"{YEAR}-{k % 12 + 1:02d}", "account": acc[0],
                             "supplier_id": supplier, "cost_centre": centre, "amount_sek": float(amt)})
    ledger = pd.DataFrame(rows)
    _settle_suppliers(ledger, big, small, threshold, rng)
    amap = pd.DataFrame([{"it_org_id": o, "account": a, "account_name": n, "cost_pool_id": p}
                         for o in ledger_orgs for a, n, p in ACCOUNTS])
    cmap = pd.DataFrame([{"it_org_id": o, "cost_centre": c, "work_area_id": w} for o in ledger_orgs for c, w, _ in CENTRES])
    return {"ledger": ledger, "account_map": amap, "cost_centre_map": cmap, "it_cost_totals": totals, "municipal_costs": muni}


def _settle_suppliers(ledger: pd.DataFrame, big: list[str], small: list[str], threshold: float, rng) -> None:
    """Every 'big' supplier invoices ≥ threshold in total; a few small ones stay below it."""
    has = ledger["supplier_id"].notna() & (ledger["amount_sek"] > 5 * threshold)
    # each big supplier gets at least one sizeable row; a few tiny rows go to small suppliers
    idx = list(rng.permutation(np.flatnonzero(has.to_numpy())))
    for s, i in zip(big, idx):
        ledger.at[int(i), "supplier_id"] = s
    tiny = np.flatnonzero((ledger["supplier_id"].notna() & (ledger["amount_sek"] < threshold / 4)).to_numpy())
    for s, i in zip(small, rng.permutation(tiny)):
        ledger.at[int(i), "supplier_id"] = s
    totals = ledger.groupby("supplier_id")["amount_sek"].sum()
    for s in small:  # small suppliers must stay below the threshold
        if totals.get(s, 0) >= threshold:
            rows = ledger.index[ledger["supplier_id"] == s]
            ledger.loc[rows[1:], "supplier_id"] = big[0]
    unused = [s for s in big if s not in set(ledger["supplier_id"])]
    if unused:
        raise RuntimeError(f"{len(unused)} suppliers got no invoice; increase ledger rows")


# --------------------------------------------------------------------------- broadband and age structure

def broadband(pub: Published, rng) -> pd.DataFrame:
    """PTS format per municipality; "några få kommuner är nära att nå målet för 95 %" (3.4.1).

    So no municipality reaches the goal, and a few (two or three) are "nära": within
    ``NEAR_GOAL_PP`` percentage points below it (the demo's reading of "nära").
    """
    goal = fact(pub.facts, "broadband_goal_pct")
    codes = list(pub.registry.codes)
    near = set(rng.choice(codes, int(rng.integers(2, 4)), replace=False))
    rows = []
    for code in codes:
        total = rng.uniform(goal - NEAR_GOAL_PP, goal - 0.2) if code in near else rng.uniform(60, goal - NEAR_GOAL_PP - 0.5)
        gap = rng.uniform(5, 40)  # the gap between urban and rural areas: small in some, large in others
        vals = {"tatort": min(99.5, total + gap * 0.25), "smaort": total - gap * 0.3, "utanfor": max(5.0, total - gap),
                "totalt": total}
        for area, v in vals.items():
            rows.append({"municipality_code": code, "year": YEAR, "area_type": area,
                         "households_pct": float(round_half_up(min(v, 100), 1)),
                         "workplaces_pct": float(round_half_up(min(v * rng.uniform(0.9, 1.02), 100), 1))})
    return pd.DataFrame(rows)


def demography(pub: Published, rng) -> pd.DataFrame:
    """Västra Götaland by age group 2010-2030 (demo: 80+ grows fast, working age flat, as the prose says)."""
    start = {"0-19": 390_000, "20-64": 950_000, "65-79": 210_000, "80+": 85_000}
    growth = {"0-19": 0.004, "20-64": 0.002, "65-79": 0.012, "80+": 0.035}
    rows = []
    for g, v in start.items():
        x = v * rng.uniform(0.97, 1.03)
        for y in range(2010, 2031):
            rate = growth[g] * (1 if y < 2020 else (1.3 if g == "80+" else 0.8))
            x *= 1 + rate + rng.normal(0, 0.002)
            rows.append({"region": "Västra Götaland", "year": y, "age_group": g, "population": int(round(x, -2)),
                         "is_forecast": y > YEAR})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- writing

def generate(project: Project, seed: int = 2021) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    pub = Published(project)
    orgs, members = it_organisations(pub, rng)
    out = {"it_organisations": orgs, "it_org_members": members}
    out["dimios_answers"] = dimios(pub, rng)
    out["manager_survey"] = surveys_manager(pub, rng)
    out["itchef_survey"] = surveys_itchef(pub, orgs, members, rng)
    out["infosec_answers"], out["infosec_ciso"] = infosec(pub, rng)
    out["capability_assessments"], out["capability_importance"] = capabilities(pub, rng)
    out.update(costs(pub, orgs, members, rng))
    out["broadband_pts"] = broadband(pub, rng)
    out["age_structure"] = demography(pub, rng)
    missing = set(microdata_specs()) - set(out)
    assert not missing, missing
    return out


def to_csv_bytes(df: pd.DataFrame, columns: tuple[str, ...]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in df[list(columns)].itertuples(index=False):
        w.writerow(["" if v is None or (isinstance(v, float) and np.isnan(v)) else _cell(v) for v in row])
    return buf.getvalue().encode("utf-8")


def _cell(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (float, np.floating)):
        return repr(float(v)).removesuffix(".0") if float(v).is_integer() else repr(round(float(v), 6))
    return str(v)


def write_demo(project: Project, seed: int = 2021) -> list[Path]:
    """Generate the demo set and register it (sha256) in sources.yml."""
    from ..raw.files import FileFormat
    from ..raw.sources import Source, load_sources, save_sources, sha256
    data = generate(project, seed)
    folder = project.raw / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    sources = {k: v for k, v in load_sources(project).items() if not k.startswith("private/")}
    written = []
    for name, spec in microdata_specs().items():
        path = folder / f"{name}.csv"
        tmp = path.with_suffix(".csv.tmp")
        tmp.write_bytes(to_csv_bytes(data[name], spec.columns))
        tmp.replace(path)
        rel = f"demo/{name}.csv"
        sources[rel] = Source(rel, name, "demo", sha256(path), FileFormat(),
                              {"generator": "fyrbodal synth", "seed": seed, "module": "fyrbodal_analysis.demo.synth",
                               "note": "Synthetic demo data calibrated to the report's published aggregates; not real answers."},
                              "CC0 (synthetic)", "generated")
        written.append(path)
    save_sources(project, sources)
    return written
