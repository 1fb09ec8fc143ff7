"""The research questions of the book and its research model, both drawn from the codebook where they can be.

The questions follow the Katerns: the state of affairs (Katern A: the
domains of the codebook, their relation, professionalisation and where the
differences lie), the development over the waves (Katern B) and the wishes
for professionalisation (Katern C); an institution edition adds where the
institution stands among the others. Each numbered conclusion says which
question it answers (`question_of`): the question of the tables it cites.
The research model is the codebook's domains: competence domains beside
practice domains, with professionalisation before them, each with its scales.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from helpers.core import dutch
from helpers.book import styles
from helpers.book.escaping import html_text
from helpers.book.html import element
from helpers.book.publish import chapter_number
from helpers.book.sentences import sentence_file
from helpers.data.codebook import load_codebook

SENTENCES = sentence_file("index")

COMPETENCE = "competentie"
PRACTICE = "praktijk"


@dataclass(frozen=True)
class Question:
    key: str
    chapters: tuple[str, ...]  # the chapter notebooks that answer it (first and last are named)
    text: str

    @property
    def chapter_numbers(self) -> list[str]:
        """The chapters' own numbers ('A2', ...), the sentence names the first and the last."""
        return [chapter_number(c) or c for c in self.chapters]


def _domains(kind: str) -> list[str]:
    """The labels of the codebook's domains of one kind, in codebook order."""
    return [spec["label"] for spec in load_codebook().domains.values() if spec["soort"] == kind]


def _chapters(katern: str, *names: str) -> tuple[str, ...]:
    return tuple(f"notebooks/{katern}/{name}" for name in names)


def questions(national: bool) -> list[Question]:
    """The book's research questions in order; an institution edition asks one more, last (so numbers stay)."""
    found = [
        Question("stand", _chapters("katern_a", "a2_visie", "a3_geletterdheid", "a4_vaardigheid", "a5_innoveren",
                                    "a6_lesgeven_met", "a7_lesgeven_over", "a8_typologie"),
                 SENTENCES.say("vraag_stand", competentiedomeinen=_domains(COMPETENCE),
                               praktijkdomeinen=_domains(PRACTICE))),
        Question("samenhang", _chapters("katern_a", "a9_competenties_handelen"), SENTENCES.say("vraag_samenhang")),
        Question("professionalisering", _chapters("katern_a", "a10_professionalisering",
                                                  "a11_verschillen_instellingen"),
                 SENTENCES.say("vraag_professionalisering")),
        Question("ontwikkeling", _chapters("katern_b", "b2_competenties", "b3_lesgeven"),
                 SENTENCES.say("vraag_ontwikkeling")),
        Question("opbrengst", _chapters("katern_b", "b4_professionalisering", "b5_opbrengst"),
                 SENTENCES.say("vraag_opbrengst")),
        Question("kansen", _chapters("katern_c", "c2_interesses", "c3_motieven"), SENTENCES.say("vraag_kansen")),
    ]
    if not national:
        found.append(Question("eigen", _chapters("katern_a", "a12_overzicht"), SENTENCES.say("vraag_eigen")))
    return found


#: Which question a cited table answers, by the start of its id (the first that matches).
TABLE_QUESTIONS = (
    ("a-profiel", "eigen"), ("a-", "stand"), ("a8-", "stand"), ("a9-", "samenhang"),
    ("a10-", "professionalisering"), ("a11-", "professionalisering"),
    ("b1-", "ontwikkeling"), ("b2-", "ontwikkeling"), ("b3-", "ontwikkeling"), ("b4-", "opbrengst"),
    ("b5-", "opbrengst"), ("c", "kansen"), ("bijlage1-", "kansen"),
)


def question_of_table(table_id: str) -> str | None:
    return next((key for start, key in TABLE_QUESTIONS if table_id.startswith(start)), None)


def question_of(conclusion) -> str | None:
    """The key of the question a conclusion answers: its own, else that of the first table it cites."""
    if getattr(conclusion, "question", ""):
        return conclusion.question
    for source in conclusion.sources:
        key = question_of_table(source.table)
        if key is not None:
            return key
    return None


def numbers(national: bool) -> dict[str, int]:
    """{question key: its number on the page}."""
    return {q.key: number for number, q in enumerate(questions(national), start=1)}


def questions_markdown(national: bool) -> str:
    return "\n".join(SENTENCES.say("vraag_in_lijst", nummer=number, vraag=q.text, hoofdstukken=q.chapter_numbers)
                     for number, q in enumerate(questions(national), start=1))


def model_html() -> str:
    """The research model as boxes: professionalisation, then the competence domains, then the practice domains.

    Each domain box lists its scales from the codebook; arrows are drawn as text, so the model reads the same
    without the picture (a list per box).
    """
    cb = load_codebook()

    def box(block: str, domains: list[str]) -> str:
        items = "".join(
            element("li", element("strong", html_text(cb.domains[d]["label"])) + ": "
                    + html_text(dutch.join([dutch.lower_first(s.label) for s in cb.scales.values() if s.domain == d])))
            for d in domains)
        return element("div", element("p", html.escape(SENTENCES.say("model_kop", blok=block)), class_="mb-model-kop")
                       + element("ul", items), class_="mb-model-blok")

    competence = [d for d, spec in cb.domains.items() if spec["soort"] == COMPETENCE]
    practice = [d for d, spec in cb.domains.items() if spec["soort"] == PRACTICE]
    activities = dutch.join([dutch.lower_first(label) for label in cb.activities.values()])
    first = element("div", element("p", html.escape(SENTENCES.say("model_kop", blok="professionalisering")),
                                   class_="mb-model-kop") + element("ul", element("li", html_text(activities))),
                    class_="mb-model-blok")
    arrow = element("div", "→", class_="mb-model-pijl", aria_hidden="true")
    return (element("style", styles.RESEARCH_MODEL)
            + element("div", first + arrow + box("competenties", competence) + arrow + box("handelen", practice),
                      class_="mb-model", role="group", aria_label="Onderzoeksmodel"))
