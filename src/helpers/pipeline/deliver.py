"""Delivery: one zip per edition that works offline when unpacked anywhere.

The archive holds `<edition>/html/` (open `index.html` from disk; the widget
bundle and every asset are local), `<edition>/tables/`, the printed
`<edition>/rapport-<edition>.pdf` (and `praatplaat-<edition>.pdf` where the
edition has that page; see `helpers.pipeline.print_pdf`) and
`<edition>/manifest.json`. The build writes it in staging and moves it to
`<out>/editions/<edition>.zip` together with the edition folder.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

# Fixed timestamp for every entry, so the same edition gives the same archive bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry


def zip_edition(edition_dir: Path, edition_id: str, target: Path) -> Path:
    """Pack a finished edition folder into `target`, with `<edition_id>/` as its top folder."""
    edition_dir, target = Path(edition_dir), Path(target)
    partial = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in edition_dir.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{edition_id}/{path.relative_to(edition_dir).as_posix()}", date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    os.replace(partial, target)
    return target
