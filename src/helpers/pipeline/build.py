"""The one way through: validate -> execute -> render -> check -> print -> deliver, per edition.

The input is read once, hashed and validated from the same bytes, before
anything runs. One build at a time holds the output folder
(`helpers.pipeline.outdir`), first completes or rolls back what an
interrupted build left (`helpers.pipeline.publish.recover`), then executes
and compiles each edition in its own staging folder and publishes it -- folder,
zip and manifest in one step a kill cannot split -- only when complete, so a
failed or interrupted build never leaves a half-written edition behind; an
edition that fails does not stop the others, a full disk or a missing
permission stops the build with one Dutch message (`OutputProblem`). Ctrl-C
and SIGTERM stop it cleanly, and nothing it started outlives it
(`helpers.pipeline.stopping`). One edition (`build_edition`) is the unit of
work: run in this process, in a local process pool, or on a Dask cluster
(`helpers.pipeline.cluster`), all through the same loop.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import struct
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from helpers.data import dataset
from helpers.data.codebook import PROJECT_ROOT, load_codebook
from helpers.data.dataset import INSTITUTIONS, RESPONDENTS, bytes_hash, with_wave
from helpers.core import integrity, memo
from helpers.pipeline import faults, publish, scratch, stopping
from helpers.pipeline.cache import (BUILDER, VALIDATOR, ChapterCache, chapter_key, code_version, environment_key,
                                    modules_of, remove_unfinished)
from helpers.pipeline.cluster import Cluster
from helpers.core.edition_manifest import (CONFIG_FILE, MANIFEST_FILE, TOC_FILE, Edition, edition_chapters,
                                           edition_toc, load_manifest, resolve)
from helpers.pipeline.manifest import write_manifest
from helpers.pipeline.outdir import (NOTHING_HALF, OutputLock, OutputProblem, abandoned, problem_message,
                                     storage_problem)


NOT_IN_WAVE = "niet_deelgenomen_aan_meting"


class UnknownEdition(ValueError):
    pass


class NotInReportedWave(UnknownEdition):
    """An institution edition asked for although the institution has no teachers in the reported wave."""


class UnsafeOutputPath(ValueError):
    """An edition would be written outside the output folder, or on top of another edition."""


@dataclass(frozen=True)
class EditionPaths:
    """Where one edition is staged, lands, is zipped or is kept after a failure; all inside `out`."""

    final: Path
    archive: Path
    staging: Path
    failed: Path


class Abandoned(RuntimeError):
    """The build that started this edition has ended, or another build owns the output folder now."""


ABANDONED = ("De build die deze editie begon, is gestopt (of een andere build heeft de uitvoermap); "
             "er is niets van gepubliceerd.")


def inside(out: Path, *parts: str) -> Path:
    """`out / parts`, refused unless it resolves to a path strictly inside `out`.

    An edition id comes from data (an institution code); `validate` already
    refuses unsafe codes, and this is the build's own guard.
    """
    root = Path(out).resolve()
    path = Path(out).joinpath(*parts)
    resolved = path.resolve()
    plain = all(part and part not in (".", "..") and Path(part).name == part and "\\" not in part for part in parts)
    if not plain or resolved == root or not resolved.is_relative_to(root):
        raise UnsafeOutputPath(
            f"De editie zou buiten de uitvoermap {out} geschreven worden ({'/'.join(parts)}); er is niets gebouwd. "
            "Een instellingscode mag alleen letters, cijfers, - en _ bevatten."
        )
    return path


def edition_paths(out: Path, edition_id: str, token: str | None = None) -> EditionPaths:
    """`token`: the build's (see `OutputLock`); each build stages in a folder of its own."""
    staging = ("staging", f"build.{token[:12]}", edition_id) if token else ("staging", edition_id)
    return EditionPaths(final=inside(out, "editions", edition_id), archive=inside(out, "editions", f"{edition_id}.zip"),
                        staging=inside(out, *staging), failed=inside(out, "failed", edition_id))


def check_output_paths(out: Path, editions: list[Edition]) -> None:
    """Refuse, before anything is written, editions that would land outside `out` or share a folder."""
    folders: dict[str, list[str]] = {}
    for edition in editions:
        edition_paths(out, edition.id)
        folders.setdefault(edition.id.casefold(), []).append(edition.id)  # one folder on Windows and macOS
    for ids in folders.values():
        if len(ids) > 1:
            raise UnsafeOutputPath(
                f"De edities {' en '.join(repr(i) for i in ids)} zouden in dezelfde map belanden; er is niets "
                "gebouwd. Geef elke instelling een eigen code (hoofdletters maken geen verschil)."
            )


@dataclass
class EditionResult:
    edition: str
    ok: bool
    seconds: float
    chapters: list[dict] = field(default_factory=list)
    error: str | None = None
    location: str | None = None
    from_cache: bool = False
    print_seconds: float = 0.0
    skipped: str | None = None  # why no edition was built although every edition was asked for (not a failure)
    problem: str | None = None  # a disk or permission problem: the operator's to solve, it stops the build
    discarded: list[str] = field(default_factory=list)  # chapters whose cache entry did not verify
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase (`PHASES`) of an edition built now


