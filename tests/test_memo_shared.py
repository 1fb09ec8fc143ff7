"""The user's build cache of shared results (`helpers.core.memo`): where it is, that one institution's results
never serve another's edition, and that builds into different output folders share it safely."""
from __future__ import annotations

import fcntl
import multiprocessing
import os
import time
from pathlib import Path

import pandas as pd
import pytest

from helpers.core import memo
from helpers.stats.association import deviating_groups


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A fresh shared-results folder and an empty memory, as in a new kernel."""
    monkeypatch.setattr(memo, "_memory", {})
    memo.use(tmp_path / "shared")
    yield tmp_path / "shared"
    memo.use(None)


def test_the_cache_is_the_users_unless_the_environment_or_the_build_names_another(tmp_path, monkeypatch):
    monkeypatch.delenv(memo.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert memo.shared_folder() == tmp_path / "xdg" / "monitorbook" / "shared"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert memo.shared_folder() == tmp_path / "home" / ".cache" / "monitorbook" / "shared"
    monkeypatch.setenv(memo.CACHE_ENV, str(tmp_path / "env"))
    assert memo.shared_folder() == tmp_path / "env" / "shared"
    assert memo.shared_folder(tmp_path / "option") == tmp_path / "option" / "shared"  # --cache wins


def test_a_result_kept_for_one_institution_never_answers_for_another(folder, small_data):
    """Keys are made of the real inputs (the rows themselves), so a result computed for institution A's rows
    is found only by a call with exactly those rows: B's edition gets B's own result, also when A's is kept."""
    from helpers.data.validation import load_survey
    from helpers.stats.themes import katern_c_sample

    sample = katern_c_sample(load_survey(*small_data).respondents)
    a, b = sample["instelling"].value_counts().index[:2]
    rows_a, rows_b = (sample[sample["instelling"] == i] for i in (a, b))
    outcomes, variables = [c for c in sample.columns if c.startswith("thema_")][:3], ["functie", "ervaring"]
    assert outcomes

    kept_for_a = deviating_groups(rows_a, outcomes, variables)
    assert len(list(folder.glob("*.pkl"))) == 1
    for_b = deviating_groups(rows_b, outcomes, variables)
    assert len(list(folder.glob("*.pkl"))) == 2, "B's call was answered from A's entry"
    pd.testing.assert_frame_equal(for_b, deviating_groups.uncached(rows_b, outcomes, variables))
    assert memo.key("f", (rows_a,), {}) != memo.key("f", (rows_b,), {})
    # The same rows under another institution's code are other inputs, too.
    relabelled = rows_a.assign(instelling=b)
    assert memo.key("f", (relabelled,), {}) != memo.key("f", (rows_a,), {})
    memo._memory.clear()
    pd.testing.assert_frame_equal(deviating_groups(rows_a, outcomes, variables), kept_for_a)


def test_the_key_holds_the_codebook_and_the_library_versions(monkeypatch):
    frame = pd.DataFrame({"x": [1, 2]})
    before = memo.key("f", (frame,), {})
    monkeypatch.setattr(memo, "environment", lambda: "another codebook")
    assert memo.key("f", (frame,), {}) != before


@memo.shared
def _slow_sum(frame: pd.DataFrame, log: str) -> int:
    with open(log, "a") as handle:
        handle.write(f"{os.getpid()}\n")
    time.sleep(1.0)
    return int(frame["x"].sum())


def _worker(cache: str, log: str, results) -> None:
    memo.use(cache)
    results.put(_slow_sum(pd.DataFrame({"x": [1, 2, 3]}), log))


def test_two_builds_into_different_outputs_compute_a_shared_result_once(tmp_path):
    """Two processes with the same cache (as two builds into different output folders) and one key: one
    computes, the other waits on the key's lock and reads the result."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    log = tmp_path / "computed.log"
    workers = [context.Process(target=_worker, args=(str(tmp_path / "shared"), str(log), results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [results.get(timeout=5) for _ in workers] == [6, 6]
    assert len(log.read_text().splitlines()) == 1
    assert not list((tmp_path / "shared").glob("*.tmp"))


def test_a_half_written_result_of_a_killed_writer_is_removed_and_one_being_written_is_not(folder):
    abandoned = folder / "aaaa.pkl.123.tmp"
    abandoned.write_bytes(b"half")
    busy = folder / "bbbb.pkl.456.tmp"
    busy.write_bytes(b"half")
    with open(folder / "bbbb.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # its writer is alive and holds the key
        # flock locks belong to the open file: another open of the same file is another owner, as in a build.
        assert memo.remove_unfinished(folder) == 1
    assert not abandoned.exists() and busy.exists()
