"""Bijlage bij Katern A: the scales -- items, answer format, and per wave n, mean, SD and Cronbach's alpha.

Reliability is a property of the questionnaire, so it is computed on all
teachers nationally in every edition; the waves are those in the data.
"""
from __future__ import annotations

import html

import pandas as pd

from helpers.core import dutch
from helpers.book.edition import EditionContext
from helpers.book.escaping import html_text
from helpers.data.codebook import load_codebook
from helpers.stats.scales import reliability


def reliability_table(ctx: EditionContext) -> pd.DataFrame:
    """Per wave and scale: k, n, mean, SD, alpha and its 95% interval (national, every wave)."""
    cb = load_codebook()
    table = reliability(ctx.national)
    domain = {sid: s.domain for sid, s in cb.scales.items()}
    return table.assign(domein=table["schaal"].map(domain),
                        domein_label=table["schaal"].map(lambda s: cb.domains[domain[s]]["label"]))


def waves_sentence(table: pd.DataFrame) -> str:
    waves = sorted(table["meting"].unique())
    listed = ", ".join(str(w) for w in waves[:-1]) + (" en " if len(waves) > 1 else "") + str(waves[-1])
    low, high = table["alpha"].min(), table["alpha"].max()
    return (f"De tabellen hieronder geven per schaal de vragen, de antwoordschaal en per meting ({listed}) het aantal "
            "docenten dat alle vragen van de schaal beantwoordde, het gemiddelde, de standaardafwijking en de "
            "betrouwbaarheid (Cronbachs alfa met een 95%-betrouwbaarheidsinterval). De alfa's liggen tussen "
            f"{dutch.decimal(low, 2)} en {dutch.decimal(high, 2)}. Een schaal die in een meting niet gevraagd is, "
            "ontbreekt in die meting.")


def scale_cards(table: pd.DataFrame) -> str:
    """HTML: per domain, per scale its items and a small table per wave."""
    cb = load_codebook()
    blocks = []
    for domain, spec in cb.domains.items():
        blocks.append(f"<h3>{html_text(spec['label'])}</h3>")
        for sid, scale in cb.scales.items():
            if scale.domain != domain:
                continue
            items = "".join(f"<li>{html_text(item)}</li>" for item in scale.item_labels)
            answer = cb.answer_formats[scale.answer_format]["label"]
            rows = []
            for r in table.loc[table["schaal"] == sid].sort_values("meting").itertuples():
                rows.append(
                    f"<tr><td>{r.meting}</td><td>{dutch.integer(r.n)}</td><td>{dutch.decimal(r.gemiddelde, 2)}</td>"
                    f"<td>{dutch.decimal(r.sd, 2)}</td><td>{dutch.decimal(r.alpha, 2)} "
                    f"[{dutch.decimal(r.alpha_ci_laag, 2)}; {dutch.decimal(r.alpha_ci_hoog, 2)}]</td></tr>")
            body = "".join(rows) or '<tr><td colspan="5">In geen enkele meting gevraagd.</td></tr>'
            blocks.append(
                f"<h4>{html_text(scale.label)}</h4><p>{html.escape(answer)}; "
                f"{dutch.count_word(len(scale.items), 'vraag', 'vragen')}:</p><ul>{items}</ul>"
                '<table class="tabel"><thead><tr><th>Meting</th><th>n</th><th>Gemiddelde</th><th>SD</th>'
                f"<th>Cronbachs alfa [95%-BI]</th></tr></thead><tbody>{body}</tbody></table>")
    return "\n".join(blocks)
