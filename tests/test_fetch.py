"""`fyrbodal fetch`: SCB (PxWebApi v2/v1, json-stat2) and Kolada (API v3), offline against tests/fixtures/.

No test opens a socket: every request goes to a transport that answers from the hand-written fixtures.
"""

from __future__ import annotations

import copy
import json
import urllib.error
from pathlib import Path

import pytest
import yaml

import fyrbodal_analysis as fa
from fyrbodal_analysis.clean.fetch import Http, kolada, run, scb
from fyrbodal_analysis.clean.fetch.http import FetchError, NoNetwork, NotFound, PartialDownload, RateLimited, Request, Response, ShapeChanged, urllib_transport
from fyrbodal_analysis.clean.pipeline import prepare
from fyrbodal_analysis.core.errors import ValidationFailed
from fyrbodal_analysis.publish.cli import main

FIX = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


def fixture(name: str) -> dict:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def ok(doc) -> Response:
    body = json.dumps(doc).encode() if not isinstance(doc, bytes) else doc
    return Response(200, body, {"content-length": str(len(body))})


class Fake:
    """A transport answering by URL substring; records every request."""

    def __init__(self, routes: dict):
        self.routes = routes
        self.requests: list[Request] = []

    def __call__(self, req: Request) -> Response:
        self.requests.append(req)
        for part, answer in self.routes.items():
            if part in req.url and (not isinstance(answer, tuple) or answer[0] in (req.body or b"").decode()):
                answer = answer[1] if isinstance(answer, tuple) else answer
                if callable(answer):
                    return answer(req)
                return answer if isinstance(answer, Response) else ok(answer)
        return Response(404, b"not found")


def scb_routes(age=None, population=None) -> dict:
    """v2 answers: the age query asks for Alder, the population query does not."""
    return {"/api/v2/tables/TAB638": lambda req: ok(age or fixture("pxweb/age.json")) if b"Alder" in req.body
            else ok(population or fixture("pxweb/population.json"))}


def projection_doc(years=None, ages=None, **changes) -> dict:
    """The hand-written projection fixture, optionally re-laid on other years or fewer ages (values invented)."""
    doc = fixture("pxweb/projection.json")
    years = [str(y) for y in years] if years else list(doc["dimension"]["Tid"]["category"]["index"])
    ages = ages or list(doc["dimension"]["Alder"]["category"]["index"])
    doc["dimension"]["Tid"]["category"] = {"index": {y: i for i, y in enumerate(years)}, "label": {y: y for y in years}}
    doc["dimension"]["Alder"]["category"] = {"index": {a: i for i, a in enumerate(ages)}, "label": {a: f"{a} år" for a in ages}}
    doc["size"] = [1, len(ages), 1, len(years)]
    doc["value"] = [1000 + 10 * (int(y) - 2024) for _ in ages for y in years]
    return doc | changes


def projection_routes(doc=None) -> dict:
    return {"/api/v2/tables/TAB698": doc or fixture("pxweb/projection.json")}


def kolada_routes() -> dict:
    return {"/v3/kpi?": fixture("kolada/kpi_search.json"),
            "PAGE2": fixture("kolada/households_page2.json"),
            "/data/kpi/FIX001/": fixture("kolada/households_page1.json"),
            "/data/kpi/FIX002/": fixture("kolada/workplaces.json")}


def http(routes, **kw) -> Http:
    sleeps = []
    h = Http(Fake(routes), sleep=sleeps.append, **kw)
    h.sleeps = sleeps
    return h


