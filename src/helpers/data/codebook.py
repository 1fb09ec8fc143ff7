"""The codebook: the single source of names, codes and Dutch labels.

Everything that reads, checks, generates or shows survey data asks this
module for column names and labels instead of spelling them out itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from helpers.core.paths import PROJECT_ROOT

DEFAULT_CODEBOOK = PROJECT_ROOT / "data" / "codebook.yaml"


@dataclass(frozen=True)
class Scale:
    id: str
    label: str
    domain: str
    answer_format: str
    item_labels: tuple[str, ...]

    @property
    def items(self) -> list[str]:
        """Item column names, `<scale>_<k>` with k = 1, 2, ..."""
        return [f"{self.id}_{k}" for k in range(1, len(self.item_labels) + 1)]


class Codebook:
    """Read-only view of data/codebook.yaml."""

    def __init__(self, raw: dict):
        self.raw = raw
        self.respondent_variables: dict = raw["respondenten"]
        self.institution_variables: dict = raw["instellingen"]
        self.activities: dict[str, str] = raw["activiteiten"]["items"]
        self.many_activities_threshold: int = raw["activiteiten"]["grens_veel"]
        self.activity_groups: dict[str, str] = raw["activiteiten"]["groepen"]
        self.activity_duration: dict[str, str] = raw["activiteiten"]["duur"]  # column -> 'kort' | 'lang'
        self.professionalisation_forms: dict[str, str] = raw["activiteiten"]["vormen"]
        self.answer_formats: dict = raw["antwoordformaten"]
        self.domains: dict = raw["domeinen"]
        self.scales: dict[str, Scale] = {
            sid: Scale(
                id=sid,
                label=s["label"],
                domain=s["domein"],
                answer_format=s["formaat"],
                item_labels=tuple(s["items"]),
            )
            for sid, s in raw["schalen"].items()
        }
        self.themes: dict[str, str] = raw["themas"]["items"]
        self.theme_none: str = raw["themas"]["geen"]
        self.theme_question: str = raw["themas"]["vraag"]
        self.motives: dict[str, str] = raw["motieven"]["items"]
        self.motive_text: str = raw["motieven"]["tekst"]
        self.min_n: int = raw["privacy"]["min_n"]

    # -- column groups -------------------------------------------------
    @property
    def theme_columns(self) -> list[str]:
        """All theme columns including `thema_geen`."""
        return list(self.themes)

    @property
    def substantive_themes(self) -> list[str]:
        """The themes a teacher can choose, without `thema_geen`."""
        return [t for t in self.themes if t != self.theme_none]

    @property
    def item_columns(self) -> list[str]:
        return [c for s in self.scales.values() for c in s.items]

    @property
    def category_variables(self) -> dict[str, dict[str, str]]:
        """Categorical respondent variables and their value labels."""
        return {
            name: spec["waarden"]
            for name, spec in self.respondent_variables.items()
            if spec["type"] == "category"
        }

    @property
    def respondent_columns(self) -> list[str]:
        """Every column the contract knows, in codebook order."""
        base = [c for c in self.respondent_variables if c != self.motive_text]
        return (
            base
            + list(self.activities)
            + self.item_columns
            + self.theme_columns
            + [self.motive_text]
            + list(self.motives)
        )

    # -- labels ----------------------------------------------------------
    def label(self, column: str) -> str:
        """Dutch label of any column or derived variable known to the codebook."""
        for group in (self.respondent_variables, self.institution_variables):
            if column in group:
                return group[column]["label"]
        for group in (self.activities, self.themes, self.motives):
            if column in group:
                return group[column]
        if column in self.scales:
            return self.scales[column].label
        for scale in self.scales.values():
            if column in scale.items:
                return scale.item_labels[scale.items.index(column)]
        raise KeyError(f"'{column}' staat niet in het codeboek")

    def value_labels(self, column: str) -> dict[str, str]:
        """Dutch labels of the codes of a categorical variable, in codebook order."""
        for group in (self.respondent_variables, self.institution_variables):
            if column in group and "waarden" in group[column]:
                return dict(group[column]["waarden"])
        raise KeyError(f"'{column}' heeft geen waardelabels in het codeboek")

    @property
    def score_range(self) -> tuple[int, int]:
        """(lowest, highest) answer of the answer formats: the range of every scale score."""
        points = [int(v) for spec in self.answer_formats.values() for v in spec["waarden"]]
        return min(points), max(points)


@lru_cache(maxsize=4)
def load_codebook(path: str | Path = DEFAULT_CODEBOOK) -> Codebook:
    with open(path, encoding="utf-8") as fh:
        return Codebook(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))  # C parser: 10x faster
