"""Reusable pieces for browser tests of the built book (Playwright + Debian Chromium).

No browser is downloaded: Playwright drives `/usr/bin/chromium` (apt package
`chromium`). Every request that does not go to the book itself is blocked and
recorded, so a test proves that a page works without internet:

    with serve_directory(html_dir) as base_url, launch_browser() as browser:
        with open_page(browser, base_url) as (page, monitor):
            report = exercise_widgets(page, base_url + "/index.html")
        monitor.assert_clean()

`file://` URLs work too (`open_page(browser, None)` allows file:// only), for
a book unpacked from a zip and opened from disk: the widget bundle has no
module loader, fetches nothing and finds its own URL from its <script>, so
the widgets render from file:// as from http.
"""
from __future__ import annotations

import functools
import hashlib
import http.server
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from helpers.pipeline.print_pdf import chromium_available, launch_chromium

SWITCHER = ".mb-switcher"
CONTROL = ".mb-switcher-control"
STACK = ".mb-switcher-stack"
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@contextmanager
def serve_directory(directory: Path):
    """Serve `directory` on 127.0.0.1 with a free port; yield the base URL (no trailing /)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def launch_browser(**launch_options):
    """Debian's Chromium through Playwright, headless, without network extras (as the build prints)."""
    with launch_chromium(**launch_options) as browser:
        yield browser


@dataclass
class PageMonitor:
    """What happened while a page was open."""

    allowed_origin: str | None
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        if url.startswith(("data:", "blob:", "about:")):
            return True
        if self.allowed_origin is None:
            return url.startswith("file://")
        return url == self.allowed_origin or url.startswith(self.allowed_origin + "/")

    def problems(self) -> dict[str, list[str]]:
        return {
            name: items
            for name, items in (
                ("blocked (niet-lokale) verzoeken", self.blocked),
                ("console-fouten", self.console_errors),
                ("paginafouten", self.page_errors),
                ("mislukte verzoeken", self.failed_requests),
                ("HTTP-fouten", self.bad_responses),
            )
            if items
        }

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(f"{name}:\n  " + "\n  ".join(items) for name, items in problems.items())


@contextmanager
def open_page(browser, allowed_origin: str | None, viewport=(1280, 900)):
    """A fresh page that only reaches `allowed_origin` (None: only file:// URLs).

    Yields (page, monitor). Every other request is aborted and recorded in
    `monitor.blocked`; console errors, uncaught page errors, failed requests
    and HTTP responses >= 400 are recorded too.
    """
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block", locale="nl-NL"
    )
    monitor = PageMonitor(allowed_origin.rstrip("/") if allowed_origin else None)

    def route(route_obj):
        url = route_obj.request.url
        if monitor.allows(url):
            monitor.requests.append(url)
            route_obj.continue_()
        else:
            monitor.blocked.append(url)
            route_obj.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()

    def on_console(message):
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            monitor.console_errors.append(f"{message.text} ({where})" if where else message.text)

    def on_failed(request):
        if request.url not in monitor.blocked:
            monitor.failed_requests.append(f"{request.url}: {request.failure}")

    def on_response(response):
        if response.status >= 400:
            monitor.bad_responses.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: monitor.page_errors.append(str(error)))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    try:
        yield page, monitor
    finally:
        context.close()


@dataclass
class SwitcherReport:
    """One switcher: its labels and what each label showed."""

    labels: list[str]
    shown: list[dict]  # per label: {"kind": "img"|"html", "id": hash, "alt": ...}


@dataclass
class WidgetReport:
    url: str
    widget_views: int  # widget-view script tags on the page
    rendered: int  # of which rendered (.widget-subarea)
    switchers: list[SwitcherReport]


_VISIBLE_VIEW_JS = """(stack) => {
    const visible = (el) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const imgs = [...stack.querySelectorAll('img')].filter(visible);
    if (imgs.length === 1) {
        const img = imgs[0];
        return {kind: 'img', src: img.getAttribute('src'), alt: img.getAttribute('alt'),
                loaded: img.complete && img.naturalWidth > 0};
    }
    if (imgs.length > 1) return {kind: 'many-img', src: String(imgs.length), alt: null, loaded: true};
    if (stack.innerText.trim()) return {kind: 'html', src: stack.innerHTML, alt: null, loaded: true};
    return {kind: 'none', src: '', alt: null, loaded: false};
}"""


