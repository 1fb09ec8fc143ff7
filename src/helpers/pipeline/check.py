"""Checks of a built edition: it must work without internet.

`check_offline(html_dir)` is run on every edition. It fails when

* a page, style sheet or script would make the browser fetch something from
  another host (`find_remote_resources`): `<script src>`, `<link href>` (style
  sheets, preload, icons, preconnect, ...), `<img src/srcset>` and other
  embedded media, `url()` / `@import` in CSS (files, `<style>`, `style=""`,
  CSS strings inside JavaScript bundles), `src=`/`import()`/`fetch()` of
  absolute URLs in JavaScript, and HTML inside the embedded widget state.
  Plain hyperlinks (`<a href>`, `<link rel="canonical">` and the like) are
  navigation, not downloads, and are allowed;
* a page loads a local script, style sheet or image that is not in the
  build (`find_missing_local_resources`), e.g. MathJax not installed;
* the embedded widget state uses a widget module that the local bundle does
  not contain (`find_unbundled_widget_modules`): it would not render.

JavaScript is only scanned for the patterns above; a URL kept in a variable
and fetched later (like sphinx-thebe's THEBE_JS_URL, which is why
`helpers.pipeline.assets.sphinx_config_overrides` drops that extension) is not seen.
The browser tests (tests/browser.py) block and record every non-local
request as the final word.
"""
from __future__ import annotations

import functools

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpers.pipeline.assets import BUNDLED_WIDGET_MODULES

WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"

#: <link rel=...> values that are navigation or metadata, never a download.
NAVIGATION_RELS = frozenset(
    {
        "alternate", "author", "bookmark", "canonical", "contents", "copyright", "first", "glossary",
        "help", "index", "last", "license", "me", "next", "prev", "previous", "search", "start", "top", "up",
    }
)
#: Attributes that make the browser fetch, per tag (besides script/link).
FETCH_ATTRIBUTES = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
}

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')\s]+)(?P=q)\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?(?P<url>[^"')\s;]+)""", re.I)
# In JavaScript: CSS (bundled style sheets), src= and <link href= in HTML
# strings (not <a href=: a hyperlink in a dialog is no download),
# property assignments and the fetching functions -- with an absolute URL.
_ABS = r"""(?:https?:|wss?:|ftp:)?//[^\s"'`)\\]+"""
_JS_PATTERNS = [
    re.compile(r"""url\(\s*\\?["']?(?P<url>""" + _ABS + ")", re.I),
    re.compile(r"""@import\s+(?:url\(\s*)?\\?["']?(?P<url>""" + _ABS + ")", re.I),
    re.compile(r"""\b(?:src|srcset)\s*=\s*\\?["'](?P<url>""" + _ABS + ")", re.I),
    re.compile(r"""<link\b[^>]*?\bhref\s*=\s*\\?["'](?P<url>""" + _ABS + ")", re.I),
    re.compile(r"""\.(?:src|href)\s*=\s*["'`](?P<url>""" + _ABS + ")", re.I),
    re.compile(r"""\b(?:import|importScripts|fetch|Worker|EventSource|WebSocket)\s*\(\s*["'`](?P<url>""" + _ABS + ")"),
    re.compile(r"""\.open\(\s*["'][A-Z]+["']\s*,\s*["'`](?P<url>""" + _ABS + ")"),
]


def is_remote(url: str) -> bool:
    """True for a URL the browser would fetch from another host."""
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = urlsplit(url).scheme.lower()
    return scheme in {"http", "https", "ftp", "ws", "wss"}


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _in_comment(text: str, pos: int) -> bool:
    """Whether `pos` lies inside a /* ... */ comment (approximately)."""
    start = text.rfind("/*", 0, pos)
    return start != -1 and text.rfind("*/", start, pos) == -1


def css_urls(css: str) -> list[str]:
    css = _CSS_COMMENT.sub("", css)
    urls = [m.group("url") for m in _CSS_URL.finditer(css)]
    urls += [m.group("url") for m in _CSS_IMPORT.finditer(css)]
    return urls


def js_urls(js: str) -> list[str]:
    found = []
    for pattern in _JS_PATTERNS:
        for match in pattern.finditer(js):
            if not _in_comment(js, match.start()):
                found.append(match.group("url"))
    return found


