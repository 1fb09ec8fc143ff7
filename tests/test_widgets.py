"""Fast tests: the offline switcher widget, the offline check, the asset installer."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import ipywidgets as W
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from ipywidgets.embed import dependency_state  # noqa: E402
from ipywidgets.widgets.widget_link import Link  # noqa: E402

from helpers.pipeline import assets  # noqa: E402
from helpers.pipeline.check import (  # noqa: E402
    OfflineCheckError,
    check_offline,
    find_missing_local_resources,
    find_remote_resources,
    find_unbundled_widget_modules,
)
from helpers.book.widgets import (  # noqa: E402
    CONTROL_CLASS,
    STACK_CLASS,
    SWITCHER_CLASS,
    figure_image,
    figure_png,
    figure_svg,
    figure_view,
    switcher,
)


def line_figure(values=(1, 3, 2), title="Lijn"):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot(values)
    ax.set_title(title)
    return fig


def bar_figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [2, 1])
    return fig


def img_tags(widget: W.HTML) -> list[str]:
    return re.findall(r"<img [^>]*>", widget.value)


# --- switcher -----------------------------------------------------------------


def test_switcher_links_selector_to_stack():
    box = switcher({"Lijn": line_figure(), "Staven": bar_figure()}, "Weergave")
    selector, stack = box.children
    assert isinstance(selector, W.ToggleButtons)
    assert isinstance(stack, W.Stack)
    assert list(selector.options) == ["Lijn", "Staven"]
    assert selector.description == "Weergave"
    assert len(stack.children) == 2 and stack.selected_index == 0 and selector.index == 0
    link = box.switcher_link
    assert isinstance(link, Link) and link._model_name == "LinkModel"  # jslink: runs in the browser
    assert link.source == (selector, "index") and link.target == (stack, "selected_index")
    assert SWITCHER_CLASS in box._dom_classes
    assert CONTROL_CLASS in selector._dom_classes and STACK_CLASS in stack._dom_classes


def test_figures_become_svg_images_with_alt_text():
    box = switcher(
        {"Lijn": (line_figure(), 'Lijndiagram: "stijgend" <tot> 3'), "Staven": bar_figure()}, "Weergave"
    )
    first, second = box.children[1].children
    [tag] = img_tags(first)
    assert 'alt="Lijndiagram: &quot;stijgend&quot; &lt;tot&gt; 3"' in tag
    assert 'src="data:image/svg+xml;base64,' in tag
    [tag] = img_tags(second)
    assert 'alt="Figuur: Staven"' in tag  # default alt from the label
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", tag).group(1))
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert b"<text" in svg  # the letters are set by the browser, sharp at any zoom


def test_an_svg_figure_is_shown_at_the_size_of_the_book_figures():
    fig = plt.figure(figsize=(6.4, 4.8))
    fig.gca().plot([1, 2])
    tag = figure_view(fig, "Lijn").value
    assert 'width="512" height="384"' in tag  # 6.4 x 4.8 inch at DEFAULT_DPI (80)


def test_the_same_figure_gives_the_same_svg_bytes():
    first, second = figure_svg(line_figure()), figure_svg(line_figure())
    assert first == second
    assert b"<dc:date>" not in first


def test_hatched_bars_are_pixels_inside_an_svg_whose_texts_stay_text():
    # A hatch as an SVG pattern fill prints into the PDF far slower; the bars and legend swatches become an image.
    fig = plt.figure()
    ax = fig.gca()
    ax.barh([0, 1], [1, 2], hatch="///", label="Groep met arcering")
    ax.plot([1, 2], [0, 1], marker="o", label="Lijn")
    ax.set_yticks([0, 1], ["Eerste categorie", "Tweede categorie"])
    fig.legend()
    image = figure_image(fig)
    assert image.startswith(b"<?xml")
    assert b"<pattern" not in image and b"<image" in image
    assert b"Eerste categorie" in image and b"Groep met arcering" in image
    assert figure_image(line_figure()).startswith(b"<?xml")
    plt.close("all")


def test_a_hatched_artist_that_cannot_be_pixels_makes_the_figure_a_png():
    fig = plt.figure()
    fig.gca().fill_between([0, 1], [1, 2], hatch="///")  # a collection, not a patch: stays a pattern in SVG
    assert figure_image(fig).startswith(b"\x89PNG")
    plt.close("all")


def test_a_label_from_data_stays_text_in_the_svg():
    fig = plt.figure()
    ax = fig.gca()
    ax.barh([0, 1], [1, 2])
    ax.set_yticks([0, 1], ["</text><script>alert(1)</script>", "A & B"])
    svg = figure_svg(fig)
    plt.close(fig)
    assert b"<script" not in svg
    assert b"&lt;/text&gt;&lt;script&gt;" in svg and b"A &amp; B" in svg


def test_prerendered_png_views():
    png = figure_png(line_figure())
    box = switcher({"A": (png, "Lijn van 1 naar 2"), "B": png}, "Kies")
    first, second = (img_tags(view)[0] for view in box.children[1].children)
    assert 'alt="Lijn van 1 naar 2"' in first and 'alt="Figuur: B"' in second
    assert base64.b64encode(png).decode() in first
    with pytest.raises(ValueError, match="alt"):
        switcher({"A": (png, ""), "B": png}, "Kies")


def test_default_alt_uses_titles():
    box = switcher({"A": line_figure(title="Score per jaar"), "B": bar_figure()}, "Kies")
    [tag] = img_tags(box.children[1].children[0])
    assert 'alt="Figuur: A — Score per jaar"' in tag


def test_figures_are_closed_so_the_notebook_does_not_show_them_twice():
    fig_a, fig_b = line_figure(), bar_figure()
    switcher({"A": fig_a, "B": fig_b}, "Kies")
    assert not plt.fignum_exists(fig_a.number) and not plt.fignum_exists(fig_b.number)


def test_html_and_dataframe_views():
    pd = pytest.importorskip("pandas")
    table = pd.DataFrame({"niveau": ["mbo 2", "mbo 3"], "n": [41, 35]})
    box = switcher({"Figuur": line_figure(), "Tabel": "<table><tr><td>1</td></tr></table>", "Data": table}, "Kies")
    views = box.children[1].children
    assert views[1].value == "<table><tr><td>1</td></tr></table>"
    assert "<table" in views[2].value and "mbo 3" in views[2].value


def test_dropdown_for_many_views_or_on_request():
    many = switcher({f"Weergave {i}": f"<p>{i}</p>" for i in range(6)}, "Kies")
    assert isinstance(many.children[0], W.Dropdown)
    assert len(many.children[1].children) == 6
    asked = switcher({"A": "<p>a</p>", "B": "<p>b</p>"}, "Kies", control="dropdown")
    assert isinstance(asked.children[0], W.Dropdown)
    assert asked.switcher_link.source == (asked.children[0], "index")


@pytest.mark.parametrize(
    "views, error",
    [({}, ValueError), ({"A": 3}, TypeError)],
)
def test_switcher_rejects_bad_input(views, error):
    with pytest.raises(error):
        switcher(views, "Kies")


def test_figure_view_requires_alt():
    with pytest.raises(ValueError, match="alt"):
        figure_view(line_figure(), "  ")


def test_figure_is_modest():
    fig = plt.figure(figsize=(6.4, 4.8))
    fig.gca().plot(range(100))
    assert len(figure_svg(fig)) < 60_000
    plt.close(fig)


def _normalised_state(*widgets):
    """Widget state with model ids replaced by their order of appearance."""
    state = dependency_state(list(widgets))
    text = json.dumps(state, sort_keys=True)
    order = []
    for widget in widgets:
        order.append(widget.model_id)
    for model_id in re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps([state[w.model_id] for w in widgets])):
        order.append(model_id)
    # breadth-first through the references, in document order
    i = 0
    while i < len(order):
        for model_id in re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state.get(order[i], {}), sort_keys=True)):
            if model_id not in order:
                order.append(model_id)
        i += 1
    for index, model_id in enumerate(dict.fromkeys(order)):
        text = text.replace(model_id, f"M{index}")
    return json.loads(text)


def test_same_input_gives_same_state_except_model_ids():
    def make():
        box = switcher({"Lijn": (line_figure(), "Lijndiagram"), "Staven": bar_figure(), "Tabel": "<p>t</p>"}, "Kies")
        return box, box.switcher_link

    first, second = _normalised_state(*make()), _normalised_state(*make())
    assert first == second
    assert len(json.dumps(first)) < 60_000  # small enough to embed in every page


# --- offline check ----------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


REMOTE_PAGE = """<!doctype html><html><head>
<script src="https://cdn.jsdelivr.net/npm/x.js"></script>
<script src="_static/local.js"></script>
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
<link rel="preconnect" href="https://fonts.gstatic.com">
<link rel="canonical" href="https://example.org/boek/index.html">
<link rel="next" href="https://example.org/boek/2.html">
<style>body { background: url("https://img.example.org/bg.png"); } /* url(https://comment.example.org/x) */</style>
<script>var s = document.createElement('script'); s.src = "https://www.googletagmanager.com/gtag.js";</script>
</head><body>
<a href="https://www.han.nl/">HAN</a>
<img src="//cdn.example.org/logo.png" alt="">
<img src="data:image/png;base64,AAAA" alt="lokaal">
<img srcset="plaatje.png 1x, https://img.example.org/2x.png 2x" alt="">
<div style="background-image:url('https://img.example.org/inline.png')"></div>
<iframe src="https://www.youtube.com/embed/x"></iframe>
</body></html>"""


def test_find_remote_resources_in_html(tmp_path):
    write(tmp_path, "index.html", REMOTE_PAGE)
    found = find_remote_resources(tmp_path)
    urls = {line.split()[-1] for line in found}
    assert urls == {
        "https://cdn.jsdelivr.net/npm/x.js",
        "https://fonts.googleapis.com/css?family=Roboto",
        "https://fonts.gstatic.com",
        "https://img.example.org/bg.png",
        "https://www.googletagmanager.com/gtag.js",
        "//cdn.example.org/logo.png",
        "https://img.example.org/2x.png",
        "https://img.example.org/inline.png",
        "https://www.youtube.com/embed/x",
    }
    assert all(line.startswith("index.html: ") for line in found)


def test_find_remote_resources_in_css_and_js(tmp_path):
    write(
        tmp_path,
        "_static/theme.css",
        "@import url('https://fonts.googleapis.com/css2?family=Inter');\n"
        "@import 'https://cdn.example.org/more.css';\n"
        "/* @import url('https://fonts.googleapis.com/css?family=Roboto+Mono'); */\n"
        "@font-face { src: url(fonts/local.woff2) format('woff2'), url(https://cdn.example.org/f.woff); }\n",
    )
    write(
        tmp_path,
        "_static/bundle.js",
        'var css = "/* @import url(\'https://fonts.googleapis.com/css?family=Mono\'); */ .a{}";\n'
        'var css2 = ".b { background: url(https://cdn.example.org/b.png) }";\n'
        'fetch("https://api.example.org/data.json");\n'
        'var about = "<a href=\\"https://www.mathjax.org\\">MathJax</a>";\n'
        'const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js";\n',
    )
    found = find_remote_resources(tmp_path)
    assert found == sorted(
        [
            "_static/theme.css: css https://fonts.googleapis.com/css2?family=Inter",
            "_static/theme.css: css https://cdn.example.org/more.css",
            "_static/theme.css: css https://cdn.example.org/f.woff",
            "_static/bundle.js: js https://cdn.example.org/b.png",
            "_static/bundle.js: js https://api.example.org/data.json",
        ]
    )


def widget_state_page(html_value: str, module: str = "@jupyter-widgets/controls") -> str:
    state = {
        "version_major": 2,
        "version_minor": 0,
        "state": {
            "abc": {
                "model_name": "HTMLModel",
                "model_module": module,
                "model_module_version": "2.0.0",
                "state": {"value": html_value, "_view_module": module},
            }
        },
    }
    return (
        '<html><head><script type="application/vnd.jupyter.widget-state+json">'
        + json.dumps(state)
        + "</script></head><body></body></html>"
    )


def test_remote_image_inside_widget_state_is_found(tmp_path):
    write(tmp_path, "a.html", widget_state_page('<img src="https://example.org/x.png" alt="x">'))
    write(tmp_path, "b.html", widget_state_page('<img src="data:image/png;base64,AAAA" alt="x">'))
    assert find_remote_resources(tmp_path) == ["a.html: widget state: img src https://example.org/x.png"]


def test_unbundled_widget_module_is_found(tmp_path):
    write(tmp_path, "ok.html", widget_state_page("<p>x</p>"))
    write(tmp_path, "kaart.html", widget_state_page("<p>x</p>", module="jupyter-leaflet"))
    assert find_unbundled_widget_modules(tmp_path) == ["kaart.html: jupyter-leaflet (HTMLModel)"]


def test_missing_local_resources(tmp_path):
    write(tmp_path, "_static/er.js", "")
    write(
        tmp_path,
        "sub/page.html",
        '<script src="../_static/er.js?v=1"></script><script src="../_static/mathjax/tex-chtml.js"></script>'
        '<a href="nergens.html">x</a><img src="data:image/png;base64,AA" alt="">',
    )
    assert find_missing_local_resources(tmp_path) == ["sub/page.html: script ../_static/mathjax/tex-chtml.js"]


def test_check_offline(tmp_path):
    write(tmp_path, "index.html", '<script src="_static/a.js"></script><a href="https://www.han.nl">HAN</a>')
    write(tmp_path, "_static/a.js", "console.log('lokaal')")
    check_offline(tmp_path)
    write(tmp_path, "extra.html", REMOTE_PAGE)
    with pytest.raises(OfflineCheckError) as error:
        check_offline(tmp_path)
    message = str(error.value)
    assert "werkt niet zonder internet" in message
    assert "extra.html: script https://cdn.jsdelivr.net/npm/x.js" in message
    assert "extra.html: script _static/local.js" in message  # missing local file
    with pytest.raises(OfflineCheckError):
        check_offline(tmp_path / "bestaat-niet")


# --- assets -----------------------------------------------------------------------


def test_missing_node_modules_tells_to_run_npm_ci(tmp_path):
    with pytest.raises(assets.MissingNodeModulesError, match="npm ci"):
        assets.install_widget_assets(tmp_path / "out", node_modules=tmp_path / "node_modules")


def test_wrong_installed_version_tells_to_run_npm_ci(tmp_path):
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {assets.HTML_MANAGER: "1.0.15"}}))
    package = tmp_path / "node_modules" / assets.HTML_MANAGER
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": "1.0.6"}))
    with pytest.raises(assets.MissingNodeModulesError, match="npm ci"):
        assets.install_widget_assets(tmp_path / "out", node_modules=tmp_path / "node_modules")


def test_book_static_folder_is_refused(tmp_path):
    with pytest.raises(ValueError, match="html_extra_path"):
        assets.install_widget_assets(tmp_path / "_static")


@pytest.mark.skipif(not (assets.NODE_MODULES / assets.HTML_MANAGER).is_dir(), reason="node_modules ontbreekt: npm ci")
def test_install_offline_assets(tmp_path):
    config = assets.install_offline_assets(tmp_path)
    static = assets.offline_static_dir(tmp_path)
    assert config["html_extra_path"] == [assets.OFFLINE_ASSETS_DIR]
    assert config["mathjax_path"] == assets.MATHJAX_JS
    assert list(config["nb_ipywidgets_js"]) == [assets.MATHJAX_COMPAT_JS, assets.WIDGET_JS]
    for rel in [*config["nb_ipywidgets_js"], config["mathjax_path"]]:
        assert (static / rel).is_file()
    assert list((static / "ipywidgets").glob("*.woff2"))
    assert (static / "mathjax/output/chtml/fonts/woff-v2").is_dir()
    assert find_remote_resources(static) == []


def test_overrides_name_no_remote_host():
    overrides = assets.sphinx_config_overrides()
    assert "://" not in json.dumps(overrides)
    assert "sphinx_thebe" not in overrides["extensions"]
    assert {"myst_nb", "sphinx_book_theme", "jupyter_book"} <= set(overrides["extensions"])
    assert "sphinxcontrib.bibtex" in assets.sphinx_config_overrides(["sphinxcontrib.bibtex"])["extensions"]
    assert all(not value for value in assets.jupyter_book_config_overrides()["launch_buttons"].values())
