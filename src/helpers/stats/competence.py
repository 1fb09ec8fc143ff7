"""How teachers' competences relate to the number of themes they choose (Katern C §2.2)."""
from __future__ import annotations

import pandas as pd
import pingouin as pg

from helpers.data.codebook import load_codebook
from helpers.data.derive import THEME_COUNT
from helpers.stats.pvalues import reported_p
from helpers.stats.typology import practice_score


def competence_scales() -> list[str]:
    """Scale ids of the four competence domains, in codebook order."""
    cb = load_codebook()
    competence_domains = {d for d, spec in cb.domains.items() if spec["soort"] == "competentie"}
    return [sid for sid, s in cb.scales.items() if s.domain in competence_domains]


def theme_count_correlations(df: pd.DataFrame) -> pd.DataFrame:
    """Spearman correlation of each competence scale with the number of themes chosen.

    Columns: schaal, schaal_label, n, rho, p, p_holm (Holm over the scales tested).
    A scale without answers in `df` (not in this wave) is left out.
    """
    cb = load_codebook()
    count = df[THEME_COUNT].astype("Float64").astype(float)
    rows = []
    for sid in competence_scales():
        score = practice_score(df, [sid])
        usable = score.notna() & count.notna()
        if usable.sum() < 3 or score[usable].nunique() < 2:
            continue
        result = pg.corr(score[usable], count[usable], method="spearman")
        rows.append(dict(schaal=sid, schaal_label=cb.scales[sid].label, n=int(usable.sum()),
                         rho=float(result["r"].iloc[0]), p=reported_p(float(result["p_val"].iloc[0]))))
    table = pd.DataFrame(rows, columns=["schaal", "schaal_label", "n", "rho", "p"])
    if len(table):
        table["p_holm"] = pg.multicomp(table["p"].to_numpy(), method="holm")[1]
    else:
        table["p_holm"] = pd.Series(dtype=float)
    return table.sort_values("rho", ascending=False, kind="stable").reset_index(drop=True)
