"""Back-test: the national edition built from the shipped data reproduces the published Katern C figures.

Published figures: ../shared/reference/monitor-facts.md (Katern C, figure 2.1 and the text of §2.1).
The test reads the CSVs that the built edition publishes, not the helpers, so it checks what a reader gets.
"""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.data.dataset import SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS
from helpers.pipeline.build import build

pytestmark = pytest.mark.slow

# [PUB] Katern C figure 2.1 (n = 5.467), percentages.
FIGURE_2_1 = {
    "thema_activerend": 48, "thema_differentieren": 46, "thema_blended": 34, "thema_eigenaarschap": 31,
    "thema_beroepspraktijk": 29, "thema_vernieuwend": 24, "thema_geletterdheid": 22, "thema_data": 14,
    "thema_ethiek": 14, "thema_geen": 9,
}
FOUR_OR_MORE = 26  # [PUB] Katern C §2.1
AT_LEAST_ONE = 91  # [PUB] Katern C §2.1
N_KATERN_C = 5467  # [PUB] Katern C §1.1


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    results = build(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS, out=out, editions=["landelijk"], jobs=1,
                    show_progress=False)
    assert results[0].ok, results[0].error
    return out / "editions" / "landelijk" / "tables"


def test_figure_2_1_within_one_point(tables):
    table = pd.read_csv(tables / "c2-1-themas.csv")
    overall = table[table["weergave"] == "totaal"].set_index("thema")
    assert set(overall["n"]) == {N_KATERN_C}
    for theme, published in FIGURE_2_1.items():
        assert abs(100 * overall.loc[theme, "aandeel"] - published) <= 1, theme


def test_number_of_themes_within_one_point(tables):
    table = pd.read_csv(tables / "c2-1-aantal-themas.csv")
    overall = table[table["weergave"] == "totaal"].set_index("band")["aandeel"]
    assert abs(100 * overall["4+"] - FOUR_OR_MORE) <= 1
    assert abs(100 * (1 - overall["geen"]) - AT_LEAST_ONE) <= 1
    assert abs(100 * overall["geen"] - FIGURE_2_1["thema_geen"]) <= 1


def test_published_appendix_groups_are_listed_with_their_direction(tables):
    groups = pd.read_csv(tables / "bijlage1-landelijk.csv")
    listed = {(r.thema, r.variabele, r.groep): r.richting for r in groups.itertuples()}
    # A sample of the published Bijlage 1 rows; tests/test_katern_c_backtest.py checks every row on the helpers.
    published = {
        ("thema_activerend", "functie", "instructeur"): "minder vaak",
        ("thema_beroepspraktijk", "vak", "avo"): "minder vaak",
        ("thema_geletterdheid", "domein", "entree"): "vaker",
        ("thema_geen", "ervaring", "gt20"): "vaker",
        ("thema_vernieuwend", "ervaring", "lt1"): "vaker",
    }
    for key, direction in published.items():
        assert listed.get(key) == direction, key
    assert (groups["p"] <= 0.05).all()
