"""Belangrijkste bevindingen: the findings that matter most for an edition, on one page at its start.

Nothing is computed a second way. Every number is cited (with
:func:`helpers.chapters.conclusions.cite`) from a table a chapter of the book
publishes, made by the function that chapter calls, so a finding's numbers
are the chapter's numbers and have passed the same disclosure control. Each
finding names and links the chapter and the table (CSV) it comes from; the
page publishes its sources (`bevindingen-bronnen`), and a test checks every
number against the chapter's CSV.

The selection rule (`select`), stated on the page too:

1. *Kerncijfers*, always, in this order, where the edition has them: the
   competences teachers rate strongest and weakest, the practice least used,
   the share that sees much added value in ict, the share that professionalised
   and the theme most wanted. An institution's own figures are used; where
   they are withheld, the finding is left out (the national edition has them).
2. *Opvallende verschillen*: only notable ones (significant after Holm and at
   least a small effect, the book's one rule), ranked by effect size; Hedges'
   g and partial eta squared are made comparable as Cohen's d
   (d = 2·√(η²/(1−η²))). An institution edition draws them from the
   institution against all other institutions (Katern A 12) and from its own
   trend over the waves (Katern B); the national edition from the differences
   between groups of teachers (Katern A 2-7) and the national trend. At most
   `PER_KIND` of one kind, until the page holds `MOST` findings.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import shown
from helpers.book.edition import EditionContext
from helpers.book.escaping import html_text
from helpers.book.html import element
from helpers.book.publish import chapter_number, chapter_title, figure_chapters
from helpers.book.sentences import sentence_file
from helpers.chapters import praatplaat
from helpers.chapters.conclusions import Source, cite, measure
from helpers.chapters.katern_a import domains, overview, professionalisation
from helpers.chapters.katern_a.conclusions import HIGH, MEERWAARDE, OVERVIEW_TABLE, PROFILE_TABLE
from helpers.chapters.katern_b import trends
from helpers.chapters.katern_b.common import NATIONAL_GROUP, OWN_GROUP
from helpers.chapters.katern_b.conclusions import TABLES as TREND_TABLES
from helpers.chapters.katern_c import c2_1_themes
from helpers.chapters.katern_c.c4_conclusions import THEMES_TABLE
from helpers.data.codebook import load_codebook
from helpers.stats.scales import ALPHA

TABLE_SOURCES = "bevindingen-bronnen"
SENTENCES = sentence_file("bevindingen")
COMPLEMENT = praatplaat.COMPLEMENT  # a shown number that is 100% minus the cited share
#: The page holds at most this many findings.
MOST = 10
#: At most this many notable differences of one kind (benchmark, trend, groups).
PER_KIND = 3

#: A table no figure shows, and the figure beside which its chapter shows it (figures: `figuren.yml`).
BESIDE_FIGURE = {
    PROFILE_TABLE: "a-profiel",
    TREND_TABLES["competenties"]: "b2-trends",
    TREND_TABLES["handelen"]: "b3-trends",
}
#: The page itself, where its links start from.
PAGE = "notebooks/bevindingen"

KERN = "kern"
BENCHMARK = "benchmark"
TREND = "trend"
GROUPS = "groepen"


@dataclass
class Finding:
    text: str  # Markdown-safe prose (values from data escaped)
    sources: list[Source]
    kind: str  # KERN, BENCHMARK, TREND or GROUPS
    effect: float = math.nan  # |Cohen's d| for a notable difference; NaN for a kerncijfer
    table: str = ""  # the table the finding comes from (its first source's, or named for a finding without numbers)
    complements: tuple[int, ...] = ()  # sources shown as 100% minus the cited share (the share is the table's cell)

    @property
    def chapter(self) -> str:
        return chapter_of(self.table)


def chapter_of(table_id: str) -> str:
    """The chapter notebook that publishes a table: the chapter of its figure, or of the figure it stands beside.

    A Katern A domain's tests (`a-<domain>-verschillen`) stand beside its scales (`a-<domain>-schalen`).
    """
    chapters = figure_chapters()
    figure = BESIDE_FIGURE.get(table_id, table_id)
    if figure not in chapters and table_id.endswith("-verschillen"):
        figure = table_id.removesuffix("-verschillen") + "-schalen"
    if figure not in chapters:
        raise KeyError(f"Geen hoofdstuk bekend voor tabel {table_id}")
    return chapters[figure]


def cohen_d(np2: float) -> float:
    """Partial eta squared as Cohen's d (two groups' equivalent), so it ranks beside Hedges' g."""
    return 2 * math.sqrt(np2 / (1 - np2)) if 0 <= np2 < 1 else math.inf


