"""Every Katern's conclusions: each number is a cell of the table it names, shown as that table shows it."""
from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest

from helpers.core import dutch
from helpers.book.disclosure import share_text
from helpers.chapters.common import variance_share

pytestmark = pytest.mark.slow
# The sources table of each chapter of conclusions, and that chapter's page.
CONCLUSIONS = {
    "a-conclusies-bronnen": "notebooks/katern_a/a13_conclusies",
    "b6-conclusies-bronnen": "notebooks/katern_b/b6_conclusies",
    "c4-conclusies-bronnen": "notebooks/katern_c/c4_conclusies",
}
NUMBER = re.compile(r"[-−]?\d+(?:\.\d{3})*(?:,\d+)?%?")


def readable(text: str) -> str:
    """Text as a reader sees it: no markup or Markdown escapes, entities decoded, one kind of apostrophe and space."""
    text = re.sub(r"<script.*?</script>", " ", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"\\(.)", r"\1", text)))
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


VARIANCE_SHARES = {"aandeel_instelling", "aandeel_team", "aandeel_docent", "aandeel_binnen"}


def ways_to_show(row: pd.Series, column: str) -> set[str]:
    """How the book may write the cell: a share (a small group's by its bound), a mean, a coefficient, a year."""
    value = float(row[column])
    shown = {share_text(row, column), dutch.decimal(value, 1), dutch.decimal(value, 2)}
    if column in VARIANCE_SHARES:  # a share of the variance, as chapters A11 and B4 write it
        shown.add(variance_share(value))
    return shown | ({str(int(value))} if value.is_integer() else set())


@pytest.mark.parametrize("sources_table", CONCLUSIONS)
def test_every_number_in_a_conclusion_equals_the_table_it_comes_from(built, institution, sources_table):
    for edition in ("landelijk", institution):
        tables = built / "editions" / edition / "tables"
        sources = pd.read_csv(tables / f"{sources_table}.csv", dtype={"weergave": str})
        assert len(sources) >= 4, edition
        for row in sources.itertuples():
            table = pd.read_csv(tables / f"{row.tabel}.csv")
            for key, value in json.loads(row.selectie).items():
                table = table[table[key].astype(str) == str(value)]
            assert len(table) == 1, f"{edition}: {row.selectie} selects {len(table)} rows of {row.tabel}"
            assert float(table[row.kolom].iloc[0]) == pytest.approx(row.waarde, abs=1e-6), (edition, row.tekst)
            assert row.weergave in ways_to_show(table.iloc[0], row.kolom), (edition, row.tekst, row.weergave)
        page = readable((built / "editions" / edition / "html" / f"{CONCLUSIONS[sources_table]}.html")
                        .read_text(encoding="utf-8"))
        for text, part in sources.groupby("tekst"):
            assert readable(text) in page, f"{edition}: conclusion not on the page: {text}"
            cited = sorted(n for shown in part["weergave"] for n in NUMBER.findall(shown))  # 'vrijwel 0%' is 0%
            assert sorted(NUMBER.findall(text)) == cited, f"unsourced number in: {text}"
