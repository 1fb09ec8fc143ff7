"""manifest.json: what an edition was built from, and how the build went."""
from __future__ import annotations

import json
import os
import platform
from importlib import metadata
from pathlib import Path

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


def suppressed_cells(tables_dir: Path) -> tuple[dict[str, int], list[dict], list[dict]]:
    """(per table the number of rows withheld, every withheld row with its table and reason, every row not asked).

    A row not asked (reason `niet_gevraagd`) has no number because its wave
    did not ask the question: it is listed apart and never counted as withheld.
    """
    import pandas as pd  # here: writing the build manifest of a build with nothing to do needs neither

    from helpers.book.disclosure import count_suppressed, not_asked_records, suppressed_records

    counts, records, not_asked = {}, [], []
    for csv in sorted(tables_dir.glob("*.csv")):
        table = pd.read_csv(csv, dtype={"reden": "string"}, keep_default_na=False, na_values=[""])
        counts[csv.stem] = count_suppressed(table)
        records += suppressed_records(csv.stem, table)
        not_asked += not_asked_records(csv.stem, table)
    return counts, records, not_asked


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
