"""Fault injection: the build as an operator may treat it.

Killed (SIGKILL, SIGINT, SIGTERM) at named points of the build
(`helpers.pipeline.faults`: mid-chapter, while printing, between the new
folder and the new zip), two builds into one output folder, a damaged cache,
input replaced while it is checked, a full disk, an output folder that cannot
be written. After each: no process of the build left, no partial edition, no
temporary folder left, and the next build's outputs byte-identical to a clean
build: the tables, the PDFs and every file of the zips (the edition's
`manifest.json` also records how this build went -- which chapters came from
the cache, in how many seconds -- and is compared without that).

Every build here starts from a copy of the session's clean build (`built`),
so it restores chapters from the cache instead of executing them, and runs as
the command an operator types, in a process group of its own (a Ctrl-C in a
terminal signals that group). A chapter that must run (to have a kernel alive
when the build is killed) has its cache entry set aside, and put back before
the next build: an executed chapter's page holds new random widget ids.
"""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

import psutil
import pytest

from helpers.core import memo
from helpers.pipeline import faults

pytestmark = pytest.mark.slow
TAG_ENV = "MONITORBOOK_TEST_TAG"
STRAY_SECONDS = 30


# --- helpers -----------------------------------------------------------------------------------------------------


def copy_of(built: Path, tmp_path: Path, *, out_of_date=(), removed=()) -> Path:
    """A copy of the clean build; `out_of_date` editions are rebuilt from the cache, `removed` ones are gone."""
    out = tmp_path / "out"
    shutil.copytree(built, out, ignore=shutil.ignore_patterns("build.lock"))
    for edition in out_of_date:  # another key in folder and zip: the build replaces both
        manifest = out / "editions" / edition / "manifest.json"
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
        recorded["bouwsleutel"] = "verouderd"
        manifest.write_text(json.dumps(recorded), encoding="utf-8")
        archive = out / "editions" / f"{edition}.zip"
        with zipfile.ZipFile(archive) as old, zipfile.ZipFile(archive.with_suffix(".nieuw"), "w") as new:
            for info in old.infolist():
                new.writestr(info, manifest.read_bytes() if info.filename == f"{edition}/manifest.json"
                             else old.read(info))
        archive.with_suffix(".nieuw").replace(archive)
    for edition in removed:
        shutil.rmtree(out / "editions" / edition)
        (out / "editions" / f"{edition}.zip").unlink()
    return out


def set_aside(built: Path, out: Path, edition: str, position: int = 1) -> tuple[Path, Path]:
    """Move one chapter's cache entry out of the cache, so that the chapter is executed; (entry, where it is)."""
    chapters = json.loads((built / "editions" / edition / "manifest.json").read_text(encoding="utf-8"))["hoofdstukken"]
    entry = out / "cache" / "chapters" / chapters[position]["sleutel"]
    aside = out.parent / f"opzij-{edition}"
    shutil.move(entry, aside)
    return entry, aside


def put_back(entry: Path, aside: Path) -> None:
    shutil.rmtree(entry, ignore_errors=True)  # what the interrupted build may have stored
    shutil.move(aside, entry)


def marker_of(out: Path, tag: str) -> Path:
    """The file a build tagged `tag` writes at its fault point (`faults.FAULT_FILE_ENV`) and waits on."""
    return out.parent / f"wacht-{tag}"


class Build:
    """`monitorbook build` in a process group of its own, tagged so that every process it starts can be found."""

    def __init__(self, small_data, out: Path, editions: list[str], *, jobs: int = 1, fault: str | None = None,
                 tmp: Path | None = None, cluster: str | None = None, tag: str | None = None):
        self.tag = tag or uuid.uuid4().hex
        self.marker = marker_of(out, self.tag)
        env = dict(os.environ, **{TAG_ENV: self.tag})
        if tmp is not None:
            tmp.mkdir(exist_ok=True)
            env["TMPDIR"] = str(tmp)
        if fault:
            env[faults.FAULT_ENV] = fault
            env[faults.FAULT_FILE_ENV] = str(self.marker)
        args = [sys.executable, "-m", "helpers", "build", "--data", str(small_data[0]),
                "--institutions", str(small_data[1]), "--out", str(out), "--no-progress", "--jobs", str(jobs)]
        for edition in editions:
            args += ["--edition", edition]
        if cluster is not None:
            args += ["--cluster", cluster]
        self.process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        start_new_session=True)

    def at_fault(self, timeout: float = 600) -> None:
        """Wait until the build waits at its fault point."""
        deadline = time.monotonic() + timeout
        while not self.marker.exists():
            if self.process.poll() is not None:
                raise AssertionError(f"the build ended ({self.process.returncode}) before its fault point: "
                                     f"{self.process.stderr.read()}")
            assert time.monotonic() < deadline, "the build did not reach its fault point"
            time.sleep(0.1)
        time.sleep(0.2)

    def go_on(self) -> None:
        self.marker.unlink()

    def finish(self, timeout: float = 900) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out, err


