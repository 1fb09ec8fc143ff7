"""The book's sentences: Markdown templates a researcher edits, filled in from a chapter's tables.

Every sentence the chapters write for readers has its skeleton in a
template beside the chapter's notebook (`notebooks/katern_c/c3_motieven.zinnen.md`
beside `c3_motieven.ipynb`), written in Markdown with Jinja placeholders. A
template holds one macro per sentence (or short paragraph)::

    {% macro frequentie(antwoorders, eerste) -%}
    Landelijk beantwoordden {{ antwoorders | aantal("docent", "docenten") }} de open vraag;
    zij noemen ‘{{ eerste.naam }}’ het vaakst ({{ eerste.aandeel | procent }}).
    {%- endmacro %}

and the chapter module fills it in::

    SENTENCES = sentence_file("katern_c/…")  # the template's name, typed as a literal
    SENTENCES.say("frequentie", antwoorders=412, eerste={"naam": ..., "aandeel": 0.31})

The rules a template keeps (`tests/test_sentences.py` checks them):

- no digit outside a placeholder: every number comes from the data, formatted
  by a filter (`aantal`, `procent`, ...); a bare number in `{{ }}` is an error,
  so no number reaches the book unformatted;
- words that depend on the data stay in the template, chosen there
  (`{% if verschil > 0 %}hoger{% else %}lager{% endif %}`, `{{ n | vorm("is", "zijn") }}`,
  `{{ groepen | opsomming }}`);
- a value is put in as the chapter passes it: names from data are escaped by
  the chapter (`helpers.book.escaping.markdown_text`, `ctx.title_md`), as in
  any Markdown the chapters write.

A template is read when its first sentence is said, not at import. Line
breaks inside a paragraph are for the editor only: a sentence comes out on one
line (it may land in a table cell), paragraphs stay apart. The cache key of a
chapter holds the templates of every module it imports
(`helpers.core.code_version`), so an edited sentence reruns exactly the
chapters that say it.
"""
from __future__ import annotations

import functools
import numbers
import re

import jinja2

from helpers.core import dutch
from helpers.core.paths import NOTEBOOKS, SENTENCES_SUFFIX, sentence_template


class SentenceError(ValueError):
    """A template that cannot say a sentence: unknown name, missing value, bare number."""


def _finalize(value):
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        raise SentenceError(f"het getal {value!r} staat zonder opmaak in een zin: gebruik een filter "
                            "(aantal, procent, decimaal, gemiddelde, twee_decimalen, jaar)")
    return value


def _count(n, singular: str | None = None, plural: str | None = None) -> str:
    """`{{ n | aantal }}` -> '5.467'; `{{ n | aantal("docent", "docenten") }}` -> '1 docent' / '5.467 docenten'."""
    if singular is None:
        return dutch.integer(n)
    return dutch.count_word(n, singular, plural if plural is not None else singular)


def _quoted(names) -> str:
    """`{{ schalen | aangehaald }}` -> '‘a’, ‘b’ en ‘c’': each name between quotes, listed."""
    return dutch.join([f"‘{name}’" for name in names])


def _form(n, singular: str, plural: str) -> str:
    """`{{ n | vorm("is", "zijn") }}`: the word that agrees with `n`, without the number."""
    return singular if n == 1 else plural


FILTERS = {
    "aantal": _count,
    "procent": dutch.percent,
    "decimaal": dutch.decimal,
    "gemiddelde": dutch.mean,
    "twee_decimalen": dutch.two_decimals,
    "jaar": dutch.year,
    "opsomming": dutch.join,
    "aangehaald": _quoted,
    "respectievelijk": dutch.respectively,
    "kleine_letter": dutch.lower_first,
    "hoofdletter": dutch.upper_first,
    "vorm": _form,
}


# A tag or comment alone on its line (`{% if ... %}`, `{% endmacro %}`, `{# ... #}`): the line disappears with it.
# A tag at the end of a line of text keeps that line's break, which becomes the space before the next word (Jinja's
# own `trim_blocks` would glue "motieven{% endif %}" to the next line's "na").
_STANDALONE_TAG = re.compile(r"^[ \t]*(\{%(?:(?!%\}).)*%\}|\{#(?:(?!#\}).)*#\})[ \t]*(?:\n|\Z)",
                             re.MULTILINE | re.DOTALL)


class _SentenceLoader(jinja2.FileSystemLoader):
    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return _STANDALONE_TAG.sub(r"\1", source), filename, uptodate


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_SentenceLoader(NOTEBOOKS),
        undefined=jinja2.StrictUndefined,  # a value the chapter forgot is an error, never an empty gap
        finalize=_finalize,
        autoescape=False,  # Markdown, not HTML: values arrive escaped for Markdown by the chapter
        keep_trailing_newline=False,
    )
    env.filters.update(FILTERS)
    return env


# A line that starts a Markdown block keeps its line break; any other line continues the paragraph.
_BLOCK_START = re.compile(r"^(?:[-*+] |\d+[.)] |#|\||>|:::|```)")


def _one_line_per_paragraph(text: str) -> str:
    paragraphs = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip()):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        joined = ""
        for line in lines:
            if not joined:
                joined = line
            elif _BLOCK_START.match(line):
                joined += "\n" + line
            else:
                joined += " " + line
        paragraphs.append(re.sub(r"[ \t]{2,}", " ", joined))
    return "\n\n".join(p for p in paragraphs if p)


class SentenceFile:
    """The sentences of one template file; `say` fills one in."""

    def __init__(self, name: str):
        self.name = name
        self.path = sentence_template(name)

    @functools.cached_property
    def _module(self):
        if not self.path.is_file():
            raise SentenceError(f"het zinnenbestand {self.path} bestaat niet")
        try:
            return _environment().get_template(f"{self.name}{SENTENCES_SUFFIX}").module
        except jinja2.TemplateSyntaxError as error:
            raise SentenceError(f"{self.path}, regel {error.lineno}: {error.message}") from error

    def names(self) -> list[str]:
        """The sentences this file defines."""
        return sorted(name for name in dir(self._module) if not name.startswith("_"))

    def say(self, sentence: str, **values) -> str:
        """Sentence `sentence` with `values` filled in, as Markdown."""
        macro = getattr(self._module, sentence, None)
        if not isinstance(macro, jinja2.runtime.Macro):
            raise SentenceError(f"{self.path} heeft geen zin '{sentence}'")
        try:
            text = macro(**values)
        except jinja2.UndefinedError as error:
            raise SentenceError(f"{self.path}, zin '{sentence}': {error.message}") from error
        except TypeError as error:  # a value the macro does not take
            raise SentenceError(f"{self.path}, zin '{sentence}': {error}") from error
        return _one_line_per_paragraph(str(text))


def sentence_file(name: str) -> SentenceFile:
    """The template `notebooks/<name>.zinnen.md`. Call it with the name typed as a literal: the build's cache finds
    a chapter's templates by reading its module (`helpers.core.code_version`)."""
    return SentenceFile(name)
