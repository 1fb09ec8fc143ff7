"""Publishing an edition all or nothing, and finishing a publication a killed build began.

An edition is assembled in `<out>/staging/<edition>/`: its folder (`edition/`,
with its `manifest.json`) and its zip. Publishing it is one decision and a
few renames:

1. the decision: a journal, `<out>/JOURNAL_DIR/<edition>.json`, is written
   under a temporary name and renamed into place. Before it exists, nothing
   of the new edition is visible and the old one is untouched; once it
   exists, the new edition *is* published, whatever happens next;
2. the renames (`_complete`): the old folder moves into staging, the new
   folder into `<out>/editions/`, the new zip over the old one; then the
   journal and the staging folder go.

A build killed between any two of those steps leaves its journal. The next
build (`recover`, under the lock of `helpers.pipeline.outdir`) completes every
journal it finds -- each step looks at what is already done -- and says so.
It also removes what interrupted builds leave without a journal: staging
folders (a half-built edition is never published), an old `<edition>.oud`
folder of earlier versions, temporary files of the caches and of the checked
input. A journal it cannot read (written by nothing this code does) is rolled
back: the edition it names is removed, so that this build makes it again.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from helpers.pipeline import faults

JOURNAL_DIR = "publicatie"
STAGED_FOLDER = "edition"
PREVIOUS_FOLDER = "vorige"  # the folder being replaced, kept in staging until the end


def staged_zip(staging: Path, edition_id: str) -> Path:
    return Path(staging) / f"{edition_id}.zip"


def journal_path(out: Path, edition_id: str) -> Path:
    return Path(out) / JOURNAL_DIR / f"{edition_id}.json"


def publish(out: Path, edition_id: str, staging: Path, final: Path, archive: Path) -> None:
    """Publish the edition staged in `staging` as `final` and `archive` (see the module's docstring)."""
    out, staging = Path(out), Path(staging)
    record = {"editie": edition_id, "staging": os.path.relpath(staging, out),
              "map": os.path.relpath(final, out), "zip": os.path.relpath(archive, out)}
    journal = journal_path(out, edition_id)
    journal.parent.mkdir(parents=True, exist_ok=True)
    pending = journal.with_name(f".{journal.name}.{os.getpid()}.tmp")
    try:
        pending.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(pending, journal)  # the decision
    except OSError:
        pending.unlink(missing_ok=True)
        raise
    _complete(out, record)


def _inside(out: Path, relative: str) -> Path:
    path = (out / relative)
    if not path.resolve().is_relative_to(out.resolve()) or path.resolve() == out.resolve():
        raise ValueError(relative)
    return path


def _complete(out: Path, record: dict) -> None:
    staging = _inside(out, record["staging"])
    final, archive = _inside(out, record["map"]), _inside(out, record["zip"])
    new, previous = staging / STAGED_FOLDER, staging / PREVIOUS_FOLDER
    new_zip = staged_zip(staging, record["editie"])
    if new.exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            if previous.exists():
                shutil.rmtree(previous)
            os.replace(final, previous)
        os.replace(new, final)
    faults.reach("publish-between", record["editie"])
    if new_zip.exists():
        os.replace(new_zip, archive)
    journal_path(out, record["editie"]).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def recover(out: Path) -> list[str]:
    """Complete or roll back what interrupted builds left in `out`; one Dutch line per thing done."""
    out = Path(out)
    notices = []
    journals = out / JOURNAL_DIR
    if journals.is_dir():
        for path in sorted(journals.iterdir()):
            if path.name.startswith("."):  # a journal that was still being written: nothing was decided
                path.unlink(missing_ok=True)
                continue
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
                _complete(out, record)
                notices.append(f"Editie {record['editie']}: de publicatie die een onderbroken build begon, "
                               "is afgemaakt.")
            except (OSError, ValueError, KeyError, TypeError) as err:
                if isinstance(err, OSError) and not isinstance(err, FileNotFoundError):
                    raise  # a disk or permission problem: reported as such by the build
                edition = path.stem
                for leftover in (out / "editions" / edition, out / "editions" / f"{edition}.zip"):
                    if leftover.is_dir():
                        shutil.rmtree(leftover)
                    elif leftover.exists():
                        leftover.unlink()
                path.unlink(missing_ok=True)
                notices.append(f"Editie {edition}: een onleesbare publicatie van een onderbroken build is "
                               "teruggedraaid; de editie wordt opnieuw gebouwd.")
        if not any(journals.iterdir()):
            journals.rmdir()
    staging_root = out / "staging"
    if staging_root.is_dir():
        for leftover in sorted(staging_root.iterdir()):
            # `staging/build.<token>/<edition>` (a build's own folder), or `staging/<edition>` (an edition built
            # outside `build`, or by an earlier version)
            editions = sorted(p.name for p in leftover.iterdir()) if leftover.name.startswith("build.") and leftover.is_dir() else [
                leftover.name]
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
            notices += [f"Editie {edition}: wat een onderbroken build half had gebouwd, is opgeruimd (er was niets "
                        "van gepubliceerd)." for edition in editions]
        staging_root.rmdir()
    editions = out / "editions"
    if editions.is_dir():
        for leftover in sorted(editions.glob("*.oud")):
            shutil.rmtree(leftover, ignore_errors=True)
            notices.append(f"Editie {leftover.name[:-4]}: een oude map van een onderbroken vervanging is "
                           "opgeruimd.")
        for leftover in sorted(editions.glob("*.zip.tmp")):
            leftover.unlink(missing_ok=True)
    return notices
