"""Where the project lives: the data, the codebook, the book's structure and its manifests are found from here."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]

#: The chapter notebooks; the sentence templates of the chapters sit beside them.
NOTEBOOKS = PROJECT_ROOT / "notebooks"
#: A sentence template's file name ends in this: `notebooks/katern_c/c3_motieven.zinnen.md`.
SENTENCES_SUFFIX = ".zinnen.md"


def sentence_template(name: str) -> Path:
    """The template file of sentence file `name` ('katern_c/c3_motieven')."""
    return NOTEBOOKS / f"{name}{SENTENCES_SUFFIX}"