#: Where an edition's seconds go: its chapters (kernel and statistics), the book's pages (Sphinx), the PDFs
#: (Chromium), and the checks, manifest, zip and publication.
PHASES = ("hoofdstukken", "sphinx", "pdf", "controle")


def _replace_dir(new: Path, final: Path) -> None:
    """Move a finished folder into place, replacing an older one only at the last moment."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(final.name + ".oud")  # final is checked to be inside the output folder
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    if old.exists():
        shutil.rmtree(old)


def _check_owner(out: Path, token: str | None) -> None:
    if abandoned(out, token):
        raise Abandoned(ABANDONED)


def _render_key(edition: Edition, root: Path) -> str:
    """What the compiled book depends on besides its executed chapters."""
    files = [root / CONFIG_FILE, root / TOC_FILE, root / MANIFEST_FILE, PROJECT_ROOT / "package-lock.json"]
    parts = [p.read_bytes() for p in files if p.exists()] + [code_version(modules_of(BUILDER)).encode()]
    return hashlib.sha256(b"".join(parts) + repr(edition).encode()).hexdigest()


def _edition_key(chapter_keys: list[str], render_key: str, environment: str) -> str:
    return hashlib.sha256("\n".join([*chapter_keys, render_key, environment]).encode()).hexdigest()


def _up_to_date(paths: EditionPaths, key: str) -> bool:
    """Whether the edition in place was built with `key`, has its PDFs, and its zip holds the same manifest."""
    manifest = paths.final / "manifest.json"
    if not (manifest.exists() and paths.archive.exists()):
        return False
    try:
        content = manifest.read_bytes()
        recorded = json.loads(content.decode("utf-8"))
        with zipfile.ZipFile(paths.archive) as archive:
            zipped = archive.read(f"{paths.final.name}/manifest.json")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return False
    printed = [paths.final / pdf["bestand"] for pdf in recorded.get("pdf", {}).values()]
    return (recorded.get("bouwsleutel") == key and zipped == content and bool(printed)
            and all(p.exists() for p in printed))


def _recorded_parameters(edition: Edition, min_n: int) -> dict:
    """The parameters an edition's manifest records (paths left out: they differ per build)."""
    return {"edition": edition.id, "min_n": min_n}


def edition_keys(edition: Edition, min_n: int, data_hash: str, root: Path) -> tuple[list[str], str]:
    """(key per chapter, key of the whole edition) -- see `helpers.pipeline.cache`."""
    environment = environment_key()
    # What a chapter sees of its edition besides the data: the manifest's title and benchmarks count too.
    parameters = dict(_recorded_parameters(edition, min_n), title=edition.title, benchmarks=list(edition.benchmarks))
    keys = [chapter_key(root / f"{c}.ipynb", parameters, data_hash, environment)
            for c in edition_chapters(edition, root)]
    return keys, _edition_key(keys, _render_key(edition, root), environment)


def _unchanged(edition: Edition, paths: EditionPaths, chapters: list[str], start: float) -> EditionResult:
    return EditionResult(edition.id, True, time.perf_counter() - start,
                         [{"hoofdstuk": c, "status": "cache", "seconden": 0.0} for c in chapters],
                         location=str(paths.final), from_cache=True)


def chapter_parameters(edition: Edition, data_dir: Path, out: Path, min_n: int, use_cache: bool = True,
                       cache: Path | None = None) -> dict:
    """The papermill parameters of every chapter of an edition; per chapter, `tables_dir` is added.

    Shared results are kept in the user's build cache (`cache`, default `memo.cache_root`), not in `out`: the
    national work outlives an output folder (`helpers.core.memo`).
    """
    return {
        "edition": edition.id,
        "data_dir": str(data_dir.resolve()),
        "min_n": min_n,
        "cache_dir": str(memo.shared_folder(cache).resolve()) if use_cache else None,
    }


