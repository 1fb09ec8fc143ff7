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
from helpers.book.edition import EditionContext
from helpers.book.escaping import html_text
from helpers.book.figures import PALETTE
from helpers.chapters.common import NATIONAL_LABEL, SAME_TYPE_LABEL
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
    """Whose figures a tile shows: the rows selected in a chapter table and how the text names them."""

    where: dict
    own: bool  # False: an institution's own figures are withheld, these are the national ones
    who: str  # who they are, after 'de docenten': '' (the national edition), 'bij <institution>' or 'landelijk'

    @property
    def teachers(self) -> str:
        return f"de docenten {self.who}" if self.who else "de docenten"

    @property
    def ours(self) -> str:
        """The teachers as a team of the institution speaks of them ('onze docenten'), else as `teachers`."""
        return "onze docenten" if self.own and self.who else self.teachers


# -- citing ----------------------------------------------------------------------------------------
def _number(table: pd.DataFrame, table_id: str, where: dict, column: str, shown_as=dutch.percent,
            operation: str = "") -> Number | None:
    """The cited cell, or None if the row is absent (e.g. no such benchmark) or the cell is withheld (blank)."""
    try:
        source = cite(table, table_id, where, column, shown_as, complement=operation == COMPLEMENT)
    except LookupError:
        return None
    return None if math.isnan(source.value) else Number(source, operation)


def _quoted(label: str) -> str:
    return f"‘{dutch.lower_first(label)}’"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _whose(ctx: EditionContext, table: pd.DataFrame, column: str, key: dict | None = None) -> Whose | None:
    """The edition's own figures in `table`, or the national ones where the institution's are all withheld.

    `key` narrows the rows (e.g. one category). None when none are shown (an
    institution below the threshold without the national benchmark; national
    figures withheld in a very small data set).
    """
    if ctx.edition.is_national:
        candidates = ((NATIONAL_ROWS, True, ""),)
    else:
        candidates = ((OWN_ROWS, True, f"bij {ctx.edition.title}"), (BENCHMARK_ROWS, False, "landelijk"))
    for where, own, who in candidates:
        if not shown_rows(table, {**where, **(key or {})}, column).empty:
            return Whose(where, own, who)
    return None


def _beside(ctx: EditionContext, whose: Whose, table: pd.DataFrame, table_id: str, key: dict, column: str,
            shown_as, operation: str = "") -> Line | None:
    """The same figure for the edition's benchmarks (same type, national) as one small line; None if none."""
    if ctx.edition.is_national or not whose.own:
        return None
    parts, numbers = [], []
    for where, text in ((SAME_TYPE_ROWS, SAME_TYPE_LABEL), (BENCHMARK_ROWS, NATIONAL_LABEL)):
        number = _number(table, table_id, {**where, **key}, column, shown_as, operation)
        if number is not None:
            parts.append(f"{dutch.lower_first(text)} {number.shown}")
            numbers.append(number)
    return Line("", _capital(dutch.join(parts)) + ".", numbers) if numbers else None


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
        at = f" van {institutions.shown} mbo-instellingen" if institutions is not None else ""
        return Tile("deelnemers", "Wie deden mee", [
            Line(teachers.shown, f"docenten{at} vulden in {wave} de vragenlijst in.",
                 [teachers] + ([institutions] if institutions is not None else []))])
    lines = []
    own = _teachers(counts, OWN_ROWS)
    if own is not None:
        lines.append(Line(own.shown, f"docenten van {ctx.edition.title} vulden in {wave} de vragenlijst in.", [own]))
    elif len(katern_a_sample(ctx)[0]) < ctx.min_n:
        lines.append(Line(f"< {dutch.integer(ctx.min_n)}",
                          f"docenten van {ctx.edition.title} vulden in {wave} de vragenlijst in. Om hen niet "
                          "herkenbaar te maken, geeft deze plaat de landelijke cijfers."))
    national = _teachers(counts, BENCHMARK_ROWS)
    if national is not None:
        lines.append(Line("", f"Landelijk {national.shown} docenten.", [national]))
    return Tile("deelnemers", "Wie deden mee", lines) if lines else None


