"""The praatplaat: the key figures of an edition on one page, to start the conversation in a team.

One page at the front of every edition (printed beside it on A4 landscape):
how many teachers took part, how many professionalised, the themes they most
want to develop in, where they stand strongest and weakest, the institution
beside all other institutions, the development over the waves, and two or
three questions for a team meeting, each opened by its number.

Nothing is computed a second way. Every number is cited (with
:func:`helpers.chapters.conclusions.cite`) from a table that a chapter of the
book publishes, made by the function that chapter calls, so the praatplaat's
numbers are the chapters' numbers and have passed the same disclosure
control. The page publishes those sources (`praatplaat-bronnen`); a test
checks each number against the chapter's CSV. A tile whose source is absent
(no own trend for an institution that took part once, no benchmark in the
national edition, a withheld cell) is left out, without a placeholder. Where
an institution has fewer teachers than the threshold, the tiles show the
national figures and say so.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pandas as pd

from helpers.core import dutch
from helpers.book import styles
from helpers.book.edition import EditionContext
from helpers.book.escaping import html_text
from helpers.book.figures import PALETTE
from helpers.book.html import element
from helpers.book.sentences import sentence_file
from helpers.chapters.conclusions import Source, cite, shown_rows
from helpers.chapters.katern_a import overview, professionalisation
from helpers.chapters.katern_a.common import reported_wave, scale_table
from helpers.chapters.katern_a.common import sample as katern_a_sample
from helpers.chapters.katern_a.conclusions import COMPETENCE_FORMAT, OVERVIEW_TABLE, PROFILE_TABLE
from helpers.chapters.katern_b import introduction as katern_b_introduction
from helpers.chapters.katern_b import trends
from helpers.chapters.katern_b.common import NATIONAL_GROUP, OWN_GROUP, has_own_trend
from helpers.chapters.katern_b.conclusions import TABLES as TREND_TABLES
from helpers.chapters.katern_c import c2_1_themes
from helpers.chapters.katern_c.c4_conclusions import THEMES_TABLE
from helpers.data.codebook import load_codebook
from helpers.stats.scales import ALPHA
from helpers.stats.themes import ranked_themes

TABLE_SOURCES = "praatplaat-bronnen"
SENTENCES = sentence_file("praatplaat")
# Tables of the chapters the numbers come from (besides those named where they are imported).
COUNT_TABLE = professionalisation.TABLE_COUNT
WAVES_TABLE = katern_b_introduction.TABLE_WAVES
NO_ACTIVITY = professionalisation.NO_ACTIVITY
#: A shown number that is 100% minus the cited share (the share with at least one activity).
COMPLEMENT = "1 - waarde"
#: Themes listed with a bar.
LISTED_THEMES = 5
#: Questions for the team, at most.
MAX_QUESTIONS = 3

# Rows of a chapter table: the edition's own teachers, or a benchmark beside them.
NATIONAL_ROWS = {"weergave": "totaal", "groep": "totaal"}
OWN_ROWS = {"weergave": "vergelijking", "groep": "instelling"}
SAME_TYPE_ROWS = {"weergave": "vergelijking", "groep": "zelfde_type"}
BENCHMARK_ROWS = {"weergave": "vergelijking", "groep": "landelijk"}


@dataclass
class Number:
    """A number on the praatplaat and the cell it comes from."""

    source: Source
    operation: str = ""  # "" (the cell as it is) or COMPLEMENT

    @property
    def shown(self) -> str:
        return self.source.shown


@dataclass
class Line:
    """One key figure (may be empty) and its short sentence, plain text (escaped when drawn)."""

    figure: str
    text: str
    numbers: list[Number] = field(default_factory=list)


@dataclass
class Bar:
    """A share drawn as a bar beside its label, with the national share beside it as text (or None)."""

    label: str
    share: Number
    beside: Number | None = None


@dataclass
class Tile:
    key: str
    title: str
    lines: list[Line]
    note: str = ""  # a small line under the figures (plain text)
    bars: list[Bar] = field(default_factory=list)
    bars_caption: str = ""  # what the bars show (plain text)


@dataclass
class Praatplaat:
    title: str  # the edition's title, as typed
    subtitle: str
    tiles: list[Tile]
    footnote: str

    def tile(self, key: str) -> Tile | None:
        return next((t for t in self.tiles if t.key == key), None)


@dataclass
class Whose:
    """Whose figures a tile shows: the rows selected in a chapter table, and whom the sentences name."""

    where: dict
    own: bool  # False: an institution's own figures are withheld, these are the national ones
    institution: str  # the edition's institution ('' in the national edition)

    @property
    def who(self) -> dict:
        """The teachers as the sentences name them (`wie` in the praatplaat's template)."""
        return {"instelling": self.institution, "landelijk": not self.own}


# -- citing ----------------------------------------------------------------------------------------
def _number(table: pd.DataFrame, table_id: str, where: dict, column: str, shown_as=dutch.percent,
            operation: str = "") -> Number | None:
    """The cited cell, or None if the row is absent (e.g. no such benchmark) or the cell is withheld (blank)."""
    try:
        source = cite(table, table_id, where, column, shown_as, complement=operation == COMPLEMENT)
    except LookupError:
        return None
    return None if math.isnan(source.value) else Number(source, operation)


def _whose(ctx: EditionContext, table: pd.DataFrame, column: str, key: dict | None = None) -> Whose | None:
    """The edition's own figures in `table`, or the national ones where the institution's are all withheld.

    `key` narrows the rows (e.g. one category). None when none are shown (an
    institution below the threshold without the national benchmark; national
    figures withheld in a very small data set).
    """
    if ctx.edition.is_national:
        candidates = ((NATIONAL_ROWS, True),)
    else:
        candidates = ((OWN_ROWS, True), (BENCHMARK_ROWS, False))
    institution = "" if ctx.edition.is_national else ctx.edition.title
    for where, own in candidates:
        if not shown_rows(table, {**where, **(key or {})}, column).empty:
            return Whose(where, own, institution)
    return None


def _beside(ctx: EditionContext, whose: Whose, table: pd.DataFrame, table_id: str, key: dict, column: str,
            shown_as, operation: str = "") -> Line | None:
    """The same figure for the edition's benchmarks (same type, national) as one small line; None if none."""
    if ctx.edition.is_national or not whose.own:
        return None
    same = _number(table, table_id, {**SAME_TYPE_ROWS, **key}, column, shown_as, operation)
    national = _number(table, table_id, {**BENCHMARK_ROWS, **key}, column, shown_as, operation)
    numbers = [number for number in (same, national) if number is not None]
    if not numbers:
        return None
    return Line("", SENTENCES.say("ernaast", zelfde_type=same.shown if same is not None else "",
                                  landelijk=national.shown if national is not None else ""), numbers)


# -- facts the tiles and the questions share -------------------------------------------------------
@dataclass
class Professionalised:
    whose: Whose
    with_activity: Number  # the share with at least one activity (shown as 100% minus the share with none)
    without: Number  # the share with none


def professionalised(ctx: EditionContext, counts: pd.DataFrame) -> Professionalised | None:
    key = {"categorie": NO_ACTIVITY}
    whose = _whose(ctx, counts, "aandeel", key)
    if whose is None:
        return None
    where = {**whose.where, **key}
    with_activity = _number(counts, COUNT_TABLE, where, "aandeel", dutch.percent, COMPLEMENT)
    if with_activity is None:
        return None
    return Professionalised(whose, with_activity, _number(counts, COUNT_TABLE, where, "aandeel"))


@dataclass
class Themes:
    whose: Whose
    ranked: pd.DataFrame  # the substantive themes of those rows, most chosen first
    top: list[Number]  # the shares of the first three


def top_themes(ctx: EditionContext, themes: pd.DataFrame) -> Themes | None:
    whose = _whose(ctx, themes, "aandeel")
    if whose is None:
        return None
    ranked = ranked_themes(shown_rows(themes, whose.where, "aandeel"))
    if len(ranked) < 3:
        return None
    top = [_number(themes, THEMES_TABLE, {**whose.where, "thema": t}, "aandeel") for t in ranked["thema"][:3]]
    return Themes(whose, ranked, top)


@dataclass
class ScaleFacts:
    whose: Whose
    strongest: tuple[str, Number] | None  # (scale label, mean) of the competence teachers rate highest
    weakest: tuple[str, Number] | None
    least_used: tuple[str, Number] | None  # the practice scale with the lowest mean


def scale_facts(ctx: EditionContext, scales: pd.DataFrame) -> ScaleFacts | None:
    cb = load_codebook()
    whose = _whose(ctx, scales, "gemiddelde")
    if whose is None:
        return None
    rows = shown_rows(scales, whose.where, "gemiddelde")
    rated = {sid for sid, s in cb.scales.items() if s.answer_format == COMPETENCE_FORMAT}
    practice = {sid for sid, s in cb.scales.items() if cb.domains[s.domain]["soort"] == "praktijk"}
    competence = rows.loc[rows["schaal"].isin(rated)].sort_values("gemiddelde", ascending=False, kind="stable")
    used = rows.loc[rows["schaal"].isin(practice)].sort_values("gemiddelde", kind="stable")

    def fact(row) -> tuple[str, Number]:
        return row["schaal_label"], _number(scales, OVERVIEW_TABLE, {**whose.where, "schaal": row["schaal"]},
                                            "gemiddelde", dutch.mean)

    two = len(competence) >= 2
    return ScaleFacts(whose, fact(competence.iloc[0]) if two else None, fact(competence.iloc[-1]) if two else None,
                      fact(used.iloc[0]) if len(used) else None)


@dataclass
class Trend:
    group: str  # NATIONAL_GROUP or OWN_GROUP
    rows: pd.DataFrame  # the widest comparison over both tables, column _soort: which table
    differences: dict[str, pd.DataFrame]

    def number(self, row: pd.Series, column: str, shown_as) -> Number | None:
        where = {"groep": self.group, "vergelijking": row["vergelijking"], "schaal": row["schaal"]}
        return _number(self.differences[row["_soort"]], TREND_TABLES[row["_soort"]], where, column, shown_as)

    @property
    def notable(self) -> pd.DataFrame:
        return self.rows.loc[self.rows["opvallend"].astype(bool)]


def trend(ctx: EditionContext, differences: dict[str, pd.DataFrame]) -> Trend | None:
    """The edition's widest comparison over the waves: the institution's own, nationally the national one.

    None for an institution without two waves with enough teachers (it has
    no trend of its own), or where the data hold one wave.
    """
    if not ctx.edition.is_national and not has_own_trend(ctx):
        return None
    group = NATIONAL_GROUP if ctx.edition.is_national else OWN_GROUP
    parts = [trends.widest_comparison(table, group).assign(_soort=kind) for kind, table in differences.items()]
    parts = [p for p in parts if len(p)]
    if not parts:
        return None
    rows = pd.concat(parts, ignore_index=True)
    return Trend(group, rows.loc[rows["meting_eerder"] == rows["meting_eerder"].min()], differences)


# -- the tiles -------------------------------------------------------------------------------------
def _title(tile: str) -> str:
    return SENTENCES.say("tegeltitel", tegel=tile)


def _teachers(counts: pd.DataFrame, where: dict) -> Number | None:
    """The number of teachers of one group of the table of the number of activities.

    Every row of a group carries the group's n; it is cited from a row that
    is shown (a category below the threshold is withheld, its row flagged).
    """
    rows = shown_rows(counts, where, "n")
    if rows.empty:
        return None
    return _number(counts, COUNT_TABLE, {**where, "categorie": rows["categorie"].iloc[0]}, "n", dutch.integer)


def participants_tile(ctx: EditionContext, counts: pd.DataFrame, waves: pd.DataFrame | None) -> Tile | None:
    """How many teachers answered in the reported wave (Katern A chapter 10's table of the number of activities)."""
    wave = reported_wave(ctx)
    if ctx.edition.is_national:
        teachers = _teachers(counts, NATIONAL_ROWS)
        if teachers is None:
            return None
        institutions = None if waves is None else _number(waves, WAVES_TABLE, {"meting": wave}, "n_instellingen",
                                                           dutch.integer)
        text = SENTENCES.say("deelnemers_landelijk", meting=wave,
                             instellingen=institutions.shown if institutions is not None else "")
        return Tile("deelnemers", _title("deelnemers"), [
            Line(teachers.shown, text, [teachers] + ([institutions] if institutions is not None else []))])
    lines = []
    own = _teachers(counts, OWN_ROWS)
    if own is not None:
        lines.append(Line(own.shown, SENTENCES.say("deelnemers_eigen", instelling=ctx.edition.title, meting=wave),
                          [own]))
    elif len(katern_a_sample(ctx)[0]) < ctx.min_n:
        lines.append(Line(f"< {dutch.integer(ctx.min_n)}",
                          SENTENCES.say("deelnemers_eigen_te_weinig", instelling=ctx.edition.title, meting=wave)))
    national = _teachers(counts, BENCHMARK_ROWS)
    if national is not None:
        lines.append(Line("", SENTENCES.say("deelnemers_landelijk_ernaast", docenten=national.shown), [national]))
    return Tile("deelnemers", _title("deelnemers"), lines) if lines else None


def professionalisation_tile(ctx: EditionContext, counts: pd.DataFrame, facts: Professionalised | None) -> Tile | None:
    """The share with at least one professionalisation activity in the last three years (Katern A chapter 10)."""
    if facts is None:
        return None
    lines = [Line(facts.with_activity.shown, SENTENCES.say("professionalisering_minstens_een", wie=facts.whose.who),
                  [facts.with_activity])]
    beside = _beside(ctx, facts.whose, counts, COUNT_TABLE, {"categorie": NO_ACTIVITY}, "aandeel", dutch.percent,
                     COMPLEMENT)
    if beside is not None:
        lines.append(beside)
    lines.append(Line(facts.without.shown, SENTENCES.say("professionalisering_geen"), [facts.without]))
    return Tile("professionalisering", _title("professionalisering"), lines)


def themes_tile(ctx: EditionContext, themes: pd.DataFrame, facts: Themes | None) -> Tile | None:
    """The themes teachers most want to develop in over the next two years (Katern C §2.1), the first few as bars."""
    if facts is None:
        return None
    first = facts.top[0]
    beside = not ctx.edition.is_national and facts.whose.own
    bars = []
    for code, label in zip(facts.ranked["thema"][:LISTED_THEMES], facts.ranked["thema_label"]):
        share = _number(themes, THEMES_TABLE, {**facts.whose.where, "thema": code}, "aandeel")
        national = _number(themes, THEMES_TABLE, {**BENCHMARK_ROWS, "thema": code}, "aandeel") if beside else None
        bars.append(Bar(label, share, national))
    national = any(bar.beside is not None for bar in bars)
    caption = SENTENCES.say("themas_onderschrift", met_landelijk=national)
    return Tile("themas", _title("themas"), [
        Line(first.shown, SENTENCES.say("themas_eerste", wie=facts.whose.who, thema=facts.ranked["thema_label"].iloc[0]),
             [first]),
    ], bars=bars, bars_caption=caption)


def scales_tile(facts: ScaleFacts | None) -> Tile | None:
    """Where the teachers stand: the competence they rate highest and lowest, the practice least used (Katern A)."""
    if facts is None:
        return None
    lines = []
    if facts.strongest is not None:
        (high, high_mean), (low, low_mean) = facts.strongest, facts.weakest
        lines.append(Line(high_mean.shown, SENTENCES.say("schalen_bekwaamst", schaal=high), [high_mean]))
        lines.append(Line(low_mean.shown, SENTENCES.say("schalen_minst_bekwaam", schaal=low), [low_mean]))
    if facts.least_used is not None:
        label, mean = facts.least_used
        lines.append(Line(mean.shown, SENTENCES.say("schalen_minst_gebruikt", schaal=label), [mean]))
    if not lines:
        return None
    low_end, high_end = load_codebook().score_range
    return Tile("schalen", _title("schalen"), lines,
                note=SENTENCES.say("schalen_noot", wie=facts.whose.who, laagste=low_end, hoogste=high_end))


def benchmark_tile(ctx: EditionContext, benchmarks: pd.DataFrame) -> Tile | None:
    """Sterke punten en aandachtspunten: the notable differences from all other institutions (Katern A overview).

    Only in an institution's own edition with enough teachers: the national
    edition has no benchmark, and below the threshold the chapter compares nothing.
    """
    if ctx.edition.is_national or overview.compared(benchmarks).empty:  # none, or withheld (too few others)
        return None
    notable = overview.compared(benchmarks).loc[lambda t: t["opvallend"]]
    title = _title("benchmark")
    note = SENTENCES.say("benchmark_noot")
    if notable.empty:
        return Tile("benchmark", title, [Line(
            "0", SENTENCES.say("benchmark_geen_verschil", schalen=len(benchmarks), instelling=ctx.edition.title))],
            note=note)
    lines = []
    for sign in (1, -1):  # the strong points (notably higher), then the points of attention
        rows = notable.loc[notable["hedges_g"] * sign > 0].sort_values("hedges_g", ascending=sign < 0, kind="stable")
        if rows.empty:
            lines.append(Line("0", SENTENCES.say("benchmark_geen_punten", sterk=sign > 0)))
            continue
        row = rows.iloc[0]
        own = _number(benchmarks, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde", dutch.mean)
        other = _number(benchmarks, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde_referentie", dutch.mean)
        lines.append(Line(dutch.integer(len(rows)),
                          SENTENCES.say("benchmark_punten", sterk=sign > 0, aantal=len(rows), schaal=row["schaal_label"],
                                        eigen=own.shown, anderen=other.shown), [own, other]))
    return Tile("benchmark", title, lines, note=note)


def trend_tile(ctx: EditionContext, found: Trend | None) -> Tile | None:
    """The widest comparison over the waves (Katern B chapters 2 and 3); left out where there is no trend."""
    if found is None:
        return None
    first = found.rows.iloc[0]
    early = found.number(first, "meting_eerder", dutch.year)
    late = found.number(first, "meting_later", dutch.year)
    notable = found.notable
    up, down = notable.loc[notable["verschil"] > 0], notable.loc[notable["verschil"] < 0]
    institution = ctx.edition.title if found.group == OWN_GROUP else ""
    lines = [Line(dutch.integer(len(up)), SENTENCES.say("ontwikkeling_hoger", schalen=len(found.rows),
                                                        instelling=institution, later=late.shown, eerder=early.shown),
                  [late, early])]
    if len(down):
        lines.append(Line(dutch.integer(len(down)), SENTENCES.say("ontwikkeling_lager", schalen=len(found.rows))))
    if len(notable):
        top = notable.loc[notable["hedges_g"].abs().idxmax()]
        before = found.number(top, "gemiddelde_eerder", dutch.two_decimals)
        after = found.number(top, "gemiddelde_later", dutch.two_decimals)
        lines.append(Line("", SENTENCES.say("ontwikkeling_grootste", opvallend=len(notable), schaal=top["schaal_label"],
                                            voor=before.shown, na=after.shown), [before, after]))
    return Tile("ontwikkeling", _title("ontwikkeling"), lines,
                note=SENTENCES.say("ontwikkeling_noot", instelling=institution))


# -- questions for the team ------------------------------------------------------------------------
def questions(benchmarks: pd.DataFrame, scales: ScaleFacts | None, found: Trend | None, themes: Themes | None,
              prof: Professionalised | None) -> list[Line]:
    """Two or three questions for a team meeting, each opened by the number it starts from.

    In this order, the first three that apply: the institution's clearest
    point of attention (else the practice least used), the scale that fell
    most over the waves, the theme most chosen, the share without any
    professionalisation.
    """
    asked = []
    compared = overview.compared(benchmarks)  # a withheld comparison (too few others) asks nothing
    attention = compared.loc[compared["opvallend"] & (compared["hedges_g"] < 0)]
    if len(attention):
        row = attention.sort_values("hedges_g", kind="stable").iloc[0]
        own = _number(benchmarks, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde", dutch.mean)
        other = _number(benchmarks, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde_referentie", dutch.mean)
        asked.append(Line(own.shown, SENTENCES.say("vraag_aandachtspunt", anderen=other.shown, schaal=row["schaal_label"]),
                          [own, other]))
    elif scales is not None and scales.least_used is not None:
        label, mean = scales.least_used
        asked.append(Line(mean.shown, SENTENCES.say("vraag_minst_gebruikt", wie=scales.whose.who, schaal=label), [mean]))
    if found is not None:
        fell = found.notable.loc[found.notable["verschil"] < 0]
        if len(fell):
            row = fell.loc[fell["hedges_g"].idxmin()]
            before = found.number(row, "gemiddelde_eerder", dutch.two_decimals)
            after = found.number(row, "gemiddelde_later", dutch.two_decimals)
            early = found.number(row, "meting_eerder", dutch.year)
            asked.append(Line(after.shown, SENTENCES.say("vraag_gedaald", voor=before.shown, eerder=early.shown,
                                                         schaal=row["schaal_label"]), [after, before, early]))
    if themes is not None:
        share = themes.top[0]
        asked.append(Line(share.shown, SENTENCES.say("vraag_thema", wie=themes.whose.who,
                                                     thema=themes.ranked["thema_label"].iloc[0]), [share]))
    if prof is not None:
        share = prof.without
        asked.append(Line(share.shown, SENTENCES.say("vraag_geen_professionalisering", wie=prof.whose.who), [share]))
    return asked[:MAX_QUESTIONS]


# -- the page --------------------------------------------------------------------------------------
def make(ctx: EditionContext) -> Praatplaat:
    """The praatplaat of this edition, from the tables its chapters publish."""
    counts = professionalisation.count_table(ctx)
    scales = scale_table(ctx, overview.all_scales(), by=[])  # the overview's first view; its breakdowns are not shown
    benchmarks = overview.benchmark_table(ctx)
    themes = c2_1_themes.theme_table(ctx)
    differences = {kind: trends.difference_table(ctx, trends.chapter_scales(kind)) for kind in TREND_TABLES}
    waves = katern_b_introduction.waves_table(ctx) if ctx.edition.is_national else None

    prof = professionalised(ctx, counts)
    chosen = top_themes(ctx, themes)
    facts = scale_facts(ctx, scales)
    found = trend(ctx, differences)
    tiles = [participants_tile(ctx, counts, waves), professionalisation_tile(ctx, counts, prof),
             themes_tile(ctx, themes, chosen), scales_tile(facts), benchmark_tile(ctx, benchmarks),
             trend_tile(ctx, found)]
    asked = questions(benchmarks, facts, found, chosen, prof)
    if asked:
        tiles.append(Tile("gespreksvragen", _title("gespreksvragen"), asked))
    return Praatplaat(
        title=ctx.edition.title,
        subtitle=SENTENCES.say("ondertitel", meting=reported_wave(ctx)),
        tiles=[t for t in tiles if t is not None],
        # the footnote states the book's one rule for a notable difference
        footnote=SENTENCES.say("voetnoot", bronnentabel=TABLE_SOURCES, alfa=ALPHA),
    )


def sources_table(plate: Praatplaat) -> pd.DataFrame:
    """One row per number on the praatplaat: its tile, its sentence, and the table, row and column it comes from."""
    rows = []
    for tile in plate.tiles:
        lines = [(f"{line.figure} {line.text}".strip(), line.numbers) for line in tile.lines]
        lines += [(_bar_text(bar), [bar.share] + ([bar.beside] if bar.beside else [])) for bar in tile.bars]
        for line_number, (text, numbers) in enumerate(lines, start=1):
            for number in numbers:
                source = number.source
                rows.append(dict(tegel=tile.key, regel=line_number, tekst=text, tabel=source.table,
                                 selectie=json.dumps(source.where, ensure_ascii=False, sort_keys=True),
                                 kolom=source.column, waarde=round(source.value, 6), bewerking=number.operation,
                                 weergave=source.shown))
    return pd.DataFrame(rows, columns=["tegel", "regel", "tekst", "tabel", "selectie", "kolom", "waarde",
                                       "bewerking", "weergave"])


# -- drawing ---------------------------------------------------------------------------------------
def _national_text(bar: Bar) -> str:
    return f"landelijk {bar.beside.shown}" if bar.beside else ""


def _bar_text(bar: Bar) -> str:
    """A bar as the page reads without it: label, share, national share."""
    return f"{bar.label} {bar.share.shown} {_national_text(bar)}".strip()


def _bar_html(bar: Bar) -> str:
    """A share as text, with a bar for the eye only (a screen reader reads the number)."""
    width = max(0.0, min(1.0, bar.share.source.value)) * 100
    return element("li", element("span", html_text(bar.label), class_="pp-thema")
                   + element("span", element("span", style=f"width: {width:.1f}%"), class_="pp-spoor",
                             aria_hidden="true")
                   + element("span", html_text(bar.share.shown), class_="pp-waarde")
                   + element("span", html_text(_national_text(bar)), class_="pp-naast"))


def _line_html(line: Line) -> str:
    figure = element("span", html_text(line.figure), class_="pp-cijfer") + " " if line.figure else ""
    return element("li", figure + html_text(line.text))


def _tile_html(tile: Tile) -> str:
    heading = element("h2", html_text(tile.title), id=f"praatplaat-{tile.key}")
    if tile.key == "gespreksvragen":
        items = "".join(_line_html(line) for line in tile.lines)
        return element("section", heading + element("ol", items), class_="pp-tegel pp-vragen",
                       aria_labelledby=f"praatplaat-{tile.key}")
    body = element("ul", "".join(_line_html(line) for line in tile.lines), class_="pp-regels")
    if tile.bars:
        body += (element("p", html_text(tile.bars_caption), class_="pp-noot")
                 + element("ul", "".join(_bar_html(bar) for bar in tile.bars), class_="pp-balken"))
    note = element("p", html_text(tile.note), class_="pp-noot") if tile.note else ""
    return element("section", heading + body + note, class_="pp-tegel", aria_labelledby=f"praatplaat-{tile.key}")


def page_html(plate: Praatplaat) -> str:
    """The praatplaat as one HTML fragment with its own style; every text from data escaped."""
    head = (element("span", "Praatplaat", class_="pp-print") + element("p", html_text(plate.title), class_="pp-editie")
            + element("p", html_text(plate.subtitle), class_="pp-ondertitel"))
    return (element("style", styles.praatplaat(bar_colour=PALETTE[0]))  # the book's first colour, as in its figures
            + element("div", element("div", head, class_="pp-kop")
                      + element("div", "".join(_tile_html(t) for t in plate.tiles), class_="pp-tegels")
                      + element("p", html_text(plate.footnote), class_="pp-voetnoot"), class_="mb-praatplaat"))


def show(ctx: EditionContext) -> Praatplaat:
    """Draw the praatplaat and write the table behind it: the source of every number on it."""
    plate = make(ctx)
    ctx.publish.html(TABLE_SOURCES, sources_table(plate), page_html(plate))
    return plate
