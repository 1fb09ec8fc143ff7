"""Accessible pages (WCAG 2.1 AA): Dutch theme texts, names for unnamed controls, visible state and focus.

Jupyter Book 1's theme (pydata-sphinx-theme with sphinx-book-theme) has no
Dutch catalogue, gives a few controls no name or an English one, and
ipywidgets' toggle buttons show which view is chosen by colour only. What
cannot be changed in the theme or in `embed.js` is fixed per book here:

* a Dutch message catalogue for the theme's texts (skip link, "On this
  page", the colour-mode button, ...): `locales/nl/LC_MESSAGES/sphinx.po`
  in the book folder, compiled and preferred by Sphinx itself;
* `_static/toegankelijkheid.js` (Jupyter Book adds every script in the
  book's `_static` folder to every page): a name for each sidebar toggle,
  the visible text as the name of the search button and of "Toon de code",
  Dutch names for the theme's hard-coded English ones and the copy button's
  texts, and for every
  switcher (`helpers.book.widgets.switcher`) a named group of toggle
  buttons that tells which one is pressed (`aria-pressed`);
* `_static/toegankelijkheid.css`: a clear focus ring on the switchers'
  controls and the chosen view marked by more than colour (bold, underlined,
  a check mark);
* this module as Sphinx extension (`setup`): the book's entry page
  `index.html` is a Dutch page (`lang="nl"`, a title and a link) that
  forwards to the first chapter, instead of the bare redirect of
  sphinx-external-toc.

`tests/test_accessibility.py` runs axe-core on every page in Chromium.
"""
from __future__ import annotations

from pathlib import Path

from helpers.book.escaping import html_text

STATIC_DIR = "_static"
CSS_FILE = "toegankelijkheid.css"
JS_FILE = "toegankelijkheid.js"
CATALOGUE = Path("locales") / "nl" / "LC_MESSAGES" / "sphinx.po"

#: The theme's texts a reader meets (pydata-sphinx-theme 0.17 `sphinx` domain; "Link to this heading" is Sphinx's).
#: The colour-mode button shows the icon of the current mode with its title; its name names every mode, so
#: what is visible is always part of it.
THEME_MESSAGES = {
    "Skip to main content": "Direct naar de inhoud",
    "Back to top": "Terug naar boven",
    "Search": "Zoeken",
    "Error": "Fout",
    "Please activate JavaScript to enable the search functionality.": "Zet JavaScript aan om te kunnen zoeken.",
    "Breadcrumb": "Kruimelpad",
    "Home": "Begin",
    "On this page": "Op deze pagina",
    "previous page": "vorige pagina",
    "previous": "vorige",
    "next page": "volgende pagina",
    "next": "volgende",
    "Collapse Sidebar": "Zijbalk inklappen",
    "Expand Sidebar": "Zijbalk uitklappen",
    "Section Navigation": "Navigatie in dit deel",
    "Click to expand": "Uitklappen",
    "Click to collapse": "Inklappen",
    "Color mode": "Kleurmodus: licht, donker of systeeminstelling",
    "Light": "licht",
    "Dark": "donker",
    "System Settings": "systeeminstelling",
    "Version warning": "Versiewaarschuwing",
    "Announcement": "Mededeling",
    "Site navigation": "Navigatie",
    "Link to this heading": "Link naar deze kop",
}

#: English names that sphinx-book-theme 1.1 types into its templates (no catalogue): attribute value -> Dutch.
HARD_CODED_NAMES = {
    "Toggle primary sidebar": "Inhoudsopgave tonen of verbergen",
    "Toggle secondary sidebar": "Inhoud van deze pagina tonen of verbergen",
    "Main": "Hoofdstukken",
    "Page": "Pagina",
}

ACCESSIBILITY_CSS = """\
/* Written by src/helpers/pipeline/accessibility.py: switchers readable without colour, focus always visible. */
/* !important: the widgets' own style sheet removes the outline of a select with !important. */
.mb-switcher-control button:focus-visible,
.mb-switcher-control select:focus-visible {
  outline: 3px solid #1a1a1a !important;
  outline-offset: 2px;
}
/* Wide enough for the label in bold with the check mark (the widgets give every button one fixed width); on a
   narrow screen the buttons wrap instead of running off the page. */
.mb-switcher-control.widget-toggle-buttons,
.mb-switcher-control.widget-toggle-buttons > div {
  flex-wrap: wrap;
  height: auto;
}
.mb-switcher-control .widget-toggle-button {
  width: auto;
  min-width: var(--jp-widgets-inline-width-short, 10em);
  padding: 0 0.8em;
}
.mb-switcher-control .widget-toggle-button.mod-active {
  font-weight: 700;
  text-decoration: underline;
  text-underline-offset: 0.25em;
  box-shadow: inset 0 -3px 0 #1a1a1a;
}
/* A check mark before the chosen view; its alternative text is empty, aria-pressed tells a screen reader. */
.mb-switcher-control .widget-toggle-button.mod-active::before {
  content: "\\2713\\00a0" / "";
}
"""

