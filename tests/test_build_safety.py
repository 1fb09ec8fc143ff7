"""The pieces that make a build crash-safe, each on its own (the whole build under faults: test_faults.py):
the output folder's lock, publication by journal and its recovery, checksummed cache entries and shared results,
marked temporary folders, input read once."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from helpers.core import integrity, memo
from helpers.pipeline import faults, publish, scratch
from helpers.pipeline.cache import ChapterCache
from helpers.pipeline.outdir import LOCK_FILE, BuildRunning, OutputLock, OutputProblem, abandoned


# --- the lock --------------------------------------------------------------------------------------------------------


def _holder(out: Path) -> subprocess.Popen:
    """Another process that takes the lock on `out` and keeps it until its stdin closes."""
    code = textwrap.dedent(f"""
        import sys
        from helpers.pipeline.outdir import OutputLock
        lock = OutputLock({str(out)!r})
        lock.acquire()
        print(lock.token, flush=True)
        sys.stdin.read()
    """)
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    process.token = process.stdout.readline().strip()
    return process


def test_one_build_per_output_folder_and_the_lock_goes_with_its_holder(tmp_path):
    out = tmp_path / "uit"
    holder = _holder(out)
    try:
        with pytest.raises(BuildRunning, match=f"In {out} draait al een build \\(proces {holder.pid} "):
            OutputLock(out).acquire()
        assert not abandoned(out, holder.token)
        assert abandoned(out, "een andere build")
        assert not abandoned(out, None)  # an edition built outside `build`
    finally:
        holder.kill()  # as kill -9: the operating system lets go of the lock
        holder.wait()
    assert abandoned(out, holder.token)
    with OutputLock(out) as lock:
        assert not abandoned(out, lock.token)
        assert json.loads((out / LOCK_FILE).read_text())["pid"] == os.getpid()
    assert abandoned(out, lock.token)


def test_an_output_folder_that_is_a_file_is_refused_in_dutch(tmp_path):
    a_file = tmp_path / "bestand"
    a_file.write_text("x")
    for out in (a_file, a_file / "uit"):
        with pytest.raises(OutputProblem, match=f"De uitvoermap {out} is geen map"):
            OutputLock(out).acquire()


# --- publication ---------------------------------------------------------------------------------------------------


def _staged(out: Path, edition: str, content: str) -> Path:
    staging = out / "staging" / "build.abc" / edition
    (staging / publish.STAGED_FOLDER).mkdir(parents=True)
    (staging / publish.STAGED_FOLDER / "manifest.json").write_text(content)
    publish.staged_zip(staging, edition).write_text(f"zip {content}")
    return staging


def _published(out: Path, edition: str) -> tuple[str, str]:
    editions = out / "editions"
    return (editions / edition / "manifest.json").read_text(), (editions / f"{edition}.zip").read_text()


class Killed(BaseException):
    pass


def test_a_publication_killed_between_folder_and_zip_is_completed_by_the_next_build(tmp_path, monkeypatch):
    out = tmp_path / "uit"
    editions = out / "editions"
    publish.publish(out, "I07", _staged(out, "I07", "oud"), editions / "I07", editions / "I07.zip")
    assert _published(out, "I07") == ("oud", "zip oud")

    def kill(point, edition=None, path=None):
        if point == "publish-between":
            raise Killed()

    monkeypatch.setattr(faults, "reach", kill)
    with pytest.raises(Killed):
        publish.publish(out, "I07", _staged(out, "I07", "nieuw"), editions / "I07", editions / "I07.zip")
    assert _published(out, "I07") == ("nieuw", "zip oud")  # what a kill leaves
    monkeypatch.undo()

    notices = publish.recover(out)
    assert notices == ["Editie I07: de publicatie die een onderbroken build begon, is afgemaakt."]
    assert _published(out, "I07") == ("nieuw", "zip nieuw")
    assert sorted(p.name for p in out.iterdir()) == ["editions"]
    assert sorted(p.name for p in editions.iterdir()) == ["I07", "I07.zip"]


def test_recovery_removes_half_built_editions_and_old_leftovers(tmp_path):
    out = tmp_path / "uit"
    _staged(out, "I01", "half")
    (out / "editions" / "I02.oud").mkdir(parents=True)
    (out / publish.JOURNAL_DIR).mkdir()
    (out / publish.JOURNAL_DIR / "I03.json").write_text("{niet af")  # unreadable: rolled back
    (out / "editions" / "I03").mkdir()
    (out / "editions" / "I03.zip").write_text("?")
    notices = publish.recover(out)
    assert any("I01: wat een onderbroken build half had gebouwd, is opgeruimd" in n for n in notices)
    assert any("I02: een oude map" in n for n in notices)
    assert any("I03: een onleesbare publicatie" in n for n in notices)
    assert list((out / "editions").iterdir()) == []
    assert not (out / "staging").exists() and not (out / publish.JOURNAL_DIR).exists()


# --- checksummed cache ---------------------------------------------------------------------------------------------


@pytest.fixture
def entry(tmp_path) -> tuple[ChapterCache, str]:
    cache = ChapterCache(tmp_path / "cache" / "chapters")
    notebook = tmp_path / "hoofdstuk.ipynb"
    notebook.write_bytes(b'{"cells": []}')
    table = tmp_path / "t.csv"
    table.write_bytes(b"groep,gemiddelde\nA,3.141593\r\n")
    cache.store("sleutel", notebook, [table])
    return cache, "sleutel"


def test_a_restored_entry_is_byte_for_byte_what_was_stored(entry, tmp_path):
    cache, key = entry
    assert cache.restore(key, tmp_path / "terug.ipynb", tmp_path / "tabellen")
    assert (tmp_path / "terug.ipynb").read_bytes() == b'{"cells": []}'
    assert (tmp_path / "tabellen" / "t.csv").read_bytes() == b"groep,gemiddelde\nA,3.141593\r\n"


@pytest.mark.parametrize("damage", ["edit", "truncate", "delete", "add", "checksums"])
def test_a_damaged_entry_is_thrown_away_logged_and_restores_nothing(entry, tmp_path, damage):
    cache, key = entry
    folder = cache.entry(key)
    if damage == "edit":
        (folder / "tables" / "t.csv").write_bytes(b"groep,gemiddelde\nA,9.999999\r\n")
    elif damage == "truncate":
        (folder / "notebook.ipynb").write_bytes(b'{"cel')
    elif damage == "delete":
        (folder / "tables" / "t.csv").unlink()
    elif damage == "add":
        (folder / "tables" / "extra.csv").write_bytes(b"a\n1\n")
    else:
        (folder / integrity.CHECKSUM_FILE).write_text("{")
    assert not cache.restore(key, tmp_path / "terug.ipynb", tmp_path / "tabellen", "hoofdstuk x (I07)")
    assert not (tmp_path / "terug.ipynb").exists() and not (tmp_path / "tabellen").exists()
    assert not folder.exists() and not cache.has(key)
    log = integrity.discarded_since(cache.log, 0)
    assert log == ["cache-item van hoofdstuk x (I07) weggegooid en opnieuw berekend: de inhoud klopt niet met het "
                   "controlegetal"]


def test_an_entry_without_checksums_is_not_used_and_is_replaced(tmp_path):
    cache = ChapterCache(tmp_path / "chapters")
    (cache.entry("k") / "tables").mkdir(parents=True)  # as an older version, or a half-written entry, left it
    (cache.entry("k") / "notebook.ipynb").write_text("oud")
    assert not cache.has("k")
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text("nieuw")
    cache.store("k", notebook, [])
    assert cache.restore("k", tmp_path / "terug.ipynb", tmp_path / "tabellen")
    assert (tmp_path / "terug.ipynb").read_text() == "nieuw"


@memo.shared
def _square_sum(frame: pd.DataFrame) -> float:
    _square_sum.calls += 1
    return float((frame["x"] ** 2).sum())


_square_sum.calls = 0


@pytest.mark.parametrize("damage", ["truncate", "flip", "old-format"])
def test_a_damaged_shared_result_is_computed_again_and_logged(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(memo, "_memory", {})
    memo.use(tmp_path / "cache" / "shared")
    try:
        frame = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
        assert _square_sum(frame) == 14.0
        (stored,) = (tmp_path / "cache" / "shared").glob("*.pkl")
        data = stored.read_bytes()
        if damage == "truncate":
            stored.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            stored.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
        else:
            stored.write_bytes(data[len(memo._HEADER) + 32:])  # a plain pickle, as before checksums
        memo._memory.clear()
        calls = _square_sum.calls
        assert _square_sum(frame) == 14.0 and _square_sum.calls == calls + 1
        log = integrity.discarded_since(tmp_path / "cache" / integrity.DISCARD_LOG, 0)
        assert log == [f"gedeeld resultaat {stored.name} weggegooid en opnieuw berekend: de inhoud klopt niet met "
                       "het controlegetal"]
        memo._memory.clear()
        assert _square_sum(frame) == 14.0 and _square_sum.calls == calls + 1  # stored again, intact
    finally:
        memo.use(None)


# --- temporary folders ------------------------------------------------------------------------------------------------


def test_temporary_folders_of_a_killed_process_are_removed_by_the_next_one(tmp_path):
    code = textwrap.dedent(f"""
        import sys, time
        from helpers.pipeline import scratch
        print(scratch.private_dir("monitorbook-kernel-", {str(tmp_path)!r}), flush=True)
        time.sleep(600)
    """)
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    killed = Path(process.stdout.readline().strip())
    mine = scratch.private_dir("monitorbook-template-", tmp_path)
    unmarked = tmp_path / "monitorbook-kernel-van-een-ander"
    unmarked.mkdir()
    try:
        assert scratch.remove_stale(tmp_path) == []  # its maker is alive
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert scratch.remove_stale(tmp_path) == [killed]
        assert not killed.exists() and mine.exists() and unmarked.exists()
    finally:
        scratch.remove(mine)
    assert not mine.exists()


# --- input read once -------------------------------------------------------------------------------------------------


def test_input_replaced_during_validation_is_kept_under_the_hash_of_what_was_checked(tmp_path, monkeypatch):
    from helpers.data.validation import input_hash
    from helpers.pipeline import build as build_module
    from helpers.synthetic import write

    data = tmp_path / "data"
    write(data, seed=11, scale=0.02)
    respondents, institutions = data / "respondenten.csv", data / "instellingen.csv"
    checked = input_hash(respondents, institutions)
    original = respondents.read_text(encoding="utf-8")

    def replace(point, edition=None, path=None):
        if point == "validating":  # the files are read: another export arrives
            respondents.write_text("".join(original.splitlines(keepends=True)[:-3]), encoding="utf-8")

    monkeypatch.setattr(faults, "reach", replace)
    prepared = build_module.prepared_input(respondents, institutions, tmp_path / "uit")
    folder = prepared.keep()
    assert prepared.data_hash == checked != input_hash(respondents, institutions)
    assert folder == build_module._prepared_folder(tmp_path / "uit", checked)
    assert json.loads((folder / "bron.json").read_text())["data_hash"] == checked
    rows = pd.read_parquet(folder / "respondenten.parquet")
    assert len(rows) == len(original.splitlines()) - 1  # the rows that were checked, not the new file's
    assert prepared.sources["respondenten"] == str(respondents)

    monkeypatch.undo()
    respondents.write_text(original, encoding="utf-8")
    assert build_module.prepared_input(respondents, institutions, tmp_path / "uit").survey is None  # kept: reused
    (folder / "instellingen.parquet").write_bytes(b"beschadigd")  # the kept copy no longer verifies
    again = build_module.prepared_input(respondents, institutions, tmp_path / "uit")
    assert again.survey is not None and again.data_hash == checked, "a damaged checked copy was used"
    assert again.keep() == folder and build_module._verified_prepared(folder, checked)


def test_an_edition_whose_build_is_gone_stops_before_it_writes_anything(tmp_path):
    """As on a Dask worker that goes on after the build was killed: the build no longer holds the folder."""
    from helpers.pipeline.build import ABANDONED, build_edition
    from helpers.core.edition_manifest import Edition

    out = tmp_path / "uit"
    with OutputLock(out) as lock:
        token = lock.token
    result = build_edition(Edition("I07", "ROC Lindevaart"), tmp_path, out, 10, "hash", use_cache=False, token=token)
    assert not result.ok and result.error == ABANDONED and result.location is None
    assert sorted(p.name for p in out.iterdir()) == [LOCK_FILE]


def test_what_an_edition_started_ends_when_its_build_is_killed_and_nothing_else(tmp_path):
    """As on a Dask worker (`helpers.pipeline.tether`): the build, another process, holds the folder; the edition
    started a "kernel" in a session of its own with a child of its own, both deaf to SIGTERM. While the build
    lives they run; within seconds of its `kill -9` both are gone; a process the worker had before stays."""
    import psutil

    from helpers.pipeline import tether

    out = tmp_path / "uit"
    build = _holder(out)
    kept = subprocess.Popen(["sleep", "120"])
    try:
        with tether.tethered(out, build.token):
            kernel = subprocess.Popen(["sh", "-c", "trap '' TERM; sleep 120 & wait"], start_new_session=True)
            time.sleep(3 * tether.POLL_SECONDS)
            (child,) = psutil.Process(kernel.pid).children()
            assert kernel.poll() is None, "ended while its build was still there"
            build.kill()
            build.wait()
            killed = time.monotonic()
            kernel.wait(timeout=tether.POLL_SECONDS + tether.GRACE_SECONDS + 5)
            assert time.monotonic() - killed < tether.POLL_SECONDS + tether.GRACE_SECONDS + 2
            assert kernel.returncode == -signal.SIGKILL  # SIGTERM was ignored: SIGKILL after the grace period
            psutil.wait_procs([child], timeout=5)
            assert not child.is_running(), "the kernel's own child (its process group) outlived the build"
        assert kept.poll() is None, "a process from before the edition was ended"
    finally:
        for process in (build, kept):
            process.kill()
            process.wait()


def test_a_chapter_running_when_its_build_is_killed_stops_within_seconds(tmp_path):
    """A kernel in the middle of a chapter (a cell of two minutes) when the build is killed: the tether ends the
    kernel, and the chapter fails at once instead of waiting for ever for a kernel that is gone."""
    import threading

    import nbformat
    from nbclient.exceptions import DeadKernelError

    from helpers.pipeline import tether
    from helpers.pipeline.execute import ALIVE_CHECK_SECONDS, EditionKernel

    started = tmp_path / "cel-loopt"
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
               nbformat.v4.new_code_cell(f"import pathlib, time\npathlib.Path({str(started)!r}).touch()\n"
                                         "time.sleep(120)")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(notebook, tmp_path / "traag.ipynb")
    out = tmp_path / "uit"
    build = _holder(out)
    killed = []

    def kill_the_build_mid_chapter():
        while not started.exists() and build.poll() is None:
            time.sleep(0.1)
        build.kill()
        build.wait()
        killed.append(time.monotonic())

    threading.Thread(target=kill_the_build_mid_chapter, daemon=True).start()
    try:
        with tether.tethered(out, build.token), \
                EditionKernel(cwd=tmp_path, log_path=tmp_path / "kernel.log") as kernel:
            with pytest.raises(DeadKernelError):
                kernel.run(tmp_path / "traag.ipynb", tmp_path / "uitgevoerd.ipynb", {"x": 2}, "traag")
        assert killed, "the chapter ended before its build was killed"
        assert time.monotonic() - killed[0] < tether.POLL_SECONDS + tether.GRACE_SECONDS + ALIVE_CHECK_SECONDS + 3
    finally:
        build.kill()
        build.wait()


def test_an_error_raised_while_stopping_does_not_hide_the_interruption():
    from helpers.pipeline import stopping

    with pytest.raises(stopping.BuildInterrupted) as stopped:
        with stopping.interruptible():
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)
            finally:
                assert stopping.pending() is not None
                os.kill(os.getpid(), signal.SIGTERM)  # a second signal is ignored
    assert stopped.value.exit_status == 143 and stopping.pending() is None
