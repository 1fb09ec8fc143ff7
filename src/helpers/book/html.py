"""HTML elements of the pages' own blocks (the research model, the team tables, the praatplaat).

The chapters pass words, classes and already escaped content; the tags are
written here, so a chapter module holds its words (in its sentence template)
and no markup. Attribute names are Python names: `class_` is `class`,
`aria_hidden` is `aria-hidden`.
"""
from __future__ import annotations

from helpers.book.escaping import html_text


def element(tag: str, content: str = "", /, **attributes) -> str:
    """`<tag name="value">content</tag>`; `content` as given (escaped by the caller), attribute values escaped."""
    written = "".join(f' {name.rstrip("_").replace("_", "-")}="{html_text(value)}"'
                      for name, value in attributes.items())
    return f"<{tag}{written}>{content}</{tag}>"
