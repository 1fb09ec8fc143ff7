"""Katern C §2.2: which teachers want to develop in which themes.

Differences by background (summarised; in full in Bijlage 1), by teaching
experience (figure 2.2), by the koplopers / peloton / achterblijvers
typology, and by competences, the added value of ict above all (figure 2.3).
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import group_percent
from helpers.book.edition import EditionContext
from helpers.chapters.common import bar_views, edition_table, largest_differences, sample, sentence, shows, tested_rows
from helpers.chapters.katern_c.c2_1_themes import theme_order
from helpers.data.codebook import load_codebook
from helpers.data.derive import MEERWAARDE_GROUP, TYPOLOGY_MET, TYPOLOGY_OVER, value_labels
from helpers.stats.appendix import bijlage1_groups
from helpers.stats.association import BACKGROUND
from helpers.stats.competence import theme_count_correlations
from helpers.stats.themes import COUNT_BANDS, theme_count_distribution, theme_shares
from helpers.stats.typology import DOMAIN_TEXT, TypologyModel, group_sizes

BREAKDOWNS = ["ervaring", TYPOLOGY_MET, TYPOLOGY_OVER, MEERWAARDE_GROUP]
EXPERIENCE_BANDS = {
    "starters (minder dan een jaar ervaring)": ["lt1"],
    "docenten met één tot vijf jaar ervaring": ["1-3", "4-5"],
    "docenten met meer dan twintig jaar ervaring": ["gt20"],
}


def theme_table(ctx: EditionContext) -> pd.DataFrame:
    """Themes per experience, typology and meerwaarde group (figures 2.2 and 2.3)."""
    table = edition_table(ctx, theme_shares, ["thema", "thema_label"], BREAKDOWNS, national_fallback=True)
    return table[table["weergave"] != "vergelijking"].reset_index(drop=True)


def theme_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    return bar_views(ctx, table, "thema_label", theme_order(ctx), "Gekozen thema's")


def count_table(ctx: EditionContext) -> pd.DataFrame:
    table = edition_table(ctx, theme_count_distribution, ["band", "band_label"], BREAKDOWNS, national_fallback=True,
                          whole="band")
    return table[table["weergave"] != "vergelijking"].reset_index(drop=True)


def count_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    return bar_views(ctx, table, "band_label", list(COUNT_BANDS.values()), "Aantal gekozen thema's")


def _own(ctx: EditionContext) -> tuple[pd.DataFrame, str]:
    """The sample the prose describes (own if large enough, else national) and who it is."""
    own, national = sample(ctx)
    if ctx.edition.is_national or len(own) < ctx.min_n:
        return national, "landelijk"
    return own, f"bij {ctx.title_md}"


def _band_share(ctx: EditionContext, df: pd.DataFrame, band: str, by: str, codes: list[str]) -> tuple[float, int] | None:
    """The share of the groups `codes` of `by` in `df` choosing `band` themes, with their size; None unless all shown.

    A sentence cites only groups the tables show (:func:`shows`): one withheld
    group among them would follow from their sum minus the groups shown.
    """
    national_fallback = not ctx.edition.is_national and len(sample(ctx)[0]) < ctx.min_n  # `df` is national (`_own`)
    if not shows(ctx, by, df, codes, national=national_fallback):
        return None
    rows = df.loc[df[by].astype(str).isin(codes)]
    dist = theme_count_distribution(rows).set_index("band")
    return float(dist.loc[band, "aandeel"]), len(rows)


def background_paragraph(ctx: EditionContext) -> str:
    own, who = _own(ctx)
    groups = bijlage1_groups(tested_rows(ctx, own, BACKGROUND))
    if groups.empty:
        return f"Naar functie, vak of opleiding zijn er {who} geen duidelijke verschillen in de gekozen thema's."
    return (f"De keuze voor een thema hangt {who} op veel plaatsen samen met achtergrondkenmerken. "
            f"Er zijn {dutch.integer(len(groups))} combinaties van een groep en een thema waarbij de groep dat thema "
            f"duidelijk vaker of minder vaak kiest dan de andere docenten. "
            f"{largest_differences(groups, 'kiezen', 'thema_label', 'aandeel_thema', len(own))} "
            "De bijlage geeft het volledige overzicht.")


def experience_paragraph(ctx: EditionContext) -> str:
    own, who = _own(ctx)
    parts = []
    for name, codes in EXPERIENCE_BANDS.items():
        four = _band_share(ctx, own, "4+", "ervaring", codes)
        none = _band_share(ctx, own, "geen", "ervaring", codes)
        if four is None:
            continue
        parts.append(f"van de {name} kiest {group_percent(*four)} vier of meer thema's en "
                     f"{group_percent(*none)} geen enkel thema")
    if not parts:
        return "De groepen naar ervaring zijn hier te klein om te tonen."
    most = own.loc[own["ervaring"].astype(str) == "gt20"]
    text = f"Ervaring maakt verschil. {sentence(who)} geldt: " + "; ".join(parts) + "."
    if _band_share(ctx, own, "4+", "ervaring", ["gt20"]) is not None:
        at_most_three = float((most["thema_aantal"].fillna(0) <= 3).mean())
        old = float((most["leeftijd"].astype(str) == "60plus").mean())
        all_old = float((own["leeftijd"].astype(str) == "60plus").mean())
        everyone = "alle docenten" if who == "landelijk" else f"alle docenten van {ctx.title_md}"
        text += (f" Van de meest ervaren docenten kiest {group_percent(at_most_three, len(most))} hooguit drie "
                 f"thema's. In die groep is {group_percent(old, len(most))} zestig jaar of ouder, tegen "
                 f"{group_percent(all_old, len(own))} van "
                 f"{everyone}.")
    return text


def typology_method(model: TypologyModel) -> str:
    """How the typology of `model` is formed, its cut-offs included, for the reader."""
    cb = load_codebook()
    scales = ", ".join(f"‘{cb.scales[s].label.lower()}’" for s in model.scales)
    low_pct = dutch.integer(100 * model.lower_quantile)
    high_pct = dutch.integer(100 * model.upper_quantile)
    low, high = cb.score_range
    return (
        f"De typologie voor {DOMAIN_TEXT[model.domain]} is gebaseerd op de praktijkscore: het gemiddelde "
        f"van de schaalscores {scales} (elke schaalscore is het gemiddelde van de items van die schaal; "
        f"wie niet alle items heeft ingevuld, krijgt geen type). De grenzen zijn het {low_pct}e en het "
        f"{high_pct}e percentiel van die score in de landelijke gegevens van {model.wave} "
        f"(n = {dutch.integer(model.n_fit)}): {dutch.decimal(model.lower, 2)} en "
        f"{dutch.decimal(model.upper, 2)} op de schaal van {low} tot {high}. Koplopers scoren "
        f"{dutch.decimal(model.upper, 2)} of hoger, achterblijvers {dutch.decimal(model.lower, 2)} of lager, "
        f"het peloton zit daartussen. Dezelfde grenzen gelden voor iedere editie, zodat een docent in de "
        f"editie van de eigen instelling hetzelfde type heeft als in de landelijke editie. De monitor "
        f"publiceert niet hoe de groepen zijn gevormd; deze indeling is een keuze van dit boek."
    )


def typology_paragraph(ctx: EditionContext) -> str:
    own, who = _own(ctx)
    model = ctx.typology.get("met")
    sizes = group_sizes(sample(ctx)[1], TYPOLOGY_MET).set_index("groep")
    leaders = _band_share(ctx, own, "4+", TYPOLOGY_MET, ["koplopers"])
    laggards = _band_share(ctx, own, "geen", TYPOLOGY_MET, ["achterblijvers"])
    method = typology_method(model) if model is not None else ""
    text = (f"{method} Landelijk zijn zo {dutch.integer(sizes.loc['koplopers', 'n'])} docenten koploper, "
            f"{dutch.integer(sizes.loc['peloton', 'n'])} hoort bij het peloton en "
            f"{dutch.integer(sizes.loc['achterblijvers', 'n'])} bij de achterblijvers "
            f"({DOMAIN_TEXT['met']}).")
    if leaders and laggards:
        text += (f" {sentence(who)} kiest {group_percent(*leaders)} van de koplopers vier of meer thema's, terwijl "
                 f"{group_percent(*laggards)} van de achterblijvers geen enkel thema kiest. Wie al veel met ict "
                 "doet, wil er dus ook meer in leren.")
    return text


def competence_paragraph(ctx: EditionContext) -> str:
    own, who = _own(ctx)
    correlations = theme_count_correlations(own)
    if correlations.empty:
        return "Voor deze groep zijn te weinig gegevens over competenties."
    positive = correlations[(correlations["rho"] > 0) & (correlations["p_holm"] <= 0.05)]
    strongest = correlations.iloc[0]
    labels = value_labels(MEERWAARDE_GROUP)
    much = _band_share(ctx, own, "4+", MEERWAARDE_GROUP, ["veel"])
    little = _band_share(ctx, own, "4+", MEERWAARDE_GROUP, ["weinig_geen"])
    _, national = sample(ctx)
    shares = national[MEERWAARDE_GROUP].astype(str).value_counts(normalize=True)
    if len(positive):
        text = (f"Hoe competenter docenten zich voelen, hoe meer thema's ze kiezen: {who} hangt het aantal gekozen "
                f"thema's bij {len(positive)} van de {len(correlations)} competentieschalen positief en significant "
                f"samen met de score op die schaal. Het sterkst is dat bij ‘{strongest['schaal_label'].lower()}’ "
                f"(Spearmans rho = {dutch.decimal(strongest['rho'], 2)}).")
    else:
        text = (f"{sentence(who)} hangt het aantal gekozen thema's bij geen van de {len(correlations)} "
                "competentieschalen significant samen met de score op die schaal; in een kleinere groep is een "
                "samenhang ook minder snel aan te tonen.")
    if much and little:
        text += (f" Van de docenten met {labels['veel'].lower()} (landelijk {dutch.percent(shares.get('veel', 0))}) "
                 f"kiest {group_percent(*much)} vier of meer thema's; van wie {labels['weinig_geen'].lower()} ziet "
                 f"(landelijk {dutch.percent(shares.get('weinig_geen', 0))}) is dat {group_percent(*little)}.")
    return text


def correlation_table(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table for the CSV, reader's version) of the competence correlations."""
    own, _ = _own(ctx)
    table = theme_count_correlations(own)
    shown = pd.DataFrame({
        "Competentie": table["schaal_label"],
        "Spearmans rho": table["rho"].map(lambda r: dutch.decimal(r, 2)),
        "p (Holm)": table["p_holm"].map(lambda p: "< 0,001" if p < 0.001 else dutch.decimal(p, 3)),
        "n": table["n"].map(dutch.integer),
    })
    return table, shown
