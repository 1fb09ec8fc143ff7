"""The edition manifest (edities.yml): which editions exist, checked before anything builds."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.data.codebook import PROJECT_ROOT
from helpers.pipeline.build import build
from helpers.core.edition_manifest import (
    MANIFEST_FILE,
    InvalidEditionManifest,
    edition_chapters,
    edition_toc,
    load_manifest,
    resolve,
    shared_chapters,
)
from helpers.pipeline.render import CONFIG_FILE, TOC_FILE

INSTITUTIONS = pd.read_csv(PROJECT_ROOT / "data" / "instellingen.csv", dtype=str)
RECORDS = INSTITUTIONS.to_dict("records")


def sources(tmp_path: Path, manifest: dict | str) -> Path:
    """A copy of the book's sources with this manifest."""
    root = tmp_path / "sources"
    shutil.copytree(PROJECT_ROOT / "notebooks", root / "notebooks")
    for name in (CONFIG_FILE, TOC_FILE):
        shutil.copyfile(PROJECT_ROOT / name, root / name)
    text = manifest if isinstance(manifest, str) else yaml.safe_dump(manifest, allow_unicode=True)
    (root / MANIFEST_FILE).write_text(text, encoding="utf-8")
    return root


def shipped() -> dict:
    return yaml.safe_load((PROJECT_ROOT / MANIFEST_FILE).read_text(encoding="utf-8"))


def test_the_shipped_manifest_gives_the_national_edition_and_one_per_institution():
    editions = resolve(load_manifest(), RECORDS)
    assert [e.id for e in editions] == ["landelijk", *sorted(INSTITUTIONS["instelling"])]
    assert editions[0].title == "Landelijke editie"
    names = dict(zip(INSTITUTIONS["instelling"], INSTITUTIONS["naam"]))
    assert all(e.title == names[e.id] for e in editions[1:])
    assert all(e.benchmarks == ("zelfde_type", "landelijk") for e in editions[1:])


def test_each_edition_gets_its_own_table_of_contents():
    national, institution = resolve(load_manifest(), RECORDS)[:2]
    assert edition_chapters(national) == [*shared_chapters(), "notebooks/downloads"]
    assert edition_chapters(institution) == [*shared_chapters(), "notebooks/teams", "notebooks/downloads"]
    captions = [part["caption"] for part in edition_toc(institution)["parts"]]
    assert captions[-2:] == ["De eigen instelling", "Downloads"]
    assert "De eigen instelling" not in [part["caption"] for part in edition_toc(national)["parts"]]


def test_a_list_of_codes_builds_only_those_institutions(tmp_path):
    manifest = shipped()
    manifest["instelling"]["voor"] = ["I07", "I03"]
    root = sources(tmp_path, manifest)
    assert [e.id for e in resolve(load_manifest(root=root), RECORDS)] == ["landelijk", "I03", "I07"]


def test_every_problem_is_reported_at_once_and_nothing_is_built(tmp_path):
    manifest = shipped()
    manifest["instelling"]["titel"] = "{naam} ({plaats})"
    manifest["instelling"]["benchmarks"] = ["zelfde_type", "buurman"]
    manifest["instelling"]["extra_delen"][0]["hoofdstukken"].append("notebooks/bestaat_niet")
    manifest["instelling"]["kleur"] = "blauw"
    root = sources(tmp_path, manifest)
    out = tmp_path / "out"
    with pytest.raises(InvalidEditionManifest) as caught:
        build(PROJECT_ROOT / "data" / "respondenten.csv", PROJECT_ROOT / "data" / "instellingen.csv",
              out=out, root=root, show_progress=False)
    report = caught.value.report()
    for expected in ("{plaats}", "buurman", "bestaat_niet.ipynb", "'kleur'"):
        assert expected in report
    assert len(caught.value.problems) == 4
    assert not out.exists(), "something was written although the manifest is wrong"


@pytest.mark.parametrize("text, problem", [
    ("landelijk: [", "geen geldige YAML"),
    ("instelling:\n  voor: alle\n  titel: x\n  benchmarks: []\n", "'landelijk' ontbreekt"),
    ("landelijk:\n  titel: ''\n", "niet-lege tekst"),
])
def test_a_broken_manifest_is_explained(tmp_path, text, problem):
    root = sources(tmp_path, text)
    with pytest.raises(InvalidEditionManifest, match=problem):
        load_manifest(root=root)


def test_an_unknown_institution_code_is_refused(tmp_path):
    manifest = shipped()
    manifest["instelling"]["voor"] = ["I07", "I77"]
    root = sources(tmp_path, manifest)
    with pytest.raises(InvalidEditionManifest, match="I77"):
        resolve(load_manifest(root=root), RECORDS)