def build_edition(edition: Edition, data_dir: Path, out: Path, min_n: int, data_hash: str,
                  progress=None, use_cache: bool = True, root: Path | None = None,
                  token: str | None = None, cache: Path | None = None) -> EditionResult:
    """Execute every chapter for one edition, compile it, check it, publish it.

    With `use_cache`, a chapter whose key is in the cache (and verifies) is
    restored instead of executed, and an edition whose key matches the one in
    place is left as it is (see `helpers.pipeline.cache`). `root` holds the
    notebooks and the book configuration; None: this project's own (on a
    cluster worker, the worker's checkout). `token`: the build's hold on `out`
    (`OutputLock.token`); the edition stops, publishing nothing, as soon as
    that build is gone. `cache`: the user's build cache for shared results
    (see `chapter_parameters`).
    """
    # Imported here, not at the top: deciding that nothing needs building must not pay for these.
    from helpers.pipeline.check import check_offline
    from helpers.pipeline.deliver import zip_edition
    from helpers.pipeline.downloads import broken_links, fill
    from helpers.pipeline.execute import ChapterRun, EditionKernel
    from helpers.pipeline.kernel_template import worker_template
    from helpers.pipeline.manifest import package_versions, suppressed_cells
    from helpers.pipeline.print_pdf import edition_cover, print_edition
    from helpers.pipeline.render import assemble_book, compile_book

    start = time.perf_counter()
    _clean_temporary_once()
    root = PROJECT_ROOT if root is None else root
    chapters_in_order = edition_chapters(edition, root)
    paths = edition_paths(out, edition.id, token)  # raises before anything is written if the id leads outside `out`
    final, staging = paths.final, paths.staging
    keys, edition_key = edition_keys(edition, min_n, data_hash, root)
    if use_cache and _up_to_date(paths, edition_key):
        if progress is not None:
            progress.put(len(chapters_in_order) + 1)
        return _unchanged(edition, paths, chapters_in_order, start)
    chapters: list[dict] = []
    discarded: list[str] = []
    written: dict[str, list[str]] = {}  # per chapter, the tables it wrote (for the Downloads page)
    phases = dict.fromkeys(PHASES, 0.0)
    try:
        _check_owner(out, token)
        if staging.exists():
            shutil.rmtree(staging)
        executed_dir = staging / "executed"
        tables_dir = staging / publish.STAGED_FOLDER / "tables"
        tables_dir.mkdir(parents=True)
        chapter_cache = ChapterCache(out / "cache" / "chapters")
        notebook_parameters = chapter_parameters(edition, data_dir, out, min_n, use_cache, cache)
        with EditionKernel(cwd=root / "notebooks", log_path=executed_dir / "kernel.log",
                           template=worker_template) as kernel:
            for chapter, key in zip(chapters_in_order, keys):
                _check_owner(out, token)
                target = executed_dir / f"{chapter}.ipynb"
                chapter_tables = staging / "chapter-tables" / Path(chapter).name
                restored = False
                if use_cache and chapter_cache.has(key):
                    restored = chapter_cache.restore(key, target, chapter_tables, f"{chapter} ({edition.id})")
                    if not restored:
                        discarded.append(chapter)
                if restored:
                    run = ChapterRun(chapter, "cache", 0.0)
                else:
                    parameters = dict(notebook_parameters, tables_dir=str(chapter_tables.resolve()))
                    run = kernel.run(root / f"{chapter}.ipynb", target, parameters, chapter)
                    if run.status == "ok" and use_cache:
                        chapter_cache.store(key, target, sorted(chapter_tables.glob("*.csv")))
                    faults.reach("chapter-done", edition.id)
                chapters.append({"hoofdstuk": chapter, "status": run.status, "seconden": round(run.seconds, 2)})
                if progress is not None:
                    progress.put(1)
                if run.status == "fout":
                    raise RuntimeError(f"Hoofdstuk {chapter} faalde: {run.error}")
                written[chapter] = [table.stem for table in sorted(chapter_tables.glob("*.csv"))]
                for table in sorted(chapter_tables.glob("*.csv")):
                    if (tables_dir / table.name).exists():
                        raise RuntimeError(f"Tabel {table.stem} wordt door twee hoofdstukken geschreven")
                    shutil.copyfile(table, tables_dir / table.name)
        phases["hoofdstukken"] = time.perf_counter() - start
        edition_dir = staging / publish.STAGED_FOLDER
        book_dir = staging / "book"
        assemble_book(edition, executed_dir, book_dir, root)
        html_dir = compile_book(book_dir)
        fill(html_dir, edition.id, written, root)
        phases["sphinx"] = time.perf_counter() - start - phases["hoofdstukken"]
        check_offline(html_dir)
        shutil.move(str(html_dir), edition_dir / "html")
        _check_owner(out, token)  # compiling took a while: start no Chromium for a build that is gone
        printed, print_seconds = print_edition(edition_dir / "html", edition_dir, edition.id,
                                           edition_toc(edition, root), edition_cover(edition.title, data_dir),
                                               work_dir=staging)
        if progress is not None:
            progress.put(1)
        broken = broken_links(edition_dir)
        if broken:
            raise RuntimeError(f"De downloadpagina verwijst naar bestanden die er niet zijn: {', '.join(broken[:5])}")
        suppressed, suppressed_list, not_asked_list = suppressed_cells(tables_dir)
        write_manifest(edition_dir / "manifest.json", {
            "editie": edition.id,
            "titel": edition.title,
            "data_hash": data_hash,
            "meting": dataset.load_participation(data_dir)[0],  # the wave the edition reports on
            "bouwsleutel": edition_key,
            "parameters": _recorded_parameters(edition, min_n),
            "pakketten": package_versions(),
            "hoofdstukken": [dict(c, sleutel=k) for c, k in zip(chapters, keys)],
            "onderdrukte_cellen": suppressed,
            "onderdrukte_cellen_totaal": sum(suppressed.values()),
            "onderdrukt_per_cel": suppressed_list,
            "niet_gevraagd_per_cel": not_asked_list,
            "tabellen": sorted(p.name for p in tables_dir.glob("*.csv")),
            "pdf": printed,
        })
        archive = publish.staged_zip(staging, edition.id)
        faults.reach("write-zip", edition.id, archive)
        zip_edition(edition_dir, edition.id, archive)
        _check_owner(out, token)
        publish.publish(out, edition.id, staging, final, paths.archive)
        seconds = time.perf_counter() - start
        phases["pdf"] = print_seconds
        phases["controle"] = seconds - phases["hoofdstukken"] - phases["sphinx"] - print_seconds
        return EditionResult(edition.id, True, seconds, chapters, location=str(final),
                             print_seconds=print_seconds, discarded=discarded,
                             phases={name: round(value, 2) for name, value in phases.items()})
    except Exception as err:  # an edition's failure must not stop the others
        if stopping.pending() is not None:  # stopping made it fail (Chromium closed by the same Ctrl-C): stop
            _drop_staging(out, edition.id, staging)
            raise stopping.pending() from err
        seconds = time.perf_counter() - start
        if isinstance(err, Abandoned) or abandoned(out, token):
            _drop_staging(out, edition.id, staging)
            if token is not None:  # the build's own staging folder: the build that would remove it is gone
                with contextlib.suppress(OSError):
                    staging.parent.rmdir()
            return EditionResult(edition.id, False, seconds, chapters, error=ABANDONED, discarded=discarded)
        storage = storage_problem(err)
        if storage is not None:  # the operator's to solve: give the space back, keep no copy
            _drop_staging(out, edition.id, staging)
            message = problem_message(*storage, out)
            return EditionResult(edition.id, False, seconds, chapters, error=message, problem=message,
                                 discarded=discarded)
        return EditionResult(edition.id, False, seconds, chapters,
                             error=str(err).splitlines()[0] if str(err) else repr(err),
                             location=_keep_failed(staging, paths.failed), discarded=discarded)
    except BaseException:  # stopped (Ctrl-C, SIGTERM, a dying worker): nothing half is published
        _drop_staging(out, edition.id, staging)
        raise


