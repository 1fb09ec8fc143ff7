"""Editions built on a Dask cluster (`--cluster`): the same editions as a local build, a failing
edition isolated, the cache honoured; a cluster that cannot build is refused in Dutch before any
edition is written."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from test_build_cache import executed, figures, tables

from helpers import cli
from helpers.pipeline.build import build
from helpers.pipeline.cluster import CLUSTER_ENV, ClusterUnavailable

BROKEN = "I04"  # the small data set's smallest institution, made to fail on the workers


def _files(out: Path, edition: str) -> list[str]:
    root = out / "editions" / edition
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _free_port() -> int:
    """A port on this machine where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


def _make_edition_fail_on_workers(client, edition: str) -> None:
    """On every worker process, the first chapter of `edition` raises (as test_delivery does locally)."""
    def patch():  # nested, so it travels by value to the workers
        from helpers.pipeline import execute

        original = execute.EditionKernel.run

        def run(self, source, target, parameters, chapter):
            if parameters["edition"] == edition:
                raise RuntimeError("opzettelijke fout op het cluster")
            return original(self, source, target, parameters, chapter)

        execute.EditionKernel.run = run

    client.run(patch)


@pytest.fixture(scope="module")
def on_cluster(small_data, institution, cluster, tmp_path_factory) -> tuple[Path, list]:
    from distributed import Client

    assert institution != BROKEN
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        _make_edition_fail_on_workers(client, BROKEN)
    out = tmp_path_factory.mktemp("cluster")
    results = build(*small_data, out=out, editions=["landelijk", institution, BROKEN],
                    cluster=cluster.scheduler_address, show_progress=False)
    return out, results


@pytest.mark.slow
def test_editions_built_on_the_cluster_equal_the_local_build(built, on_cluster, institution):
    out, results = on_cluster
    assert {r.edition: r.ok for r in results} == {"landelijk": True, institution: True, BROKEN: False}
    for edition in ("landelijk", institution):
        assert _files(out, edition) == _files(built, edition), f"{edition}: other files than the local build"
        assert tables(out, edition) == tables(built, edition), f"{edition}: tables differ from the local build"
        assert figures(out, edition) == figures(built, edition), f"{edition}: figures differ from the local build"
        here, there = (json.loads((o / "editions" / edition / "manifest.json").read_text()) for o in (built, out))
        assert here["bouwsleutel"] == there["bouwsleutel"], f"{edition}: built from other sources"
        assert (out / "editions" / f"{edition}.zip").exists()
    manifest = json.loads((out / "build-manifest.json").read_text())
    assert manifest["cluster"] and manifest["jobs"] == 2


@pytest.mark.slow
def test_a_failing_edition_on_the_cluster_does_not_stop_the_others(on_cluster):
    out, results = on_cluster
    failed = {r.edition: r for r in results if not r.ok}
    assert list(failed) == [BROKEN] and "opzettelijke fout" in failed[BROKEN].error
    assert "opzettelijke fout op het cluster" in (out / "failed" / BROKEN / "fout.txt").read_text()
    assert not (out / "editions" / BROKEN).exists() and not (out / "editions" / f"{BROKEN}.zip").exists()
    assert not (out / "staging").exists(), "staging folder left behind"


@pytest.mark.slow
def test_a_cluster_rebuild_reuses_every_edition_in_place(small_data, institution, cluster, on_cluster):
    out, _ = on_cluster
    stamps = {e: (out / "editions" / f"{e}.zip").stat().st_mtime_ns for e in ("landelijk", institution)}
    results = build(*small_data, out=out, editions=["landelijk", institution],
                    cluster=cluster.scheduler_address, show_progress=False)
    assert all(r.ok and r.from_cache for r in results)
    assert executed(out) == {"landelijk": [], institution: []}
    assert {e: (out / "editions" / f"{e}.zip").stat().st_mtime_ns for e in stamps} == stamps


@pytest.mark.slow
def test_workers_with_other_sources_are_refused_before_any_edition(small_data, institution, cluster, tmp_path):
    from distributed import Client

    def other_version():
        import helpers.pipeline.build as build_module

        build_module.environment_key = lambda: "een andere versie"

    def restore():
        import helpers.pipeline.build as build_module
        from helpers.pipeline import cache

        build_module.environment_key = cache.environment_key

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.run(other_version)
        try:
            with pytest.raises(ClusterUnavailable, match="andere versie van het project"):
                build(*small_data, out=tmp_path, editions=[institution], cluster=cluster.scheduler_address,
                      show_progress=False)
        finally:
            client.run(restore)
    assert not (tmp_path / "editions").exists() and not (tmp_path / "staging").exists()


def test_workers_with_more_than_one_thread_are_refused(small_data, institution, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as threaded:
        with pytest.raises(ClusterUnavailable, match="--nthreads 1"):
            build(*small_data, out=tmp_path, editions=[institution], cluster=threaded.scheduler_address,
                  show_progress=False)
    assert not (tmp_path / "editions").exists()


def test_an_unreachable_scheduler_is_refused_in_dutch_and_nothing_is_written(small_data, tmp_path):
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ClusterUnavailable, match="niet bereikbaar.*er is niets gebouwd of geschreven"):
        build(*small_data, out=out, cluster=address, show_progress=False)
    assert not out.exists()


def test_the_environment_variable_chooses_the_cluster_and_a_bad_address_exits_2(
        small_data, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    monkeypatch.setenv(CLUSTER_ENV, "geen-adres")
    status = cli.main(["build", "--data", str(small_data[0]), "--institutions", str(small_data[1]),
                       "--out", str(out), "--no-progress"])
    assert status == 2
    assert "adres is ongeldig" in capsys.readouterr().err
    assert not out.exists()


def test_a_scheduler_without_workers_is_refused(small_data, tmp_path, monkeypatch):
    from distributed import LocalCluster

    from helpers.pipeline import cluster as cluster_module

    monkeypatch.setattr(cluster_module, "WORKERS_SECONDS", 1)
    out = tmp_path / "out"
    with LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty:
        with pytest.raises(ClusterUnavailable, match="nog geen worker"):
            build(*small_data, out=out, cluster=empty.scheduler_address, show_progress=False)
    assert not out.exists()