def raw_snapshot(project) -> dict:
    return {p.relative_to(project.raw): p.read_bytes() for p in sorted(project.raw.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------- json-stat2

def test_jsonstat_rows_reads_cells_in_dimension_order():
    rows = scb.jsonstat_rows(fixture("pxweb/population.json"), ("Region", "ContentsCode", "Tid"))
    assert len(rows) == 14 * 3
    by = {(r["Region"], r["Tid"]): r["value"] for r in rows}
    assert by[("1460", "2019")] == 9750 and by[("1488", "2019")] == 59058  # SCB's real 2019 values
    assert by[("1460", "2020")] == 9750 + 37  # invented, see tests/fixtures/README.md


def test_new_dimension_is_a_clear_error():
    with pytest.raises(ShapeChanged, match=r"new dimension\(s\) Kon"):
        scb.jsonstat_rows(fixture("pxweb/population_new_dimension.json"), ("Region", "ContentsCode", "Tid"))


def test_renamed_variable_is_a_clear_error():
    with pytest.raises(ShapeChanged, match=r"new dimension\(s\) Kommun; missing Region"):
        scb.jsonstat_rows(fixture("pxweb/population_renamed_variable.json"), ("Region", "ContentsCode", "Tid"))


def test_too_few_values_is_a_partial_download():
    doc = fixture("pxweb/population.json")
    doc["value"] = doc["value"][:-5]
    with pytest.raises(PartialDownload, match="37 values for 42 cells"):
        scb.jsonstat_rows(doc, ("Region", "ContentsCode", "Tid"))


# ------------------------------------------------------------------------------------------- HTTP behaviour

def test_truncated_body_is_a_partial_download():
    body = json.dumps(fixture("pxweb/population.json")).encode()[:500]
    h = http({"TAB638": Response(200, body)})
    with pytest.raises(PartialDownload, match="not complete JSON"):
        h.json("POST", scb.V2_BASE + "/tables/TAB638/data", {})


def test_content_length_mismatch_is_a_partial_download():
    h = http({"TAB638": Response(200, b"{}", {"content-length": "9000"})})
    with pytest.raises(PartialDownload, match="received 2 of 9000 bytes"):
        h.request("GET", scb.V2_BASE + "/tables/TAB638/data")


def test_429_is_retried_with_backoff_then_succeeds():
    answers = [Response(429, b"", {"retry-after": "3"}), Response(429, b""), ok({"a": 1})]
    h = Http(lambda req: answers.pop(0), sleep=(sleeps := []).append, backoff=2.0)
    assert h.json("GET", "https://api.kolada.se/v3/kpi") == {"a": 1}
    assert sleeps == [3.0, 4.0]  # Retry-After first, then backoff * 2 ** attempt


def test_429_every_time_is_a_clear_error():
    h = http({"kolada": Response(429, b"")}, retries=2)
    with pytest.raises(RateLimited, match="refused 3 times with HTTP 429"):
        h.request("GET", "https://api.kolada.se/v3/kpi")
    assert len(h.sleeps) == 2 and len(h.transport.requests) == 3


def test_no_network_from_urllib(monkeypatch):
    def refuse(*a, **k):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
    monkeypatch.setattr("urllib.request.urlopen", refuse)
    with pytest.raises(NoNetwork, match="cannot reach api.kolada.se"):
        urllib_transport(Request("GET", "https://api.kolada.se/v3/kpi"))


def test_connection_closed_mid_body_is_a_partial_download(monkeypatch):
    import http.client

    class Cut:
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def read(self):
            raise http.client.IncompleteRead(b"x" * 1200, 800)
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: Cut())
    with pytest.raises(PartialDownload, match="connection closed after 1200 bytes"):
        urllib_transport(Request("GET", "https://api.kolada.se/v3/kpi"))


# ------------------------------------------------------------------------------------------- SCB v2 / v1

def test_v2_query_shape():
    ds = scb.datasets(["1460"], "14")["scb_population"]
    url, body = scb.v2_request(ds)
    assert url.endswith("/tables/TAB638/data?lang=sv&outputFormat=json-stat2")
    assert body["selection"][0] == {"variableCode": "Region", "valueCodes": ["1460"]}


def test_v1_answers_when_v2_refuses():
    h = http({"/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningNy": fixture("pxweb/population.json")})
    ds = scb.datasets([c for c in fa.registry().codes], "14")["scb_population"]
    rows, prov = scb.fetch(ds, h)
    assert prov["api"] == "PxWebApi v1" and len(rows) == 42
    v1 = json.loads(h.transport.requests[-1].body)
    assert v1["response"] == {"format": "json-stat2"} and v1["query"][0]["selection"]["filter"] == "item"


def test_answer_without_a_requested_municipality_is_a_partial_download():
    ds = scb.datasets(fa.registry().codes + ["1463"], "14")["scb_population"]  # asks for Mark too; the answer lacks it
    with pytest.raises(PartialDownload, match="the answer lacks Region 1463, which the query asked for"):
        scb.fetch(ds, http(scb_routes()))


def test_table_gone_in_v2_and_v1_is_a_clear_error():
    ds = scb.datasets(["1460"], "14")["scb_population"]
    with pytest.raises(NotFound, match="TAB638 / BE/BE0101/BE0101A/BefolkningNy no longer exists"):
        scb.fetch(ds, http({}))


# ------------------------------------------------------------------------------------------- Kolada

def test_kolada_pages_and_kpis_found_by_title():
    codes = fa.registry().codes
    rows, prov = kolada.fetch(http(kolada_routes()), codes, {}, 2015)
    assert prov["query"]["kpi"] == {"households_pct": "FIX001", "workplaces_pct": "FIX002"}  # not the 1 Gbit/s one
    assert len(rows) == 14 * 2  # both pages of FIX001 arrived
    assert all(r["households_pct"] is not None and r["workplaces_pct"] is not None for r in rows)


def test_kolada_ambiguous_kpi_asks_for_an_id():
    search = fixture("kolada/kpi_search.json")
    search["values"].append(dict(search["values"][0], id="FIX004"))
    routes = kolada_routes() | {"/v3/kpi?": search}
    with pytest.raises(FetchError, match="2 KPIs match .* --kpi-households ID"):
        kolada.fetch(http(routes), fa.registry().codes, {}, 2015)


def test_kolada_answer_without_values_is_a_changed_shape():
    with pytest.raises(ShapeChanged, match=r"no list .values. \(Kolada API v3 answers \{\"count\": n, "):
        kolada.pages(http({"kpi": {"count": 0, "data": []}}), kolada.BASE + "/kpi?title=x")


# ------------------------------------------------------------------------------------------- into data/raw

def test_fetch_scb_writes_registers_and_prepare_uses_it(project):
    written = run("scb", project, http=http(scb_routes()), today="2026-11-29")
    assert written == ["public/scb_population_kommun.csv", "public/scb_population_alder.csv"]
    src = yaml.safe_load(project.sources_file.read_text(encoding="utf-8"))["files"]["public/scb_population_kommun.csv"]
    assert src["tier"] == "public" and src["table"] == "scb_population" and src["retrieved"] == "2026-11-29"
    assert src["origin"]["url"].endswith("TAB638/data?lang=sv&outputFormat=json-stat2") and src["origin"]["from_fixture"]
    assert '"variableCode": "Region"' in src["origin"]["query"] and src["licence"].startswith("CC0")
    prepare(project)
    pop = fa.load("population", project)
    assert int(pop["year"].max()) == 2021
    assert int(pop.query("municipality_code == '1460' and year == 2019")["population"].iloc[0]) == 9750
    man = fa.manifest(project)["tables"]
    assert man["population"]["tiers"] == ["public"]
    assert man["age_structure"]["tiers"] == ["demo", "public"]
    age = fa.load("age_structure", project)
    assert set(age.loc[age["year"] <= 2020, "tier"]) == {"public"} and set(age.loc[age["year"] > 2020, "tier"]) == {"demo"}
    by_age = fa.load("population_by_age", project)
    assert set(by_age["area_code"]) == {"14", *fa.registry().codes} and set(by_age["age_group"]) == {"0-19", "20-64", "65-79", "80+"}
    from fyrbodal_analysis.report import demography
    ed = fa.edition("1460", project)
    item = demography.efterhand(ed)
    assert item.title == "Prognosen i efterhand: folkmängden 2019–2021 jämförd med prognosen för 2030"
    assert item.notes[0] == ("Bengtsfors: 9\u00a0821 invånare 2021, prognosen för 2030 är 8\u00a0600; förändring som "
                             "återstår: \u22121\u00a0221 personer (\u221212,4\u00a0%).")
    bold = [t.get_text() for t in item.figure.axes[0].get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Bengtsfors"] and not item.is_demo
    fig8 = demography.figur_8(ed)
    assert fig8.is_demo and "Observerade år (2019–2020): SCB:s folkmängd 31 december (offentlig statistik)." in fig8.notes
    assert "Prognosen (2021–2030): syntetiska demodata (ingen befolkningsframskrivning hämtad)." in fig8.notes
    # the forecast years stay synthetic: the source line says so first, then names SCB for the observed years
    assert fig8.source.startswith("Syntetiska demodata") and "SCB folkmängd 31 december efter ålder" in fig8.source


def test_fetched_value_that_disagrees_with_shipped_2019_is_refused(project):
    doc = fixture("pxweb/population.json")
    doc["value"][0] += 1  # Orust 2019
    run("scb", project, http=http(scb_routes(population=doc)))
    with pytest.raises(ValidationFailed, match="scb_population_kommun.csv:2:population: Orust 2019: the fetched value "
                                               "15219 differs from the shipped SCB file's 15218"):
        prepare(project)


def test_failed_fetch_changes_nothing_in_data_raw(project):
    before = raw_snapshot(project)
    routes = {"/api/v2/tables/TAB638": lambda req: Response(404, b"") if b"Alder" in req.body
              else ok(fixture("pxweb/population.json"))}  # the second table is gone: nothing may be written
    with pytest.raises(NotFound):
        run("scb", project, http=http(routes))
    shape = copy.deepcopy(fixture("pxweb/population_new_dimension.json"))
    with pytest.raises(ShapeChanged):
        run("scb", project, http=http(scb_routes(population=shape)))
    bad_age = fixture("pxweb/age.json")
    bad_age["value"][3] = -5  # the second file fails its checks after the first one was staged
    with pytest.raises(FetchError, match="scb_population_alder.csv .fetched.:5:population: -5 is below the minimum 0"):
        run("scb", project, http=http(scb_routes(age=bad_age)))
    with pytest.raises(RateLimited):
        run("kolada", project, http=http({"kolada": Response(429, b"")}, retries=1))
    assert raw_snapshot(project) == before


def test_fetch_kolada_makes_total_series_public_and_split_stays_demo(project):
    run("kolada", project, http=http(kolada_routes()))
    prepare(project)
    b = fa.load("broadband", project)
    assert set(b.loc[b["area_type"] == "totalt", "tier"]) == {"public"}
    assert set(b.loc[b["area_type"] != "totalt", "tier"]) == {"demo"}
    from fyrbodal_analysis.report import broadband
    ed = fa.edition("1460", project)
    fig14, karta = broadband.figur_14(ed), broadband.karta(ed)
    assert fig14.is_demo and not karta.is_demo  # the split is still synthetic, the total is real
    assert "Tätort: syntetiska demodata i PTS format." in fig14.notes
    assert karta.source.startswith("PTS bredbandskartläggning 2019") and "demodata" not in karta.source


def test_cli_no_network_exit_3_one_line(project, monkeypatch, capsys):
    def offline(req):
        raise NoNetwork("cannot reach statistikdatabasen.scb.se (Name or service not known); check the internet connection")
    monkeypatch.setattr("fyrbodal_analysis.clean.fetch.http.urllib_transport", offline)
    before = raw_snapshot(project)
    assert main(["fetch", "scb", "--root", str(project.root)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["fyrbodal fetch: cannot reach statistikdatabasen.scb.se (Name or service not known); check the internet "
                   "connection; nothing in data/raw/ was changed"]
    assert raw_snapshot(project) == before


# ------------------------------------------------------------------------------------------- SCB's projection

def test_figur_8_before_any_fetch_says_it_is_synthetic_once(prepared):
    from fyrbodal_analysis.report import demography
    fig8 = demography.figur_8(fa.edition("fyrbodal", prepared))
    assert fig8.is_demo and fig8.source == "Syntetiska demodata – inte verkliga uppgifter"
    assert not any("SCB" in n for n in fig8.notes)  # no source is named for synthetic years


def test_projection_query_asks_for_the_county_and_the_population_content():
    ds = scb.projection_dataset("14")
    url, body = scb.v2_request(ds)
    assert url.endswith("/tables/TAB698/data?lang=sv&outputFormat=json-stat2")
    sel = {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
    assert sel == {"Region": ["14"], "Alder": ["*"], "ContentsCode": ["000004LG"], "Tid": ["*"]}  # Kon eliminated
    v1_url, _ = scb.v1_request(ds)
    assert v1_url.endswith("/ssd/BE/BE0401/BE0401A/BefProgOsiktRegN")


def test_projection_from_v1_when_v2_refuses():
    h = http({"/BE/BE0401/BE0401A/BefProgOsiktRegN": fixture("pxweb/projection.json")})
    rows, prov = scb.fetch(scb.projection_dataset("14"), h)
    assert prov["api"] == "PxWebApi v1" and len(rows) == 101 * 8 and prov["fixture"]


def test_projection_table_gone_is_a_clear_error():
    with pytest.raises(NotFound, match="SCB table TAB698 / BE/BE0401/BE0401A/BefProgOsiktRegN no longer exists"):
        scb.fetch(scb.projection_dataset("14"), http({}))


def test_projection_with_sex_not_eliminated_is_a_changed_shape(project):
    doc = fixture("pxweb/projection.json")
    doc["id"].insert(1, "Kon")
    doc["size"].insert(1, 1)
    doc["dimension"]["Kon"] = {"label": "kön", "category": {"index": {"1": 0}, "label": {"1": "män"}}}
    before = raw_snapshot(project)
    with pytest.raises(ShapeChanged, match=r"new dimension\(s\) Kon"):
        run("scb-projection", project, http=http(projection_routes(doc)))
    assert raw_snapshot(project) == before


def test_projection_without_publication_date_is_refused(project):
    doc = fixture("pxweb/projection.json")
    del doc["updated"]
    before = raw_snapshot(project)
    with pytest.raises(ShapeChanged, match="no publication date .* cannot be named by its year"):
        run("scb-projection", project, http=http(projection_routes(doc)))
    assert raw_snapshot(project) == before


def test_projection_failures_change_nothing_and_exit_3(project, monkeypatch, capsys):
    before = raw_snapshot(project)
    with pytest.raises(RateLimited):
        run("scb-projection", project, http=http({"TAB698": Response(429, b"")}, retries=1))
    short = fixture("pxweb/projection.json")
    short["value"] = short["value"][:-8]
    with pytest.raises(PartialDownload, match="800 values for 808 cells"):
        run("scb-projection", project, http=http(projection_routes(short)))

    def offline(req):
        raise NoNetwork("cannot reach statistikdatabasen.scb.se (Name or service not known); check the internet connection")
    monkeypatch.setattr("fyrbodal_analysis.clean.fetch.http.urllib_transport", offline)
    assert main(["fetch", "scb-projection", "--root", str(project.root)]) == 3
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert raw_snapshot(project) == before


def test_projection_feeds_the_forecast_years_and_leaves_a_gap_empty(project):
    """Observed years from SCB (2019–2020), SCB's projection 2024–2030; 2021–2023 are in neither: left out, not
    filled with synthetic values."""
    run("scb", project, http=http(scb_routes()))
    written = run("scb-projection", project, http=http(projection_routes()), today="2026-12-07")
    assert written == ["public/scb_befolkningsframskrivning_lan.csv"]
    src = yaml.safe_load(project.sources_file.read_text(encoding="utf-8"))["files"][written[0]]
    assert src["tier"] == "public" and src["table"] == "scb_age_projection" and src["licence"].startswith("CC0")
    assert src["origin"]["url"].endswith("TAB698/data?lang=sv&outputFormat=json-stat2") and src["origin"]["from_fixture"]
    assert '"000004LG"' in src["origin"]["query"] and len(src["sha256"]) == 64 and src["retrieved"] == "2026-12-07"
    prepare(project)
    proj = fa.load("population_projection", project)
    assert set(proj["published"]) == {"2024-01-01"} and proj["year"].min() == 2024 and proj["year"].max() == 2031
    assert int(proj.query("year == 2024 and age_group == '80+'")["population"].iloc[0]) == 21 * 1000  # ages 80..100+
    a = fa.load("age_structure", project)
    assert sorted(set(a["year"])) == [2019, 2020, *range(2024, 2031)]  # the figure's span ends 2030, not 2031
    assert set(a["tier"]) == {"public"} and a.loc[a["year"] >= 2024, "is_forecast"].all()
    assert int(a.query("year == 2030 and age_group == '0-19'")["population"].iloc[0]) == 20 * (1000 + 60)
    from fyrbodal_analysis.report import demography
    fig8 = demography.figur_8(fa.edition("fyrbodal", project))
    assert not fig8.is_demo and "demodata" not in fig8.source
    assert fig8.source == ("SCB folkmängd 31 december efter ålder; SCB:s regionala befolkningsframskrivning 2024 "
                           "(publicerad 2024-01-01); Offentliga data")
    assert ("Prognosen (2024–2030): SCB:s regionala befolkningsframskrivning 2024 (publicerad 2024-01-01)."
            in fig8.notes)
    assert ("2021–2023 saknas: folkmängden efter ålder finns till och med 2020 och SCB:s framskrivning börjar 2024; "
            "figuren drar ingen linje över dem." in fig8.notes)
    assert "SCB:s framskrivning sträcker sig till 2031; figuren visar år till och med 2030." in fig8.notes


def test_projection_covering_every_forecast_year_joins_the_observed_line(project):
    run("scb", project, http=http(scb_routes()))
    run("scb-projection", project, http=http(projection_routes(projection_doc(range(2021, 2031)))))
    prepare(project)
    a = fa.load("age_structure", project)
    assert set(a["tier"]) == {"public"} and sorted(set(a["year"])) == list(range(2019, 2031))
    from fyrbodal_analysis.report import demography
    fig8 = demography.figur_8(fa.edition("fyrbodal", project))
    assert not fig8.is_demo and not any("saknas" in n for n in fig8.notes)
    assert list(fig8.figure.axes[0].get_lines()[1].get_xdata())[:2] == [2020, 2021]


def test_projection_beyond_the_figure_leaves_the_synthetic_forecast_marked(project):
    run("scb", project, http=http(scb_routes()))
    run("scb-projection", project, http=http(projection_routes(projection_doc(range(2031, 2035)))))
    prepare(project)
    a = fa.load("age_structure", project)
    assert set(a.loc[a["is_forecast"], "tier"]) == {"demo"} and a["year"].max() == 2030
    from fyrbodal_analysis.report import demography
    fig8 = demography.figur_8(fa.edition("fyrbodal", project))
    assert fig8.is_demo and fig8.source.startswith("Syntetiska demodata") and "framskrivning" not in fig8.source
    assert "Prognosen (2021–2030): syntetiska demodata (SCB:s framskrivning täcker inte figurens år)." in fig8.notes


def test_projection_without_demo_years_before_it_and_without_observed_ages(project):
    """Only the projection fetched: the observed years stay demo (marked), the projection replaces the forecast."""
    run("scb-projection", project, http=http(projection_routes(projection_doc(range(2020, 2031)))))
    prepare(project)
    a = fa.load("age_structure", project)
    assert set(a.loc[a["year"] <= 2019, "tier"]) == {"demo"} and set(a.loc[a["year"] >= 2020, "tier"]) == {"public"}
    from fyrbodal_analysis.report import demography
    fig8 = demography.figur_8(fa.edition("fyrbodal", project))
    assert fig8.is_demo and "SCB folkmängd 31 december efter ålder" not in fig8.source
    assert "Observerade år (2010–2019): syntetiska demodata (SCB:s folkmängd efter ålder inte hämtad)." in fig8.notes


def test_projection_missing_ages_is_refused_by_prepare(project):
    run("scb-projection", project, http=http(projection_routes(projection_doc(ages=["0", "19", "20", "100+"]))))
    with pytest.raises(ValidationFailed, match=r"scb_befolkningsframskrivning_lan.csv:-:age: Västra Götaland 2024: 4 of "
                                               r"the 101 ages 0–100"):
        prepare(project)


# ------------------------------------------------------------------------------------------- fixtures stay out

def test_fixtures_are_marked():
    for f in (FIX / "pxweb").glob("*.json"):
        assert scb.is_fixture(fixture(f"pxweb/{f.name}")), f
    for f in (FIX / "kolada").glob("*.json"):
        assert "FIXTURE" in fixture(f"kolada/{f.name}")["fixture"], f


def test_no_fixture_value_reaches_data_raw_or_reports(tmp_path):
    """Files made from the fixtures are recognised by marker and by sha256; none may be in the checkout."""
    from conftest import copy_project

    from fyrbodal_analysis.raw.sources import sha256
    proj = copy_project(tmp_path / "p")
    made = (run("scb", proj, http=http(scb_routes())) + run("kolada", proj, http=http(kolada_routes()))
            + run("scb-projection", proj, http=http(projection_routes())))
    assert len(made) == 4
    hashes = {sha256(proj.raw / rel) for rel in made}
    registered = yaml.safe_load((ROOT / "data/raw/sources.yml").read_text(encoding="utf-8"))["files"]
    for rel, entry in registered.items():
        assert not (entry.get("origin") or {}).get("from_fixture"), f"data/raw/{rel} was made from a test fixture"
        assert entry["sha256"] not in hashes, f"data/raw/{rel} is a fixture-derived file"
    for path in (ROOT / "data" / "raw").rglob("*"):
        if path.is_file():
            assert sha256(path) not in hashes, path
    reports = ROOT / "reports"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in reports.rglob("*")
             if p.is_file() and p.suffix in (".html", ".json", ".csv")] if reports.exists() else []
    for h in hashes:
        assert not any(h[:16] in t for t in texts), "reports/ was built from a fixture-derived file"
    assert not any("FIX001" in t or "FIX002" in t for t in texts)
    # the projection fixture's publication date names an invented projection: it must not be on any page
    assert not any("publicerad 2024-01-01" in t for t in texts)


def test_fetch_help_names_exit_code_3(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["fetch", "--help"])
    assert exc.value.code == 0 and "exit code 3" in capsys.readouterr().out
