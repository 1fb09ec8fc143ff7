"""The one way through: validate -> execute -> render -> check, per edition.

The input is validated once, before anything runs. Each edition is then
executed and compiled in its own staging folder and moved into
`<out>/editions/<edition>/` only when complete, so a failed or interrupted
build never leaves a half-written edition behind; an edition that fails does
not stop the others.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import dataset
from .check import check_offline
from .codebook import PROJECT_ROOT, load_codebook
from .editions import Edition, available_editions
from .deliver import zip_edition
from .execute import execute_chapter
from .manifest import package_versions, suppressed_cells, write_manifest
from .render import assemble_book, book_chapters, compile_book
from .validation import load_survey


class UnknownEdition(ValueError):
    pass


@dataclass
class EditionResult:
    edition: str
    ok: bool
    seconds: float
    chapters: list[dict] = field(default_factory=list)
    error: str | None = None
    location: str | None = None


def _replace_dir(new: Path, final: Path) -> None:
    """Move a finished folder into place, replacing an older one only at the last moment."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(final.name + ".oud")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    if old.exists():
        shutil.rmtree(old)


def build_edition(edition: Edition, data_dir: Path, out: Path, min_n: int, data_hash: str,
                  progress=None) -> EditionResult:
    """Execute every chapter for one edition, compile it, check it, move it into place."""
    start = time.perf_counter()
    staging = out / "staging" / edition.id
    if staging.exists():
        shutil.rmtree(staging)
    executed_dir = staging / "executed"
    tables_dir = staging / "edition" / "tables"
    tables_dir.mkdir(parents=True)
    chapters = []
    parameters = {
        "edition": edition.id,
        "data_dir": str(data_dir.resolve()),
        "tables_dir": str(tables_dir.resolve()),
        "min_n": min_n,
    }
    try:
        for chapter in book_chapters():
            run = execute_chapter(
                PROJECT_ROOT / f"{chapter}.ipynb", executed_dir / f"{chapter}.ipynb", parameters, chapter
            )
            chapters.append({"hoofdstuk": chapter, "status": run.status, "seconden": round(run.seconds, 2)})
            if progress is not None:
                progress.put(1)
            if run.status != "ok":
                raise RuntimeError(f"Hoofdstuk {chapter} faalde: {run.error}")
        book_dir = staging / "book"
        assemble_book(edition, executed_dir, book_dir)
        html_dir = compile_book(book_dir)
        check_offline(html_dir)
        shutil.move(str(html_dir), staging / "edition" / "html")
        if progress is not None:
            progress.put(1)
        write_manifest(staging / "edition" / "manifest.json", {
            "editie": edition.id,
            "titel": edition.title,
            "data_hash": data_hash,
            "parameters": {"edition": edition.id, "min_n": min_n},
            "pakketten": package_versions(),
            "hoofdstukken": chapters,
            "onderdrukte_cellen": suppressed_cells(tables_dir),
            "onderdrukte_cellen_totaal": sum(suppressed_cells(tables_dir).values()),
            "tabellen": sorted(p.name for p in tables_dir.glob("*.csv")),
            "seconden": round(time.perf_counter() - start, 2),
        })
        archive = zip_edition(staging / "edition", edition.id, staging / f"{edition.id}.zip")
        final = out / "editions" / edition.id
        _replace_dir(staging / "edition", final)
        os.replace(archive, final.with_suffix(".zip"))
        shutil.rmtree(staging)
        return EditionResult(edition.id, True, time.perf_counter() - start, chapters, location=str(final))
    except Exception as err:  # an edition's failure must not stop the others
        failed = out / "failed" / edition.id
        if failed.exists():
            shutil.rmtree(failed)
        failed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, failed)
        (failed / "fout.txt").write_text(traceback.format_exc(), encoding="utf-8")
        return EditionResult(edition.id, False, time.perf_counter() - start, chapters,
                             error=str(err).splitlines()[0] if str(err) else repr(err), location=str(failed))


def select_editions(all_editions: list[Edition], wanted: list[str] | None) -> list[Edition]:
    if not wanted:
        return all_editions
    known = {e.id: e for e in all_editions}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise UnknownEdition(
            "Onbekende editie(s): " + ", ".join(unknown)
            + ". Kies uit: " + ", ".join(known)
        )
    return [known[w] for w in dict.fromkeys(wanted)]


def build(
    respondents: Path,
    institutions: Path,
    out: Path = PROJECT_ROOT / "_build",
    editions: list[str] | None = None,
    jobs: int | None = None,
    min_n: int | None = None,
    show_progress: bool = True,
) -> list[EditionResult]:
    """Build the requested editions (default: all). Raises InvalidInput before anything is written."""
    survey = load_survey(respondents, institutions)  # validate everything first
    chosen = select_editions(available_editions(survey.institutions), editions)
    min_n = load_codebook().min_n if min_n is None else min_n
    out = Path(out)
    data_dir = out / "work" / f"data-{survey.data_hash[:16]}"
    if not (data_dir / dataset.INFO_FILE).exists():
        dataset.save(survey, data_dir.with_name(data_dir.name + ".tmp"))
        _replace_dir(data_dir.with_name(data_dir.name + ".tmp"), data_dir)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(chosen)))
    steps = len(chosen) * (len(book_chapters()) + 1)
    results: list[EditionResult] = []
    started = time.perf_counter()
    with tqdm(total=steps, desc="Edities en hoofdstukken", unit="stap", disable=not show_progress) as bar:
        if jobs == 1:
            class _Bar:
                def put(self, n):
                    bar.update(n)
            for edition in chosen:
                bar.set_postfix_str(edition.id)
                results.append(build_edition(edition, data_dir, out, min_n, survey.data_hash, _Bar()))
        else:
            manager = multiprocessing.Manager()
            queue = manager.Queue()
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {
                    pool.submit(build_edition, e, data_dir, out, min_n, survey.data_hash, queue): e
                    for e in chosen
                }
                pending = set(futures)
                while pending:
                    while not queue.empty():
                        bar.update(queue.get())
                    done = [f for f in pending if f.done()]
                    for f in done:
                        pending.discard(f)
                        results.append(f.result())
                    if pending:
                        time.sleep(0.2)
                while not queue.empty():
                    bar.update(queue.get())
            manager.shutdown()
    results.sort(key=lambda r: [e.id for e in chosen].index(r.edition))
    write_manifest(out / "build-manifest.json", {
        "data_hash": survey.data_hash,
        "bronnen": survey.sources,
        "min_n": min_n,
        "jobs": jobs,
        "seconden": round(time.perf_counter() - started, 2),
        "edities": [
            {"editie": r.edition, "gelukt": r.ok, "seconden": round(r.seconds, 2), "fout": r.error,
             "map": r.location}
            for r in results
        ],
    })
    staging_root = out / "staging"
    if staging_root.exists() and not any(staging_root.iterdir()):
        staging_root.rmdir()
    return results
