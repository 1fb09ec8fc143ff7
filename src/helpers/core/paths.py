"""Where the project lives: the data, the codebook, the book's structure and its manifests are found from here."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