class _PageScanner(HTMLParser):
    """Collects what an HTML page fetches: (kind, url) pairs, and widget state."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fetches: list[tuple[str, str]] = []
        self.inline_js: list[str] = []
        self.inline_css: list[str] = []
        self.widget_states: list[str] = []
        self._script_type: str | None = None
        self._script_parts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {name.lower(): (value or "") for name, value in attrs}
        if "style" in attrs:
            self.inline_css.append(attrs["style"])
        if tag == "script":
            if attrs.get("src"):
                self.fetches.append(("script", attrs["src"]))
            self._script_type = attrs.get("type", "text/javascript").lower()
            self._script_parts = []
        elif tag == "link":
            rels = set(attrs.get("rel", "").lower().split())
            if attrs.get("href") and not (rels and rels <= NAVIGATION_RELS):
                self.fetches.append((f"link rel={' '.join(sorted(rels)) or '?'}", attrs["href"]))
            if attrs.get("imagesrcset"):
                self.fetches += [("link imagesrcset", u) for u in _srcset_urls(attrs["imagesrcset"])]
        elif tag == "style":
            self._in_style = True
        elif tag in FETCH_ATTRIBUTES:
            for name in FETCH_ATTRIBUTES[tag]:
                value = attrs.get(name)
                if not value:
                    continue
                if name.endswith("srcset"):
                    self.fetches += [(f"{tag} {name}", u) for u in _srcset_urls(value)]
                else:
                    self.fetches.append((f"{tag} {name}", value))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._script_type is not None:
            self._script_parts.append(data)
        elif self._in_style:
            self.inline_css.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_type is not None:
            body = "".join(self._script_parts)
            if self._script_type == WIDGET_STATE_MIME:
                self.widget_states.append(body)
            elif "json" not in self._script_type and "template" not in self._script_type:
                self.inline_js.append(body)
            self._script_type = None
        elif tag == "style":
            self._in_style = False


def _scan_html(text: str) -> _PageScanner:
    scanner = _PageScanner()
    scanner.feed(text)
    scanner.close()
    return scanner


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def _html_fetches(text: str, depth: int = 0) -> list[tuple[str, str]]:
    """Everything an HTML text fetches, including HTML in its widget state."""
    scanner = _scan_html(text)
    fetches = list(scanner.fetches)
    fetches += [("inline css", u) for css in scanner.inline_css for u in css_urls(css)]
    fetches += [("inline script", u) for js in scanner.inline_js for u in js_urls(js)]
    if depth == 0:
        for state in scanner.widget_states:
            try:
                data = json.loads(state)
            except json.JSONDecodeError:
                continue
            for string in _strings(data):
                if "<" in string:
                    fetches += [(f"widget state: {kind}", url) for kind, url in _html_fetches(string, depth + 1)]
    return fetches


def _files(html_dir: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in Path(html_dir).rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


@functools.lru_cache(maxsize=1024)
def _asset_fetches(suffix: str, text: str) -> tuple[tuple[str, str], ...]:
    """What a style sheet, script or SVG fetches. Cached on content: every edition ships the same
    theme and widget bundles, and scanning those costs half a second per edition."""
    if suffix == ".css":
        return tuple(("css", u) for u in css_urls(text))
    if suffix == ".svg":
        return tuple((k, u) for k, u in _html_fetches(text) if k != "inline script")
    return tuple(("js", u) for u in js_urls(text))


def find_remote_resources(html_dir: Path) -> list[str]:
    """Every reference under `html_dir` that would make the browser fetch from another host.

    Returns lines `relative/path: kind url`, sorted, without duplicates.
    """
    html_dir = Path(html_dir)
    found: set[str] = set()
    for path in _files(html_dir, (".html", ".htm", ".css", ".js", ".mjs", ".svg")):
        rel = path.relative_to(html_dir).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        suffix = path.suffix.lower()
        pairs = _html_fetches(text) if suffix in (".html", ".htm") else _asset_fetches(suffix, text)
        found.update(f"{rel}: {kind} {url}" for kind, url in pairs if is_remote(url))
    return sorted(found)


def find_missing_local_resources(html_dir: Path) -> list[str]:
    """Local scripts, style sheets and images that pages load but the build lacks."""
    html_dir = Path(html_dir).resolve()
    missing: set[str] = set()
    for path in _files(html_dir, (".html", ".htm")):
        rel = path.relative_to(html_dir).as_posix()
        for kind, url in _scan_html(path.read_text(encoding="utf-8", errors="replace")).fetches:
            parts = urlsplit(url)
            if is_remote(url) or parts.scheme or not parts.path or "{{" in url or "{%" in url:
                continue  # remote (reported elsewhere), data:, about:, template macros, ...
            target = (path.parent / unquote(parts.path)).resolve()
            if not target.exists():
                missing.add(f"{rel}: {kind} {url}")
    return sorted(missing)


def find_unbundled_widget_modules(html_dir: Path) -> list[str]:
    """Widget models in embedded state whose module the local embed.js lacks."""
    html_dir = Path(html_dir)
    found: set[str] = set()
    for path in _files(html_dir, (".html", ".htm")):
        rel = path.relative_to(html_dir).as_posix()
        for state in _scan_html(path.read_text(encoding="utf-8", errors="replace")).widget_states:
            try:
                models = json.loads(state).get("state", {})
            except (json.JSONDecodeError, AttributeError):
                found.add(f"{rel}: onleesbare widget-state")
                continue
            for model in models.values():
                for key in ("model_module", "view_module"):
                    module = model.get(key) or model.get("state", {}).get(f"_{key}")
                    if module and module not in BUNDLED_WIDGET_MODULES:
                        found.add(f"{rel}: {module} ({model.get('model_name')})")
    return sorted(found)


class OfflineCheckError(RuntimeError):
    """A built book would need the internet (or misses local files)."""


def check_offline(html_dir: Path) -> None:
    """Raise OfflineCheckError unless every page works without internet."""
    html_dir = Path(html_dir)
    if not html_dir.is_dir():
        raise OfflineCheckError(f"{html_dir} bestaat niet")
    sections = [
        ("haalt iets van een andere host (CDN, fonts, analytics, ...)", find_remote_resources(html_dir)),
        ("laadt lokale bestanden die niet in de build zitten", find_missing_local_resources(html_dir)),
        ("gebruikt widgets die de lokale widgetbundel niet kent", find_unbundled_widget_modules(html_dir)),
    ]
    problems = [(title, items) for title, items in sections if items]
    if problems:
        lines = [f"De gebouwde editie in {html_dir} werkt niet zonder internet:"]
        for title, items in problems:
            lines.append(f"- {len(items)} verwijzing(en) {title}:")
            lines += [f"    {item}" for item in items]
        raise OfflineCheckError("\n".join(lines))