def _mean(value: float) -> str:
    return dutch.decimal(value, 1)


def _two(value: float) -> str:
    return dutch.decimal(value, 2)


def _year(value: float) -> str:
    return str(int(value))


def _complete(sources: list[Source | None]) -> bool:
    return all(s is not None and not math.isnan(s.value) for s in sources)


def _cited(table: pd.DataFrame, table_id: str, where: dict, column: str, shown_as=dutch.percent,
           complement: bool = False) -> Source | None:
    """The cited cell, or None where the row is absent or withheld."""
    try:
        source = cite(table, table_id, where, column, shown_as, complement)
    except LookupError:
        return None
    return None if math.isnan(source.value) else source


# -- kerncijfers ------------------------------------------------------------------------------------
def _own_rows(ctx: EditionContext) -> tuple[dict, str]:
    """Row selector of the edition's own teachers in a Katern A table, and the institution the prose names ('' in
    the national edition)."""
    if ctx.edition.is_national:
        return praatplaat.NATIONAL_ROWS, ""
    return praatplaat.OWN_ROWS, ctx.title_md


def core_findings(ctx: EditionContext) -> list[Finding]:
    found = []
    where, institution = _own_rows(ctx)
    table = overview.overview_table(ctx)
    facts = praatplaat.scale_facts(ctx, table)
    own = facts is not None and facts.whose.own
    if own and facts.strongest is not None and facts.weakest is not None:
        (top, s1), (low, s2) = facts.strongest, facts.weakest
        found.append(Finding(
            SENTENCES.say("bekwaamst", instelling=institution, sterkste=top, gemiddelde_sterkste=s1.shown,
                          zwakste=low, gemiddelde_zwakste=s2.shown),
            [s1.source, s2.source], KERN, table=OVERVIEW_TABLE))
    if own and facts.least_used is not None:
        label, mean = facts.least_used
        found.append(Finding(SENTENCES.say("minst_gebruikt", toepassing=label, gemiddelde=mean.shown),
                             [mean.source], KERN, table=OVERVIEW_TABLE))
    value = _cited(table, OVERVIEW_TABLE, {**where, "schaal": MEERWAARDE}, HIGH)
    if value is not None:
        found.append(Finding(SENTENCES.say("meerwaarde", instelling=institution, aandeel=value.shown), [value], KERN,
                             table=OVERVIEW_TABLE))
    counts = professionalisation.count_table(ctx)
    key = {**where, "categorie": professionalisation.NO_ACTIVITY}
    some = _cited(counts, professionalisation.TABLE_COUNT, key, "aandeel", complement=True)
    if some is not None:
        found.append(Finding(SENTENCES.say("professionalisering", instelling=institution, aandeel=some.shown), [some],
                             KERN, table=professionalisation.TABLE_COUNT, complements=(0,)))
    themes = c2_1_themes.theme_table(ctx)
    chosen = praatplaat.top_themes(ctx, themes)
    if chosen is not None and chosen.whose.own and chosen.top[0] is not None:
        share = chosen.top[0].source
        first = chosen.ranked["thema_label"].iloc[0]
        found.append(Finding(SENTENCES.say("thema", instelling=institution, thema=first, aandeel=share.shown), [share],
                             KERN, table=THEMES_TABLE))
    return found


# -- notable differences ------------------------------------------------------------------------------
def benchmark_findings(ctx: EditionContext) -> list[Finding]:
    """The institution against all other institutions (Katern A 12), with its same-type benchmark beside it."""
    table = overview.compared(overview.benchmark_table(ctx))  # a withheld comparison is cited nowhere
    if table.empty:
        return []
    scales = overview.overview_table(ctx)
    notable = table.loc[table["opvallend"]]
    found = []
    for _, row in notable.iterrows():
        key = {"schaal": row["schaal"]}
        own = _cited(table, PROFILE_TABLE, key, "gemiddelde", _mean)
        other = _cited(table, PROFILE_TABLE, key, "gemiddelde_referentie", _mean)
        effect = _cited(table, PROFILE_TABLE, key, "hedges_g", _two)
        if not _complete([own, other, effect]):
            continue
        same = _cited(scales, OVERVIEW_TABLE, {**praatplaat.SAME_TYPE_ROWS, **key}, "gemiddelde", _mean)
        found.append(Finding(
            SENTENCES.say("tegenover_andere_instellingen", instelling=ctx.title_md, verschil=float(row["hedges_g"]),
                          schaal=row["schaal_label"], eigen=own.shown, anderen=other.shown, hedges_g=effect.shown,
                          effect=row["effect"], zelfde_type=same.shown if same is not None else ""),
            [own, other, effect] + ([same] if same is not None else []), BENCHMARK, abs(row["hedges_g"]),
            PROFILE_TABLE))
    return found