_cleaned_temporary = False


def _clean_temporary_once() -> None:
    """Remove what killed builds left in this process's temporary directory (once per process: on a Dask
    worker, whose temporary directory the build's own clean-up does not see)."""
    global _cleaned_temporary
    if not _cleaned_temporary:
        _cleaned_temporary = True
        scratch.remove_stale()


def _drop_staging(out: Path, edition_id: str, staging: Path) -> None:
    """Remove an edition's staging, unless its publication was decided: the next build then completes it."""
    if not publish.journal_path(out, edition_id).exists():
        shutil.rmtree(staging, ignore_errors=True)


def _keep_failed(staging: Path, failed: Path) -> str | None:
    """Keep a failed edition's staging with `fout.txt` for diagnosis; where it is, or None if that failed too."""
    report = traceback.format_exc()
    try:
        if failed.exists():
            shutil.rmtree(failed)
        failed.parent.mkdir(parents=True, exist_ok=True)
        if staging.exists():
            os.replace(staging, failed)
        else:
            failed.mkdir()
        (failed / "fout.txt").write_text(report, encoding="utf-8")
        return str(failed)
    except OSError:  # e.g. the disk filled up just now: give the space back rather than keep half a copy
        shutil.rmtree(failed, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
        return None


def _prepared_folder(out: Path, data_hash: str) -> Path:
    """Where validated input lives: keyed on its content and the code that checked it."""
    checker = code_version(modules_of(VALIDATOR))
    return out / "work" / f"data-{hashlib.sha256((data_hash + checker).encode()).hexdigest()[:16]}"


@dataclass
class PreparedInput:
    """Validated input, known by its hash: read from `<out>/work/` or checked now and kept there by `keep`."""

    institutions: list[dict]  # records: instelling, naam, type
    data_hash: str
    sources: dict[str, str]
    folder: Path
    reported_wave: int | None  # the wave the book reports on
    participation: dict[str, list[int]]  # {institution: every wave of the input in which it has teachers}
    survey: object | None = None  # checked now and not yet kept

    def keep(self) -> Path:
        """Store the checked data under its hash, with checksums (once; later builds of the same data skip
        validation). A folder under that hash that does not verify is replaced, and logged."""
        if self.survey is not None and not _verified_prepared(self.folder, self.data_hash):
            tmp = self.folder.with_name(f"{self.folder.name}.{os.getpid()}.tmp")
            try:
                if tmp.exists():
                    shutil.rmtree(tmp)
                dataset.save(self.survey, tmp)
                names = (dataset.RESPONDENTS_FILE, dataset.INSTITUTIONS_FILE, dataset.INFO_FILE)
                integrity.write_checksums(tmp, {name: (tmp / name).read_bytes() for name in names})
                if self.folder.exists():
                    integrity.log_discarded(self.folder.parent.parent / "cache" / integrity.DISCARD_LOG,
                                            f"gecontroleerde invoer {self.folder.name}",
                                            "de inhoud klopt niet met het controlegetal")
                _replace_dir(tmp, self.folder)
            except OSError:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        self.survey = None
        return self.folder

    def absent(self, editions: list[Edition]) -> dict[str, str]:
        """{edition: notice} of the institution editions whose institution has no teachers in the reported wave."""
        codes = [e.id for e in editions if not e.is_national]
        return dataset.absent_institutions(codes, self.participation, self.reported_wave)


def _verified_prepared(folder: Path, data_hash: str) -> bool:
    """Whether `folder` holds checked input with its checksums intact, for `data_hash`."""
    files = integrity.verified_files(folder)
    if files is None or dataset.INFO_FILE not in files:
        return False
    try:
        return json.loads(files[dataset.INFO_FILE].decode("utf-8")).get("data_hash") == data_hash
    except ValueError:
        return False


def prepared_input(respondents: Path, institutions: Path, out: Path, wave: int | None = None) -> PreparedInput:
    """The input validated now, or earlier with the same code; nothing is written until `keep()`.

    Each input file is read once, into memory: the hash and the validation come from the same bytes (a private
    copy of them, in a temporary folder of `helpers.pipeline.scratch`, removed afterwards), so a file that is
    replaced meanwhile cannot be recorded under another file's hash.
    """
    respondents, institutions = Path(respondents), Path(institutions)
    try:
        contents = [respondents.read_bytes(), institutions.read_bytes()]
    except OSError:
        contents = None  # unreadable: load_survey reports it with the other problems
    if contents is not None:
        data_hash = with_wave(bytes_hash(*contents), wave)
        prepared = _prepared_folder(out, data_hash)
        if _verified_prepared(prepared, data_hash):
            sources = {RESPONDENTS: str(respondents), INSTITUTIONS: str(institutions)}
            if wave is not None:
                sources["meting"] = str(int(wave))
            return PreparedInput(dataset.load_institutions(prepared), data_hash, sources, prepared,
                                 *dataset.load_participation(prepared))
    from helpers.data.validation import load_survey  # here: a build with checked input needs no validator

    faults.reach("validating")
    if contents is None:
        survey = load_survey(respondents, institutions, wave=wave)
    else:
        folder = scratch.private_dir(scratch.PREFIX + "invoer-")
        try:
            copies = []
            for tag, source, content in zip("ri", (respondents, institutions), contents):
                (folder / tag).mkdir()
                copies.append(folder / tag / source.name)  # the name tells the reader the format
                copies[-1].write_bytes(content)
            del contents
            survey = load_survey(*copies, wave=wave, shown_as=(respondents, institutions))  # everything first
        finally:
            scratch.remove(folder)
    return PreparedInput(survey.institutions.to_dict("records"), survey.data_hash, survey.sources,
                         _prepared_folder(out, survey.data_hash), survey.reported_wave, survey.participation, survey)


def select_editions(all_editions: list[Edition], wanted: list[str] | None,
                    absent: dict[str, str] | None = None) -> tuple[list[Edition], dict[str, str]]:
    """(the editions to build, {edition: notice} of those left out for want of teachers in the reported wave).

    Every edition by default; an institution that did not take part in the
    reported wave gets no edition for it, and asking for one is an error.
    """
    absent = absent or {}
    if not wanted:
        return [e for e in all_editions if e.id not in absent], {e.id: absent[e.id] for e in all_editions
                                                                  if e.id in absent}
    known = {e.id: e for e in all_editions}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise UnknownEdition(
            "Onbekende editie(s): " + ", ".join(unknown)
            + ". Kies uit: " + ", ".join(e.id for e in all_editions if e.id not in absent)
        )
    left_out = [absent[w] for w in dict.fromkeys(wanted) if w in absent]
    if left_out:
        raise NotInReportedWave("\n".join(f"{notice}." for notice in left_out) + "\nEr is niets gebouwd.")
    return [known[w] for w in dict.fromkeys(wanted)], {}


def _sources_key(edition: Edition, min_n: int, data_hash: str, root: Path | None) -> str:
    """What an edition is built from besides the data, as seen where this runs (see `Cluster.check_workers`)."""
    return edition_keys(edition, min_n, data_hash, PROJECT_ROOT if root is None else root)[1]


def _failed_to_run(edition: Edition, err: BaseException, seconds: float) -> EditionResult:
    """An edition whose process or worker died: reported like any failed edition, the others go on."""
    message = f"De editie kon niet uitgevoerd worden ({type(err).__name__}: {err})".splitlines()[0]
    return EditionResult(edition.id, False, seconds, error=message)


NOT_BUILT = "niet gebouwd: de build stopte eerder (zie de melding hierboven)"
#: One progress message of a local worker: the number of steps done.
_STEP = struct.Struct("!i")
_worker_progress = None  # in a local worker: the write end of the progress pipe


class _PipeProgress:
    """A local worker's progress sink: each step count is one write of a few bytes on a pipe to the main
    process, so it needs no lock (a worker killed halfway cannot block the others) and no server process."""

    def put(self, steps: int) -> None:
        _worker_progress.send_bytes(_STEP.pack(steps))


def _init_local_worker(parent: int, progress, temporary: str) -> None:
    """A local worker: dies with the build, stops cleanly (`stopping.init_worker`), reports progress on
    `progress`, keeps its temporary files in the build's run folder and its Chromium between editions."""
    global _worker_progress
    stopping.init_worker(parent)
    _worker_progress = progress
    os.environ[scratch.ROOT_ENV] = str(scratch.root())  # kernels' and templates' folders: short socket paths
    os.environ["TMPDIR"] = temporary  # for what Playwright, Chromium and multiprocessing keep
    tempfile.tempdir = temporary
    from helpers.pipeline.print_pdf import keep_browser  # in the worker: the main process decides without it

    keep_browser()


class _LocalExecutor:
    """The process pool as `_build` uses it: every edition runs through `stopping.in_worker`."""

    def __init__(self, pool: ProcessPoolExecutor):
        self.pool = pool

    def submit(self, function, *args) -> Future:
        return self.pool.submit(stopping.in_worker, function, *args)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM every worker (it stops its edition and what it started), SIGKILL those still there after the
    grace period."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(ProcessLookupError, TypeError):
            os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + stopping.WORKER_GRACE_SECONDS + 1
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join(5)


@contextlib.contextmanager
def _local_pool(jobs: int) -> Iterator[tuple[object, object, Callable[[], int]]]:
    """(executor, progress sink for `build_edition`, drain: steps reported since the last call)."""
    # Spawned, not forked: a fork of a process with kernel-client or Sphinx threads can deadlock.
    context = multiprocessing.get_context("spawn")
    reader, writer = context.Pipe(duplex=False)
    temporary = scratch.private_dir(scratch.RUN_PREFIX)

    def drain() -> int:
        steps = 0
        while reader.poll():
            steps += _STEP.unpack(reader.recv_bytes())[0]
        return steps

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_local_worker,
                               initargs=(os.getpid(), writer, str(temporary)))
    try:
        yield _LocalExecutor(pool), _PipeProgress(), drain
    except BaseException:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        reader.close()
        writer.close()
        scratch.remove(temporary)


