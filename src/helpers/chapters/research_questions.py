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
from helpers.book.escaping import html_text
from helpers.book.publish import chapter_number
from helpers.data.codebook import load_codebook

COMPETENCE = "competentie"
PRACTICE = "praktijk"


@dataclass(frozen=True)
class Question:
    key: str
    chapters: tuple[str, ...]  # the chapter notebooks that answer it (first and last are named)
    text: str

    @property
    def where(self) -> str:
        """'hoofdstukken A2 tot en met A8', from the chapters' own numbers."""
        numbers = [chapter_number(c) or c for c in self.chapters]
        if len(numbers) == 1:
            return f"hoofdstuk {numbers[0]}"
        joined = " tot en met " if len(numbers) > 2 else " en "
        return f"hoofdstukken {numbers[0]}{joined}{numbers[-1]}"


def _domain_list(kind: str) -> str:
    cb = load_codebook()
    return dutch.join([dutch.lower_first(spec["label"]) for spec in cb.domains.values() if spec["soort"] == kind])


def _chapters(katern: str, *names: str) -> tuple[str, ...]:
    return tuple(f"notebooks/{katern}/{name}" for name in names)


def questions(national: bool) -> list[Question]:
    """The book's research questions in order; an institution edition asks one more, last (so numbers stay)."""
    found = [
        Question("stand", _chapters("katern_a", "a2_visie", "a3_geletterdheid", "a4_vaardigheid", "a5_innoveren",
                                    "a6_lesgeven_met", "a7_lesgeven_over", "a8_typologie"),
                 f"Wat vinden en kunnen mbo-docenten op het gebied van ict ({_domain_list(COMPETENCE)}), en hoe "
                 f"vaak komt {_domain_list(PRACTICE)} in hun lessen voor?"),
        Question("samenhang", _chapters("katern_a", "a9_competenties_handelen"),
                 "Hoe hangen de competenties van docenten samen met wat zij in hun lessen met ict doen?"),
        Question("professionalisering", _chapters("katern_a", "a10_professionalisering",
                                                  "a11_verschillen_instellingen"),
                 "Hoeveel docenten professionaliseren zich op het gebied van onderwijs en ict, en liggen de "
                 "verschillen vooral tussen instellingen, tussen teams of tussen docenten?"),
        Question("ontwikkeling", _chapters("katern_b", "b2_competenties", "b3_lesgeven"),
                 "Hoe hebben de competenties en het handelen van docenten zich over de metingen ontwikkeld?"),
        Question("opbrengst", _chapters("katern_b", "b4_professionalisering", "b5_opbrengst"),
                 "Hoe heeft de professionalisering zich over de metingen ontwikkeld, en gaat ze samen met hogere "
                 "scores?"),
        Question("kansen", _chapters("katern_c", "c2_interesses", "c3_motieven"),
                 "Waarin willen docenten zich verder professionaliseren, en waarom?"),
    ]
    if not national:
        found.append(Question("eigen", _chapters("katern_a", "a12_overzicht"),
                              "Waar staat de eigen instelling tegenover de andere instellingen?"))
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
    return "\n".join(f"{number}. {q.text} *(Antwoord in {q.where}.)*" for number, q in enumerate(questions(national), start=1))


def model_html() -> str:
    """The research model as boxes: professionalisation, then the competence domains, then the practice domains.

    Each domain box lists its scales from the codebook; arrows are drawn as text, so the model reads the same
    without the picture (a list per box).
    """
    cb = load_codebook()

    def box(title: str, domains: list[str]) -> str:
        items = "".join(
            f"<li><strong>{html_text(cb.domains[d]['label'])}</strong>: "
            + html_text(dutch.join([dutch.lower_first(s.label) for s in cb.scales.values() if s.domain == d]))
            + "</li>" for d in domains)
        return f'<div class="mb-model-blok"><p class="mb-model-kop">{html.escape(title)}</p><ul>{items}</ul></div>'

    competence = [d for d, spec in cb.domains.items() if spec["soort"] == COMPETENCE]
    practice = [d for d, spec in cb.domains.items() if spec["soort"] == PRACTICE]
    activities = dutch.join([dutch.lower_first(label) for label in cb.activities.values()])
    first = (f'<div class="mb-model-blok"><p class="mb-model-kop">Professionalisering</p>'
             f"<ul><li>{html_text(activities)}</li></ul></div>")
    arrow = '<div class="mb-model-pijl" aria-hidden="true">→</div>'
    style = ("<style>.mb-model{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:.5rem 0 1rem}"
             ".mb-model-blok{flex:1 1 14rem;border:1px solid #c5d1da;border-top:.3rem solid #0b5c8e;"
             "border-radius:.3rem;padding:.4rem .7rem;font-size:.9rem}"
             ".mb-model-kop{font-weight:700;color:#0b5c8e;margin:0 0 .3rem}"
             ".mb-model-blok ul{margin:0;padding-left:1.1rem}.mb-model-pijl{font-size:1.6rem;color:#0b5c8e}</style>")
    return (style + '<div class="mb-model" role="group" aria-label="Onderzoeksmodel">' + first + arrow
            + box("Competenties: wat docenten vinden en kunnen", competence) + arrow
            + box("Handelen: wat docenten in hun lessen doen", practice) + "</div>")
