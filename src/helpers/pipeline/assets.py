"""JavaScript that the static book needs, shipped with it instead of a CDN.

The book is opened without internet (also as an unpacked zip from disk), so
every script, style sheet and font comes from the book itself:

* `@jupyter-widgets/html-manager` `dist/embed.js` renders the embedded widget
  state (ipywidgets 8: `@jupyter-widgets/base` 2.0, `controls` 2.0, `output`
  1.0 are compiled in). This standalone bundle needs no require.js and has no
  module loader, so it never falls back to a CDN: a widget model from another
  module fails to render instead of being fetched (see
  `helpers.pipeline.check.find_unbundled_widget_modules`). It loads its fonts (Font
  Awesome, only used by widget icons) relative to its own URL.
* MathJax 3 (`tex-chtml.js` plus the files it loads on demand) for pages with
  math; Sphinx's default is a CDN. A few lines of our own
  (`ipywidgets/mathjax-compat.js`) let the widget controls, which still call
  the MathJax 2 API, use it.

Both come from npm (`package.json`, `package-lock.json`; `npm ci` installs
them in `node_modules/`) and are copied per build into the HTML `_static`
folder.

Where the copies go matters with Jupyter Book 1: it adds *every* `.js` and
`.css` file under `<book>/_static` (and any `html_static_path`) to *every*
page. That would load the 1.8 MB widget bundle on each page and MathJax's
on-demand extension files before MathJax itself. So the assets are copied into
`<book>/_offline_assets/_static/`, and that folder is given to Sphinx as
`html_extra_path`, whose contents land in the output folder unchanged
(-> `_build/html/_static/ipywidgets/embed.js`) without being auto-included:

    config["sphinx"]["config"].update(sphinx_config_overrides())
    config["sphinx"]["config"].update(install_offline_assets(book_dir))

(and no `html_static_path` for these files). `sphinx_config_overrides` also
switches off the rest that would reach other hosts; `helpers.pipeline.check` verifies
the built HTML.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
NODE_MODULES = PROJECT_ROOT / "node_modules"

#: Folder inside the book given to Sphinx as `html_extra_path`.
OFFLINE_ASSETS_DIR = "_offline_assets"

#: Paths relative to the HTML `_static` folder.
WIDGET_JS = "ipywidgets/embed.js"
MATHJAX_COMPAT_JS = "ipywidgets/mathjax-compat.js"
MATHJAX_JS = "mathjax/tex-chtml.js"

#: The widget controls typeset labels with the MathJax 2 API
#: (`MathJax.Hub.Queue`, @jupyter-widgets/controls utils.typeset); next to
#: Sphinx's MathJax 3 that throws "Cannot read properties of undefined
#: (reading 'Queue')". This maps the call onto MathJax 3.
MATHJAX_COMPAT_SOURCE = """\
/* MathJax 2 API (MathJax.Hub.Queue) used by @jupyter-widgets/controls,
   mapped onto MathJax 3. Written by src/helpers/pipeline/assets.py. */
