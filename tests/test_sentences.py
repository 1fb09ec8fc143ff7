"""The book's sentences live in Markdown templates beside the notebooks (`helpers.book.sentences`).

A researcher edits a sentence there; these tests hold the rules that keep that safe: no number typed in a
template, every sentence a chapter says exists (and every template sentence is said), a value the chapter
forgot or a bare number is an error, an edited template reruns exactly the chapters that say it, and the
chapter modules keep no reader sentences of their own.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from helpers.book import sentences
from helpers.book.sentences import SentenceError, sentence_file
from helpers.core import code_version
from helpers.core.paths import NOTEBOOKS, SENTENCES_SUFFIX, sentence_template

SRC = Path(sentences.__file__).resolve().parents[1]
TEMPLATES = sorted(NOTEBOOKS.rglob(f"*{SENTENCES_SUFFIX}"))
# Everything Jinja reads: placeholders, tags and comments; a digit may only appear inside one of them.
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_FILE = re.compile(r"""(\w+)\s*=\s*sentence_file\(\s*["']([^"']+)["']\s*\)""")


def _uses() -> dict[str, set[str]]:
    """Template name -> the sentences the modules say from it (`NAME.say("sentence", ...)`, read from the sources)."""
    used: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        if path == Path(sentences.__file__).resolve():  # its docstring's example
            continue
        source = path.read_text(encoding="utf-8")
        for variable, name in _FILE.findall(source):
            said = re.findall(rf"""\b{variable}\.say\(\s*["'](\w+)["']""", source)
            used.setdefault(name, set()).update(said)
    return used


def test_there_are_templates_and_modules_use_them():
    assert TEMPLATES, "no sentence templates found"
    assert _uses(), "no chapter module reads a sentence template"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_no_digit_outside_a_placeholder(template):
    prose = _JINJA.sub("", template.read_text(encoding="utf-8"))
    typed = [line.strip() for line in prose.splitlines() if re.search(r"\d", line)]
    assert not typed, f"{template.name}: a number is typed in the text, not taken from the data: {typed}"


def test_every_sentence_said_exists_and_every_sentence_is_said():
    used = _uses()
    for name, said in used.items():
        defined = set(sentence_file(name).names())
        assert said <= defined, f"{name}: said but not in the template: {sorted(said - defined)}"
        assert defined <= said, f"{name}: in the template but said by no module: {sorted(defined - said)}"
    orphans = {str(t.relative_to(NOTEBOOKS))[: -len(SENTENCES_SUFFIX)] for t in TEMPLATES} - set(used)
    assert not orphans, f"templates no module reads: {sorted(orphans)}"


@pytest.fixture
def scratch_template(tmp_path, monkeypatch):
    monkeypatch.setattr(sentences, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(sentences, "sentence_template", lambda name: tmp_path / f"{name}{SENTENCES_SUFFIX}")
    sentences._environment.cache_clear()
    yield tmp_path
    sentences._environment.cache_clear()


def test_a_sentence_is_filled_in_on_one_line(scratch_template):
    (scratch_template / f"proef{SENTENCES_SUFFIX}").write_text(
        "{# uitleg #}\n"
        "{% macro zin(n, aandeel, groepen, verschil) %}\n"
        "  {{ n | aantal(\"docent\", \"docenten\") }} {{ n | vorm(\"noemt\", \"noemen\") }} dit\n"
        "  ({{ aandeel | procent }}), vooral {{ groepen | opsomming }}; het ligt\n"
        "  {% if verschil > 0 %}hoger{% else %}lager{% endif %}\n"
        "  dan landelijk.\n"
        "\n"
        "  Tweede alinea.\n"
        "{% endmacro %}\n", encoding="utf-8")
    said = sentence_file("proef").say("zin", n=5467, aandeel=0.481, groepen=["a", "b", "c"], verschil=-1)
    assert said == ("5.467 docenten noemen dit (48%), vooral a, b en c; het ligt lager dan landelijk.\n\n"
                    "Tweede alinea.")
    assert sentence_file("proef").say("zin", n=1, aandeel=0.5, groepen=["a"], verschil=1).startswith(
        "1 docent noemt dit (50%), vooral a; het ligt hoger")


def test_a_forgotten_value_a_bare_number_or_an_unknown_sentence_is_an_error(scratch_template):
    (scratch_template / f"proef{SENTENCES_SUFFIX}").write_text(
        "{% macro zin(n) %}Het zijn er {{ n }}.{% endmacro %}\n", encoding="utf-8")
    file = sentence_file("proef")
    with pytest.raises(SentenceError, match="zonder opmaak"):
        file.say("zin", n=12)
    with pytest.raises(SentenceError, match="n"):
        file.say("zin")
    with pytest.raises(SentenceError, match="geen zin 'andere'"):
        file.say("andere")
    with pytest.raises(SentenceError, match="takes no keyword argument"):
        file.say("zin", n="twaalf", m=1)


def test_an_edited_template_changes_the_key_of_exactly_the_modules_that_say_it():
    used = _uses()
    assert used
    name = sorted(used)[0]
    template = sentence_template(name)
    users = [m for m in _modules() if template in code_version.modules_of(m)]
    others = [m for m in _modules() if template not in code_version.modules_of(m)]
    assert users and others
    assert any(f'sentence_file("{name}")' in Path(code_version._module_file(m)).read_text() for m in users)


def _modules() -> list[str]:
    return sorted("helpers." + ".".join(p.relative_to(SRC).with_suffix("").parts)
                  for p in (SRC).rglob("*.py") if p.name != "__init__.py" and "synthetic" not in p.parts)




def _sentence_literals(path: Path) -> list[str]:
    """String pieces in a module's code (docstrings aside) that read as a sentence for readers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words = re.findall(r"[^\W\d_]+", node.value)
            if len(words) >= 6 or (len(words) >= 3 and node.value.rstrip().endswith((".", "?", "!", ";"))):
                found.append(node.value)
    return found


CHAPTERS = SRC / "chapters"


@pytest.mark.parametrize("module", sorted(CHAPTERS.rglob("*.py")), ids=lambda p: str(p.relative_to(CHAPTERS)))
def test_chapter_modules_keep_no_reader_sentences(module):
    found = _sentence_literals(module)
    assert not found, f"{module.relative_to(CHAPTERS)}: sentences typed in Python, not in a template: {found[:5]}"
