"""Teams in beeld (institution editions): each team beside its institution.

A reader picks a team and sees it beside the whole institution on the themes
it wants to develop in (Katern C §2.1, percentages with bars drawn in CSS),
on the four competence domains (mean scale score) and on every scale of
Katern A (its scale profile). Above the selector, one table lists every team
that may be shown with its number of teachers and the scales on which it
differs notably from the rest of the institution: the page's view of all
teams at once, and what the printed report shows (a selector prints one view).
Only teams that disclosure control lets through are
offered: at least `min_n` teachers, and not needed to keep a smaller team
from being recovered as the institution minus the teams shown (see
`helpers.book.disclosure`). The teams withheld are counted, never named.
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book import styles
from helpers.book.disclosure import BOUNDED, REASON, SUPPRESSED, mark_not_asked, share_text, suppress_small_groups
from helpers.book.edition import EditionContext
from helpers.book.escaping import html_text
from helpers.book.html import element
from helpers.book.medium import print_only, web_only
from helpers.book.figures import PALETTE
from helpers.book.sentences import sentence_file
from helpers.book.widgets import html_view
from helpers.chapters.common import breakdown_sizes, edition_withheld, flagged, protect_breakdown, sample
from helpers.chapters.katern_a import common as katern_a
from helpers.chapters.katern_c.c2_1_themes import theme_order
from helpers.data.codebook import load_codebook
from helpers.stats.scales import benchmark_differences, scale_summary
from helpers.data.waves import theme_labels
from helpers.stats.themes import theme_shares
from helpers.stats.trends import share_comparison, theme_verdicts
from helpers.stats.typology import practice_score

SENTENCES = sentence_file("teams")
TEAM = "team"
INSTITUTION = "instelling"


def team_sizes(ctx: EditionContext) -> pd.Series:
    """Teachers per team in the edition's Katern C sample, teams by name."""
    return pd.Series(breakdown_sizes(sample(ctx)[0], TEAM), dtype=int)


def shown_teams(ctx: EditionContext) -> list[str]:
    """Teams that may be shown, by name; none in the national edition or below the threshold."""
    own = sample(ctx)[0]
    if ctx.edition.is_national or len(own) < ctx.min_n:
        return []
    hidden = edition_withheld(ctx, TEAM)
    return [team for team in team_sizes(ctx).index if team not in hidden]  # hidden: every team below min_n too


def withheld_teams(ctx: EditionContext) -> int:
    """How many teams of the institution are not offered."""
    return len(team_sizes(ctx)) - len(shown_teams(ctx))


def _rows(ctx: EditionContext, team: str) -> pd.DataFrame:
    own = sample(ctx)[0]
    return own.loc[own[TEAM].astype("string") == team]


def theme_table(ctx: EditionContext) -> pd.DataFrame:
    """Share choosing each theme: the institution, then every team (withheld teams blanked)."""
    own = sample(ctx)[0]
    whole = suppress_small_groups(theme_shares(own).assign(groep=INSTITUTION, groep_label=ctx.edition.title),
                                  ctx.min_n)
    teams = [theme_shares(_rows(ctx, team)).assign(groep=team, groep_label=f"Team {team}")
             for team in team_sizes(ctx).index]
    parts = [whole]
    if teams:
        parts.append(protect_breakdown(ctx, pd.concat(teams, ignore_index=True), TEAM, total=len(own)))
    table = flagged(pd.concat(parts, ignore_index=True))
    return table[["groep", "groep_label", "thema", "thema_label", "n", "aantal", "aandeel", SUPPRESSED, REASON,
                  BOUNDED]]


def competence_domains() -> dict[str, tuple[str, list[str]]]:
    """{domain: (Dutch label, its scales)} of the four competence domains, in codebook order."""
    cb = load_codebook()
    return {
        domain: (spec["label"], [sid for sid, s in cb.scales.items() if s.domain == domain])
        for domain, spec in cb.domains.items() if spec["soort"] == "competentie"
    }


