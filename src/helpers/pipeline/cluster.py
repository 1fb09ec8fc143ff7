"""Editions on a Dask cluster: the same unit of work as the local pool, on distributed's executor.

`build` hands every edition to `build_edition`, in a local process pool or,
given a scheduler address (`--cluster`, or the MONITORBOOK_CLUSTER environment
variable), through `distributed.Client.get_executor()`. The workers read the
validated input and write the editions themselves, so they must see the
output folder at the same path (a shared file system) and run the same
project; `Cluster.check_workers` proves both before any edition starts.
"""
from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from pathlib import Path

from helpers.pipeline import tether

CLUSTER_ENV = "MONITORBOOK_CLUSTER"
CONNECT_SECONDS = 10
WORKERS_SECONDS = 30  # how long a reachable scheduler may take to get its first worker


class ClusterUnavailable(RuntimeError):
    """The cluster cannot build: unreachable, without workers, or with workers that differ from this machine."""


def cluster_from_environment() -> str | None:
    return os.environ.get(CLUSTER_ENV) or None


NOTHING_WRITTEN = "er is niets gebouwd of geschreven"
NO_EDITION = "er is geen editie gebouwd of vervangen"


def _refuse(address: str, problem: str, advice: str, consequence: str = NOTHING_WRITTEN) -> ClusterUnavailable:
    return ClusterUnavailable(f"Het Dask-cluster op {address} kan niet bouwen: {problem}; {consequence}. {advice}")


def _reachable(address: str) -> None:
    """Refuse an address that is malformed or where nothing listens, before a client is made.

    A `Client` that fails to connect complains again when it is collected, so
    a plain socket tells first whether the scheduler's port is open.
    """
    from distributed.comm import get_address_host_port, parse_address

    try:
        scheme, _ = parse_address(address)
        if scheme not in ("tcp", "tls"):
            return  # other transports are left to distributed itself
        host, port = get_address_host_port(address)
    except ValueError:
        raise _refuse(address, "het adres is ongeldig",
                      "Geef het adres van `dask scheduler` als tcp://HOST:POORT (standaardpoort 8786).") from None
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except OSError as err:
        if isinstance(err, socket.gaierror):
            why = f"de machine {host} is onbekend"
        elif isinstance(err, TimeoutError):
            why = f"{host} antwoordt niet binnen {CONNECT_SECONDS} seconden"
        elif isinstance(err, ConnectionRefusedError):
            why = f"op {host} luistert niets op poort {port}"
        else:
            why = f"{host}:{port} is niet bereikbaar ({err})"
        raise _refuse(address, f"de scheduler is niet bereikbaar: {why}",
                      "Start `dask scheduler` op die machine, of controleer het adres en de firewall.") from None


class Cluster:
    """One build's connection to a Dask scheduler; made before anything is written."""

    def __init__(self, address: str):
        from distributed import Client

        self.address = address
        _reachable(address)
        try:
            self.client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError):  # the port is open, but no scheduler answers on it
            raise _refuse(address, f"op dat adres antwoordt binnen {CONNECT_SECONDS} seconden geen Dask-scheduler",
                          "Controleer of op dat adres `dask scheduler` draait.") from None
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_SECONDS)
        except TimeoutError:
            self.close()
            raise _refuse(address, f"er is na {WORKERS_SECONDS} seconden nog geen worker aangemeld",
                          f"Start op elke machine die meerekent `dask worker {address} --nthreads 1`.") from None

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def threads(self) -> dict[str, int]:
        """Threads per worker address."""
        return dict(self.client.nthreads())

    def check_workers(self, prepared_file: Path, sources_key: Callable[[], str]) -> None:
        """Refuse workers that would build differently from this machine, listing each of them.

        Each worker builds one edition at a time (Sphinx runs inside the worker
        process and is not thread-safe), reads the validated input at the same
        path, and has the same sources: `sources_key` (notebooks, helpers code,
        codebook, quotes, requirements, edition manifest) evaluated on the
        worker must equal its value here.
        """
        threads = self.threads()
        busy = sorted(w for w, n in threads.items() if n != 1)
        if busy:
            raise _refuse(self.address, f"worker(s) {', '.join(busy)} draaien meer dan één thread",
                          "Start elke worker met `--nthreads 1` (en zoveel workers als er kernen zijn, "
                          "met `--nworkers`).", NO_EDITION)
        seen = self.client.run(os.path.isfile, str(prepared_file))
        blind = sorted(w for w, ok in seen.items() if not ok)
        if blind:
            raise _refuse(self.address, f"worker(s) {', '.join(blind)} zien de gecontroleerde invoer niet "
                          f"({prepared_file})",
                          "De uitvoermap (--out) moet op elke worker onder hetzelfde pad bereikbaar zijn, "
                          "bijvoorbeeld via een gedeelde schijf.", NO_EDITION)
        expected = sources_key()
        keys = self.client.run(sources_key)
        different = sorted(w for w, key in keys.items() if key != expected)
        if different:
            raise _refuse(self.address, f"worker(s) {', '.join(different)} hebben een andere versie van het "
                          "project (notebooks, code, codeboek, citaten of requirements)",
                          "Installeer op elke worker dezelfde versie van het project als op deze machine.",
                          NO_EDITION)

    @contextlib.contextmanager
    def pool(self, out: Path, token: str) -> Iterator[tuple[Executor, object, Callable[[], int]]]:
        """(executor, progress sink for `build_edition`, drain: steps reported since the last call).

        Every edition runs tethered to this build (`helpers.pipeline.tether`, by its hold `token` on `out`):
        the workers outlive the build, what an edition started on them does not.
        """
        from distributed import Queue

        progress = Queue(client=self.client)
        executor = _Tethered(self.client.get_executor(pure=False), out, token)  # pure=False: every build builds
        try:
            yield executor, progress, lambda: sum(progress.get(batch=True))
        finally:
            executor.executor.shutdown(wait=False)
            progress.close()


class _Tethered:
    """The cluster's executor as `build` uses it: every edition runs through `tether.run`."""

    def __init__(self, executor: Executor, out: Path, token: str):
        self.executor, self.out, self.token = executor, str(out), token

    def submit(self, function, *args):
        return self.executor.submit(tether.run, self.out, self.token, function, *args)