(function () {
  function install() {
    var mj = window.MathJax;
    // Only the real MathJax 3 object (before it loads, window.MathJax is
    // Sphinx's configuration; MathJax 2 has its own Hub).
    if (!mj || mj.Hub || typeof mj.version !== "string" || mj.version.charAt(0) === "2") return;
    mj.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (call) {
          if (!Array.isArray(call) || call[0] !== "Typeset" || !call[2]) return;
          var element = call[2];
          var ready = mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
          ready.then(function () {
            return mj.typesetPromise ? mj.typesetPromise([element]) : null;
          }).catch(function (error) { console.warn("MathJax:", error); });
        });
      }
    };
  }
  install();
  document.addEventListener("DOMContentLoaded", install);
  window.addEventListener("load", install);
})();
"""

HTML_MANAGER = "@jupyter-widgets/html-manager"
MATHJAX = "mathjax"

#: The widget modules compiled into embed.js (HTMLManager.loadClass).
BUNDLED_WIDGET_MODULES = frozenset(
    {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"}
)

#: Font Awesome as woff2 (what every current browser takes) and woff; the
#: bundled CSS also lists eot/ttf/svg for old browsers (4 MB), left out.
_FONT_SUFFIXES = (".woff2", ".woff")
#: MathJax files copied besides tex-chtml.js: its fonts, the TeX extensions
#: its autoloader may fetch, the menu and the accessibility tools (loaded when
#: a reader switches them on in the MathJax menu) with English speech rules.
_MATHJAX_DIRS = ("output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y")
_MATHJAX_FILES = ("tex-chtml.js", "sre/mathmaps/base.json", "sre/mathmaps/en.json")


class MissingNodeModulesError(RuntimeError):
    """node_modules is absent or does not match package.json."""


def _npm_hint(node_modules: Path) -> str:
    return f"Voer `npm ci` uit in {node_modules.parent} (installeert de versies uit package-lock.json)."


def _package_dir(name: str, node_modules: Path) -> Path:
    """The installed package, checked against the exact pin in package.json."""
    package_dir = node_modules / name
    manifest = package_dir / "package.json"
    if not manifest.is_file():
        raise MissingNodeModulesError(
            f"Het npm-pakket {name} ontbreekt ({package_dir} niet gevonden); de boekpagina's hebben "
            f"het nodig om widgets en formules zonder internet te tonen. {_npm_hint(node_modules)}"
        )
    installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    project_manifest = node_modules.parent / "package.json"
    if project_manifest.is_file():
        wanted = json.loads(project_manifest.read_text(encoding="utf-8")).get("dependencies", {}).get(name)
        if wanted and wanted != installed:
            raise MissingNodeModulesError(
                f"node_modules heeft {name} {installed}, package.json vraagt {wanted}. {_npm_hint(node_modules)}"
            )
    return package_dir


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def install_widget_assets(static_dir: Path, node_modules: Path | None = None) -> dict[str, dict[str, str]]:
    """Copy the offline JavaScript (widgets and MathJax) into `static_dir`.

    `static_dir` is a folder whose contents end up as the HTML `_static`
    folder; with Jupyter Book use `offline_static_dir(book_dir)` (see the
    module docstring for why not `<book>/_static`). Writes
    `static_dir/ipywidgets/` (embed.js, its fonts, licence) and
    `static_dir/mathjax/`, replacing earlier copies. Returns the value for the
    Sphinx option `nb_ipywidgets_js` (myst-nb; paths relative to `_static`),
    which replaces myst-nb's default of require.js and the AMD bundle from
    CDNs -- and without `data-jupyter-widgets-cdn`.
    """
    static_dir = Path(static_dir)
    if static_dir.name == "_static" and static_dir.parent.name != OFFLINE_ASSETS_DIR:
        raise ValueError(
            f"{static_dir}: Jupyter Book voegt elk .js- en .css-bestand onder <boek>/_static (en "
            "html_static_path) aan elke pagina toe; dan laadt elke pagina de widgetbundel en de "
            "losse MathJax-uitbreidingen. Gebruik offline_static_dir(boekmap) en zet "
            f"html_extra_path: ['{OFFLINE_ASSETS_DIR}'] (install_offline_assets doet beide)."
        )
    node_modules = Path(node_modules) if node_modules is not None else NODE_MODULES

    manager_dist = _package_dir(HTML_MANAGER, node_modules) / "dist"
    widget_dir = static_dir / Path(WIDGET_JS).parent
    shutil.rmtree(widget_dir, ignore_errors=True)
    for name in ("embed.js", "embed.js.LICENSE.txt"):
        _copy(manager_dist / name, widget_dir / name)
    (static_dir / MATHJAX_COMPAT_JS).write_text(MATHJAX_COMPAT_SOURCE, encoding="utf-8")
    # Fonts referenced by the bundled CSS (webpack names them by hash).
    for font in sorted(manager_dist.iterdir()):
        if font.suffix in _FONT_SUFFIXES:
            _copy(font, widget_dir / font.name)

    mathjax_root = _package_dir(MATHJAX, node_modules)
    mathjax_es5 = mathjax_root / "es5"
    mathjax_dir = static_dir / Path(MATHJAX_JS).parent
    shutil.rmtree(mathjax_dir, ignore_errors=True)
    for name in _MATHJAX_FILES:
        _copy(mathjax_es5 / name, mathjax_dir / name)
    for sub in _MATHJAX_DIRS:
        shutil.copytree(mathjax_es5 / sub, mathjax_dir / sub)
    _copy(mathjax_root / "LICENSE", mathjax_dir / "LICENSE")

    return widget_js_mapping()


def widget_js_mapping() -> dict[str, dict[str, str]]:
    """`nb_ipywidgets_js`: the MathJax shim, then the widget bundle (no CDN attributes)."""
    return {MATHJAX_COMPAT_JS: {}, WIDGET_JS: {}}


def offline_static_dir(book_dir: Path) -> Path:
    """Where `install_offline_assets` puts the files: `<book>/_offline_assets/_static`."""
    return Path(book_dir) / OFFLINE_ASSETS_DIR / "_static"


def install_offline_assets(book_dir: Path, node_modules: Path | None = None) -> dict:
    """Install the assets into a Jupyter Book folder; return its Sphinx config entries.

    The result (`nb_ipywidgets_js`, `mathjax_path`, `html_extra_path`) goes
    into `sphinx: config:` of the book's `_config.yml`, next to
    `sphinx_config_overrides()`.
    """
    mapping = install_widget_assets(offline_static_dir(book_dir), node_modules)
    return {
        "nb_ipywidgets_js": mapping,
        "mathjax_path": MATHJAX_JS,
        "html_extra_path": [OFFLINE_ASSETS_DIR],
    }


def book_extensions(extra: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Jupyter Book's default Sphinx extensions without sphinx-thebe, plus `extra`.

    sphinx-thebe writes `const THEBE_JS_URL = "https://unpkg.com/..."` into
    every page, and with Sphinx 7.4 twice (the builder re-adds inline scripts
    in prepare_writing with filename '' instead of None), which throws
    "Identifier 'THEBE_JS_URL' has already been declared" on every page. The
    book has no launch buttons, so thebe is dropped.
    """
    from jupyter_book.config import get_default_sphinx_config

    extensions = [ext for ext in get_default_sphinx_config()["extensions"] if ext != "sphinx_thebe"]
    return extensions + [ext for ext in extra if ext not in extensions]


