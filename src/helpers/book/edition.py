"""Editions: which exist, and what one chapter notebook sees of its edition.

An edition is `landelijk` (national) or one institution. A chapter notebook
calls `open_edition(...)` with its papermill parameters and gets an
`EditionContext`: the edition's own respondents, the national benchmark,
the privacy threshold and a publisher for its figures and tables.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.book.escaping import markdown_text
from helpers.book.publish import Publisher
from helpers.book.sentences import sentence_file
from helpers.data import dataset
from helpers.data.codebook import load_codebook
from helpers.data.derive import add_derived
from helpers.core import memo
from helpers.core.edition_manifest import NATIONAL, SAME_TYPE, Edition, load_manifest, resolve
from helpers.stats.typology import add_typologies, fit_typologies

# A same-type benchmark needs this many other institutions of the type, so it
# never reflects one or two identifiable institutions.
MIN_OTHER_INSTITUTIONS = 3
SENTENCES = sentence_file("boek")
BOOK_TITLE = "Monitor Leren en lesgeven met ict in het mbo"


def available_editions(institutions: pd.DataFrame, manifest: dict | None = None) -> list[Edition]:
    """The editions the edition manifest (`edities.yml`) declares for these institutions."""
    return resolve(manifest if manifest is not None else load_manifest(), institutions.to_dict("records"))


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
    shipped_data: bool = False  # built on the synthetic data shipped with the book
    type_labels: dict[str, str] = field(default_factory=dict)
    typology: dict = field(default_factory=dict)  # national koplopers/peloton/achterblijvers models per domain
    _made: dict = field(default_factory=dict, repr=False, compare=False)

    def once(self, name: str, make):
        """`make()`, computed once per context: every table of a chapter starts from the same few row selections.

        For a table cited by later chapters of the edition too, see `kept`.
        """
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    @property
    def own(self) -> pd.DataFrame:
        """Respondents of this edition: everyone nationally, else the institution's own."""
        if self.edition.is_national:
            return self.respondents
        return self.once("own", lambda: self.respondents.loc[self.respondents["instelling"] == self.edition.id])

    @property
    def title_md(self) -> str:
        """The edition's title for the prose: it holds the institution's name, shown as typed, never as markup."""
        return markdown_text(self.edition.title)

    @property
    def national(self) -> pd.DataFrame:
        return self.respondents

    @property
    def national_benchmark(self) -> bool:
        """Whether the national figures are shown beside the institution's (edition manifest)."""
        return self.edition.is_national or NATIONAL in self.edition.benchmarks

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
        if self.edition.is_national or SAME_TYPE not in self.edition.benchmarks:
            return None

        def make():
            others = self._same_type_others()
            others = others.loc[others["meting"] == wave]
            return None if others["instelling"].nunique() < MIN_OTHER_INSTITUTIONS else others
        return self.once(f"same_type:{wave}", make)

    def same_type_note(self, wave: int) -> str:
        """Why the same-type benchmark is or is not shown (Dutch, for the reader)."""
        if self.edition.is_national:
            return ""
        if SAME_TYPE not in self.edition.benchmarks:
            return ""
        if self.same_type(wave) is not None:
            return SENTENCES.say("zelfde_type_getoond", type=self.type_label)
        return SENTENCES.say("zelfde_type_ontbreekt", type=self.type_label, minimum=MIN_OTHER_INSTITUTIONS)


# -- an edition's tables, kept for the kernel's life -------------------------------------------
# A kernel serves one edition, whose chapters run one after another in it. The conclusions, the praatplaat
# and some later chapters cite tables that an earlier chapter computed; those are computed once.
_KEPT: dict = {}
_KEPT_FOR = "edition"


def kept(table):
    """Decorator for `table(ctx, *args)`, one of the edition's tables: computed once per edition in this kernel.

    Keyed on the edition (all of it: title, benchmarks, pages), its data, its
    threshold and the arguments; every caller gets its own copy. A context
    without a data hash (a test's stand-in) is not kept.

    One of three ways to remember a result, by how long it lives:
    `EditionContext.once` within one chapter's context, `kept` within one
    edition's kernel, and `helpers.core.memo.shared` across editions and
    builds (keyed on the content of its arguments, so it costs a hash per call).
    """
    name = f"{table.__module__}.{table.__qualname__}"

    @functools.wraps(table)
    def wrapper(ctx, *args):
        edition = (ctx.edition, getattr(ctx, "data_hash", None), getattr(ctx, "min_n", None))
        key = (name, tuple(tuple(a) if isinstance(a, list) else a for a in args))
        try:
            hash((edition, key))
        except TypeError:  # an argument that cannot be a key
            return table(ctx, *args)
        if edition[1] is None:
            return table(ctx, *args)
        if _KEPT.get(_KEPT_FOR) != edition:
            _KEPT.clear()
            _KEPT[_KEPT_FOR] = edition
        if key not in _KEPT:
            _KEPT[key] = table(ctx, *args)
        return memo.copied(_KEPT[key])

    return wrapper


def open_edition(
    edition: str = NATIONAL,
    data_dir: str | Path | None = None,
    tables_dir: str | Path | None = None,
    min_n: int | None = None,
    cache_dir: str | Path | None = None,
) -> EditionContext:
    """Everything a chapter notebook needs to know about its edition.

    `cache_dir` is the build's folder of shared results (see `helpers.core.memo`);
    without it everything is computed here.
    """
    memo.use(cache_dir)
    cb = load_codebook()
    data, typology, respondents = _prepared(data_dir, cb)
    chosen = edition_by_id(edition, data.institutions)
    return EditionContext(
        edition=chosen,
        respondents=respondents,
        typology=typology,
        min_n=cb.min_n if min_n is None else int(min_n),
        publish=Publisher(tables_dir, edition=chosen.id, shipped_data=data.is_shipped,
                          wave=int(respondents["meting"].max()) if len(respondents) else None),
        data_hash=data.data_hash,
        shipped_data=data.is_shipped,
        type_labels=cb.value_labels("type"),
    )


# The chapters of an edition run one after another in one kernel on the same
# prepared folder, whose name is keyed on its content: they share the loaded
# and derived frame instead of each reading and deriving it again.
_PREPARED: dict[tuple[str, str], tuple] = {}


def _prepared(data_dir: str | Path | None, cb) -> tuple[dataset.Dataset, dict, pd.DataFrame]:
    """(data set, national typology, respondents with derived variables) of a prepared folder."""
    key = None
    if data_dir is not None:
        folder = Path(data_dir).resolve()
        key = (str(folder), (folder / dataset.INFO_FILE).read_text(encoding="utf-8"))
    if key is None or key not in _PREPARED:
        if data_dir is None:
            from helpers.data.validation import load_shipped  # here: a built edition reads checked data, no validator

            data = load_shipped()
        else:
            data = dataset.load(data_dir)
        typology = fit_typologies(data.respondents, codebook=cb)  # national, so every edition classifies alike
        derived = add_typologies(add_derived(data.respondents, cb, data.institutions), typology, cb)
        if key is None:
            return data, typology, derived
        _PREPARED.clear()
        _PREPARED[key] = (data, typology, derived)
    data, typology, derived = _PREPARED[key]
    # Shallow copies under pandas' copy-on-write: a chapter that changes its frames never changes the next one's.
    shared = dataset.Dataset(data.respondents.copy(deep=False), data.institutions.copy(deep=False), data.data_hash,
                             data.shipped)
    return shared, typology, derived.copy(deep=False)
