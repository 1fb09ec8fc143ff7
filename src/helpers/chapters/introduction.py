"""The start page of every edition: what the edition covers and on which data."""
from __future__ import annotations

from helpers.book.disclosure import ABOVE, ATTRIBUTE_N, BELOW, ROUNDING_STEP, SHARE_CEILING, SHARE_FLOOR
from helpers.book.edition import EditionContext
from helpers.book.sentences import sentence_file
from helpers.chapters.common import reported_wave

SENTENCES = sentence_file("index")


def _count(n: int, min_n: int) -> int | None:
    """A group count, or None when the count itself would disclose a small group (the sentence says 'minder dan')."""
    return n if n >= min_n else None


def edition_paragraph(ctx: EditionContext) -> str:
    wave = reported_wave(ctx)
    national = ctx.national[ctx.national["meting"] == wave]
    if ctx.edition.is_national:
        return SENTENCES.say("editie_landelijk", meting=wave, docenten=len(national),
                             instellingen=national["instelling"].nunique(), volledig=int(national["volledig"].sum()))
    own = ctx.own[ctx.own["meting"] == wave]
    complete = int(own["volledig"].sum())
    return SENTENCES.say("editie_instelling", instelling=ctx.title_md, meting=wave,
                         deelnemers=_count(len(own), ctx.min_n), volledig=_count(complete, ctx.min_n),
                         drempel=ctx.min_n)


def data_paragraph(ctx: EditionContext) -> str:
    if ctx.shipped_data:
        return SENTENCES.say("gegevens_synthetisch")
    return SENTENCES.say("gegevens_aangeleverd", kenmerk=ctx.data_hash[:12])


def privacy_paragraph(ctx: EditionContext) -> str:
    """How the edition protects teachers: the threshold, the hidden extra group, the bounded shares."""
    return SENTENCES.say("privacy", drempel=ctx.min_n, kleine_groep=ATTRIBUTE_N, ondergrens=SHARE_FLOOR, onder=BELOW,
                         bovengrens=SHARE_CEILING, boven=ABOVE, afrondingsstap=ROUNDING_STEP)
