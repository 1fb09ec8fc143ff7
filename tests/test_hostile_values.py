"""Odd and hostile values from an export: shown as typed, never run, never written outside the output.

Institution names, codes and team names are typed by people. One institution
edition is built from a small data set whose institution and teams carry
names full of markup, Markdown, math and formulas; Chromium then opens every
page and proves that nothing runs, nothing links elsewhere and the names
read exactly as typed. Unsafe codes are refused by `validate` and `build`.
"""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from helpers.book.escaping import FORMULA_START, html_text, markdown_text, spreadsheet_safe
from helpers.book.figures import horizontal_bars
from helpers.data.validation import InvalidInput, load_survey
from helpers.pipeline.build import UnsafeOutputPath, build, build_edition, check_output_paths
from helpers.core.edition_manifest import Edition, chapters_for
from helpers.stats.themes import katern_c_sample
from helpers.synthetic import write as write_synthetic

HOSTILE_NAME = ("ROC <script>window.__pwned=1</script> & Co *vet* _schuin_ [klik](https://evil.example) "
                "<b>dik</b> $x$ {naam} `code` 't \"Hoofd\" -- #1 | 50% @home")
HOSTILE_TEAMS = [
    '=HYPERLINK("https://evil.example","klik")',
    '<img src=x onerror="window.__pwned=2">',
    "*Team* [a](https://evil.example) $y$ @zorg",
]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True)


# -- one helper per place a value lands --------------------------------------------------------
def test_markdown_text_renders_literally_under_myst_rules():
    parser = MarkdownIt("commonmark", {"typographer": True}).enable(["replacements", "smartquotes"])
    parser.use(dollarmath_plugin)
    for value in [HOSTILE_NAME, *HOSTILE_TEAMS, "1. lijst", "# kop", "a\nb", "\\(z\\)"]:
        rendered = parser.render(f"Bij {markdown_text(value)} zijn.")
        for markup in ("<script", "<a ", "<em>", "<strong>", "<b>", "<img", "<code>", "<h1", "<ol", "math"):
            assert markup not in rendered, (value, rendered)
        expected = html_text(value.replace("\n", " ")).replace("&#x27;", "'").replace("&quot;", '"')
        assert rendered.replace("&quot;", '"') == f"<p>Bij {expected} zijn.</p>\n", value


def test_spreadsheet_cells_are_neutralised_and_numbers_untouched():
    table = pd.DataFrame({"groep": [*HOSTILE_TEAMS, "-", "gewoon"], "residu": [-2.5, 1.0, -0.1, 3.0, 0.0],
                          "n": [10, 11, 12, 13, 14]})
    safe = spreadsheet_safe(table)
    assert safe["groep"].tolist() == ["'" + HOSTILE_TEAMS[0], HOSTILE_TEAMS[1], HOSTILE_TEAMS[2], "'-", "gewoon"]
    assert safe["residu"].equals(table["residu"]) and safe["n"].equals(table["n"])


def test_dollar_signs_in_figure_labels_stay_dollar_signs(tmp_path):
    table = pd.DataFrame({"thema": ["a", "b"], "aandeel": [0.4, 0.6], "groep_label": ["Kosten $ 5", "$x$"]})
    fig = horizontal_bars(table, "thema", "aandeel", "Titel met $ en $x$", hue="groep_label")
    texts = [t for t in fig.findobj(lambda o: hasattr(o, "get_parse_math"))]
    assert texts and not any(t.get_parse_math() for t in texts)
    fig.savefig(tmp_path / "f.png")  # an unbalanced $ would make mathtext raise here
    plt.close(fig)


# -- codes that cannot name an edition --------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("tiny")
    write_synthetic(directory, seed=11, scale=0.02)
    return directory / "respondenten.csv", directory / "instellingen.csv"


BAD_CODES = {
    "../../evil": "ongeldige code '../../evil'",
    "I07 ": "ongeldige code 'I07 '",
    "a/b": "ongeldige code 'a/b'",
    "a\\b": "ongeldige code 'a\\b'",
    "..": "ongeldige code '..'",
    "landelijk": "gereserveerde code 'landelijk'",
    "LANDELIJK": "gereserveerde code 'LANDELIJK'",
    "con": "gereserveerde code 'con'",
}