def sphinx_config_overrides(extra_extensions: tuple[str, ...] | list[str] = ()) -> dict:
    """Sphinx options (`sphinx: config:` in `_config.yml`) for pages without remote downloads.

    What a Jupyter Book 1 page would otherwise fetch or try to fetch:
    * ipywidgets: myst-nb's default `nb_ipywidgets_js` loads require.js from
      cdnjs and the AMD widget bundle from jsdelivr (which itself fetches
      unknown widget modules from jsdelivr) -> the local embed.js.
    * math: Sphinx's `mathjax_path` is MathJax 3 from jsdelivr -> local copy
      (only pages with math load it).
    * sphinx-thebe (thebe from unpkg on a launch button) -> extension dropped,
      see `book_extensions`. `extensions` replaces Jupyter Book's list, so
      extensions that Jupyter Book adds from other `_config.yml` keys before
      the override (e.g. sphinxcontrib.bibtex for `bibtex_bibfiles`) must be
      passed as `extra_extensions`; sphinx_jupyterbook_latex and
      sphinx_multitoc_numbering are appended by Jupyter Book afterwards.
    * sphinx-comments (hypothes.is, utterances) -> explicitly off.
    The pydata/sphinx-book theme ships its fonts and icons (Font Awesome as
    JS) itself; Google Analytics / Plausible only appear when an id is set
    (`html.analytics` in `_config.yml`, see `jupyter_book_config_overrides`).

    Also `html_context.default_mode`: without it the theme logs "Got invalid
    theme mode" as a console error on every page; light matches the figures
    and the widgets' own (light) styling, and readers can still switch.

    The files must be installed with `install_offline_assets(book_dir)`;
    `helpers.pipeline.check.check_offline` verifies the result.
    """
    return {
        "extensions": book_extensions(extra_extensions),
        "nb_ipywidgets_js": widget_js_mapping(),
        "mathjax_path": MATHJAX_JS,
        "comments_config": {"hypothesis": False, "utterances": False},
        "html_context": {"default_mode": "light"},
    }


def jupyter_book_config_overrides() -> dict:
    """The `_config.yml` sections (Jupyter Book level) that would add remote content."""
    return {
        "launch_buttons": {
            "binderhub_url": "",
            "jupyterhub_url": "",
            "colab_url": "",
            "deepnote_url": "",
            "thebe": False,
        },
        "html": {
            "analytics": {"google_analytics_id": "", "plausible_analytics_domain": ""},
            "comments": {"hypothesis": False, "utterances": False},
        },
    }
