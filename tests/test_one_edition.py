"""The one edition `make check` builds: a tiny national edition, validate -> execute -> render -> check -> print.

Every other test that builds an edition is marked slow (by hand, or by the
fixture it uses: conftest.BUILDING_FIXTURES), so the fast tier stays at this
one build.
"""
from __future__ import annotations

import json
import zipfile

from helpers.pipeline.build import build
from helpers.core.edition_manifest import chapters_for
from helpers.synthetic import write as write_synthetic


def test_a_tiny_national_edition_is_built_end_to_end(tmp_path):
    write_synthetic(tmp_path / "data", seed=11, scale=0.02)
    out = tmp_path / "out"
    results = build(tmp_path / "data" / "respondenten.csv", tmp_path / "data" / "instellingen.csv", out=out,
                    editions=["landelijk"], jobs=1, show_progress=False)
    assert [(r.edition, r.ok, r.error) for r in results] == [("landelijk", True, None)]
    edition = out / "editions" / "landelijk"
    manifest = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))
    assert [c["hoofdstuk"] for c in manifest["hoofdstukken"]] == chapters_for("landelijk")
    assert all(c["status"] == "ok" for c in manifest["hoofdstukken"])
    for chapter in chapters_for("landelijk"):
        assert (edition / "html" / f"{chapter}.html").stat().st_size > 0
    assert manifest["tabellen"] and all((edition / "tables" / t).exists() for t in manifest["tabellen"])
    for pdf in manifest["pdf"].values():
        assert (edition / pdf["bestand"]).read_bytes().startswith(b"%PDF") and pdf["paginas"] > 0
    with zipfile.ZipFile(out / "editions" / "landelijk.zip") as archive:
        assert "html/index.html" in {name.split("/", 1)[-1] for name in archive.namelist()}
