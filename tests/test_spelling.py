"""Every word a reader sees is spelt as in the Dutch dictionary, or is a reviewed domain term.

The visible text of every page of the national and an institution edition
(no code, no scripts, no identifiers) is checked with Hunspell and Debian's
Dutch dictionary (`hunspell-nl`, OpenTaal). A compound with a hyphen is right
when each part is ("ict-geletterdheid"). Names that come from the data
(institutions, teams) and the reviewed quotes of teachers are their own
spelling and are left out. What the
dictionary does not know but is right (ict, Cronbachs, herwogen, ...) is in
the reviewed list `tests/woordenlijst.txt`, one word a line: add a word there
only after checking it, never to make this test pass over a typo.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers.data.codebook import PROJECT_ROOT
from helpers.core.edition_manifest import chapters_for

DICTIONARY = "nl_NL"
WORD_LIST = Path(__file__).with_name("woordenlijst.txt")
#: A word as a reader reads it: letters, with inner hyphens or apostrophes ("ict-geletterdheid", "Cohen's").
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
FILE_NAME = re.compile(r"\S+\.(?:csv|pdf|zip)\b")
#: Page parts that are not prose: code cells, code, scripts, the permalink signs, the widget state.
NOT_PROSE = "script, style, div.cell_input, pre, code, .headerlink, .toggle-details"

pytestmark = pytest.mark.skipif(shutil.which("hunspell") is None or not any(
    Path(d, f"{DICTIONARY}.dic").exists() for d in ("/usr/share/hunspell", "/usr/share/myspell/dicts")),
    reason="Hunspell with the Dutch dictionary is installed by `make test` (Debian: hunspell, hunspell-nl)")


def _visible_words(page: Path, data_names: set[str]) -> set[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("article") or soup
    for element in main.select(NOT_PROSE):
        element.decompose()
    text = FILE_NAME.sub(" ", main.get_text(" "))  # a table's CSV is named by its id, not in words
    for name in sorted(data_names, key=len, reverse=True):  # the data's own spelling, not the book's
        text = text.replace(name, " ")
    words = set()
    for word in WORD.findall(text):
        words.update(part for part in re.split(r"-", word) if len(part) > 1)
    return words


def _unknown(words: set[str]) -> set[str]:
    """The words Hunspell does not know, with the reviewed list as its personal dictionary."""
    result = subprocess.run(["hunspell", "-d", DICTIONARY, "-p", str(WORD_LIST), "-l"],
                            input="\n".join(sorted(words)), capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def _not_the_books_words(small_data) -> set[str]:
    """Institution and team names from the data, and the reviewed quotes: spelt by their authors."""
    respondents, institutions = small_data
    names = set(pd.read_csv(institutions, dtype=str)["naam"])
    names |= set(pd.read_csv(respondents, dtype=str, usecols=["team"])["team"].dropna())
    names |= set(pd.read_csv(PROJECT_ROOT / "data" / "citaten.csv", dtype=str)["citaat"].dropna())
    return {n for n in names if n.strip()}


def test_every_page_is_spelt_as_in_the_dictionary(built, institution, small_data):
    names = _not_the_books_words(small_data)
    misspelt: dict[str, set[str]] = {}
    for edition in ("landelijk", institution):
        html = built / "editions" / edition / "html"
        for page in [html / "index.html", *(html / f"{chapter}.html" for chapter in chapters_for(edition))]:
            for word in _unknown(_visible_words(page, names)):
                misspelt.setdefault(word, set()).add(f"{edition}/{page.stem}")
    report = "\n".join(f"  {word}: {', '.join(sorted(pages)[:3])}" for word, pages in sorted(misspelt.items()))
    assert not misspelt, f"words not in the Dutch dictionary nor in {WORD_LIST.name}:\n{report}"


def test_the_word_list_is_sorted_and_holds_only_words_the_dictionary_lacks():
    words = [w for w in WORD_LIST.read_text(encoding="utf-8").splitlines() if w]
    assert words == sorted(set(words), key=str.casefold), "keep the reviewed list sorted, one word a line"
    result = subprocess.run(["hunspell", "-d", DICTIONARY, "-l"], input="\n".join(words), capture_output=True,
                            text=True, check=True)
    known = set(words) - set(result.stdout.split())
    assert not known, f"already in the dictionary, remove from {WORD_LIST.name}: {sorted(known)}"
