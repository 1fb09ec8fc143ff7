"""Text for one medium only: the web page, or the printed report.

A page says some things only the web can do ("kies hieronder een team",
the folded code and figure id) and the report says instead what a reader of
paper can do. One mechanism for both, in the page's HTML:

* an element of class `WEB_ONLY_CLASS` is shown on the web and left out of
  the report (`helpers.pipeline.print_pdf` removes it);
* an element of class `PRINT_ONLY_CLASS` carries the HTML `hidden` attribute,
  so the web page does not show it (no style sheet needed), and the report
  removes the attribute.

Both wrap Markdown as well as HTML: MyST passes the inline tags through and
parses the text between them.
"""
from __future__ import annotations

WEB_ONLY_CLASS = "mb-alleen-web"
PRINT_ONLY_CLASS = "mb-alleen-druk"


def web_only(text: str) -> str:
    """`text` (Markdown or HTML, already escaped) on the web page only."""
    return f'<span class="{WEB_ONLY_CLASS}">{text}</span>' if text else ""


def print_only(text: str) -> str:
    """`text` (Markdown or HTML, already escaped) in the printed report only."""
    return f'<span class="{PRINT_ONLY_CLASS}" hidden>{text}</span>' if text else ""
