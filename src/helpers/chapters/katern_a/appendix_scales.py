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
from helpers.book.sentences import sentence_file
from helpers.data.codebook import load_codebook
from helpers.stats.scales import CONFIDENCE, reliability

SENTENCES = sentence_file("katern_a/a_bijlage_schalen")
CARD_COLUMNS = ["Meting", "n", "Gemiddelde", "SD", "Cronbachs alfa [95%-BI]"]


def reliability_table(ctx: EditionContext) -> pd.DataFrame:
    """Per wave and scale: k, n, mean, SD, alpha and its 95% interval (national, every wave)."""
    cb = load_codebook()
    table = reliability(ctx.national)
    domain = {sid: s.domain for sid, s in cb.scales.items()}
    return table.assign(domein=table["schaal"].map(domain),
                        domein_label=table["schaal"].map(lambda s: cb.domains[domain[s]]["label"]))


def waves_sentence(table: pd.DataFrame) -> str:
    return SENTENCES.say("metingen", metingen=sorted(table["meting"].unique()), betrouwbaarheid=CONFIDENCE,
                         laagste_alfa=table["alpha"].min(), hoogste_alfa=table["alpha"].max())


def scale_cards(table: pd.DataFrame) -> str:
    """HTML: per domain, per scale its items and a small table per wave."""
    cb = load_codebook()
    head = "".join(f"<th>{column}</th>" for column in CARD_COLUMNS)
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
            empty = f'<tr><td colspan="{len(CARD_COLUMNS)}">{SENTENCES.say("nergens_gevraagd")}</td></tr>'
            answered = SENTENCES.say("antwoordschaal", antwoordformaat=html.escape(answer), vragen=len(scale.items))
            waves = f'<table class="tabel"><thead><tr>{head}</tr></thead><tbody>{"".join(rows) or empty}</tbody></table>'
            blocks.append(f"<h4>{html_text(scale.label)}</h4><p>{answered}</p><ul>{items}</ul>{waves}")
    return "\n".join(blocks)
