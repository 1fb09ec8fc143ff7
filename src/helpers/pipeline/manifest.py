"""manifest.json: what an edition was built from, and how the build went."""
from __future__ import annotations

import json
import os
import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from helpers.book.disclosure import count_suppressed, suppressed_records

RECORDED_PACKAGES = [
    "jupyter-book", "myst-nb", "sphinx", "papermill", "nbclient", "ipykernel", "ipywidgets",
    "pandas", "numpy", "scipy", "seaborn", "matplotlib", "pingouin", "pandera", "pyreadstat", "pyarrow",
]


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "niet geïnstalleerd"
    return versions


def suppressed_cells(tables_dir: Path) -> tuple[dict[str, int], list[dict]]:
    """(per table the number of rows withheld, every withheld row with its table and reason)."""
    counts, records = {}, []
    for csv in sorted(tables_dir.glob("*.csv")):
        table = pd.read_csv(csv, dtype={"reden": "string"}, keep_default_na=False, na_values=[""])
        counts[csv.stem] = count_suppressed(table)
        records += suppressed_records(csv.stem, table)
    return counts, records


def write_manifest(path: Path, content: dict) -> None:
    """Write `content` as JSON to `path` in one step: a reader sees the old file or the new one, never half."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(content, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