ACCESSIBILITY_JS = """\
/* Written by src/helpers/pipeline/accessibility.py: names and states the theme and embed.js leave out. */
(function () {
  "use strict";
  var DUTCH = %(names)s;
  var CONTROL = ".mb-switcher-control";
  var counter = 0;

  // sphinx-copybutton (the copy button of a shown code cell) has no Dutch texts. It keeps them in its globals
  // `messages` (English chosen for lang "nl") and the icons `iconCopy`, `iconCheck`, and adds its buttons when the
  // page has loaded; this script runs after it and before that.
  if (typeof messages === "object" && messages && messages.en) {
    var copyTexts = {copy: "Kopiëren", copy_to_clipboard: "Kopiëren naar het klembord",
                     copy_success: "Gekopieerd", copy_failure: "Kopiëren mislukt"};
    var english = Object.assign({}, messages.en);
    Object.assign(messages.en, copyTexts);
    if (typeof iconCopy === "string") iconCopy = iconCopy.replace(english.copy_to_clipboard, copyTexts.copy_to_clipboard);
    if (typeof iconCheck === "string") iconCheck = iconCheck.replace(english.copy_success, copyTexts.copy_success);
  }

  function theme() {
    // "Toon de code": its visible text is its name (myst-nb adds an English aria-label).
    document.querySelectorAll('summary[aria-label="Toggle hidden content"]').forEach(function (summary) {
      summary.removeAttribute("aria-label");
    });
    // The chevron that opens a chapter's sections in the sidebar has no text.
    document.querySelectorAll("summary").forEach(function (summary) {
      if (summary.textContent.trim() || summary.hasAttribute("aria-label")) return;
      var item = summary.closest("li");
      var link = item && item.querySelector(":scope > a");
      var name = link ? link.textContent.trim() : "";
      summary.setAttribute("aria-label", name ? "Onderdelen van " + name + " tonen of verbergen"
                                              : "Onderdelen tonen of verbergen");
    });
    // The search button shows "Zoeken Ctrl+K"; a shorter aria-label would hide the shortcut from its name.
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (button) {
      if (button.textContent.trim()) button.removeAttribute("aria-label");
    });
    ["aria-label", "title", "placeholder", "data-bs-title"].forEach(function (attribute) {
      document.querySelectorAll("[" + attribute + "]").forEach(function (element) {
        var dutch = DUTCH[element.getAttribute(attribute)];
        if (dutch) element.setAttribute(attribute, dutch);
      });
    });
  }

  function pressed(buttons) {
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", button.classList.contains("mod-active") ? "true" : "false");
    });
  }

  // A switcher's toggle buttons: one group named by the switcher's label, each button pressed or not.
  function switcher(control) {
    if (control.dataset.mbNamed) return;
    var label = control.querySelector(":scope > label.widget-label");
    var buttons = control.querySelectorAll("button");
    if (!buttons.length) return;
    control.dataset.mbNamed = "1";
    var group = buttons[0].parentElement;
    group.setAttribute("role", "group");
    if (label && label.textContent.trim()) {
      label.id = label.id || "mb-switcher-label-" + (++counter);
      group.setAttribute("aria-labelledby", label.id);
    }
    if (label && label.getAttribute("title") === "null") label.removeAttribute("title");
    pressed(buttons);
    new MutationObserver(function () { pressed(group.querySelectorAll("button")); })
      .observe(group, {attributes: true, subtree: true, attributeFilter: ["class"]});
  }

  var scheduled = false;
  function widgets() {
    scheduled = false;
    document.querySelectorAll(CONTROL + ":not([data-mb-named])").forEach(switcher);
  }

  function start() {
    theme();
    widgets();
    // embed.js draws the widgets after the page has loaded, setting their classes after attaching them.
    new MutationObserver(function () {
      if (!scheduled) { scheduled = true; window.setTimeout(widgets, 0); }
    }).observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ["class"]});
    window.addEventListener("load", theme);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
"""


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def catalogue() -> str:
    """The Dutch catalogue of the theme's texts, as a gettext .po file."""
    lines = ['msgid ""', 'msgstr ""', '"Language: nl\\n"', '"MIME-Version: 1.0\\n"',
             '"Content-Type: text/plain; charset=UTF-8\\n"', '"Content-Transfer-Encoding: 8bit\\n"', ""]
    for english, dutch in THEME_MESSAGES.items():
        lines += [f"msgid {_po_string(english)}", f"msgstr {_po_string(dutch)}", ""]
    return "\n".join(lines)


def accessibility_js() -> str:
    import json

    return ACCESSIBILITY_JS % {"names": json.dumps(HARD_CODED_NAMES, ensure_ascii=False)}


def install_accessibility(book_dir: Path) -> dict:
    """Write the catalogue, the script and the style sheet into a Jupyter Book folder; return Sphinx config entries.

    Jupyter Book adds every `.js` and `.css` file in `<book>/_static` to every page.
    """
    book_dir = Path(book_dir)
    static = book_dir / STATIC_DIR
    static.mkdir(parents=True, exist_ok=True)
    (static / CSS_FILE).write_text(ACCESSIBILITY_CSS, encoding="utf-8")
    (static / JS_FILE).write_text(accessibility_js(), encoding="utf-8")
    po = book_dir / CATALOGUE
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(catalogue(), encoding="utf-8")
    return {"locale_dirs": [CATALOGUE.parts[0]]}


# -- the entry page (Sphinx extension) ------------------------------------------------------
ENTRY_PAGE = """\
<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={target}">
<title>{title}</title>
</head>
<body>
<main>
<h1>{title}</h1>
<p>Het boek begint op <a href="{target}">de eerste pagina</a>.</p>
</main>
</body>
</html>
"""


def _write_entry_page(app, exception) -> None:
    """`index.html` forwarding to the root page, in Dutch, before sphinx-external-toc writes its bare redirect."""
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = html_text(f"{app.config.root_doc}.html")
    title = html_text(app.config.html_title or app.config.project)
    (Path(app.outdir) / "index.html").write_text(ENTRY_PAGE.format(target=target, title=title), encoding="utf-8")


def setup(app):
    """Sphinx extension: a Dutch entry page (see the module docstring)."""
    # Before sphinx-external-toc's handler (priority 500), which leaves an existing index.html alone.
    app.connect("build-finished", _write_entry_page, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