def processes_of(tag: str) -> list[str]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(TAG_ENV) == tag and process.status() != psutil.STATUS_ZOMBIE:
                found.append(f"{process.pid} {' '.join(process.cmdline())[:120]}")
        except (psutil.Error, OSError):
            continue
    return found


def assert_no_process_left(build: Build) -> None:
    deadline = time.monotonic() + STRAY_SECONDS
    while (left := processes_of(build.tag)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, f"processes of the build are still there: {left}"


def assert_no_partial_edition(out: Path) -> None:
    """Every edition in `editions/` is a folder with its zip, holding the same manifest; nothing else is there."""
    editions = out / "editions"
    if not editions.exists():
        return
    folders = {p.name for p in editions.iterdir() if p.is_dir()}
    zips = {p.name[:-4] for p in editions.iterdir() if p.is_file() and p.name.endswith(".zip")}
    assert folders == zips and {p.name for p in editions.iterdir()} == folders | {f"{z}.zip" for z in zips}
    for edition in folders:
        with zipfile.ZipFile(editions / f"{edition}.zip") as archive:
            assert archive.read(f"{edition}/manifest.json") == (editions / edition / "manifest.json").read_bytes()


def build_independent(manifest: bytes) -> dict:
    """An edition's manifest without what records how one build went (chapter from the cache or run; seconds)."""
    recorded = json.loads(manifest)
    recorded["hoofdstukken"] = [{k: v for k, v in c.items() if k not in ("status", "seconden")}
                                for c in recorded["hoofdstukken"]]
    return recorded


def assert_same_as_clean(built: Path, out: Path, editions: list[str], *, zipped_except: tuple[str, ...] = ()) -> None:
    """`zipped_except`: files of an edition (e.g. `html/.buildinfo`) whose bytes in the zips are not compared."""
    for edition in editions:
        clean, rebuilt = built / "editions" / edition, out / "editions" / edition
        for name in ("tables/*.csv", "*.pdf"):
            reference = {p.relative_to(clean): p.read_bytes() for p in clean.glob(name)}
            assert reference and reference == {p.relative_to(rebuilt): p.read_bytes() for p in rebuilt.glob(name)}, \
                f"{edition}: {name} differ from a clean build"
        with zipfile.ZipFile(built / "editions" / f"{edition}.zip") as a, \
                zipfile.ZipFile(out / "editions" / f"{edition}.zip") as b:
            assert a.namelist() == b.namelist()
            manifest = f"{edition}/manifest.json"
            skipped = {manifest} | {f"{edition}/{name}" for name in zipped_except}
            different = [n for n in a.namelist() if n not in skipped and a.read(n) != b.read(n)]
            assert not different, f"{edition}.zip differs from a clean build in {different[:5]}"
            assert build_independent(a.read(manifest)) == build_independent(b.read(manifest))
            assert b.read(manifest) == (out / "editions" / edition / "manifest.json").read_bytes()
    assert_no_partial_edition(out)
    assert not (out / "staging").exists() and not (out / "publicatie").exists()


def temporary_folders(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith("monitorbook-")) if tmp.exists() else []


def manifest_of(out: Path) -> dict:
    return json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, f"not one line: {stderr}"
    return lines[0]


@pytest.fixture(scope="module")
def editions(institution) -> list[str]:
    return ["landelijk", institution]


@pytest.fixture
def temporary():
    """A temporary directory (TMPDIR) for one test's builds, with a short path: it holds Unix sockets."""
    folder = Path(tempfile.mkdtemp(prefix="mb-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --- killed --------------------------------------------------------------------------------------------------------


def test_killed_mid_chapter_and_while_printing_nothing_goes_on_and_the_next_build_finishes(
        small_data, built, editions, tmp_path, temporary):
    """`kill -9` of the main process of a `--jobs 2` build while one worker's kernel runs a chapter and the other
    worker's Chromium prints."""
    national, institution = editions
    out = copy_of(built, tmp_path, removed=editions)
    aside = set_aside(built, out, national)
    build = Build(small_data, out, editions, jobs=2, tmp=temporary,
                  fault=f"chapter-done@{national}:wait,printing@{institution}:wait")
    build.at_fault()
    deadline = time.monotonic() + 600
    while not any("chrom" in p for p in processes_of(build.tag)):  # the second worker reaches its point too
        assert time.monotonic() < deadline and build.process.poll() is None, "the other edition never printed"
        time.sleep(0.2)
    running = processes_of(build.tag)
    for part in ("kernel_relay", "chrom", "node"):
        assert any(part in p for p in running), f"no {part} running: {running}"
    assert sum("kernel_template" in p for p in running) >= 2, f"no template with a kernel forked: {running}"
    os.kill(build.process.pid, signal.SIGKILL)
    build.finish()
    assert_no_process_left(build)
    assert not (out / "editions").exists() or not any((out / "editions").iterdir()), "an edition was published"
    assert temporary_folders(temporary), "the killed build's run folder should still be there (and go next time)"

    put_back(*aside)
    again = Build(small_data, out, editions, jobs=2, tmp=temporary)
    status, _, err = again.finish()
    assert status == 0, err
    assert_no_process_left(again)
    assert_same_as_clean(built, out, editions)
    assert manifest_of(out)["status"] == "klaar"
    assert temporary_folders(temporary) == [], "temporary folders of the killed build were not removed"


def test_ctrl_c_while_printing_stops_cleanly_in_one_line(small_data, built, editions, tmp_path, temporary):
    """SIGINT to the build's process group, as a terminal sends it, while a worker prints an edition."""
    out = copy_of(built, tmp_path, removed=editions)
    tmp = temporary
    build = Build(small_data, out, editions, jobs=2, fault=f"printing@{editions[1]}:wait", tmp=tmp)
    build.at_fault()
    os.killpg(build.process.pid, signal.SIGINT)
    status, _, err = build.finish(timeout=60)
    assert status == 130
    assert "Onderbroken (Ctrl-C)" in one_line(err)
    assert_no_process_left(build)
    assert_no_partial_edition(out)
    assert not (out / "editions" / editions[1]).exists()
    assert manifest_of(out)["status"] == "onderbroken"
    assert temporary_folders(tmp) == []

    again = Build(small_data, out, editions, jobs=2, tmp=tmp)
    status, _, err = again.finish()
    assert status == 0, err
    assert_same_as_clean(built, out, editions)


def test_sigterm_mid_chapter_stops_cleanly_and_keeps_the_old_edition(small_data, built, editions, tmp_path,
                                                                       temporary):
    """SIGTERM to a one-process build while its kernel runs a chapter: the edition in place stays as it was."""
    edition = editions[1]
    out = copy_of(built, tmp_path, out_of_date=[edition])
    before = {p: p.read_bytes() for p in (out / "editions").rglob("*") if p.is_file()}
    entry, where = set_aside(built, out, edition)
    build = Build(small_data, out, [edition], fault=f"chapter-done@{edition}:wait", tmp=temporary)
    build.at_fault()
    os.kill(build.process.pid, signal.SIGTERM)
    status, _, err = build.finish(timeout=60)
    assert status == 143
    assert "Onderbroken (SIGTERM)" in one_line(err)
    assert_no_process_left(build)
    assert {p: p.read_bytes() for p in (out / "editions").rglob("*") if p.is_file()} == before
    assert temporary_folders(temporary) == []

    put_back(entry, where)
    again = Build(small_data, out, [edition])
    status, _, err = again.finish()
    assert status == 0, err
    assert_same_as_clean(built, out, [edition])


def test_killed_between_the_folder_and_the_zip_the_next_build_completes_the_publication(
        small_data, built, editions, tmp_path):
    edition = editions[1]
    out = copy_of(built, tmp_path, out_of_date=[edition])
    build = Build(small_data, out, [edition], fault=f"publish-between@{edition}:kill")
    status, _, _ = build.finish()
    assert status == -signal.SIGKILL
    assert_no_process_left(build)
    with zipfile.ZipFile(out / "editions" / f"{edition}.zip") as archive:  # the new folder, the old zip
        assert json.loads(archive.read(f"{edition}/manifest.json"))["bouwsleutel"] == "verouderd"
    assert (out / "publicatie" / f"{edition}.json").exists()

    again = Build(small_data, out, [edition])
    status, _, err = again.finish()
    assert status == 0, err
    assert f"Editie {edition}: de publicatie die een onderbroken build begon, is afgemaakt." in err
    recorded = manifest_of(out)
    assert recorded["edities"][0]["ongewijzigd"] and recorded["hersteld"]
    assert_same_as_clean(built, out, [edition])


# --- two builds, a damaged cache, changing input -------------------------------------------------------------------


def test_a_second_build_into_the_same_folder_is_refused_and_touches_nothing(small_data, built, editions, tmp_path):
    edition = editions[1]
    out = copy_of(built, tmp_path, removed=[edition])
    first = Build(small_data, out, [edition], fault=f"printing@{edition}:wait")
    first.at_fault()
    state = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in out.rglob("*")}
    second = Build(small_data, out, editions)
    status, _, err = second.finish(timeout=120)
    assert status == 3
    assert f"In {out} draait al een build (proces {first.process.pid}" in one_line(err)
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in out.rglob("*")} == state
    assert_no_process_left(second)

    first.go_on()
    status, _, err = first.finish()
    assert status == 0, err
    assert_same_as_clean(built, out, [edition])


def test_a_damaged_cache_is_thrown_away_and_computed_again(small_data, built, editions, tmp_path):
    """A number changed in a cached table, a truncated notebook, a deleted table, an entry without checksums,
    truncated shared results: none of it is published (chapters without widgets, so that their pages are the
    same bytes when they are executed again)."""
    edition = editions[1]
    out = copy_of(built, tmp_path, removed=[edition])
    keys = {c["hoofdstuk"]: c["sleutel"] for c in json.loads(
        (built / "editions" / edition / "manifest.json").read_text(encoding="utf-8"))["hoofdstukken"]}
    entries = out / "cache" / "chapters"
    edited = sorted((entries / keys["notebooks/praatplaat"] / "tables").glob("*.csv"))[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(re.sub(r"\d+\.\d+", "9.999999", text, count=1), encoding="utf-8")
    assert edited.read_text(encoding="utf-8") != text
    notebook = entries / keys["notebooks/katern_a/a1_inleiding"] / "notebook.ipynb"
    notebook.write_bytes(notebook.read_bytes()[:1000])
    sorted((entries / keys["notebooks/katern_c/c_bijlage1"] / "tables").glob("*.csv"))[-1].unlink()
    (entries / keys["notebooks/katern_a/a11_verschillen_instellingen"] / "controle.json").unlink()
    shared = sorted(memo.shared_folder().glob("*.pkl"))  # the session's build cache (conftest)
    for result in shared:
        result.write_bytes(result.read_bytes()[:100])

    build = Build(small_data, out, [edition])
    status, _, err = build.finish()
    assert status == 0, err
    discarded = manifest_of(out)["cache_verworpen"]
    for chapter in ("praatplaat", "a1_inleiding", "c_bijlage1"):
        assert any(f"notebooks/" in line and chapter in line for line in discarded), chapter
        assert re.search(rf"Cache: cache-item van \S*{chapter} \({edition}\) weggegooid", err)
    assert any(line.startswith("gedeeld resultaat") for line in discarded)
    executed = manifest_of(out)["edities"][0]["uitgevoerd"]
    assert {"notebooks/praatplaat", "notebooks/katern_a/a1_inleiding", "notebooks/katern_c/c_bijlage1",
            "notebooks/katern_a/a11_verschillen_instellingen"} == set(executed)
    assert "9.999999" not in (out / "editions" / edition / "tables" / edited.name).read_text(encoding="utf-8")
    assert_same_as_clean(built, out, [edition])


def test_input_replaced_while_it_is_checked_is_not_recorded_under_the_new_hash(small_data, built, editions,
                                                                              tmp_path):
    out = copy_of(built, tmp_path)
    shutil.rmtree(out / "work")  # validated anew
    data = tmp_path / "data"
    data.mkdir()
    respondents, institutions = (Path(shutil.copy(f, data)) for f in small_data)
    original = manifest_of(built)["data_hash"]
    build = Build((respondents, institutions), out, editions, fault="validating:wait")
    build.at_fault()
    lines = respondents.read_text(encoding="utf-8").splitlines(keepends=True)
    respondents.write_text("".join(lines[:-3]), encoding="utf-8")  # other data, still valid
    build.go_on()
    status, _, err = build.finish()
    assert status == 0, err
    recorded = manifest_of(out)
    assert recorded["data_hash"] == original
    assert all(e["ongewijzigd"] for e in recorded["edities"]), "the editions of the data that was checked are current"
    (prepared,) = (out / "work").iterdir()
    assert json.loads((prepared / "bron.json").read_text(encoding="utf-8"))["data_hash"] == original
    assert_same_as_clean(built, out, editions)


# --- the disk and the output folder -------------------------------------------------------------------------------


def _mount_tmpfs(where: Path, megabytes: int) -> bool:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


def _unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_full_disk_stops_the_build_with_one_message_and_gives_the_space_back(small_data, built, editions,
                                                                               tmp_path):
    """On a small file system of its own (tmpfs), filled up to 3 MB; where none can be mounted, a full disk is
    simulated where the zip is written (`faults`: `write-zip:enospc`)."""
    edition = editions[1]
    disk = tmp_path / "schijf"
    size = sum(p.stat().st_size for p in built.rglob("*") if p.is_file()) // 2**20 + 40
    real = _mount_tmpfs(disk, size)
    try:
        out = copy_of(built, disk if real else tmp_path, removed=[edition])
        before = {p: p.read_bytes() for p in (out / "editions").rglob("*") if p.is_file()}
        filler = disk / "vulling"
        if real:
            with open(filler, "wb") as handle:
                handle.write(b"\0" * (shutil.disk_usage(disk).free - 3 * 2**20))
            free = shutil.disk_usage(disk).free
        build = Build(small_data, out, editions, fault=None if real else f"write-zip@{edition}:enospc")
        status, _, err = build.finish()
        assert status == 2
        message = one_line(err)
        assert message.startswith("De schijf is vol:") and str(out) in message and "--out" in message
        assert {p: p.read_bytes() for p in (out / "editions").rglob("*") if p.is_file()} == before
        assert not (out / "staging").exists() and not (out / "failed").exists()
        assert manifest_of(out)["status"] == "gestopt"
        if real:  # the build-manifest may have grown by a page or two
            assert shutil.disk_usage(disk).free >= free - 64 * 2**10, "the build did not give back the space"
            filler.unlink()  # the operator makes room
        assert_no_process_left(build)

        again = Build(small_data, out, editions)
        status, _, err = again.finish()
        assert status == 0, err
        assert_same_as_clean(built, out, editions)
    finally:
        if real:
            _unmount(disk)


def test_an_output_folder_that_cannot_be_written_is_named_in_one_message(small_data, built, editions, tmp_path,
                                                                          capsys):
    """A file, a path under a file, a read-only file system (tmpfs mounted read-only) and, where the file system
    has it, an immutable folder (`chattr +i`, which stops root too): exit status 2, one Dutch message naming the
    folder, nothing written -- also for a build that would have had nothing to do."""
    from helpers.cli import main

    def run(out: Path) -> tuple[int, str]:
        status = main(["build", "--data", str(small_data[0]), "--institutions", str(small_data[1]),
                       "--out", str(out), "--no-progress", *sum((["--edition", e] for e in editions), [])])
        return status, one_line(capsys.readouterr().err)

    a_file = tmp_path / "bestand"
    a_file.write_text("geen map", encoding="utf-8")
    for out in (a_file, a_file / "uit"):
        status, message = run(out)
        assert status == 2 and message.startswith(f"De uitvoermap {out} is geen map") and "--out" in message
    assert a_file.read_text(encoding="utf-8") == "geen map"

    disk = tmp_path / "alleen-lezen"
    if _mount_tmpfs(disk, 200):
        try:
            out = copy_of(built, disk)  # complete: a build would have nothing to do
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
            for target in (out, disk / "nieuw"):
                status, message = run(target)
                assert status == 2 and message == (f"{target} staat op een alleen-lezen bestandssysteem. Kies met "
                                                   "--out een map waarin geschreven mag worden. Er is niets gebouwd.")
        finally:
            _unmount(disk)

    out = copy_of(built, tmp_path)
    if subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode == 0:
        try:
            status, message = run(out)
            assert status == 2 and message.startswith(f"Geen toestemming om te schrijven in {out}.")
            assert not (out / "build.lock").exists()
        finally:
            subprocess.run(["chattr", "-i", str(out)], check=True)
    elif os.geteuid() != 0:
        out.chmod(0o555)
        try:
            status, message = run(out)
            assert status == 2 and message.startswith(f"Geen toestemming om te schrijven in {out}.")
        finally:
            out.chmod(0o755)


def test_storage_errors_are_told_from_other_failures():
    from helpers.pipeline.outdir import storage_problem

    assert storage_problem(OSError(errno.ENOSPC, "No space left on device", "/x/y")) == (errno.ENOSPC, "/x/y")
    wrapped = RuntimeError("Jupyter Book kon de editie niet bouwen:\nOSError: [Errno 28] No space left on "
                           "device: '/uit/staging/a.html'")
    assert storage_problem(wrapped) == (errno.ENOSPC, "/uit/staging/a.html")
    assert storage_problem(RuntimeError("Hoofdstuk x faalde: PermissionError: [Errno 13] Permission denied: "
                                        "'/uit/t.csv'")) == (errno.EACCES, "/uit/t.csv")
    assert storage_problem(RuntimeError("Hoofdstuk x faalde: KeyError: 'thema'")) is None
    assert storage_problem(FileNotFoundError(errno.ENOENT, "gone", "/x")) is None