def build(
    respondents: Path,
    institutions: Path,
    out: Path = PROJECT_ROOT / "_build",
    editions: list[str] | None = None,
    jobs: int | None = None,
    min_n: int | None = None,
    show_progress: bool = True,
    use_cache: bool = True,
    root: Path = PROJECT_ROOT,
    wave: int | None = None,
    cluster: str | None = None,
    cache: Path | None = None,
) -> list[EditionResult]:
    """Build the requested editions (default: all). Raises InvalidInput before anything is written,
    and ChromiumMissing before any edition is started if there is no browser to print the PDFs with.

    The input is validated once and kept, typed, in `<out>/work/`; input with
    the same content, checked by the same code, is not checked again. `wave`:
    the wave the book reports on (default the newest in the data); later
    waves are left out. `cluster`: the address of a Dask scheduler whose
    workers build the editions (raises ClusterUnavailable, before anything
    is written, when it cannot be reached); `jobs` is then the cluster's.
    `cache`: the user's build cache, where the national work shared by every
    edition is kept across builds and output folders (default
    `helpers.core.memo.cache_root`: $MONITORBOOK_CACHE, else
    $XDG_CACHE_HOME/monitorbook); on a cluster, a folder every worker sees.

    Raises BuildRunning when another build holds `out` (nothing is touched),
    OutputProblem for a full disk or an output folder that cannot be written
    (nothing half is published), and `stopping.BuildInterrupted` on Ctrl-C or
    SIGTERM (the workers and what they started are stopped first).
    """
    out = Path(out)
    manifest = load_manifest(root=root)  # checked before the data: both must be right before anything runs
    settings = dict(manifest=manifest, editions=editions, jobs=jobs, min_n=min_n, show_progress=show_progress,
                    use_cache=use_cache, root=root, wave=wave, cache=memo.cache_root(cache).resolve())
    with stopping.interruptible():
        if cluster is None:
            return _build(respondents, institutions, out, cluster=None, **settings)
        with Cluster(cluster) as connection:  # reachable before anything is written
            # Workers have their own working directory: they get absolute paths.
            return _build(respondents, institutions, out.resolve(), cluster=connection, **settings)


