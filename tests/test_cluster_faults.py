"""A build on a Dask cluster, killed or stopped while its editions run on the workers.

The workers are the cluster's (here a `LocalCluster` of this test process): they
outlive the build and build the next one. What an edition started on them --
its kernel, Chromium and Playwright's driver -- ends within seconds of the
build (`helpers.pipeline.tether`), and nothing is published.

The fault points (`helpers.pipeline.faults`) and the test's tag reach the
editions through the workers' environment, set for one test at a time: the
kernels, drivers and browsers the workers start carry the tag, the workers
themselves (started before) do not. Every build starts from a copy of the
session's clean build, as in `test_faults.py`, with one chapter's cache entry
set aside so that a kernel runs it.
"""
from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid

import psutil
import pytest
from test_faults import (TAG_ENV, Build, assert_no_partial_edition, assert_same_as_clean, copy_of, manifest_of,
                         marker_of, one_line, processes_of, put_back, set_aside)

from helpers.pipeline import faults

pytestmark = pytest.mark.slow
#: How soon after the build ends nothing it started on the workers may be left ("within seconds").
GONE_SECONDS = 10


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local, \
            Client(local.scheduler_address, set_as_default=False) as client:
        yield local, client


def _set_environment(client, values: dict[str, str | None]) -> None:
    def apply():  # nested, so it travels by value to the workers
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    client.run(apply)


@pytest.fixture
def tagged(cluster, tmp_path):
    """(tag, set faults): the workers' editions carry the tag and stop at the fault points given, until the end
    of the test."""
    _, client = cluster
    tag = uuid.uuid4().hex

    def at(fault: str | None) -> None:
        _set_environment(client, {TAG_ENV: tag, faults.FAULT_ENV: fault,
                                  faults.FAULT_FILE_ENV: str(marker_of(tmp_path / "out", tag))})

    yield tag, at
    _set_environment(client, {TAG_ENV: None, faults.FAULT_ENV: None, faults.FAULT_FILE_ENV: None})


def _workers(client) -> dict[str, int]:
    return client.run(os.getpid)


def _running(tag: str, *parts: str, timeout: float = 600) -> list[str]:
    """Wait until a process of `tag` runs for each of `parts` (in its command line)."""
    deadline = time.monotonic() + timeout
    while True:
        running = processes_of(tag)
        if all(any(part in p for p in running) for part in parts):
            return running
        assert time.monotonic() < deadline, f"not all of {parts} running: {running}"
        time.sleep(0.2)


def _descendants(workers: dict[str, int]) -> set[tuple[int, float]]:
    found = set()
    for pid in workers.values():
        for process in psutil.Process(pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if process.status() != psutil.STATUS_ZOMBIE:
                    found.add((process.pid, process.create_time()))
    return found


def _seconds_until_gone(tag: str, workers: dict[str, int], before: set[tuple[int, float]]) -> float:
    """Until no process of `tag` is left, and the workers have no process they did not have before the build (a
    kernel forked from a template the worker kept carries the template's environment, not the tag)."""
    start = time.monotonic()
    while ((left := processes_of(tag)) or (left := _descendants(workers) - before)) \
            and time.monotonic() - start < 60:
        time.sleep(0.2)
    assert not left, f"processes the build started on the workers are still there a minute later: {left}"
    return time.monotonic() - start


def _abandoned_editions_finish(out, marker) -> None:
    """Let the editions held at their fault point go on; they see their build is gone and clean up."""
    marker.unlink(missing_ok=True)
    deadline = time.monotonic() + 120
    while (out / "staging").exists() and any((out / "staging").iterdir()):
        assert time.monotonic() < deadline, f"staging left: {list((out / 'staging').iterdir())}"
        time.sleep(0.5)


def test_a_killed_build_leaves_no_kernel_or_chromium_on_the_workers(small_data, built, institution, tmp_path,
                                                                     cluster, tagged):
    """`kill -9` of a cluster build while one worker's kernel has a chapter and the other's Chromium prints."""
    local, client = cluster
    tag, at = tagged
    editions = ["landelijk", institution]
    workers = _workers(client)
    before = _descendants(workers)
    out = copy_of(built, tmp_path, removed=editions)
    aside = set_aside(built, out, "landelijk")
    at(f"chapter-done@landelijk:wait,printing@{institution}:wait")
    build = Build(small_data, out, editions, cluster=local.scheduler_address, tag=tag)
    build.at_fault()
    running = _running(tag, "kernel_relay", "kernel_template", "chrom", "node")

    os.kill(build.process.pid, signal.SIGKILL)
    build.finish()
    seconds = _seconds_until_gone(tag, workers, before)
    assert seconds < GONE_SECONDS, f"the workers' kernel and Chromium outlived the build by {seconds:.1f} s: {running}"
    assert not (out / "editions").exists() or not any((out / "editions").iterdir()), "an edition was published"
    assert _workers(client) == workers, "the cluster's workers should outlive the build"

    _abandoned_editions_finish(out, build.marker)
    assert not (out / "editions").exists() or not any((out / "editions").iterdir()), "an edition was published"
    assert not processes_of(tag)
    put_back(*aside)
    at(None)
    again = Build(small_data, out, editions, cluster=local.scheduler_address)
    status, _, err = again.finish()
    assert status == 0, err
    # Sphinx's `.buildinfo` hashes its configuration, which differs between a Dask worker and a local one.
    assert_same_as_clean(built, out, editions, zipped_except=("html/.buildinfo",))
    assert manifest_of(out)["status"] == "klaar"


@pytest.mark.parametrize("signum, status, why", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")])
def test_a_stopped_build_says_so_in_one_line_and_ends_the_print_on_the_worker(
        small_data, built, institution, tmp_path, cluster, tagged, signum, status, why):
    """SIGTERM to the build, or Ctrl-C to its process group as a terminal sends it, while a worker prints."""
    local, client = cluster
    tag, at = tagged
    workers = _workers(client)
    before = _descendants(workers)
    out = copy_of(built, tmp_path, removed=[institution])
    at(f"printing@{institution}:wait")
    build = Build(small_data, out, [institution], cluster=local.scheduler_address, tag=tag)
    build.at_fault()
    running = _running(tag, "chrom", "node")

    os.killpg(build.process.pid, signum) if signum == signal.SIGINT else os.kill(build.process.pid, signum)
    code, _, err = build.finish(timeout=60)
    assert code == status
    assert f"Onderbroken ({why})" in one_line(err)
    seconds = _seconds_until_gone(tag, workers, before)
    assert seconds < GONE_SECONDS, f"Chromium outlived the build by {seconds:.1f} s: {running}"
    assert manifest_of(out)["status"] == "onderbroken"
    assert not (out / "editions" / institution).exists()
    _abandoned_editions_finish(out, build.marker)
    assert_no_partial_edition(out)
    assert not (out / "editions" / institution).exists()