def _visible_view(stack) -> dict:
    """What the stack shows now: the visible image (src, alt) or its HTML."""
    return stack.evaluate(_VISIBLE_VIEW_JS)


def _signature(view: dict) -> dict:
    return {
        "kind": view["kind"],
        "id": hashlib.sha1(view["src"].encode()).hexdigest()[:12],
        "alt": view["alt"],
        "loaded": view["loaded"],
    }


def _wait_for_change(page, stack, before_src: str, timeout_ms: int) -> dict:
    """Wait until the stack shows something else than `before_src`, fully loaded."""
    page.wait_for_function(
        "([el, before]) => { const v = (" + _VISIBLE_VIEW_JS + ")(el); return v.src !== before && v.loaded; }",
        arg=[stack.element_handle(), before_src],
        timeout=timeout_ms,
    )
    return _visible_view(stack)


def _labels(control) -> tuple[str, list[str]]:
    """(kind of selector, its labels as typed: toggle buttons show spaces as no-break spaces)."""
    select = control.locator("select")
    if select.count():
        return "select", [o.strip().replace("\xa0", " ") for o in select.locator("option").all_inner_texts()]
    buttons = control.locator("button")
    return "buttons", [b.strip().replace("\xa0", " ") for b in buttons.all_inner_texts()]


def _choose(control, kind: str, index: int) -> None:
    if kind == "select":
        control.locator("select").select_option(index=index)
    else:
        control.locator("button").nth(index).click()