def _build(respondents: Path, institutions: Path, out: Path, *, manifest: dict, editions: list[str] | None,
           jobs: int | None, min_n: int | None, show_progress: bool, use_cache: bool, root: Path,
           wave: int | None, cluster: Cluster | None, cache: Path) -> list[EditionResult]:
    lock = OutputLock(out)
    try:
        if out.is_dir():
            lock.acquire()  # an output folder in use is refused before the input is read
        prepared = prepared_input(respondents, institutions, out, wave)
        every_edition = resolve(manifest, prepared.institutions)
        chosen, left_out = select_editions(every_edition, editions, prepared.absent(every_edition))
        check_output_paths(out, chosen)
        if not lock.held:
            lock.acquire()  # the first write: the output folder itself
        try:
            return _build_locked(out, lock.token, prepared, chosen, left_out, jobs=jobs, min_n=min_n,
                                 show_progress=show_progress, use_cache=use_cache, root=root, wave=wave,
                                 cluster=cluster, cache=cache)
        except OSError as err:
            storage = storage_problem(err)
            if storage is None:
                raise
            raise OutputProblem(f"{problem_message(*storage, out)} {NOTHING_HALF}") from None
    finally:
        lock.release()


def _recover(out: Path, cache: Path | None = None) -> list[str]:
    """Complete or roll back what interrupted builds left in `out`, and clean temporary folders of killed
    runs (see `helpers.pipeline.publish.recover`, `helpers.pipeline.scratch`) and the shared results they
    left half written in the user's build cache `cache` (`helpers.core.memo.remove_unfinished`)."""
    notices = publish.recover(out)
    unfinished = remove_unfinished(out / "cache" / "chapters") if (out / "cache" / "chapters").is_dir() else 0
    # <out>/cache/shared: where shared results were kept before they moved to the user's build cache.
    for folder in (out / "cache" / "shared", out / "work"):
        if folder.is_dir():
            for leftover in folder.glob("*.tmp"):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink(missing_ok=True)
                unfinished += 1
    shared = memo.shared_folder(cache)
    if shared.is_dir():
        unfinished += memo.remove_unfinished(shared)
    if unfinished:
        notices.append(f"{unfinished} half geschreven cache-item(s) van een onderbroken build opgeruimd.")
    scratch.remove_stale()
    return notices


