"""End to end on a toy book: papermill -> Jupyter Book (-W) -> Chromium, offline.

A one-page book whose notebook shows `switcher(...)` with two matplotlib
figures and a table (plus a formula for MathJax) is executed with papermill,
built with `execute_notebooks: off` and warnings as errors, checked with
`check_offline`, and opened in Chromium over http://127.0.0.1 and over
file://, with every other request blocked.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from browser import (
    chromium_available,
    choose_view,
    exercise_widgets,
    launch_browser,
    open_page,
    serve_directory,
)
from helpers.pipeline.assets import (
    WIDGET_JS,
    install_offline_assets,
    jupyter_book_config_overrides,
    sphinx_config_overrides,
)
from helpers.pipeline.check import check_offline, find_remote_resources

WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"

TOY_CODE = '''\
import matplotlib.pyplot as plt
from helpers.book.widgets import switcher

fig_lijn, ax = plt.subplots(figsize=(4, 3))
ax.plot([2019, 2021, 2023, 2025], [3.1, 3.4, 3.3, 3.8], marker="o")
ax.set_title("Gemiddelde score per meting")

fig_staaf, ax = plt.subplots(figsize=(4, 3))
ax.bar(["mbo 2", "mbo 3", "mbo 4"], [41, 35, 24], color="tab:orange")
ax.set_title("Aandeel studenten per niveau")

tabel = "<table><tr><th>Niveau</th><th>%</th></tr><tr><td>mbo 2</td><td>41</td></tr></table>"

switcher(
    {
        "Lijn": (fig_lijn, "Lijndiagram: de gemiddelde score stijgt van 3,1 in 2019 naar 3,8 in 2025."),
        "Staven": (fig_staaf, "Staafdiagram: 41% mbo 2, 35% mbo 3, 24% mbo 4."),
        "Tabel": tabel,
    },
    "Weergave",
)
'''


def write_toy_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# Speelgoedboek\n\nEen formule, voor MathJax: $\\bar{x} = \\frac{1}{n}\\sum_i x_i$.\n\n"
            "Kies hieronder een weergave."
        ),
        nbformat.v4.new_code_cell(TOY_CODE),
    ]
    nbformat.write(nb, path)
    return path


def execute_notebook(source: Path, target: Path) -> None:
    """papermill, as the book build does; nbclient stores the widget state."""
    import papermill

    papermill.execute_notebook(
        str(source), str(target), kernel_name="python3", progress_bar=False, cwd=str(source.parent)
    )


def write_book_config(book_dir: Path) -> dict:
    config = {
        "title": "Speelgoedboek",
        "author": "Monitor test",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        **jupyter_book_config_overrides(),
        "sphinx": {"config": {"language": "nl", **sphinx_config_overrides(), **install_offline_assets(book_dir)}},
    }
    (book_dir / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    (book_dir / "_toc.yml").write_text("format: jb-book\nroot: index\n", "utf-8")
    return config


def build_toy_book(workdir: Path) -> tuple[Path, dict]:
    """Toy notebook -> papermill -> Jupyter Book; returns (html_dir, timings in s)."""
    timings = {}
    source_dir = workdir / "source"
    book_dir = workdir / "book"
    source_dir.mkdir(parents=True, exist_ok=True)
    book_dir.mkdir(parents=True, exist_ok=True)
    source = write_toy_notebook(source_dir / "index.ipynb")

    start = time.perf_counter()
    execute_notebook(source, book_dir / "index.ipynb")
    timings["papermill"] = time.perf_counter() - start

    write_book_config(book_dir)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    start = time.perf_counter()
    result = subprocess.run(
        [str(jupyter_book), "build", str(book_dir), "--builder", "html", "-W", "--quiet"],
        capture_output=True,
        text=True,
    )
    timings["jupyter-book"] = time.perf_counter() - start
    html_dir = book_dir / "_build" / "html"
    assert result.returncode == 0 and (html_dir / "index.html").exists(), result.stdout[-3000:] + result.stderr[-3000:]
    return html_dir, timings


@pytest.fixture(scope="module")
def toy_book(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("toybook")
    html_dir, timings = build_toy_book(workdir)
    return workdir, html_dir, timings


@pytest.mark.slow
def test_executed_notebook_stores_widget_state(toy_book):
    workdir, _, _ = toy_book
    nb = json.loads((workdir / "book" / "index.ipynb").read_text("utf-8"))
    state = nb["metadata"]["widgets"][WIDGET_STATE_MIME]["state"]
    names = {model["model_name"] for model in state.values()}
    assert {"ToggleButtonsModel", "StackModel", "HTMLModel", "LinkModel", "VBoxModel"} <= names
    outputs = [o for cell in nb["cells"] if cell["cell_type"] == "code" for o in cell["outputs"]]
    # only the widget is shown: the figures are closed, not also displayed as images
    assert len(outputs) == 1 and "image/png" not in outputs[0].get("data", {})
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


@pytest.mark.slow
def test_built_page_has_state_and_local_script_only(toy_book):
    _, html_dir, _ = toy_book
    page = (html_dir / "index.html").read_text("utf-8")
    assert f'type="{WIDGET_STATE_MIME}"' in page
    assert f'src="_static/{WIDGET_JS}?v=' in page  # Sphinx adds a checksum
    assert (html_dir / "_static" / WIDGET_JS).is_file()
    assert (html_dir / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert "data-jupyter-widgets-cdn" not in page
    assert find_remote_resources(html_dir) == []
    check_offline(html_dir)


def _assert_toy_page(report):
    assert report.widget_views >= 1 and report.rendered >= report.widget_views
    assert len(report.switchers) == 1
    switcher = report.switchers[0]
    assert switcher.labels == ["Lijn", "Staven", "Tabel"]
    assert [view["kind"] for view in switcher.shown] == ["img", "img", "html"]
    assert switcher.shown[0]["alt"].startswith("Lijndiagram")


@pytest.mark.slow
@pytest.mark.skipif(not chromium_available(), reason="/usr/bin/chromium ontbreekt (apt-get install -y chromium)")
def test_widget_switches_in_browser_over_http(toy_book, tmp_path):
    _, html_dir, _ = toy_book
    with serve_directory(html_dir) as base_url, launch_browser() as browser:
        with open_page(browser, base_url) as (page, monitor):
            report = exercise_widgets(page, f"{base_url}/index.html")
            page.wait_for_selector("mjx-container", timeout=20_000)  # local MathJax rendered the formula
            shown = choose_view(page, "Staven")
            page.locator(".mb-switcher").screenshot(path=str(tmp_path / "toy-after-switching.png"))
    _assert_toy_page(report)
    assert shown == report.switchers[0].shown[1]
    monitor.assert_clean()
    assert any(url.split("?")[0].endswith(WIDGET_JS) for url in monitor.requests)


@pytest.mark.slow
@pytest.mark.skipif(not chromium_available(), reason="/usr/bin/chromium ontbreekt (apt-get install -y chromium)")
def test_widget_switches_in_browser_from_file(toy_book):
    _, html_dir, _ = toy_book
    with launch_browser() as browser:
        with open_page(browser, None) as (page, monitor):
            report = exercise_widgets(page, (html_dir / "index.html").as_uri())
            page.wait_for_selector("mjx-container", timeout=20_000)
    _assert_toy_page(report)
    monitor.assert_clean()


@pytest.mark.slow
@pytest.mark.skipif(not chromium_available(), reason="/usr/bin/chromium ontbreekt (apt-get install -y chromium)")
def test_monitor_blocks_and_records_remote_requests(tmp_path):
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><script src="https://cdn.example.invalid/lib.js"></script></head>'
        '<body><img src="https://img.example.invalid/x.png" alt="x"><script>undefinedFunction()</script>'
        '<script src="ontbreekt.js"></script></body></html>',
        "utf-8",
    )
    with serve_directory(tmp_path) as base_url, launch_browser() as browser:
        with open_page(browser, base_url) as (page, monitor):
            page.goto(f"{base_url}/index.html", wait_until="load")
            page.wait_for_timeout(200)
    assert sorted(monitor.blocked) == ["https://cdn.example.invalid/lib.js", "https://img.example.invalid/x.png"]
    assert any("undefinedFunction" in error for error in monitor.page_errors)
    assert any("ontbreekt.js" in response for response in monitor.bad_responses)
    with pytest.raises(AssertionError, match="blocked"):
        monitor.assert_clean()
