"""The inline styles of the pages' own blocks, written into the page that shows the block and no other.

Kept apart from the chapters (which hold words, in their sentence templates)
and from `_static` (which Jupyter Book adds to every page).
"""
from __future__ import annotations

#: The research model on the start page: boxes with arrows between them (`helpers.chapters.research_questions`).
RESEARCH_MODEL = (".mb-model{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:.5rem 0 1rem}"
                  ".mb-model-blok{flex:1 1 14rem;border:1px solid #c5d1da;border-top:.3rem solid #0b5c8e;"
                  "border-radius:.3rem;padding:.4rem .7rem;font-size:.9rem}"
                  ".mb-model-kop{font-weight:700;color:#0b5c8e;margin:0 0 .3rem}"
                  ".mb-model-blok ul{margin:0;padding-left:1.1rem}.mb-model-pijl{font-size:1.6rem;color:#0b5c8e}")

#: The grey track of a percentage bar in the team tables (`helpers.chapters.teams`).
TEAM_BAR_TRACK = "display:inline-block;width:6em;background:#eee;vertical-align:middle"


def team_bar_fill(width_percent: float, colour: str) -> str:
    """The coloured part of a team table's percentage bar, `width_percent` of the track."""
    return f"display:block;width:{width_percent:.1f}%;height:0.8em;background:{colour}"
