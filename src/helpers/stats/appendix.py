"""Katern C Bijlage 1: background characteristics related to the themes.

Bijlage 1 lists, per theme, the groups of teachers who choose it
significantly more often or less often than the other teachers. Here it is
generated from :func:`helpers.stats.association.deviating_groups` over every
theme (including ``thema_geen``) × every background characteristic in
:data:`~helpers.stats.association.BACKGROUND`: a group is listed when the
chi-square test of the theme by that characteristic has p ≤ .05 and the
group's adjusted standardised residual is at least 1.96 in absolute value.
Holm-adjusted p-values over the whole family of tests are reported beside
the unadjusted ones.

Here the numbers: :func:`bijlage1_groups`, long, one row per theme × listed
group (for the CSV behind the table and for checks). The table as the
booklet shows it, one row per theme with the groups as text, is written by
:mod:`helpers.chapters.katern_c.appendix_1`.

Themes are ordered by overall share, most chosen first, ``thema_geen`` last.
No number is typed here: every figure comes from the data.
"""
from __future__ import annotations

import pandas as pd

from helpers.data.codebook import Codebook, load_codebook
from helpers.data.waves import theme_labels
from helpers.core.memo import shared
from helpers.stats.association import ALPHA, BACKGROUND, LESS, MORE, Z, deviating_groups


def theme_order(df: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Themes with their overall share and n, most chosen first, `thema_geen` last.

    Columns: thema, thema_label, n, aandeel. The share is over the
    respondents who answered the theme question (theme not missing).
    """
    cb = codebook or load_codebook()
    rows = []
    for position, (theme, text) in enumerate(theme_labels(df, cb).items()):
        answered = df[theme].dropna().astype(int) if theme in df.columns else pd.Series(dtype=int)
        n = int(len(answered))
        rows.append(dict(thema=theme, thema_label=text, n=n,
                         aandeel=float(answered.mean()) if n else float("nan"),
                         _none=theme == cb.theme_none, _pos=position))
    table = pd.DataFrame(rows).sort_values(["_none", "aandeel", "_pos"], ascending=[True, False, True],
                                           na_position="last")
    return table.drop(columns=["_none", "_pos"]).reset_index(drop=True)


@shared
def bijlage1_groups(df: pd.DataFrame, variables=BACKGROUND, alpha: float = ALPHA, z: float = Z,
                    codebook: Codebook | None = None) -> pd.DataFrame:
    """Every theme × group listed in Bijlage 1, numeric, long format.

    Columns: thema, thema_label, aandeel_thema, richting, variabele,
    variabele_label, groep, groep_label, n_groep, aandeel_groep, residu, p,
    p_holm, cramers_v (effect size of the theme × characteristic test). Themes in :func:`theme_order`; within a theme "vaker" before
    "minder vaak", the largest |residu| first.
    """
    cb = codebook or load_codebook()
    themes = theme_order(df, cb)
    variables = [v for v in variables if v in df.columns]
    dev = deviating_groups(df, themes["thema"].tolist(), variables, alpha=alpha, z=z)
    dev = dev.merge(themes[["thema", "aandeel"]].rename(columns={"aandeel": "aandeel_thema"}),
                    left_on="uitkomst", right_on="thema")
    dev["_theme"] = dev["thema"].map({t: i for i, t in enumerate(themes["thema"])})
    dev["_dir"] = dev["richting"].map({MORE: 0, LESS: 1})
    dev["_size"] = -dev["residu"].abs()
    dev = dev.sort_values(["_theme", "_dir", "_size"], kind="stable").reset_index(drop=True)
    dev = dev.rename(columns={"uitkomst_label": "thema_label"})
    return dev[["thema", "thema_label", "aandeel_thema", "richting", "variabele", "variabele_label", "groep",
                "groep_label", "n_groep", "aandeel_groep", "residu", "p", "p_holm", "cramers_v"]]
