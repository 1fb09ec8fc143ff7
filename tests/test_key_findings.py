"""Belangrijkste bevindingen: the selection rule, the findings of the shipped data, and the page of a built edition."""
from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.core import dutch
from helpers.book.disclosure import ABOVE, BELOW, bound_of, share_text
from helpers.book.edition import open_edition
from helpers.chapters import key_findings
from helpers.chapters.conclusions import Source
from helpers.chapters.key_findings import BENCHMARK, GROUPS, KERN, TREND, Finding, cohen_d, select
from helpers.data.codebook import PROJECT_ROOT

SHIPPED = (PROJECT_ROOT / "data" / "respondenten.csv", PROJECT_ROOT / "data" / "instellingen.csv")
# A number as the page shows it: 6.133, 2,1, 48%, a year; a bound as '< 5%'.
NUMBER = re.compile(r"\d+(?:\.\d{3})*(?:,\d+)?%?")
PAGE = "notebooks/bevindingen"


def numbers_in(text: str) -> list[str]:
    """The numbers a sentence states, sorted; a label quoted from the codebook (‘3 of meer activiteiten’) states none."""
    return sorted(NUMBER.findall(re.sub(r"‘[^’]*’", " ", text)))


def _finding(kind: str, effect: float, name: str) -> Finding:
    return Finding(name, [], kind, effect)


# -- the rule ------------------------------------------------------------------------------------------
def test_every_kerncijfer_comes_first_then_the_largest_effects():
    core = [_finding(KERN, math.nan, f"kern{i}") for i in range(3)]
    differences = [_finding(TREND, 0.2, "t-small"), _finding(GROUPS, 0.9, "g-large"),
                   _finding(BENCHMARK, 0.5, "b-mid"), _finding(TREND, 0.6, "t-mid")]
    chosen = [f.text for f in select(core, differences)]
    assert chosen == ["kern0", "kern1", "kern2", "g-large", "t-mid", "b-mid", "t-small"]


def test_no_more_than_the_maximum_and_no_more_than_per_kind_of_one_kind():
    core = [_finding(KERN, math.nan, f"kern{i}") for i in range(5)]
    differences = [_finding(TREND, 1 - i / 10, f"t{i}") for i in range(6)] + [_finding(GROUPS, 0.05, "g")]
    chosen = select(core, differences, most=10, per_kind=3)
    assert [f.text for f in chosen] == ["kern0", "kern1", "kern2", "kern3", "kern4", "t0", "t1", "t2", "g"]
    assert len(select(core, differences, most=6)) == 6


def test_eta_squared_ranks_as_cohens_d():
    assert cohen_d(0.0588) == pytest.approx(0.5, abs=0.005)  # Cohen's medium effects agree
    assert cohen_d(0.01) < cohen_d(0.06) < cohen_d(0.14)


# -- the findings of the shipped data ------------------------------------------------------------------
@pytest.fixture(scope="module")
def found(shipped) -> dict:
    out = {}
    for edition in ("landelijk", "I07"):
        ctx = open_edition(edition, shipped, None, None, None)
        out[edition] = (ctx, key_findings.findings(ctx))
    return out


def _shown(row: pd.Series, column: str, shown: str, complement: bool) -> bool:
    value = float(row[column])
    bound = bound_of(row, column)
    if bound:
        return shown == ({BELOW: ABOVE, ABOVE: BELOW}[bound] if complement else bound)
    if column.startswith("aandeel"):
        return shown == dutch.percent(1 - value if complement else value)
    if column.startswith("meting"):
        return shown == str(int(value))
    return shown in (dutch.decimal(value, 1), dutch.decimal(value, 2))


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["landelijk", "I07"])
def test_six_to_ten_findings_each_number_a_cell_of_its_chapters_table(found, edition):
    ctx, findings = found[edition]
    assert 6 <= len(findings) <= key_findings.MOST, [f.text for f in findings]
    kinds = {f.kind for f in findings}
    assert KERN in kinds and kinds - {KERN}, "kerncijfers and notable differences"
    tables = {
        "a-overzicht": key_findings.overview.overview_table(ctx),
        "a-profiel-verschillen": key_findings.overview.benchmark_table(ctx),
        "a10-aantal": key_findings.professionalisation.count_table(ctx),
        "c2-1-themas": key_findings.c2_1_themes.theme_table(ctx),
        "b2-verschillen": key_findings.trends.difference_table(ctx, key_findings.trends.chapter_scales("competenties")),
        "b3-verschillen": key_findings.trends.difference_table(ctx, key_findings.trends.chapter_scales("handelen")),
    }
    for domain in key_findings.load_codebook().domains:
        tables[f"a-{domain}-schalen"] = key_findings.domains.scales_table(ctx, domain)
        tables[f"a-{domain}-verschillen"] = key_findings.domains.differences_table(ctx, domain)
    for finding in findings:
        for i, source in enumerate(finding.sources):
            rows = tables[source.table]
            for key, value in source.where.items():
                rows = rows[rows[key] == value]
            assert len(rows) == 1, (edition, source.table, source.where)
            assert float(rows[source.column].iloc[0]) == pytest.approx(source.value, abs=1e-9)
            assert _shown(rows.iloc[0], source.column, source.shown, i in finding.complements), finding.text
        assert numbers_in(finding.text) == numbers_in(" ".join(s.shown for s in finding.sources)), \
            f"a number not cited: {finding.text}"