def _build_locked(out: Path, token: str, prepared: PreparedInput, chosen: list[Edition],
                  left_out: dict[str, str], *, jobs: int | None, min_n: int | None, show_progress: bool,
                  use_cache: bool, root: Path, wave: int | None, cluster: Cluster | None,
                  cache: Path) -> list[EditionResult]:
    recovered = _recover(out, cache)
    for notice in recovered:
        print(notice, file=sys.stderr)
    # The chapters' discard log, and the shared results' beside them in the user's cache (a build into another
    # output folder at the same time may add a line there too: such an entry was computed again all the same).
    discard_logs = {log: integrity.log_size(log) for log in (out / "cache" / integrity.DISCARD_LOG,
                                                             memo.shared_folder(cache).parent / integrity.DISCARD_LOG)}

    def discarded_now() -> list[str]:
        return [line for log, offset in discard_logs.items() for line in integrity.discarded_since(log, offset)]
    data_hash, sources, data_dir = prepared.data_hash, prepared.sources, prepared.keep()
    min_n = load_codebook().min_n if min_n is None else min_n
    # Editions already in place with the same key need no worker at all: a no-op rebuild stays quick.
    results: list[EditionResult] = []
    if use_cache:
        for edition in list(chosen):
            paths = edition_paths(out, edition.id)
            if _up_to_date(paths, edition_keys(edition, min_n, data_hash, root)[1]):
                results.append(_unchanged(edition, paths, edition_chapters(edition, root), time.perf_counter()))
    todo = [e for e in chosen if e.id not in {r.edition for r in results}]
    if todo:
        from helpers.pipeline.print_pdf import require_chromium

        require_chromium()  # every edition is printed: refuse before any is started
    # A worker uses its own checkout unless the sources are somewhere else (as in the tests).
    task_root = None if Path(root).resolve() == PROJECT_ROOT.resolve() else root
    if cluster is not None:
        jobs = sum(cluster.threads().values())
        if todo:
            cluster.check_workers(data_dir / dataset.INFO_FILE,
                                  functools.partial(_sources_key, todo[0], min_n, data_hash, task_root))
    else:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    steps = sum(len(edition_chapters(e, root)) + 1 for e in todo)
    started = time.perf_counter()
    order = [e.id for e in chosen]

    def record(status: str) -> None:
        done = sorted(results, key=lambda r: order.index(r.edition))
        done += [EditionResult(edition, True, 0.0, skipped=notice) for edition, notice in left_out.items()]
        _write_build_manifest(out, status, done, data_hash=data_hash, sources=sources, min_n=min_n, wave=wave,
                              jobs=jobs, cluster=cluster, seconds=time.perf_counter() - started,
                              recovered=recovered,
                              discarded=discarded_now())

    previous_pid = os.environ.get(faults.BUILD_PID_ENV)
    os.environ[faults.BUILD_PID_ENV] = str(os.getpid())  # for the fault tests' `kill`
    try:
        record("bezig")
        with tqdm(total=steps, desc="Edities en hoofdstukken", unit="stap", disable=not show_progress) as bar:
            if jobs == 1 and cluster is None:
                class _Bar:
                    def put(self, n):
                        bar.update(n)
                for edition in todo:
                    if any(r.problem for r in results):
                        results.append(EditionResult(edition.id, False, 0.0, error=NOT_BUILT))
                        continue
                    bar.set_postfix_str(edition.id)
                    results.append(build_edition(edition, data_dir, out, min_n, data_hash, _Bar(), use_cache, root,
                                                 token, cache))
                    record("bezig")
            elif todo:
                pool = cluster.pool(out, token) if cluster is not None else _local_pool(jobs)
                with pool as (executor, progress, drain):
                    submitted = time.perf_counter()
                    futures: dict[Future, Edition] = {
                        executor.submit(build_edition, e, data_dir, out, min_n, data_hash, progress, use_cache,
                                        task_root, token, cache): e
                        for e in todo
                    }
                    pending = set(futures)
                    while pending:
                        done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                        if steps_done := drain():
                            bar.update(steps_done)
                        for future in done:
                            edition = futures[future]
                            if future.cancelled():
                                results.append(EditionResult(edition.id, False, 0.0, error=NOT_BUILT))
                                continue
                            try:
                                results.append(future.result())
                            except Exception as err:  # a dead process or worker: that edition fails, not the build
                                results.append(_failed_to_run(edition, err, time.perf_counter() - submitted))
                        if done:
                            record("bezig")
                        if any(r.problem for r in results):  # a full disk: start no other edition
                            for future in pending:
                                future.cancel()
                    if steps_done := drain():
                        bar.update(steps_done)
    except stopping.BuildInterrupted:
        with contextlib.suppress(OSError):
            record("onderbroken")
        raise
    finally:
        if previous_pid is None:
            os.environ.pop(faults.BUILD_PID_ENV, None)
        else:
            os.environ[faults.BUILD_PID_ENV] = previous_pid
        _remove_empty(out)
    problems = [r.problem for r in results if r.problem]
    try:
        record("gestopt" if problems else "klaar")
    except OSError:
        if not problems:
            raise
    for line in discarded_now():
        print(f"Cache: {line}", file=sys.stderr)
    if problems:
        raise OutputProblem(f"{problems[0]} {NOTHING_HALF}")
    results.sort(key=lambda r: order.index(r.edition))
    return results + [EditionResult(edition, True, 0.0, skipped=notice) for edition, notice in left_out.items()]