def exercise_widgets(page, url: str, timeout_ms: int = 20_000) -> WidgetReport:
    """Open `url`, wait for the widgets, and switch every switcher through all its views.

    Asserts per switcher: a selector and exactly one visible, loaded image (or
    HTML) per view, an alt text on every image, and that every choice shows
    a different view than the one before (so switching works client side).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page.goto(url, wait_until="load")
    views = page.locator(WIDGET_VIEW).count()
    # embed.js renders on window load; each rendered view gets a .widget-subarea.
    try:
        page.wait_for_function(
            "(n) => document.querySelectorAll('.widget-subarea').length >= n", arg=views, timeout=timeout_ms
        )
    except PlaywrightTimeoutError:
        rendered = page.locator(".widget-subarea").count()
        raise AssertionError(f"{url}: {rendered} van {views} widgets getekend na {timeout_ms} ms") from None
    rendered = page.locator(".widget-subarea").count()
    switchers = page.locator(SWITCHER)
    reports = []
    for i in range(switchers.count()):
        switcher = switchers.nth(i)
        switcher.scroll_into_view_if_needed()
        control = switcher.locator(CONTROL)
        stack = switcher.locator(STACK)
        assert control.count() == 1 and stack.count() == 1, f"switcher {i}: selector of stack ontbreekt"
        kind, labels = _labels(control)
        assert len(labels) >= 2, f"switcher {i}: minder dan twee keuzes ({labels})"
        page.wait_for_function(
            "(el) => [...el.querySelectorAll('img')].every(i => i.complete)", arg=stack.element_handle(),
            timeout=timeout_ms,
        )
        current = _visible_view(stack)
        shown = [_signature(current)]
        for index in [*range(1, len(labels)), 0]:
            _choose(control, kind, index)
            try:
                current = _wait_for_change(page, stack, current["src"], timeout_ms)
            except PlaywrightTimeoutError:
                raise AssertionError(
                    f"switcher {i}: keuze {labels[index]!r} toont binnen {timeout_ms} ms geen andere weergave"
                ) from None
            shown.append(_signature(current))
        # shown: first view, then views 1..n-1, then view 0 again
        first, *others, back = shown
        per_label = [first, *others]
        for label, view in zip(labels, per_label):
            assert view is not None and view["kind"] in ("img", "html"), f"switcher {i} '{label}': niets zichtbaar ({view})"
            assert view["loaded"], f"switcher {i} '{label}': afbeelding niet geladen"
            if view["kind"] == "img":
                assert view["alt"], f"switcher {i} '{label}': afbeelding zonder alt-tekst"
        ids = [view["id"] for view in per_label]
        assert len(set(ids)) == len(ids), f"switcher {i}: keuzes tonen dezelfde weergave ({ids})"
        assert back == first, f"switcher {i}: terugschakelen toont niet de eerste weergave"
        reports.append(SwitcherReport(labels=labels, shown=per_label))
    return WidgetReport(url=url, widget_views=views, rendered=rendered, switchers=reports)




def _active_index(control, kind: str) -> int:
    if kind == "select":
        return control.locator("select").evaluate("(el) => el.selectedIndex")
    return control.locator("button").evaluate_all(
        "(buttons) => buttons.findIndex((b) => b.classList.contains('mod-active'))"
    )


def choose_view(page, label: str, switcher_index: int = 0, timeout_ms: int = 20_000) -> dict:
    """Pick `label` in the n-th switcher; return what it shows then (kind, id, alt)."""
    switcher = page.locator(SWITCHER).nth(switcher_index)
    control, stack = switcher.locator(CONTROL), switcher.locator(STACK)
    kind, labels = _labels(control)
    index = labels.index(label)
    before = _visible_view(stack)
    if _active_index(control, kind) == index:
        return _signature(before)
    _choose(control, kind, index)
    return _signature(_wait_for_change(page, stack, before["src"], timeout_ms))


# --- accessibility (axe-core) ------------------------------------------------------

#: axe-core from npm (package.json devDependencies, `npm ci`); injected into the page as an inline
#: script, so the check itself fetches nothing and works offline.
AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
#: The public-sector target: WCAG 2.1 level A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Impacts that fail the test.
AXE_BLOCKING = ("serious", "critical")


@dataclass
class AxeViolation:
    rule: str
    impact: str
    page: str
    targets: list[str]
    help: str

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:5]) + (f" (+{len(self.targets) - 5})" if len(self.targets) > 5 else "")
        return f"{self.rule} [{self.impact}] op {self.page}: {self.help} -> {shown}"


def book_pages(html_dir: Path) -> list[str]:
    """Every HTML page a reader can open, relative to `html_dir` ('_static' holds theme templates, not pages)."""
    return sorted(
        path.relative_to(html_dir).as_posix()
        for path in html_dir.rglob("*.html")
        if "_static" not in path.relative_to(html_dir).parts
    )


def wait_for_widgets(page, timeout_ms: int = 20_000) -> None:
    """Until every embedded widget view is rendered (embed.js renders them on window load)."""
    views = page.locator(WIDGET_VIEW).count()
    if views:
        page.wait_for_function(
            "(n) => document.querySelectorAll('.widget-subarea').length >= n", arg=views, timeout=timeout_ms
        )


def run_axe(page, tags=AXE_TAGS) -> list[dict]:
    """axe-core on the page as it is now; its violations (rule id, impact, help, nodes' targets)."""
    if not AXE_JS.is_file():
        raise RuntimeError(f"{AXE_JS} ontbreekt: voer `npm ci` uit")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                targets: v.nodes.map(n => n.target.join(' '))}));
        }""",
        tags,
    )


_REFRESH = re.compile(r'<meta[^>]*http-equiv="refresh"[^>]*>', re.IGNORECASE)


def _without_refresh(route, html_dir: Path, rel: str) -> None:
    """Serve a forwarding page without its refresh, so axe checks the page itself rather than its target."""
    route.fulfill(status=200, content_type="text/html; charset=utf-8",
                  body=_REFRESH.sub("", (html_dir / rel).read_text(encoding="utf-8")))


def axe_violations(browser, base_url: str, html_dir: Path, pages: list[str],
                   timeout_ms: int = 20_000) -> list[AxeViolation]:
    """Open each page in turn (one browser), wait for its widgets, run axe; every violation found."""
    found = []
    for rel in pages:
        with open_page(browser, base_url) as (page, _monitor):
            if _REFRESH.search((html_dir / rel).read_text(encoding="utf-8")):
                page.route(f"{base_url}/{rel}", functools.partial(_without_refresh, html_dir=html_dir, rel=rel))
            page.goto(f"{base_url}/{rel}", wait_until="load")
            wait_for_widgets(page, timeout_ms)
            for v in run_axe(page):
                found.append(AxeViolation(v["id"], v["impact"] or "", rel, v["targets"], v["help"]))
    return found