@pytest.mark.slow
def test_an_institution_finds_its_own_figures_and_differences_only(found):
    ctx, findings = found["I07"]
    own = ctx.edition.title
    assert all(f.kind != GROUPS for f in findings)
    assert any(own in f.text for f in findings)
    names = pd.read_csv(SHIPPED[1], dtype=str).set_index("instelling")["naam"]
    others = [n for code, n in names.items() if code != ctx.edition.id] + [c for c in names.index if c != "I07"]
    text = " ".join(f.text for f in findings)
    assert not [o for o in others if re.search(rf"\b{re.escape(o)}\b", text)]
    # Its differences are notable ones, against all other institutions or over its own waves.
    for finding in findings:
        if finding.kind == TREND:
            assert all(s.where.get("groep") == "instelling" for s in finding.sources)


@pytest.mark.slow
def test_the_national_edition_finds_groups_and_the_national_trend(found):
    _, findings = found["landelijk"]
    kinds = [f.kind for f in findings]
    assert GROUPS in kinds and BENCHMARK not in kinds
    breakdowns = [f.sources[0].where["weergave"] for f in findings if f.kind == GROUPS]
    assert len(breakdowns) == len(set(breakdowns)), "one finding per breakdown"


# -- the page of a built edition -----------------------------------------------------------------------
def _readable(text: str) -> str:
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def test_the_page_comes_before_katern_a():
    from helpers.core.edition_manifest import chapters_for

    chapters = chapters_for("landelijk")
    assert chapters.index(PAGE) < chapters.index("notebooks/katern_a/a1_inleiding")
    assert chapters.index(PAGE) == 2  # after the start page and the praatplaat


def test_every_source_link_names_a_chapter_and_its_csv():
    finding = Finding("x", [Source("a10-aantal", {}, "aandeel", 0.5, "50%")], KERN, table="a10-aantal")
    fragment = key_findings.source_html(finding)
    assert 'href="katern_a/a10_professionalisering.html"' in fragment
    assert 'href="../../tables/a10-aantal.csv"' in fragment
    assert "A10 Professionalisering" in fragment or "A10" in fragment


def test_the_built_page_lists_its_findings_with_sources_that_resolve(built, institution, small_data):
    names = pd.read_csv(small_data[1], dtype=str).set_index("instelling")["naam"]
    for edition in ("landelijk", institution):
        root = built / "editions" / edition
        page = root / "html" / f"{PAGE}.html"
        text = page.read_text(encoding="utf-8")
        items = re.findall(r'<li class="mb-bevinding">(.*?)</li>', text, flags=re.S)
        sources = pd.read_csv(root / "tables" / f"{key_findings.TABLE_SOURCES}.csv", dtype={"weergave": str})
        assert len(items) == sources["bevinding"].nunique(), edition
        assert 6 <= len(items) <= key_findings.MOST, edition
        for item in items:
            links = re.findall(r'href="([^"]+)"', item)
            assert len(links) == 2, item
            for link in links:
                assert (page.parent / html.unescape(link)).resolve().is_file(), f"{edition}: {link}"
        for row in sources.dropna(subset=["selectie"]).itertuples():  # every number a cell of its CSV
            table = pd.read_csv(root / "tables" / f"{row.tabel}.csv")
            for key, value in json.loads(row.selectie).items():
                table = table[table[key].astype(str) == str(value)]
            assert len(table) == 1, (edition, row.tabel, row.selectie)
            assert float(table[row.kolom].iloc[0]) == pytest.approx(row.waarde, abs=1e-6)
            complement = row.bewerking == key_findings.COMPLEMENT
            shown = share_text(table.iloc[0], row.kolom) if row.kolom.startswith("aandeel") else None
            assert _shown(table.iloc[0], row.kolom, row.weergave, complement) or row.weergave == shown
        readable = _readable(" ".join(re.sub(r'<span class="mb-bron">.*?</span>', " ", i, flags=re.S) for i in items))
        assert numbers_in(readable) == numbers_in(" ".join(sources["weergave"].dropna())), edition
        if edition != "landelijk":  # no other institution, by name or code
            others = [n for code, n in names.items() if code != edition] + [c for c in names.index if c != edition]
            assert not [o for o in others if re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", _readable(text))]
