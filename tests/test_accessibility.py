"""Accessibility of the built book (WCAG 2.1 AA), on the national and one institution edition.

- axe-core (from node_modules, injected inline: nothing is fetched) finds no
  serious or critical violation of WCAG 2.0/2.1 A and AA on any page;
- every page is Dutch (`lang="nl"`);
- every figure's alt text is Dutch and gives its numbers, not just a title;
- every switcher's selector has a name and works with the keyboard alone.

The editions are the session's `built` ones (tests/conftest.py).
"""
from __future__ import annotations

import collections
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from browser import (
    AXE_BLOCKING,
    CONTROL,
    STACK,
    SWITCHER,
    _visible_view,
    _wait_for_change,
    axe_violations,
    book_pages,
    chromium_available,
    launch_browser,
    open_page,
    serve_directory,
    wait_for_widgets,
)
from helpers.core import dutch
from helpers.core.edition_manifest import chapters_for

pytestmark = pytest.mark.slow

WIDGET_STATE = re.compile(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', re.DOTALL)
IMG_ALT = re.compile(r'<img\b[^>]*\balt="([^"]*)"')
DUTCH_NUMBER = re.compile(r"\d+(?:,\d+)?%?")
ENGLISH_DECIMAL = re.compile(r"\b\d+\.\d{1,2}\b")  # 3,4 not 3.4 (5.467 is a Dutch thousand)


def html_dir(built: Path, edition: str) -> Path:
    return built / "editions" / edition / "html"


def require_chromium() -> None:
    if not chromium_available():
        pytest.fail("Chromium is not installed (/usr/bin/chromium): `make test` installs it with apt-get")


def test_every_page_passes_axe(built, institution):
    """No serious or critical axe violation (WCAG 2.0/2.1 A and AA) on any page; one browser, pages in turn."""
    require_chromium()
    found, scanned = [], 0
    with launch_browser() as browser:
        for edition in ("landelijk", institution):
            root = html_dir(built, edition)
            pages = book_pages(root)
            assert {f"{c}.html" for c in chapters_for(edition)} <= set(pages)
            assert {"index.html", "search.html", "genindex.html"} <= set(pages)
            with serve_directory(root) as base_url:
                found += [(edition, v) for v in axe_violations(browser, base_url, root, pages)]
            scanned += len(pages)
    impacts = collections.Counter(v.impact for _, v in found)
    print(f"\naxe: {scanned} pagina's, overtredingen per ernst: {dict(impacts) or 'geen'}")
    blocking = [f"{edition}: {v}" for edition, v in found if v.impact in AXE_BLOCKING]
    assert not blocking, f"{len(blocking)} ernstige toegankelijkheidsfouten:\n" + "\n".join(blocking)


def test_every_page_is_dutch(built, institution):
    for edition in ("landelijk", institution):
        root = html_dir(built, edition)
        wrong = [page for page in book_pages(root)
                 if not re.search(r'<html\b[^>]*\blang="nl"', (root / page).read_text(encoding="utf-8"))]
        assert not wrong, f"{edition}: pages without lang=\"nl\": {wrong}"


def figure_alts(page: str) -> list[str]:
    """The alt text of every figure on a page: plain images and those inside the widget state (every view)."""
    alts = IMG_ALT.findall(page)
    for state in WIDGET_STATE.findall(page):
        for model in json.loads(state)["state"].values():
            alts += IMG_ALT.findall(model.get("state", {}).get("value", "") or "")
    return [html.unescape(alt) for alt in alts]


def test_every_figure_alt_text_is_dutch_and_gives_its_numbers(built, institution):
    for edition in ("landelijk", institution):
        root = html_dir(built, edition)
        seen = 0
        for chapter in chapters_for(edition):
            for alt in figure_alts((root / f"{chapter}.html").read_text(encoding="utf-8")):
                seen += 1
                where = f"{edition}/{chapter}: {alt[:160]}"
                assert not alt.startswith("Figuur:"), f"alt text is only a title: {where}"
                assert re.match(r"^(Staafdiagram|Gestapeld staafdiagram|Stippendiagram|Heatmap) ‘[^’]+’: ", alt), where
                title = re.match(r"^[^‘]*‘([^’]+)’", alt).group(1)
                assert DUTCH_NUMBER.search(alt.split("’", 1)[1]), f"no numbers beyond the title: {where}"
                assert not ENGLISH_DECIMAL.search(alt.replace(title, "")), f"English decimal point: {where}"
        assert seen >= 20, f"{edition}: only {seen} figures found"


def test_theme_figure_alt_text_holds_every_share_of_its_table(built):
    """What a screen reader says of figure 2.1 is the national table, number by number, in Dutch."""
    root = built / "editions" / "landelijk"
    table = pd.read_csv(root / "tables" / "c2-1-themas.csv")
    total = table[(table["weergave"] == "totaal") & ~table["onderdrukt"]]
    alts = figure_alts((root / "html" / "notebooks/katern_c/c2_1_themas.html").read_text(encoding="utf-8"))
    [alt] = [a for a in alts if a.startswith("Staafdiagram ‘Gekozen thema's’: ")]
    for row in total.itertuples():
        assert f"{row.thema_label}: {dutch.percent(row.aandeel)}" in alt, (row.thema_label, alt)


FOCUSABLE = "a[href], button, select, input, textarea, summary, [tabindex]:not([tabindex='-1'])"


def tab_into(page, target) -> None:
    """Focus what comes before `target` in the tab order, then press Tab: `target` must get the focus."""
    target.evaluate(
        """(target, selector) => {
            const all = [...document.querySelectorAll(selector)];
            for (let i = all.indexOf(target) - 1; i >= 0; i--) {  // the nearest one that takes the focus
                all[i].focus();
                if (document.activeElement === all[i]) return;
            }
        }""",
        FOCUSABLE,
    )
    page.keyboard.press("Tab")
    assert target.evaluate("(e) => e === document.activeElement"), "Tab does not reach the selector"
    outline = target.evaluate("(e) => getComputedStyle(e).outlineStyle")
    assert outline != "none", "no visible focus on the selector"


def test_switchers_are_named_and_work_with_the_keyboard(built):
    """A dropdown (arrow keys) and toggle buttons (Tab, Enter): named, reachable with Tab, and they switch the view."""
    require_chromium()
    root = html_dir(built, "landelijk")
    with serve_directory(root) as base_url, launch_browser() as browser:
        with open_page(browser, base_url) as (page, monitor):
            page.goto(f"{base_url}/notebooks/katern_a/a2_visie.html", wait_until="load")
            wait_for_widgets(page)
            switcher = page.locator(SWITCHER).filter(has=page.locator("select")).first
            select, stack = switcher.locator(f"{CONTROL} select"), switcher.locator(STACK)
            label = switcher.locator(f"{CONTROL} label").inner_text().strip()
            assert label and page.get_by_role("combobox", name=label).count() >= 1, "dropdown without a name"
            before = _visible_view(stack)
            tab_into(page, select)
            page.keyboard.press("ArrowDown")
            after = _wait_for_change(page, stack, before["src"], 20_000)
            assert select.evaluate("(e) => e.selectedIndex") == 1 and after["alt"] != before["alt"]
        monitor.assert_clean()

        with open_page(browser, base_url) as (page, monitor):
            page.goto(f"{base_url}/notebooks/katern_a/a8_typologie.html", wait_until="load")
            wait_for_widgets(page)
            switcher = page.locator(SWITCHER).filter(has=page.locator("button")).first
            control, stack = switcher.locator(CONTROL), switcher.locator(STACK)
            page.wait_for_function("(c) => c.dataset.mbNamed === '1'", arg=control.element_handle())
            label = control.locator("label").inner_text().strip()
            group = page.get_by_role("group", name=label)
            assert group.count() == 1, "toggle buttons are not a named group"
            buttons = group.get_by_role("button")
            assert [b.get_attribute("aria-pressed") for b in buttons.all()][:2] == ["true", "false"]
            before = _visible_view(stack)
            tab_into(page, buttons.nth(0))
            page.keyboard.press("Tab")
            assert buttons.nth(1).evaluate("(e) => e === document.activeElement")
            page.keyboard.press("Enter")
            after = _wait_for_change(page, stack, before["src"], 20_000)
            assert after["alt"] != before["alt"]
            page.wait_for_function("(b) => b.getAttribute('aria-pressed') === 'true'",
                                   arg=buttons.nth(1).element_handle())
            assert buttons.nth(0).get_attribute("aria-pressed") == "false"
        monitor.assert_clean()
