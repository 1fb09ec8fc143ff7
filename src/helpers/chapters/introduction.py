"""The start page of every edition: what the edition covers and on which data."""
from __future__ import annotations

from helpers.core import dutch
from helpers.book.disclosure import ABOVE, ATTRIBUTE_N, BELOW, ROUNDING_STEP
from helpers.book.edition import EditionContext
from helpers.chapters.common import reported_wave


def _count(n: int, min_n: int) -> str:
    """A group count, or 'minder dan <min_n>' when the count itself would disclose a small group."""
    return dutch.integer(n) if n >= min_n else f"minder dan {dutch.integer(min_n)}"


def edition_paragraph(ctx: EditionContext) -> str:
    wave = reported_wave(ctx)
    national = ctx.national[ctx.national["meting"] == wave]
    if ctx.edition.is_national:
        return (
            f"Dit is de **landelijke editie**. Ze beschrijft de meting van {wave}: "
            f"{dutch.integer(len(national))} docenten van "
            f"{dutch.integer(national['instelling'].nunique())} mbo-instellingen deden mee, "
            f"van wie {dutch.integer(int(national['volledig'].sum()))} de vragenlijst helemaal invulden."
        )
    own = ctx.own[ctx.own["meting"] == wave]
    complete = int(own["volledig"].sum())
    return (
        f"Dit is de editie voor **{ctx.title_md}**. Ze toont de resultaten van de eigen docenten "
        f"naast de landelijke cijfers van de meting van {wave}. Van {ctx.title_md} deden "
        f"{_count(len(own), ctx.min_n)} docenten mee, van wie {_count(complete, ctx.min_n)} de vragenlijst "
        f"helemaal invulden. Om geen collega herkenbaar te maken, toont deze editie geen groep van minder dan "
        f"{dutch.integer(ctx.min_n)} docenten en geen gegevens van andere instellingen."
    )


def data_paragraph(ctx: EditionContext) -> str:
    if ctx.shipped_data:
        return (
            "Deze editie is gebouwd op de **synthetische gegevens** die met het boek worden meegeleverd. "
            "Ze zijn gemaakt om de gepubliceerde landelijke cijfers van de monitor zo goed mogelijk te benaderen, "
            "maar ze beschrijven geen echte docenten: de instellingen hebben verzonnen namen, en wat niet "
            "gepubliceerd is (zoals de verdeling over instellingen en teams) berust op aannames. "
            "Conclusies over echte instellingen trek je daarom alleen uit een editie die op de echte gegevens is gebouwd."
        )
    return (
        "Deze editie is gebouwd op de aangeleverde gegevens van de monitor. "
        f"Kenmerk van de gebruikte gegevens: `{ctx.data_hash[:12]}`."
    )


def privacy_paragraph(ctx: EditionContext) -> str:
    """How the edition protects teachers: the threshold, the hidden extra group, the bounded shares."""
    return (
        f"Een groep met minder dan {dutch.integer(ctx.min_n)} docenten wordt nergens getoond. Soms blijft daarom "
        "ook een tweede groep weg, zodat de ontbrekende groep niet uit het totaal terug te rekenen is. In een groep "
        f"van minder dan {dutch.integer(ATTRIBUTE_N)} docenten zou een aandeel van niemand of iedereen het antwoord van "
        f"ieder lid verraden; zo'n groep toont, zoals het CBS dat doet, een aandeel onder {BELOW[2:]} als "
        f"‘{BELOW}’ en boven {ABOVE[2:]} als ‘{ABOVE}’. Hoort dat aandeel bij een verdeling die samen "
        f"honderd procent is, dan zijn de andere delen afgerond op stappen van {dutch.percent(ROUNDING_STEP)}, zodat "
        "het verborgen deel er niet uit volgt."
    )
