"""The one way through: validate -> execute -> render -> check -> print -> deliver, per edition.

The input is validated once, before anything runs. Each edition is then
executed and compiled in its own staging folder and moved into
`<out>/editions/<edition>/` only when complete, so a failed or interrupted
build never leaves a half-written edition behind; an edition that fails does
not stop the others. One edition (`build_edition`) is the unit of work: run in
this process, in a local process pool, or on a Dask cluster
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
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from helpers.data import dataset
from helpers.data.codebook import PROJECT_ROOT, load_codebook
from helpers.data.dataset import INSTITUTIONS, RESPONDENTS, input_hash, with_wave
from helpers.data.waves import absent_institutions
from helpers.pipeline.cache import (BUILDER, VALIDATOR, ChapterCache, chapter_key, code_version, environment_key,
                                    modules_of)
from helpers.pipeline.edition_manifest import (CONFIG_FILE, MANIFEST_FILE, TOC_FILE, Edition, edition_chapters,
                                               edition_toc, load_manifest, resolve)
from helpers.pipeline.cluster import Cluster
from helpers.pipeline.manifest import write_manifest


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


def edition_paths(out: Path, edition_id: str) -> EditionPaths:
    return EditionPaths(final=inside(out, "editions", edition_id), archive=inside(out, "editions", f"{edition_id}.zip"),
                        staging=inside(out, "staging", edition_id), failed=inside(out, "failed", edition_id))


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


def _render_key(edition: Edition, root: Path) -> str:
    """What the compiled book depends on besides its executed chapters."""
    files = [root / CONFIG_FILE, root / TOC_FILE, root / MANIFEST_FILE, PROJECT_ROOT / "package-lock.json"]
    parts = [p.read_bytes() for p in files if p.exists()] + [code_version(modules_of(BUILDER)).encode()]
    return hashlib.sha256(b"".join(parts) + repr(edition).encode()).hexdigest()


def _edition_key(chapter_keys: list[str], render_key: str, environment: str) -> str:
    return hashlib.sha256("\n".join([*chapter_keys, render_key, environment]).encode()).hexdigest()


def _up_to_date(paths: EditionPaths, key: str) -> bool:
    manifest = paths.final / "manifest.json"
    if not (manifest.exists() and paths.archive.exists()):
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        return False
    printed = [paths.final / pdf["bestand"] for pdf in recorded.get("pdf", {}).values()]
    return recorded.get("bouwsleutel") == key and bool(printed) and all(p.exists() for p in printed)


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


def chapter_parameters(edition: Edition, data_dir: Path, out: Path, min_n: int, use_cache: bool = True) -> dict:
    """The papermill parameters of every chapter of an edition; per chapter, `tables_dir` is added."""
    return {
        "edition": edition.id,
        "data_dir": str(data_dir.resolve()),
        "min_n": min_n,
        "cache_dir": str((out / "cache" / "shared").resolve()) if use_cache else None,
    }


def build_edition(edition: Edition, data_dir: Path, out: Path, min_n: int, data_hash: str,
                  progress=None, use_cache: bool = True, root: Path | None = None) -> EditionResult:
    """Execute every chapter for one edition, compile it, check it, move it into place.

    With `use_cache`, a chapter whose key is in the cache is restored instead
    of executed, and an edition whose key matches the one in place is left as
    it is (see `helpers.pipeline.cache`). `root` holds the notebooks and the
    book configuration; None: this project's own (on a cluster worker, the
    worker's checkout).
    """
    # Imported here, not at the top: deciding that nothing needs building must not pay for these.
    from helpers.pipeline.check import check_offline
    from helpers.pipeline.deliver import zip_edition
    from helpers.pipeline.execute import ChapterRun, EditionKernel
    from helpers.pipeline.kernel_template import worker_template
    from helpers.pipeline.manifest import package_versions, suppressed_cells
    from helpers.pipeline.print_pdf import edition_cover, print_edition
    from helpers.pipeline.render import assemble_book, compile_book

    start = time.perf_counter()
    root = PROJECT_ROOT if root is None else root
    chapters_in_order = edition_chapters(edition, root)
    paths = edition_paths(out, edition.id)  # raises before anything is written if the id leads outside `out`
    final, staging = paths.final, paths.staging
    keys, edition_key = edition_keys(edition, min_n, data_hash, root)
    if use_cache and _up_to_date(paths, edition_key):
        if progress is not None:
            progress.put(len(chapters_in_order) + 1)
        return _unchanged(edition, paths, chapters_in_order, start)
    if staging.exists():
        shutil.rmtree(staging)
    executed_dir = staging / "executed"
    tables_dir = staging / "edition" / "tables"
    tables_dir.mkdir(parents=True)
    chapter_cache = ChapterCache(out / "cache" / "chapters")
    notebook_parameters = chapter_parameters(edition, data_dir, out, min_n, use_cache)
    chapters = []
    try:
        with EditionKernel(cwd=root / "notebooks", log_path=executed_dir / "kernel.log",
                           template=worker_template) as kernel:
            for chapter, key in zip(chapters_in_order, keys):
                target = executed_dir / f"{chapter}.ipynb"
                chapter_tables = staging / "chapter-tables" / Path(chapter).name
                if use_cache and chapter_cache.has(key):
                    chapter_cache.restore(key, target, chapter_tables)
                    run = ChapterRun(chapter, "cache", 0.0)
                else:
                    parameters = dict(notebook_parameters, tables_dir=str(chapter_tables.resolve()))
                    run = kernel.run(root / f"{chapter}.ipynb", target, parameters, chapter)
                    if run.status == "ok" and use_cache:
                        chapter_cache.store(key, target, sorted(chapter_tables.glob("*.csv")))
                chapters.append({"hoofdstuk": chapter, "status": run.status, "seconden": round(run.seconds, 2)})
                if progress is not None:
                    progress.put(1)
                if run.status == "fout":
                    raise RuntimeError(f"Hoofdstuk {chapter} faalde: {run.error}")
                for table in sorted(chapter_tables.glob("*.csv")):
                    if (tables_dir / table.name).exists():
                        raise RuntimeError(f"Tabel {table.stem} wordt door twee hoofdstukken geschreven")
                    shutil.copyfile(table, tables_dir / table.name)
        book_dir = staging / "book"
        assemble_book(edition, executed_dir, book_dir, root)
        html_dir = compile_book(book_dir)
        check_offline(html_dir)
        shutil.move(str(html_dir), staging / "edition" / "html")
        printed, print_seconds = print_edition(staging / "edition" / "html", staging / "edition", edition.id,
                                               edition_toc(edition, root), edition_cover(edition.title, data_dir),
                                               work_dir=staging)
        if progress is not None:
            progress.put(1)
        suppressed, suppressed_list, not_asked_list = suppressed_cells(tables_dir)
        write_manifest(staging / "edition" / "manifest.json", {
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
        archive = zip_edition(staging / "edition", edition.id, staging / f"{edition.id}.zip")
        _replace_dir(staging / "edition", final)
        os.replace(archive, paths.archive)
        shutil.rmtree(staging)
        return EditionResult(edition.id, True, time.perf_counter() - start, chapters, location=str(final),
                             print_seconds=print_seconds)
    except Exception as err:  # an edition's failure must not stop the others
        failed = paths.failed
        if failed.exists():
            shutil.rmtree(failed)
        failed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, failed)
        (failed / "fout.txt").write_text(traceback.format_exc(), encoding="utf-8")
        return EditionResult(edition.id, False, time.perf_counter() - start, chapters,
                             error=str(err).splitlines()[0] if str(err) else repr(err), location=str(failed))


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
        """Store the checked data under its hash (once; later builds of the same data skip validation)."""
        if self.survey is not None and not (self.folder / dataset.INFO_FILE).exists():
            tmp = self.folder.with_name(f"{self.folder.name}.{os.getpid()}.tmp")
            dataset.save(self.survey, tmp)
            _replace_dir(tmp, self.folder)
        self.survey = None
        return self.folder

    def absent(self, editions: list[Edition]) -> dict[str, str]:
        """{edition: notice} of the institution editions whose institution has no teachers in the reported wave."""
        codes = [e.id for e in editions if not e.is_national]
        return absent_institutions(codes, self.participation, self.reported_wave)


def prepared_input(respondents: Path, institutions: Path, out: Path, wave: int | None = None) -> PreparedInput:
    """The input validated now, or earlier with the same code; nothing is written until `keep()`."""
    try:
        data_hash = with_wave(input_hash(respondents, institutions), wave)
    except OSError:
        data_hash = None  # unreadable: load_survey reports it with the other problems
    if data_hash is not None:
        prepared = _prepared_folder(out, data_hash)
        if (prepared / dataset.INFO_FILE).exists():
            sources = {RESPONDENTS: str(respondents), INSTITUTIONS: str(institutions)}
            if wave is not None:
                sources["meting"] = str(int(wave))
            return PreparedInput(dataset.load_institutions(prepared), data_hash, sources, prepared,
                                 *dataset.load_participation(prepared))
    from helpers.data.validation import load_survey

    survey = load_survey(respondents, institutions, wave=wave)  # validate everything first
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


@contextlib.contextmanager
def _local_pool(jobs: int) -> Iterator[tuple[Executor, object, Callable[[], int]]]:
    """(executor, progress sink for `build_edition`, drain: steps reported since the last call)."""
    from helpers.pipeline.print_pdf import keep_browser

    # Spawned, not forked: a fork of a process with kernel-client or Sphinx threads can deadlock.
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        queue = manager.Queue()

        def drain() -> int:
            steps = 0
            while not queue.empty():
                steps += queue.get()
            return steps

        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=keep_browser) as pool:
            yield pool, queue, drain


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
) -> list[EditionResult]:
    """Build the requested editions (default: all). Raises InvalidInput before anything is written,
    and ChromiumMissing before any edition is started if there is no browser to print the PDFs with.

    The input is validated once and kept, typed, in `<out>/work/`; input with
    the same content, checked by the same code, is not checked again. `wave`:
    the wave the book reports on (default the newest in the data); later
    waves are left out. `cluster`: the address of a Dask scheduler whose
    workers build the editions (raises ClusterUnavailable, before anything
    is written, when it cannot be reached); `jobs` is then the cluster's.
    """
    out = Path(out)
    manifest = load_manifest(root=root)  # checked before the data: both must be right before anything runs
    settings = dict(manifest=manifest, editions=editions, jobs=jobs, min_n=min_n, show_progress=show_progress,
                    use_cache=use_cache, root=root, wave=wave)
    if cluster is None:
        return _build(respondents, institutions, out, cluster=None, **settings)
    with Cluster(cluster) as connection:  # reachable before anything is written
        # Workers have their own working directory: they get absolute paths.
        return _build(respondents, institutions, out.resolve(), cluster=connection, **settings)


def _build(respondents: Path, institutions: Path, out: Path, *, manifest: dict, editions: list[str] | None,
           jobs: int | None, min_n: int | None, show_progress: bool, use_cache: bool, root: Path,
           wave: int | None, cluster: Cluster | None) -> list[EditionResult]:
    prepared = prepared_input(respondents, institutions, out, wave)
    every_edition = resolve(manifest, prepared.institutions)
    chosen, left_out = select_editions(every_edition, editions, prepared.absent(every_edition))
    check_output_paths(out, chosen)
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
    with tqdm(total=steps, desc="Edities en hoofdstukken", unit="stap", disable=not show_progress) as bar:
        if jobs == 1 and cluster is None:
            class _Bar:
                def put(self, n):
                    bar.update(n)
            for edition in todo:
                bar.set_postfix_str(edition.id)
                results.append(build_edition(edition, data_dir, out, min_n, data_hash, _Bar(), use_cache, root))
        elif todo:
            pool = cluster.pool() if cluster is not None else _local_pool(jobs)
            with pool as (executor, progress, drain):
                submitted = time.perf_counter()
                futures: dict[Future, Edition] = {
                    executor.submit(build_edition, e, data_dir, out, min_n, data_hash, progress, use_cache,
                                    task_root): e
                    for e in todo
                }
                pending = set(futures)
                while pending:
                    done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    if steps_done := drain():
                        bar.update(steps_done)
                    for future in done:
                        try:
                            results.append(future.result())
                        except Exception as err:  # a dead process or worker: that edition fails, not the build
                            results.append(_failed_to_run(futures[future], err, time.perf_counter() - submitted))
                if steps_done := drain():
                    bar.update(steps_done)
    results.sort(key=lambda r: [e.id for e in chosen].index(r.edition))
    results += [EditionResult(edition, True, 0.0, skipped=notice) for edition, notice in left_out.items()]
    write_manifest(out / "build-manifest.json", {
        "data_hash": data_hash,
        "bronnen": sources,
        "min_n": min_n,
        "meting": wave,  # the wave chosen with --meting; None: the newest in the data
        "jobs": jobs,
        "cluster": cluster.address if cluster is not None else None,
        "seconden": round(time.perf_counter() - started, 2),
        "edities": [
            {"editie": r.edition, "gelukt": r.ok, "seconden": round(r.seconds, 2), "fout": r.error,
             "map": r.location, "ongewijzigd": r.from_cache, "seconden_pdf": round(r.print_seconds, 2),
             "uitgevoerd": [c["hoofdstuk"] for c in r.chapters if c["status"] != "cache"],
             "uit_cache": [c["hoofdstuk"] for c in r.chapters if c["status"] == "cache"]}
            for r in results if r.skipped is None
        ],
        # An institution without teachers in the reported wave: no edition, and not a failure.
        "niet_gebouwd": [{"editie": r.edition, "reden": NOT_IN_WAVE, "toelichting": r.skipped}
                         for r in results if r.skipped is not None],
    })
    staging_root = out / "staging"
    if staging_root.exists() and not any(staging_root.iterdir()):
        staging_root.rmdir()
    return results
