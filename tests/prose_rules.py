"""Classes of Dutch sentence errors a careful editor would never let through, checked on a page's prose.

Each rule takes one sentence (as a reader sees it, numbers formatted in Dutch)
and returns a short description of what is wrong, or None. They guard the
generators of the book's sentences as a class, not one sentence each: a
comparison whose numbers run against its words, "respectievelijk" over equal
numbers, a sentence that starts with a digit, a word or particle said twice,
"het grootste verschil" without the measure it is largest by, a count written
with a multiplication sign.
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

#: Prose blocks of a page: paragraphs and list items of the article (tables, code and figures are not prose).
PROSE = "article p, article li"
NOT_PROSE = "script, style, div.cell_input, pre, code, .headerlink, .toggle-details, table"
#: A key figure in large type that leads a line of the praatplaat (not the start of a sentence).
LEAD_FIGURE = ".pp-cijfer"
#: A Dutch number as the book writes it: 5.467, 3,43, 48%, −0,12.
NUMBER = r"[−-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?%?"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9ÀÉ“\"(])")
_ABBREVIATION = re.compile(r"\b(?:o\.a|bijv|d\.w\.z|m\.b\.t|t\.o\.v|i\.p\.v|e\.d|ca|nr|zgn)\.$", re.IGNORECASE)
#: "hoger (3,80 tegen 3,43)": the first number belongs to what the sentence's subject is said to be.
_COMPARISON = re.compile(
    rf"\b(?P<word>hoger|lager|meer|minder|vaker|groter|kleiner)\b[^.;()]{{0,120}}?\((?:[^();\d]*?\s)?"
    rf"(?P<a>{NUMBER})\s+(?:tegen|vs\.?|versus)\s+(?:[^();\d]*?\s)?(?P<b>{NUMBER})(?!\d)")
_UP = {"hoger", "meer", "vaker", "groter"}
_RESPECTIVELY = re.compile(rf"\brespectievelijk\b(?P<rest>[^.;]*)")
_REPEATED_WORD = re.compile(r"\b(?P<w>[^\W\d_]{2,})\s+(?P=w)\b", re.IGNORECASE)
#: "wil je je ontwikkelen": a pronoun and its reflexive are one word twice, and right.
_REFLEXIVE = {"je"}
#: Particles of separable verbs that a generator can end a sentence with twice ("gaan … samen … samen").
_PARTICLES = ("samen", "mee", "terug", "toe")
_TIMES_COUNT = re.compile(r"\b\d+\s*×\s*[^\W\d_]")
_LARGEST = re.compile(r"\bhet grootste verschil\b", re.IGNORECASE)
_LARGEST_MEASURED = re.compile(r"\bhet grootste verschil \(naar ", re.IGNORECASE)


def number(text: str) -> float:
    """The value of a number as the book writes it (5.467 → 5467, 3,43 → 3.43, 48% → 48)."""
    return float(text.rstrip("%").replace("−", "-").replace(".", "").replace(",", "."))


def sentences(block: str) -> list[str]:
    """The sentences of one prose block (abbreviations such as "o.a." do not end a sentence)."""
    parts, current = [], ""
    for piece in _SENTENCE_END.split(" ".join(block.split())):
        current = f"{current} {piece}".strip() if current else piece
        if not _ABBREVIATION.search(current):
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    return parts


def comparison_order(sentence: str) -> str | None:
    for match in _COMPARISON.finditer(sentence):
        a, b = number(match["a"]), number(match["b"])
        up = match["word"] in _UP
        if a != b and (a > b) != up:
            return f"'{match['word']}' met de getallen in omgekeerde volgorde ({match['a']} tegen {match['b']})"
    return None


def respectively_equal(sentence: str) -> str | None:
    match = _RESPECTIVELY.search(sentence)
    if match:
        values = [number(n) for n in re.findall(NUMBER, match["rest"]) if re.search(r"\d", n)]
        if len(values) >= 2 and len(set(values)) == 1:
            return "'respectievelijk' over gelijke getallen"
    return None


def starts_with_digit(sentence: str) -> str | None:
    return "zin begint met een cijfer" if re.match(r"[−-]?\d", sentence) else None


def repeated_word(sentence: str) -> str | None:
    match = next((m for m in _REPEATED_WORD.finditer(sentence) if m["w"].lower() not in _REFLEXIVE), None)
    if match:
        return f"woord twee keer achter elkaar: '{match.group(0)}'"
    for clause in re.split(r"[;:]", sentence):  # a colon or semicolon starts a clause of its own
        words = re.findall(r"[^\W\d_]+", clause.lower())
        for particle in _PARTICLES:
            if words.count(particle) > 1:
                return f"partikel '{particle}' twee keer in één zinsdeel"
    return None


def times_count(sentence: str) -> str | None:
    match = _TIMES_COUNT.search(sentence)
    return f"aantal met een maalteken: '{match.group(0)}…'" if match else None


def largest_unmeasured(sentence: str) -> str | None:
    """"Het grootste verschil" says by which measure it is the largest ("(naar Hedges' g)").

    A reader compares the numbers in front of them; when the choice was made
    on another measure (an effect size, a residual), the sentence must say so.
    The generators write "het grootste" only over more than one candidate.
    """
    if _LARGEST.search(sentence) and not _LARGEST_MEASURED.search(sentence):
        return "'het grootste verschil' zonder de maat waarnaar het het grootste is"
    return None


RULES = (comparison_order, respectively_equal, starts_with_digit, repeated_word, times_count, largest_unmeasured)


def prose_blocks(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for element in soup.select(NOT_PROSE):
        element.decompose()
    for figure in soup.select(LEAD_FIGURE):  # a key figure set in large type leads its line, as a heading does
        figure.replace_with(f"[{figure.get_text()}]")
    blocks = []
    for element in soup.select(PROSE):
        if element.find(["p", "li"]):  # a list item holding paragraphs: its paragraphs are read themselves
            continue
        text = " ".join(element.get_text(" ").split())
        if text:
            blocks.append(text)
    return blocks


def problems(page: Path) -> list[str]:
    """Every rule broken on a page, as "rule: sentence" lines."""
    found = []
    for block in prose_blocks(page):
        for sentence in sentences(block):
            for rule in RULES:
                reason = rule(sentence)
                if reason:
                    found.append(f"{reason}: «{sentence[:200]}»")
    return found