def _domain_scores(rows: pd.DataFrame) -> pd.DataFrame:
    """Per respondent, the mean score of each competence domain (missing unless every item is answered)."""
    return pd.DataFrame({domain: practice_score(rows, scales) for domain, (_, scales) in competence_domains().items()},
                        index=rows.index)


def _domain_means(scores: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame([
        dict(domein=domain, domein_label=text, n=int(scores[domain].notna().sum()),
             gemiddelde=float(scores[domain].mean()) if scores[domain].notna().any() else float("nan"))
        for domain, (text, _) in competence_domains().items()
    ])


def scale_table(ctx: EditionContext) -> pd.DataFrame:
    """Mean score per competence domain: the institution, then every team.

    A team's mean is withheld like a share: per domain, the teams with a score
    add up to the institution's scored teachers, so the same rule applies.
    """
    own = sample(ctx)[0]
    scores = _domain_scores(own)
    means = _domain_means(scores)
    parts = [suppress_small_groups(means.assign(groep=INSTITUTION, groep_label=ctx.edition.title), ctx.min_n,
                                   value_columns=("gemiddelde",))]
    team_of = own[TEAM].astype("string")
    teams = pd.concat([_domain_means(scores.loc[team_of == team]).assign(groep=team, groep_label=f"Team {team}")
                       for team in team_sizes(ctx).index] or [means.iloc[:0]], ignore_index=True)
    for domain, total in zip(means["domein"], means["n"]):
        per_team = teams.loc[teams["domein"] == domain]
        if len(per_team):
            parts.append(protect_breakdown(ctx, per_team, TEAM, total=int(total), value_columns=("gemiddelde",)))
    table = pd.concat(parts, ignore_index=True)
    return table[["groep", "groep_label", "domein", "domein_label", "n", "gemiddelde", SUPPRESSED, REASON]]


def _mean_cell(rows: pd.DataFrame, group: str, key: str) -> str:
    """A mean of a table indexed by (groep, key) as the reader sees it; 'niet te tonen' where withheld."""
    if (group, key) not in rows.index or bool(rows.loc[(group, key), SUPPRESSED]):
        return "niet te tonen"
    value = rows.loc[(group, key), "gemiddelde"]
    return dutch.decimal(value, 1) if pd.notna(value) else "–"


def _table_html(css: str, headings: list[str], body: list[str]) -> str:
    """A table of class `tabel` and `css`: one header row of `headings` (HTML), then the rows of `body` (HTML)."""
    head = element("tr", "".join(element("th", heading) for heading in headings))
    return element("table", element("thead", head) + element("tbody", "".join(body)), class_=f"tabel {css}")


def _means_html(css: str, heading: str, body: list[str], team: str, institution: str) -> str:
    return _table_html(css, [heading, f"Team {html_text(team)}", html_text(institution)], body)


def _row(rows: pd.DataFrame, team: str, key: str, text: str) -> str:
    return element("tr", element("td", html_text(text)) + element("td", _mean_cell(rows, team, key))
                   + element("td", _mean_cell(rows, INSTITUTION, key)))


def _scale_html(scales: pd.DataFrame, team: str, institution: str) -> str:
    rows = scales.set_index(["groep", "domein"])
    body = [_row(rows, team, domain, text) for domain, (text, _) in competence_domains().items()]
    return _means_html("mb-team-competenties", "Competentiedomein (gemiddelde score)", body, team, institution)


def _bar(row: pd.Series, colour: str) -> str:
    """A percentage with a bar drawn in CSS: no image to render, readable by a screen reader as its number."""
    width = max(0.0, min(1.0, float(row["aandeel"]))) * 100
    fill = element("span", style=styles.team_bar_fill(width, colour))
    # Bar and number on one line: '< 5%' broken after '<' reads as two values.
    return element("span", element("span", fill, style=styles.TEAM_BAR_TRACK, aria_hidden="true")
                   + f" {share_text(row)}", style="white-space:nowrap")


def theme_differences(ctx: EditionContext) -> pd.DataFrame:
    """Per team that may be shown and theme: the team's share against the rest of the institution (chi-square,
    Cohen's h, Holm over the themes of the team; `opvallend` as everywhere in the book).

    On the Katern C sample, as the theme shares beside it. A team whose rest of the institution has fewer than
    `min_n` teachers is not compared (the rest is a group of its own here).
    """
    own = sample(ctx)[0]
    team_of = own[TEAM].astype("string")
    labels = theme_labels(own, load_codebook())
    parts = []
    for team in shown_teams(ctx):
        mine = team_of == team
        if int((~mine).sum()) < ctx.min_n:
            continue
        rows = []
        for theme, label in labels.items():
            found = share_comparison(own.loc[~mine, theme], own.loc[mine, theme])
            rows.append(dict(team=team, thema=theme, thema_label=label, n_team=found["n_b"], n_rest=found["n_a"],
                             aandeel_team=found["aandeel_b"], aandeel_rest=found["aandeel_a"],
                             verschil=found["verschil"], cohens_h=found["cohens_h"], p=found["p"]))
        parts.append(theme_verdicts(pd.DataFrame(rows)))
    columns = ["team", "thema", "thema_label", "n_team", "n_rest", "aandeel_team", "aandeel_rest", "verschil",
               "cohens_h", "p", "p_holm", "effect", "opvallend"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def _verdict(differences: pd.DataFrame, team: str, theme: str) -> str:
    """'opvallend vaker' / 'opvallend minder vaak' than the rest of the institution, or '' (plain text)."""
    row = differences.loc[(differences["team"] == team) & (differences["thema_label"] == theme)]
    if row.empty or not bool(row["opvallend"].iloc[0]):
        return ""
    return "opvallend vaker" if float(row["verschil"].iloc[0]) > 0 else "opvallend minder vaak"


def _theme_html(themes: pd.DataFrame, differences: pd.DataFrame, team: str, institution: str,
                order: list[str]) -> str:
    rows = themes.loc[~themes[SUPPRESSED]].set_index(["groep", "thema_label"])
    lines = []
    for theme in order:
        if (team, theme) not in rows.index or (INSTITUTION, theme) not in rows.index:
            continue
        cells = [html_text(theme), _bar(rows.loc[(team, theme)], PALETTE[0]),
                 _bar(rows.loc[(INSTITUTION, theme)], PALETTE[1]), _verdict(differences, team, theme)]
        lines.append(element("tr", "".join(element("td", cell) for cell in cells)))
    sizes = themes.drop_duplicates("groep").set_index("groep")["n"]
    return _table_html("mb-team-themas", [SENTENCES.say("kolomkop", kolom="thema"),
                                          f"Team {html_text(team)} (n = {dutch.integer(int(sizes[team]))})",
                                          f"{html_text(institution)} (n = {dutch.integer(int(sizes[INSTITUTION]))})",
                                          SENTENCES.say("kolomkop", kolom="verschil")], lines)


def profile_table(ctx: EditionContext) -> pd.DataFrame:
    """Katern A's scale profile: the mean of every scale for the institution, then every team.

    On the Katern A sample (every teacher of the reported wave); per scale, the
    teams with a score add up to the institution's scored teachers, so the
    rules of `helpers.book.disclosure` apply scale by scale, with the teams the
    edition hides in its Katern A and C tables hidden here too.
    """
    own = katern_a.sample(ctx)[0]
    scales = list(load_codebook().scales)
    whole = scale_summary(own, scales).assign(groep=INSTITUTION, groep_label=ctx.edition.title)
    parts = [suppress_small_groups(whole, ctx.min_n, value_columns=katern_a.VALUE_COLUMNS)]
    team_of = own[TEAM].astype("string")
    teams = [scale_summary(own.loc[team_of == team], scales).assign(groep=team, groep_label=f"Team {team}")
             for team in breakdown_sizes(own, TEAM)]
    if teams and len(own) >= ctx.min_n:
        per_team = pd.concat(teams, ignore_index=True)
        for scale, total in zip(whole["schaal"], whole["n"]):
            rows = per_team.loc[per_team["schaal"] == scale]
            parts.append(protect_breakdown(ctx, rows, TEAM, total=int(total), value_columns=katern_a.VALUE_COLUMNS))
    table = flagged(pd.concat(parts, ignore_index=True))
    table = mark_not_asked(table, table["schaal"].isin(katern_a.not_asked(ctx, scales)), katern_a.VALUE_COLUMNS)
    return table[["groep", "groep_label", "schaal", "schaal_label", "domein", "n", *katern_a.VALUE_COLUMNS,
                  SUPPRESSED, REASON, BOUNDED]]


def _profile_html(profile: pd.DataFrame, team: str, institution: str) -> str:
    rows = profile.set_index(["groep", "schaal"])
    cb = load_codebook()
    body = []
    for domain, spec in cb.domains.items():
        body.append(element("tr", element("th", html_text(spec["label"]), colspan=3)))
        body += [_row(rows, team, sid, scale.label) for sid, scale in cb.scales.items() if scale.domain == domain]
    return _means_html("mb-team-schalen", "Schaal (gemiddelde score)", body, team, institution)


OVERVIEW_TABLE = "teams-overzicht"


def overview_table(ctx: EditionContext) -> pd.DataFrame:
    """Every team that may be shown: its teachers (Katern C sample) and each scale of Katern A against the rest
    of the institution (Welch, Hedges' g, Holm over the scales; `opvallend` as everywhere in the book).

    One row per team and scale; a team is compared on the Katern A sample, like its scale profile. A team whose
    rest of the institution has fewer than `min_n` teachers is listed without a comparison (one row, no scale).
    """
    own = katern_a.sample(ctx)[0]
    sizes = team_sizes(ctx)
    team_of = own[TEAM].astype("string")
    parts = []
    for team in shown_teams(ctx):
        mine = team_of == team
        # The rest of the institution is a group of its own here: below the threshold it is not compared.
        scales = list(load_codebook().scales) if int((~mine).sum()) >= ctx.min_n else []
        compared = benchmark_differences(own.loc[mine], own.loc[~mine], scales)
        rows = compared.loc[~compared["schaal"].isin(katern_a.not_asked(ctx, list(compared["schaal"])))]
        if rows.empty:  # the team is listed all the same
            rows = pd.DataFrame([{"opvallend": False}], columns=compared.columns)
        parts.append(rows.assign(team=team, team_label=f"Team {team}", n_team=int(sizes[team])))
    columns = ["team", "team_label", "n_team", "schaal", "schaal_label", "n", "gemiddelde", "n_referentie",
               "gemiddelde_referentie", "verschil", "hedges_g", "p", "p_holm", "effect", "opvallend"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def _notable_list(rows: pd.DataFrame) -> str:
    """The scales of `rows` with the team's mean and the rest's, as one phrase ('' for none; plain text)."""
    return SENTENCES.say("opvallende_schalen", schalen=[dict(naam=r.schaal_label, team=r.gemiddelde,
                                                             rest=r.gemiddelde_referentie) for r in rows.itertuples()])


def overview_shown(ctx: EditionContext, table: pd.DataFrame) -> pd.DataFrame:
    """The overview as a reader reads it: one row per team, its n and its notable scales."""
    higher_heading, lower_heading = SENTENCES.say("kolomkop", kolom="hoger"), SENTENCES.say("kolomkop", kolom="lager")
    rows = []
    for team in shown_teams(ctx):
        mine = table.loc[(table["team"] == team) & table["opvallend"].astype(bool)]
        mine = mine.sort_values("hedges_g", ascending=False, kind="stable")
        higher, lower = mine.loc[mine["hedges_g"] > 0], mine.loc[mine["hedges_g"] < 0].iloc[::-1]
        rows.append({"Team": f"Team {team}", "Docenten (n)": dutch.integer(int(team_sizes(ctx)[team])),
                     higher_heading: _notable_list(higher) or "–", lower_heading: _notable_list(lower) or "–"})
    return pd.DataFrame(rows, columns=["Team", "Docenten (n)", higher_heading, lower_heading])


def _overview_html(shown: pd.DataFrame) -> str:
    """The overview as an HTML table; a team's name and n are never broken over lines (a name has hyphens)."""
    body = [element("tr", "".join(element("td", html_text(value), style="white-space:nowrap") if i < 2
                                  else element("td", html_text(value)) for i, value in enumerate(row)))
            for row in shown.itertuples(index=False)]
    return _table_html("mb-teams-overzicht", [html_text(column) for column in shown.columns], body)


def show_overview(ctx: EditionContext) -> None:
    """The table of all teams that may be shown (nothing shown where none may; the table is written either way)."""
    table = overview_table(ctx)
    if shown_teams(ctx):
        # The style of every team table on the page: the selector's tables below come with this one.
        ctx.publish.html(OVERVIEW_TABLE, table, element("style", styles.TEAM_TABLES)
                         + _overview_html(overview_shown(ctx, table)))
    else:
        ctx.publish.record(OVERVIEW_TABLE, table)


def team_views(ctx: EditionContext, themes: pd.DataFrame, scales: pd.DataFrame, profile: pd.DataFrame,
               differences: pd.DataFrame) -> dict:
    """Per team that may be shown: its themes, domain means and scale profile beside the institution's (tables)."""
    order = theme_order(ctx)
    return {
        f"Team {team}": html_view(_theme_html(themes, differences, team, ctx.edition.title, order)
                                  + _scale_html(scales, team, ctx.edition.title)
                                  + _profile_html(profile, team, ctx.edition.title))
        for team in shown_teams(ctx)
    }


def show(ctx: EditionContext, themes: pd.DataFrame, scales: pd.DataFrame, profile: pd.DataFrame) -> None:
    """The team selector (if any team may be shown); every table is written either way."""
    ctx.publish.record("teams-competenties", scales)
    ctx.publish.record("teams-schalen", profile)
    differences = theme_differences(ctx)
    ctx.publish.record("teams-themas-verschillen", differences)
    views = team_views(ctx, themes, scales, profile, differences)
    if views:
        ctx.publish.switch("teams-themas", themes, views, description="Team")
    else:
        ctx.publish.record("teams-themas", themes)


def intro(ctx: EditionContext) -> str:
    """What the reader can see here, or why nothing can be shown (Dutch)."""
    own = sample(ctx)[0]
    if ctx.edition.is_national:
        return SENTENCES.say("alleen_bij_instellingen")
    if len(own) < ctx.min_n:
        return SENTENCES.say("te_weinig_docenten", drempel=ctx.min_n)
    teams = team_sizes(ctx)
    if teams.empty:  # the export leaves `team` empty: allowed by the data contract
        return SENTENCES.say("geen_teams_in_gegevens", docenten=len(own), instelling=ctx.title_md)
    shown = shown_teams(ctx)
    withheld = withheld_teams(ctx)
    # The parts are written one after another, each followed by a space (also inside the web- and print-only parts).
    text = SENTENCES.say("teams_van_de_instelling", docenten=len(own), instelling=ctx.title_md, teams=len(teams)) + " "
    if shown:
        text += SENTENCES.say("overzicht_uitleg", getoond=len(shown)) + " "
        text += web_only(SENTENCES.say("team_kiezen_online") + " ")
        text += print_only(SENTENCES.say("team_kiezen_gedrukt") + " ")
    else:
        text += SENTENCES.say("geen_team_getoond") + " "
    if withheld:
        text += SENTENCES.say("teams_achtergehouden", achtergehouden=withheld, drempel=ctx.min_n)
    return text