def trend_findings(ctx: EditionContext) -> list[Finding]:
    """Notable changes over the widest comparison of waves: the institution's own, nationally the national one."""
    group = NATIONAL_GROUP if ctx.edition.is_national else OWN_GROUP
    institution = "" if ctx.edition.is_national else ctx.title_md
    found = []
    for kind, table_id in TREND_TABLES.items():
        table = trends.difference_table(ctx, trends.chapter_scales(kind))
        rows = trends.widest_comparison(table, group)
        for _, row in rows.loc[rows["opvallend"].fillna(False).astype(bool)].iterrows():
            key = {"groep": group, "vergelijking": row["vergelijking"], "schaal": row["schaal"]}
            early = _cited(table, table_id, key, "meting_eerder", _year)
            late = _cited(table, table_id, key, "meting_later", _year)
            before = _cited(table, table_id, key, "gemiddelde_eerder", _two)
            after = _cited(table, table_id, key, "gemiddelde_later", _two)
            effect = _cited(table, table_id, key, "hedges_g", _two)
            if not _complete([early, late, before, after, effect]):
                continue
            found.append(Finding(
                SENTENCES.say("ontwikkeling", instelling=institution, verschil=float(row["verschil"]),
                              schaal=row["schaal_label"], eerder=early.shown, later=late.shown, voor=before.shown,
                              na=after.shown, hedges_g=effect.shown, effect=row["effect"]),
                [late, early, before, after, effect], TREND, abs(row["hedges_g"]),
                table_id))
    return found


def group_findings(ctx: EditionContext) -> list[Finding]:
    """Notable differences between groups of teachers (Katern A 2-7), the largest per breakdown.

    Each names the highest and the lowest group the chapter shows for that scale and breakdown.
    """
    cb = load_codebook()
    best: dict[str, Finding] = {}
    for domain in cb.domains:
        differences = domains.differences_table(ctx, domain)
        if differences.empty:
            continue
        scales = domains.scales_table(ctx, domain)
        tests_id, scales_id = domains.table_id(domain, "verschillen"), domains.table_id(domain, "schalen")
        for _, row in differences.loc[differences["opvallend"].fillna(False).astype(bool)].iterrows():
            groups = shown(scales.loc[(scales["weergave"] == row["variabele"]) & (scales["schaal"] == row["schaal"])])
            groups = groups.dropna(subset=["gemiddelde"]).sort_values("gemiddelde", ascending=False, kind="stable")
            if len(groups) < 2:
                continue
            high, low = groups.iloc[0], groups.iloc[-1]
            key = {"weergave": row["variabele"], "schaal": row["schaal"]}
            s_high = _cited(scales, scales_id, {**key, "groep": high["groep"]}, "gemiddelde", _mean)
            s_low = _cited(scales, scales_id, {**key, "groep": low["groep"]}, "gemiddelde", _mean)
            effect = _cited(differences, tests_id, {"schaal": row["schaal"], "variabele": row["variabele"]}, "np2",
                            _two)
            if not _complete([s_high, s_low, effect]):
                continue
            finding = Finding(
                SENTENCES.say("groepsverschil", schaal=row["schaal_label"], kenmerk=row["variabele_label"],
                              hoogste=high["groep_label"], score_hoogste=s_high.shown, laagste=low["groep_label"],
                              score_laagste=s_low.shown, eta=effect.shown, effect=row["effect"]),
                [s_high, s_low, effect], GROUPS,
                cohen_d(float(row["np2"])), tests_id)
            if row["variabele"] not in best or finding.effect > best[row["variabele"]].effect:
                best[row["variabele"]] = finding
    return list(best.values())


def no_difference(ctx: EditionContext) -> Finding | None:
    """An institution that differs notably from the others on no scale: that is a finding too (without numbers)."""
    table = overview.benchmark_table(ctx)
    if table.empty or overview.benchmark_withheld(table) or overview.compared(table)["opvallend"].any():
        return None
    return Finding(SENTENCES.say("geen_verschil", instelling=ctx.title_md), [], BENCHMARK, 0.0, PROFILE_TABLE)