def _recode(tiny, tmp_path, new_codes: dict[str, str]) -> tuple[Path, Path]:
    """The tiny data with institution codes replaced in both files."""
    respondents = pd.read_csv(tiny[0], dtype=str, keep_default_na=False)
    institutions = pd.read_csv(tiny[1], dtype=str, keep_default_na=False)
    respondents["instelling"] = respondents["instelling"].replace(new_codes)
    institutions["instelling"] = institutions["instelling"].replace(new_codes)
    paths = tmp_path / "respondenten.csv", tmp_path / "instellingen.csv"
    respondents.to_csv(paths[0], index=False)
    institutions.to_csv(paths[1], index=False)
    return paths


def test_validate_reports_every_unsafe_code_at_once(tiny, tmp_path):
    institutions = pd.read_csv(tiny[1], dtype=str, keep_default_na=False)
    extra = pd.DataFrame([dict(institutions.iloc[0], instelling=code) for code in [*BAD_CODES, "X07", "x07"]])
    path = tmp_path / "instellingen.csv"
    pd.concat([institutions, extra]).to_csv(path, index=False)
    with pytest.raises(InvalidInput) as caught:
        load_survey(tiny[0], path)
    report = caught.value.report()
    assert report.startswith("De invoer bevat 3 problemen; er is niets gebouwd."), report
    for says in BAD_CODES.values():
        assert says.split(" ", 2)[2] in report, (says, report)
    case_line = next(line for line in report.splitlines() if "codes die alleen in hoofdletters verschillen" in line)
    assert "'X07', 'x07'" in case_line
    assert "Traceback" not in report and all(p.column == "instelling" for p in caught.value.problems)


@pytest.mark.parametrize("code", ["../../evil", "I07 ", "a/b", "landelijk"])
def test_build_and_validate_refuse_an_unsafe_code_and_write_nothing(tiny, tmp_path, code):
    first = sorted(pd.read_csv(tiny[1], dtype=str)["instelling"])[0]
    data = tmp_path / "data"
    data.mkdir()
    paths = _recode(tiny, data, {first: code})
    out = tmp_path / "a" / "b" / "out"
    before = sorted(p for p in tmp_path.rglob("*"))
    result = run("validate", "--data", str(paths[0]), "--institutions", str(paths[1]))
    assert result.returncode == 2 and f"'{code}'" in result.stderr and "Traceback" not in result.stderr
    result = run("build", "--data", str(paths[0]), "--institutions", str(paths[1]), "--out", str(out),
                 "--no-progress")
    assert result.returncode == 2, result.stderr
    assert f"'{code}'" in result.stderr and "er is niets gebouwd" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p for p in tmp_path.rglob("*")) == before, "a refused build wrote files"


def test_build_never_writes_outside_the_output_folder(tmp_path):
    """The build's own guard, independent of validation: an id leading outside `--out` is refused."""
    out = tmp_path / "deep" / "out"
    out.mkdir(parents=True)
    for bad_id in ("../../evil", "..", "/tmp/evil", ""):
        with pytest.raises(UnsafeOutputPath):
            build_edition(Edition(bad_id, "x"), tmp_path, out, 10, "hash", use_cache=False)
    assert [p.name for p in tmp_path.rglob("*")] == ["deep", "out"]
    with pytest.raises(UnsafeOutputPath, match="dezelfde map"):
        check_output_paths(out, [Edition("landelijk", "Landelijk"), Edition("Landelijk", "x")])
    check_output_paths(out, [Edition("landelijk", "Landelijk"), Edition("I07", "x")])


# -- a whole edition built from hostile names, read in Chromium --------------------------------------
@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, str]:
    directory = tmp_path_factory.mktemp("hostile-data")
    write_synthetic(directory, seed=7, scale=0.05)
    survey = load_survey(directory / "respondenten.csv", directory / "instellingen.csv")
    code = str(katern_c_sample(survey.respondents)["instelling"].value_counts().index[0])
    institutions = pd.read_csv(directory / "instellingen.csv", dtype=str, keep_default_na=False)
    institutions.loc[institutions["instelling"] == code, "naam"] = HOSTILE_NAME
    institutions.to_csv(directory / "instellingen.csv", index=False)
    respondents = pd.read_csv(directory / "respondenten.csv", dtype=str, keep_default_na=False)
    own = respondents["instelling"] == code
    largest = respondents.loc[own & (respondents["team"] != ""), "team"].value_counts().index[:len(HOSTILE_TEAMS)]
    renamed = respondents["team"].replace(dict(zip(largest, HOSTILE_TEAMS)))
    respondents["team"] = renamed.where(own, respondents["team"])
    respondents.to_csv(directory / "respondenten.csv", index=False)
    out = tmp_path_factory.mktemp("hostile-build")
    results = build(directory / "respondenten.csv", directory / "instellingen.csv", out=out, editions=[code],
                    jobs=1, show_progress=False)
    assert all(r.ok for r in results), [r.error for r in results]
    return out / "editions" / code, code