def professionalisation_tile(ctx: EditionContext, counts: pd.DataFrame, facts: Professionalised | None) -> Tile | None:
    """The share with at least one professionalisation activity in the last three years (Katern A chapter 10)."""
    if facts is None:
        return None
    lines = [Line(facts.with_activity.shown,
                  f"van {facts.whose.teachers} deed de afgelopen drie jaar mee aan minstens één "
                  "professionaliseringsactiviteit over onderwijs en ict.", [facts.with_activity])]
    beside = _beside(ctx, facts.whose, counts, COUNT_TABLE, {"categorie": NO_ACTIVITY}, "aandeel", dutch.percent,
                     COMPLEMENT)
    if beside is not None:
        lines.append(beside)
    lines.append(Line(facts.without.shown, "deed er geen enkele.", [facts.without]))
    return Tile("professionalisering", "Professionalisering", lines)


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
    caption = f"Percentage docenten dat elk thema kiest{', met het landelijke percentage erachter' if national else ''}."
    return Tile("themas", "Waarin willen docenten zich ontwikkelen?", [
        Line(first.shown, f"van {facts.whose.teachers} wil zich de komende twee jaar ontwikkelen in "
                          f"{_quoted(facts.ranked['thema_label'].iloc[0])}.", [first]),
    ], bars=bars, bars_caption=caption)


def scales_tile(facts: ScaleFacts | None) -> Tile | None:
    """Where the teachers stand: the competence they rate highest and lowest, the practice least used (Katern A)."""
    if facts is None:
        return None
    lines = []
    if facts.strongest is not None:
        (high, high_mean), (low, low_mean) = facts.strongest, facts.weakest
        lines.append(Line(high_mean.shown, f"{_quoted(high)}: daarin voelen docenten zich het bekwaamst.", [high_mean]))
        lines.append(Line(low_mean.shown, f"{_quoted(low)}: daarin het minst.", [low_mean]))
    if facts.least_used is not None:
        label, mean = facts.least_used
        lines.append(Line(mean.shown, f"{_quoted(label)} komt in de lessen het minst voor.", [mean]))
    if not lines:
        return None
    low_end, high_end = load_codebook().score_range
    return Tile("schalen", "Sterk en minder sterk", lines,
                note=f"Gemiddelde scores van {facts.whose.teachers} op een schaal van {low_end} tot {high_end}.")