# -- the rule ------------------------------------------------------------------------------------------
def select(core: list[Finding], differences: list[Finding], most: int = MOST, per_kind: int = PER_KIND) -> list[Finding]:
    """The page's findings: every kerncijfer (in its order), then the notable differences by effect size.

    Differences are ranked by |Cohen's d|, largest first (ties: in the order given); at most
    `per_kind` of one kind; the page stops at `most` findings.
    """
    chosen = list(core[:most])
    taken: dict[str, int] = {}
    ranked = sorted(enumerate(differences), key=lambda item: (-item[1].effect, item[0]))
    for _, finding in ranked:
        if len(chosen) >= most:
            break
        if taken.get(finding.kind, 0) >= per_kind:
            continue
        taken[finding.kind] = taken.get(finding.kind, 0) + 1
        chosen.append(finding)
    return chosen


def findings(ctx: EditionContext) -> list[Finding]:
    """This edition's key findings by the rule of `select`."""
    core = core_findings(ctx)
    if ctx.edition.is_national:
        differences = group_findings(ctx) + trend_findings(ctx)
    else:
        differences = benchmark_findings(ctx) + trend_findings(ctx)
        nothing = no_difference(ctx)
        if nothing is not None:
            core.append(nothing)
    return select(core, differences)


def rule_text(ctx: EditionContext) -> str:
    """The selection rule, for the reader (Markdown)."""
    institution = "" if ctx.edition.is_national else ctx.title_md
    return SENTENCES.say("keuzeregel", instelling=institution, hoofdstuk=chapter_number(chapter_of(PROFILE_TABLE)),
                         alfa=ALPHA, per_soort=PER_KIND, hoogstens=MOST)


# -- the page ------------------------------------------------------------------------------------------
def _relative(target: str) -> str:
    """A link from this page to another file of the edition's HTML folder."""
    return Path(target).relative_to(Path(PAGE).parent).as_posix() if target.startswith("notebooks/") else target


def source_html(finding: Finding) -> str:
    """'Bron: A12 Alle schalen in één overzicht, tabel a-overzicht.csv', both linked."""
    chapter = finding.chapter
    page = _relative(f"{chapter}.html")
    csv = f"../../tables/{finding.table}.csv"  # html/notebooks/ -> the edition folder's tables/
    return element("span", "Bron: " + element("a", html_text(chapter_title(chapter)), href=page)
                   + ", tabel " + element("a", f"{html_text(finding.table)}.csv", href=csv), class_="mb-bron")


def page_html(found: list[Finding]) -> str:
    """The findings as a numbered list, each with its linked source; prose rendered from its Markdown-safe text."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})  # prose holds no markup of its own
    items = []
    for finding in found:
        text = md.renderInline(finding.text)
        items.append(element("li", element("p", f"{text}<br>{source_html(finding)}"), class_="mb-bevinding"))
    return element("ol", "".join(items), class_="mb-bevindingen")


def sources_table(found: list[Finding]) -> pd.DataFrame:
    """One row per number in a finding: where it comes from and how it is shown (a finding without numbers: one row)."""
    rows = []
    for number, finding in enumerate(found, start=1):
        common = dict(bevinding=number, soort=finding.kind, tekst=finding.text, hoofdstuk=finding.chapter,
                      effect=round(finding.effect, 6) if not math.isnan(finding.effect) else math.nan)
        if not finding.sources:
            rows.append(dict(common, tabel=finding.table, bewerking="", selectie="", kolom="", waarde=math.nan,
                             weergave=""))
        for i, source in enumerate(finding.sources):
            rows.append(dict(common, tabel=source.table, bewerking=COMPLEMENT if i in finding.complements else "",
                             selectie=json.dumps(source.where, ensure_ascii=False, sort_keys=True),
                             kolom=source.column, waarde=round(source.value, 6), weergave=source.shown))
    return pd.DataFrame(rows, columns=["bevinding", "soort", "tekst", "hoofdstuk", "effect", "tabel", "selectie",
                                       "kolom", "waarde", "bewerking", "weergave"])


def reader_sources(sources: pd.DataFrame) -> pd.DataFrame:
    numbered = sources.loc[sources["weergave"].fillna("") != ""]
    return pd.DataFrame({
        "Bevinding": numbered["bevinding"],
        "Getal in de tekst": numbered["weergave"],
        "Maat": [measure(column) + (" (de tabel geeft de rest)" if operation == COMPLEMENT else "")
                 for column, operation in zip(numbered["kolom"], numbered["bewerking"].fillna(""))],
        "Tabel": numbered["tabel"] + ".csv",
    })