_PAGE_FACTS = """() => ({
    pwned: window.__pwned === undefined ? null : window.__pwned,
    title: document.title,
    sidebar: (document.querySelector('.logo__title') || {}).textContent || null,
    text: document.body.innerText,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    injected: document.querySelectorAll('img[src="x"], b, em a, .math').length,
    scripts: [...document.scripts].filter(s => (s.textContent || '').includes('__pwned') && !s.type.includes('json')).length,
    options: [...document.querySelectorAll('.mb-switcher-control option, .mb-switcher-control button')]
        .map(o => o.textContent),
    alts: [...document.querySelectorAll('img[alt]')].map(i => i.getAttribute('alt')),
})"""


def test_hostile_names_neither_run_nor_render_as_markup_in_any_page(hostile):
    from browser import chromium_available, launch_browser, open_page, serve_directory

    if not chromium_available():
        pytest.fail("Chromium is not installed (/usr/bin/chromium): `make test` installs it with apt-get")
    edition_dir, code = hostile
    pages = [f"{chapter}.html" for chapter in chapters_for(code)] + ["search.html", "genindex.html"]
    seen_in_prose, options, alts = [], [], []
    with serve_directory(edition_dir / "html") as base_url, launch_browser() as browser:
        for page_path in pages:
            with open_page(browser, base_url) as (page, monitor):
                dialogs = []
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(f"{base_url}/{page_path}", wait_until="load")
                page.wait_for_timeout(300)  # let the widget manager render
                facts = page.evaluate(_PAGE_FACTS)
            monitor.assert_clean()
            assert facts["pwned"] is None and not dialogs, f"{page_path}: a name ran as code"
            assert facts["scripts"] == 0, f"{page_path}: a name became a script element"
            assert facts["injected"] == 0, f"{page_path}: a name became markup (image, bold, link or math)"
            external = [u for u in facts["links"] if not u.startswith(base_url)]
            assert not external, f"{page_path}: links to elsewhere: {external}"
            assert HOSTILE_NAME in facts["title"], f"{page_path}: title {facts['title']!r}"
            assert facts["sidebar"] is not None and HOSTILE_NAME in facts["sidebar"], page_path
            if HOSTILE_NAME in facts["text"].replace(facts["sidebar"], ""):
                seen_in_prose.append(page_path)
            options += [o.replace("\xa0", " ") for o in facts["options"]]  # toggle buttons show spaces as nbsp
            alts += facts["alts"]
    assert "notebooks/index.html" in seen_in_prose and len(seen_in_prose) >= 5, seen_in_prose
    assert f"{HOSTILE_NAME} naast de benchmarks" in options
    assert any(HOSTILE_NAME in a for a in alts), "no alt text gives the name"
    assert not [a for a in alts if HOSTILE_NAME.lower() in a], "an alt text changes the name (lower case)"
    for team in HOSTILE_TEAMS:
        assert f"Team {team}" in options, (team, sorted(set(options)))


def test_team_page_shows_hostile_team_names_as_typed(hostile):
    from browser import choose_view, launch_browser, open_page, serve_directory

    edition_dir, _ = hostile
    with serve_directory(edition_dir / "html") as base_url, launch_browser() as browser:
        with open_page(browser, base_url) as (page, monitor):
            page.goto(f"{base_url}/notebooks/teams.html", wait_until="load")
            page.wait_for_selector(".mb-switcher-control")
            for team in HOSTILE_TEAMS:
                choose_view(page, f"Team {team}")
                headers = page.locator(".mb-team-themas th:visible").all_inner_texts()
                assert any(h.startswith(f"Team {team} (n = ") for h in headers), headers  # the name as typed
                assert page.evaluate("window.__pwned") is None
        monitor.assert_clean()


def test_formula_like_team_names_are_neutralised_in_every_csv(hostile):
    edition_dir, _ = hostile
    guarded = 0
    for path in sorted((edition_dir / "tables").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if cell.startswith(FORMULA_START):
                        float(cell)  # only a number may start like a formula
                    guarded += cell == "'" + HOSTILE_TEAMS[0]
    assert guarded > 0, "the formula-like team name is not in any table"
    themes = pd.read_csv(edition_dir / "tables" / "teams-themas.csv")
    assert pd.api.types.is_numeric_dtype(themes["aandeel"]) and pd.api.types.is_numeric_dtype(themes["n"])