def _remove_empty(out: Path) -> None:
    """Remove the staging and journal folders the editions' publications left empty."""
    for empty in (out / "staging", out / publish.JOURNAL_DIR):
        with contextlib.suppress(OSError):
            for folder in [*empty.iterdir(), empty]:
                folder.rmdir()


def _write_build_manifest(out: Path, status: str, results: list[EditionResult], *, data_hash: str,
                          sources: dict, min_n: int, wave: int | None, jobs: int, cluster: Cluster | None,
                          seconds: float, recovered: list[str], discarded: list[str]) -> None:
    write_manifest(out / "build-manifest.json", {
        "status": status,  # bezig, klaar, onderbroken (Ctrl-C, SIGTERM) or gestopt (a disk or permission problem)
        "data_hash": data_hash,
        "bronnen": sources,
        "min_n": min_n,
        "meting": wave,  # the wave chosen with --meting; None: the newest in the data
        "jobs": jobs,
        "cluster": cluster.address if cluster is not None else None,
        "seconden": round(seconds, 2),
        "edities": [
            {"editie": r.edition, "gelukt": r.ok, "seconden": round(r.seconds, 2), "fout": r.error,
             "map": r.location, "ongewijzigd": r.from_cache, "seconden_pdf": round(r.print_seconds, 2),
             "seconden_per_fase": r.phases,
             "uitgevoerd": [c["hoofdstuk"] for c in r.chapters if c["status"] != "cache"],
             "uit_cache": [c["hoofdstuk"] for c in r.chapters if c["status"] == "cache"]}
            for r in results if r.skipped is None
        ],
        # An institution without teachers in the reported wave: no edition, and not a failure.
        "niet_gebouwd": [{"editie": r.edition, "reden": NOT_IN_WAVE, "toelichting": r.skipped}
                         for r in results if r.skipped is not None],
        "hersteld": recovered,  # what this build completed or cleaned of an interrupted one
        "cache_verworpen": discarded,  # cache entries that did not verify: thrown away and computed again
    })
