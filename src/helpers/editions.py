"""Editions: which exist, and what one chapter notebook sees of its edition.

An edition is `landelijk` (national) or one institution. A chapter notebook
calls `open_edition(...)` with its papermill parameters and gets an
`EditionContext`: the edition's own respondents, the national benchmark,
the privacy threshold and a publisher for its figures and tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import dataset, memo
from .codebook import load_codebook
from .derive import add_derived
from .publish import Publisher
from .stats.typology import fit_typologies

NATIONAL = "landelijk"
# A same-type benchmark needs this many other institutions of the type, so it
# never reflects one or two identifiable institutions.
MIN_OTHER_INSTITUTIONS = 3
NATIONAL_TITLE = "Landelijke editie"
BOOK_TITLE = "Monitor Leren en lesgeven met ict in het mbo"


@dataclass(frozen=True)
class Edition:
    id: str
    title: str
    institution_name: str | None = None
    institution_type: str | None = None

    @property
    def is_national(self) -> bool:
        return self.id == NATIONAL


def available_editions(institutions: pd.DataFrame) -> list[Edition]:
    """The national edition, then one per institution in code order."""
    editions = [Edition(NATIONAL, NATIONAL_TITLE)]
    for row in institutions.sort_values("instelling").itertuples(index=False):
        editions.append(Edition(str(row.instelling), str(row.naam), str(row.naam), str(row.type)))
    return editions


def edition_by_id(edition_id: str, institutions: pd.DataFrame) -> Edition:
    for edition in available_editions(institutions):
        if edition.id == edition_id:
            return edition
    raise KeyError(f"Onbekende editie '{edition_id}'")


@dataclass
class EditionContext:
    edition: Edition
    respondents: pd.DataFrame  # every respondent of every wave, derived variables added
    min_n: int
    publish: Publisher
    data_hash: str
    type_labels: dict[str, str] = field(default_factory=dict)
    typology: dict = field(default_factory=dict)  # national koplopers/peloton/achterblijvers models per domain

    @property
    def own(self) -> pd.DataFrame:
        """Respondents of this edition: everyone nationally, else the institution's own."""
        if self.edition.is_national:
            return self.respondents
        return self.respondents.loc[self.respondents["instelling"] == self.edition.id]

    @property
    def national(self) -> pd.DataFrame:
        return self.respondents

    def _same_type_others(self) -> pd.DataFrame:
        kind = self.edition.institution_type
        others = self.respondents["instelling"] != self.edition.id
        return self.respondents.loc[others & (self.respondents["instellingstype"] == kind)]

    @property
    def type_label(self) -> str | None:
        """Dutch label of the institution's type, e.g. 'Regionaal opleidingencentrum (roc)'."""
        return self.type_labels.get(self.edition.institution_type) if self.edition.institution_type else None

    def same_type(self, wave: int) -> pd.DataFrame | None:
        """Respondents in `wave` at the *other* institutions of this edition's type, if enough of them."""
        if self.edition.is_national:
            return None
        others = self._same_type_others()
        others = others.loc[others["meting"] == wave]
        if others["instelling"].nunique() < MIN_OTHER_INSTITUTIONS:
            return None
        return others

    def same_type_note(self, wave: int) -> str:
        """Why the same-type benchmark is or is not shown (Dutch, for the reader)."""
        if self.edition.is_national:
            return ""
        if self.same_type(wave) is not None:
            return (f"De vergelijking met hetzelfde type instelling gebruikt alle andere instellingen van het type "
                    f"‘{self.type_label}’ samen.")
        return (f"Een vergelijking met hetzelfde type instelling (‘{self.type_label}’) ontbreekt: daarvoor moeten "
                f"ten minste {MIN_OTHER_INSTITUTIONS} andere instellingen van dat type hebben meegedaan, "
                f"zodat de vergelijking niet over één of twee herkenbare instellingen gaat.")


def open_edition(
    edition: str = NATIONAL,
    data_dir: str | Path | None = None,
    tables_dir: str | Path | None = None,
    min_n: int | None = None,
    cache_dir: str | Path | None = None,
) -> EditionContext:
    """Everything a chapter notebook needs to know about its edition.

    `cache_dir` is the build's folder of shared results (see `helpers.memo`);
    without it everything is computed here.
    """
    memo.use(cache_dir)
    cb = load_codebook()
    data = dataset.load(data_dir)
    ed = edition_by_id(edition, data.institutions)
    typology = fit_typologies(data.respondents, codebook=cb)  # national, so every edition classifies alike
    return EditionContext(
        edition=ed,
        respondents=add_derived(data.respondents, cb, data.institutions, typology=typology),
        typology=typology,
        min_n=cb.min_n if min_n is None else int(min_n),
        publish=Publisher(tables_dir),
        data_hash=data.data_hash,
        type_labels=cb.value_labels("type"),
    )