def benchmark_tile(ctx: EditionContext, benchmarks: pd.DataFrame) -> Tile | None:
    """Sterke punten en aandachtspunten: the notable differences from all other institutions (Katern A overview).

    Only in an institution's own edition with enough teachers: the national
    edition has no benchmark, and below the threshold the chapter compares nothing.
    """
    if ctx.edition.is_national or overview.compared(benchmarks).empty:  # none, or withheld (too few others)
        return None
    notable = overview.compared(benchmarks).loc[lambda t: t["opvallend"]]
    total = dutch.integer(len(benchmarks))
    title = "Naast alle andere instellingen"
    note = "Vergeleken met de docenten van alle andere instellingen samen, op elke schaal."
    if notable.empty:
        return Tile("benchmark", title, [Line(
            "0", f"van de {total} schalen met een opvallend verschil: de docenten van {ctx.edition.title} lijken op "
                 "die van andere instellingen.")], note=note)
    lines = []
    for sign, singular, plural, word in ((1, "sterk punt", "sterke punten", "hoger"),
                                         (-1, "aandachtspunt", "aandachtspunten", "lager")):
        rows = notable.loc[notable["hedges_g"] * sign > 0].sort_values("hedges_g", ascending=sign < 0, kind="stable")
        if rows.empty:
            lines.append(Line("0", f"{plural}: op geen schaal scoort de instelling opvallend {word}."))
            continue
        row = rows.iloc[0]
        own = _number(benchmarks, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde", dutch.mean)
        other = _number(benchmarks, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde_referentie", dutch.mean)
        lines.append(Line(dutch.integer(len(rows)),
                          f"{singular if len(rows) == 1 else plural} (opvallend {word}), het duidelijkst "
                          f"{_quoted(row['schaal_label'])}: {own.shown} tegen {other.shown}.", [own, other]))
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
    measured = dutch.integer(len(found.rows))
    whose = f"de docenten van {ctx.edition.title}" if found.group == OWN_GROUP else "de docenten"
    lines = [Line(dutch.integer(len(up)), f"van de {measured} schalen: daarop scoren {whose} in {late.shown} "
                                          f"opvallend hoger dan in {early.shown}.", [late, early])]
    if len(down):
        lines.append(Line(dutch.integer(len(down)), f"van de {measured} schalen opvallend lager."))
    if len(notable):
        top = notable.loc[notable["hedges_g"].abs().idxmax()]
        before = found.number(top, "gemiddelde_eerder", dutch.two_decimals)
        after = found.number(top, "gemiddelde_later", dutch.two_decimals)
        lead = "Het grootste verschil (naar effectgrootte)" if len(notable) > 1 else "Opvallend"
        lines.append(Line("", f"{lead}: {_quoted(top['schaal_label'])}, van {before.shown} naar "
                              f"{after.shown}.", [before, after]))
    note = ("Elke meting heeft andere docenten: de plaat vergelijkt metingen, geen personen."
            + ("" if found.group == OWN_GROUP else " Landelijk op de instellingen die aan beide metingen meededen."))
    return Tile("ontwikkeling", "Ontwikkeling over de metingen", lines, note=note)


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
        asked.append(Line(own.shown, f"tegen {other.shown} bij andere instellingen: zo scoren onze docenten op "
                                     f"{_quoted(row['schaal_label'])}. Wat houdt ons tegen, en wat zou helpen?",
                          [own, other]))
    elif scales is not None and scales.least_used is not None:
        label, mean = scales.least_used
        where = "" if scales.whose.own else " landelijk"
        asked.append(Line(mean.shown, f"is{where} het gemiddelde voor {_quoted(label)}, dat het minst voorkomt in de "
                                      "lessen. Waar zou het in onze lessen wél helpen?", [mean]))
    if found is not None:
        fell = found.notable.loc[found.notable["verschil"] < 0]
        if len(fell):
            row = fell.loc[fell["hedges_g"].idxmin()]
            before = found.number(row, "gemiddelde_eerder", dutch.two_decimals)
            after = found.number(row, "gemiddelde_later", dutch.two_decimals)
            early = found.number(row, "meting_eerder", dutch.year)
            asked.append(Line(after.shown, f"tegen {before.shown} in {early.shown}: {_quoted(row['schaal_label'])} "
                                           "ligt nu lager. Herkennen we dat, en wat is er veranderd?",
                              [after, before, early]))
    if themes is not None:
        share = themes.top[0]
        asked.append(Line(share.shown, f"van {themes.whose.ours} wil zich ontwikkelen in "
                                       f"{_quoted(themes.ranked['thema_label'].iloc[0])}. Wie heeft daar al ervaring "
                                       "mee, en hoe leren we van elkaar?", [share]))
    if prof is not None:
        share = prof.without
        asked.append(Line(share.shown, f"van {prof.whose.ours} deed de afgelopen drie jaar geen enkele "
                                       "professionalisering over onderwijs en ict. Hoe betrekken we juist deze "
                                       "collega's?", [share]))
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
        tiles.append(Tile("gespreksvragen", "Gespreksvragen voor het team", asked))
    wave = reported_wave(ctx)
    return Praatplaat(
        title=ctx.edition.title,
        subtitle=f"Meting {wave} in één oogopslag, om het gesprek in het team te beginnen",
        tiles=[t for t in tiles if t is not None],
        footnote=(f"Elk getal komt uit een hoofdstuk van dit boek; de tabel {TABLE_SOURCES} zegt uit welke tabel, "
                  f"rij en kolom. {_notable_rule()}"),
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
#: The page's own style. It is written into this page only, so the A4-landscape print rules and the hidden
#: navigation apply to the praatplaat and to no other page of the book.
STYLE = """
.mb-praatplaat { --pp-accent: #0b5c8e; --pp-balk: BAR_COLOUR; color: #1b1b1b;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.mb-praatplaat .pp-kop { margin: 0 0 .8rem; }
.mb-praatplaat .pp-print { display: none; }
.mb-praatplaat .pp-editie { font-size: 1.35rem; font-weight: 700; margin: 0; }
.mb-praatplaat .pp-ondertitel { margin: .1rem 0 0; color: #444; }
.mb-praatplaat .pp-tegels { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
  gap: .8rem; align-items: start; }
.mb-praatplaat .pp-tegel { border: 1px solid #c5d1da; border-top: .3rem solid var(--pp-accent); border-radius: .3rem;
  padding: .55rem .75rem .6rem; background: #fff; break-inside: avoid; }
.mb-praatplaat .pp-tegel h2 { font-size: 1rem; margin: 0 0 .4rem; color: var(--pp-accent); border: 0; }
.mb-praatplaat .pp-regels { list-style: none; margin: 0; padding: 0; }
.mb-praatplaat .pp-regels li { margin: 0 0 .35rem; line-height: 1.3; }
.mb-praatplaat .pp-cijfer { font-size: 1.6rem; font-weight: 700; color: var(--pp-accent); margin-right: .3rem;
  white-space: nowrap; }
.mb-praatplaat .pp-noot { font-size: .8rem; color: #4a4a4a; margin: .3rem 0 0; }
.mb-praatplaat .pp-balken { list-style: none; margin: .3rem 0 0; padding: 0; }
.mb-praatplaat .pp-balken li { display: grid; grid-template-columns: minmax(0, 1fr) 2.6rem minmax(0, auto);
  gap: 0 .4rem; align-items: center; margin: 0 0 .3rem; font-size: .86rem; line-height: 1.2; }
.mb-praatplaat .pp-thema { grid-column: 1 / -1; }
.mb-praatplaat .pp-spoor { display: block; height: .7rem; background: #e4e4e4; }
.mb-praatplaat .pp-spoor span { display: block; height: 100%; background: var(--pp-balk); }
.mb-praatplaat .pp-waarde { font-weight: 700; text-align: right; }
.mb-praatplaat .pp-naast { color: #4a4a4a; white-space: nowrap; }
.mb-praatplaat .pp-vragen { grid-column: 1 / -1; border-top-color: #8a4b00; }
.mb-praatplaat .pp-vragen h2 { color: #8a4b00; }
.mb-praatplaat .pp-vragen ol { margin: 0 0 .2rem; padding-left: 1.3rem; display: grid;
  grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .3rem 1.6rem; }
.mb-praatplaat .pp-vragen .pp-cijfer { font-size: 1.15rem; color: #8a4b00; }
.mb-praatplaat .pp-voetnoot { font-size: .78rem; color: #4a4a4a; margin: .6rem 0 0; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer, .bd-footer-article,
  .bd-footer-content, .prev-next-area, .header-article, .skip-link, #jb-print-docs-body,
  section#praatplaat > h1, section#praatplaat > p { display: none !important; }
  .bd-main .bd-content .bd-article-container, .bd-page-width, .bd-container, .bd-container__inner, .bd-main,
  .bd-article { max-width: none !important; width: auto !important; margin: 0 !important; padding: 0 !important; }
  .bd-article, .bd-article section, .mb-praatplaat, .cell, .cell_output, .output { margin: 0 !important;
    padding-bottom: 0 !important; }
  .mb-praatplaat .pp-print { display: inline; font-size: 14pt; font-weight: 700; }
  .mb-praatplaat { font-size: 8.4pt; }
  .mb-praatplaat .pp-kop { margin-bottom: 2mm; display: flex; gap: 3mm; align-items: baseline; }
  .mb-praatplaat .pp-editie { font-size: 12pt; }
  .mb-praatplaat .pp-ondertitel { margin: 0; }
  .mb-praatplaat .pp-tegels { grid-template-columns: repeat(3, 1fr); gap: 2.5mm; }
  .mb-praatplaat .pp-tegel { padding: 1.5mm 2.5mm; }
  .mb-praatplaat .pp-tegel h2 { font-size: 9.5pt; margin-bottom: 1mm; }
  .mb-praatplaat .pp-cijfer { font-size: 13pt; }
  .mb-praatplaat .pp-regels li { margin-bottom: .6mm; line-height: 1.25; }
  .mb-praatplaat .pp-noot { font-size: 7.4pt; margin-top: .8mm; }
  .mb-praatplaat .pp-balken li { font-size: 7.6pt; grid-template-columns: minmax(0, 1fr) 14mm 7mm minmax(0, auto);
    gap: 1.2mm; margin-bottom: .5mm; }
  .mb-praatplaat .pp-thema { grid-column: auto; }
  .mb-praatplaat .pp-vragen ol { margin-bottom: .8mm; }
  .mb-praatplaat .pp-spoor { height: 2.2mm; }
  .mb-praatplaat .pp-vragen ol { grid-template-columns: repeat(3, 1fr); gap: 0 5mm; }
  .mb-praatplaat .pp-vragen .pp-cijfer { font-size: 11pt; }
  .mb-praatplaat .pp-voetnoot { margin-top: 1.5mm; font-size: 7.4pt; }
}
""".replace("BAR_COLOUR", PALETTE[0])  # the book's first colour, as in its figures


def _national_text(bar: Bar) -> str:
    return f"landelijk {bar.beside.shown}" if bar.beside else ""


def _bar_text(bar: Bar) -> str:
    """A bar as the page reads without it: label, share, national share."""
    return f"{bar.label} {bar.share.shown} {_national_text(bar)}".strip()


def _bar_html(bar: Bar) -> str:
    """A share as text, with a bar for the eye only (a screen reader reads the number)."""
    width = max(0.0, min(1.0, bar.share.source.value)) * 100
    return (f'<li><span class="pp-thema">{html_text(bar.label)}</span>'
            f'<span class="pp-spoor" aria-hidden="true"><span style="width: {width:.1f}%"></span></span>'
            f'<span class="pp-waarde">{html_text(bar.share.shown)}</span>'
            f'<span class="pp-naast">{html_text(_national_text(bar))}</span></li>')


def _line_html(line: Line) -> str:
    figure = f'<span class="pp-cijfer">{html_text(line.figure)}</span> ' if line.figure else ""
    return f"<li>{figure}{html_text(line.text)}</li>"


def _notable_rule() -> str:
    """The book's one rule for a notable difference, in one short sentence for the footnote."""
    return (f"Opvallend: na Holm-correctie significant (p < {dutch.decimal(ALPHA, 2)}) én minstens een klein effect "
            "(zie de leeswijzer van Katern A).")


def _tile_html(tile: Tile) -> str:
    heading = f'<h2 id="praatplaat-{tile.key}">{html_text(tile.title)}</h2>'
    if tile.key == "gespreksvragen":
        items = "".join(_line_html(line) for line in tile.lines)
        return (f'<section class="pp-tegel pp-vragen" aria-labelledby="praatplaat-{tile.key}">{heading}'
                f"<ol>{items}</ol></section>")
    body = '<ul class="pp-regels">' + "".join(_line_html(line) for line in tile.lines) + "</ul>"
    if tile.bars:
        body += (f'<p class="pp-noot">{html_text(tile.bars_caption)}</p>'
                 '<ul class="pp-balken">' + "".join(_bar_html(bar) for bar in tile.bars) + "</ul>")
    note = f'<p class="pp-noot">{html_text(tile.note)}</p>' if tile.note else ""
    return f'<section class="pp-tegel" aria-labelledby="praatplaat-{tile.key}">{heading}{body}{note}</section>'


def page_html(plate: Praatplaat) -> str:
    """The praatplaat as one HTML fragment with its own style; every text from data escaped."""
    return (f"<style>{STYLE}</style>"
            '<div class="mb-praatplaat">'
            '<div class="pp-kop"><span class="pp-print">Praatplaat</span>'
            f'<p class="pp-editie">{html_text(plate.title)}</p>'
            f'<p class="pp-ondertitel">{html_text(plate.subtitle)}</p></div>'
            '<div class="pp-tegels">' + "".join(_tile_html(t) for t in plate.tiles) + "</div>"
            f'<p class="pp-voetnoot">{html_text(plate.footnote)}</p>'
            "</div>")


def show(ctx: EditionContext) -> Praatplaat:
    """Draw the praatplaat and write the table behind it: the source of every number on it."""
    plate = make(ctx)
    ctx.publish.html(TABLE_SOURCES, sources_table(plate), page_html(plate))
    return plate
