"""Katern B: every Holm family holds exactly the tests the edition shows with a p (issue #24).

A test an edition withholds (a national comparison of too few other
institutions, an institution's own row of too few teachers, a form of too few
teachers in chapter 5) must not make the tests it does show stricter. For each
Katern B table with p_holm, and each of its families as the code defines them
(per table; the trend tables per group, each basis its own family), Holm is
recomputed here with statsmodels over the p of the rows the table shows and
compared with the table's p_holm; a row withheld or not asked has no p_holm.
The chapter functions are called directly on adversarial data sets
(`tests/adversarial.py`), so no edition is built.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

import adversarial
from helpers.book.disclosure import FEW_INSTITUTIONS, NOT_ASKED, PRIMARY, REASON, SUPPRESSED
from helpers.book.edition import open_edition
from helpers.chapters.katern_b import professionalisation as b_professionalisation
from helpers.chapters.katern_b import trends as b_trends

# (p column, p_holm column) of each basis.
PLAIN, REWEIGHTED = ("p", "p_holm"), ("p_herwogen", "p_holm_herwogen")


def context(prepared, edition):
    return open_edition(edition, prepared, prepared.parent / f"tables-{edition}", None, None)


def _tables(ctx) -> dict[str, tuple[pd.DataFrame, list[str], list[tuple[str, str]]]]:
    """{name: (table, columns that split it into families, bases)} of every Katern B table with p_holm."""
    means, gaps, change, best = b_professionalisation.effect_tables(ctx)
    tables = {kind: (b_trends.difference_table(ctx, b_trends.chapter_scales(kind)), ["groep"], [PLAIN, REWEIGHTED])
              for kind in ("competenties", "handelen")}
    tables.update({
        "b5-kloof": (gaps, [], [PLAIN]),
        "b5-zonder-professionalisering": (change, [], [PLAIN]),
        "b5-beste-vorm": (best, [], [PLAIN]),
        "b4-themas": (b_professionalisation.themes_table(ctx), [], [PLAIN]),
    })
    return tables


def _not_shown(table: pd.DataFrame) -> pd.Series:
    hidden = pd.Series(False, index=table.index)
    if SUPPRESSED in table:
        hidden |= table[SUPPRESSED].astype("boolean").fillna(False).astype(bool)
    if REASON in table:
        hidden |= table[REASON].astype("string").fillna("") == NOT_ASKED
    return hidden


def check_families(ctx) -> tuple[int, int]:
    """Assert every family's p_holm is Holm over the shown rows' p; (families checked, rows withheld)."""
    families = withheld = 0
    for name, (table, split, bases) in _tables(ctx).items():
        hidden = _not_shown(table)
        withheld += int(hidden.sum())
        parts = table.groupby(split, sort=False) if split else [("", table)]
        for key, part in parts:
            for p_column, holm_column in bases:
                where = f"{ctx.edition.id}/{name}/{key}/{holm_column}"
                blank = part.loc[hidden.loc[part.index], holm_column]
                assert blank.isna().all(), f"{where}: a withheld row has a p_holm\n{blank}"
                p = pd.to_numeric(part.loc[~hidden.loc[part.index], p_column], errors="coerce").astype(float)
                got = pd.to_numeric(part.loc[p.index, holm_column], errors="coerce").astype(float)
                tested = p.notna()
                assert got[~tested].isna().all(), f"{where}: a p_holm without a p"
                if not tested.any():
                    continue
                expected = multipletests(p[tested].to_numpy(), method="holm")[1]
                assert np.allclose(got[tested].to_numpy(), expected, rtol=1e-9, atol=0), (
                    f"{where}: p_holm is not Holm over the {int(tested.sum())} shown tests\n"
                    f"{pd.DataFrame({'p': p[tested], 'p_holm': got[tested], 'holm_shown': expected})}")
                families += 1
    return families, withheld


@pytest.mark.parametrize("edition", ["landelijk", adversarial.SMALL_GROUPS, adversarial.TINY])
def test_holm_families_hold_the_shown_tests_small_groups(small_groups_set, edition):
    families, _ = check_families(context(small_groups_set, edition))
    assert families


@pytest.mark.parametrize("edition", ["landelijk", adversarial.SINGLE_TYPE, "I01"])
def test_holm_families_hold_the_shown_tests_types(types_set, edition):
    families, _ = check_families(context(types_set, edition))
    assert families


@pytest.mark.parametrize("edition", ["landelijk", adversarial.FEW_OTHERS, "I02"])
def test_holm_families_hold_the_shown_tests_few_others(few_others_set, edition):
    families, _ = check_families(context(few_others_set, edition))
    assert families


def test_the_few_others_set_withholds_a_national_comparison_and_an_own_row(few_others_set):
    """The families above must leave out what the edition withholds, or the tests prove nothing."""
    ctx = context(few_others_set, adversarial.FEW_OTHERS)
    table = b_trends.difference_table(ctx, b_trends.chapter_scales("competenties"))
    withheld = table.loc[table[SUPPRESSED].astype(bool)]
    national = withheld.loc[withheld["groep"] == b_trends.NATIONAL_GROUP]
    assert len(national) and (national[REASON] == FEW_INSTITUTIONS).all()
    own = withheld.loc[withheld["groep"] == b_trends.OWN_GROUP]
    assert list(own["schaal"]) == [adversarial.FEW_SCORES_SCALE] and (own[REASON] == PRIMARY).all()
    # Both groups keep shown tests, whose families are the smaller for it.
    shown_tests = table.loc[~table[SUPPRESSED].astype(bool) & table["p"].notna()]
    assert set(shown_tests["groep"]) == {b_trends.NATIONAL_GROUP, b_trends.OWN_GROUP}
