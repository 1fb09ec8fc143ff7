"""Kernels off the network: every kernel a build starts talks over Unix sockets in a private folder.

Survey data is confidential, so while a kernel holds it nothing may listen on
the network. The build's kernel (`EditionKernel`) and the naive loop's
(papermill with `AsyncIpcKernelManager`) are checked while they are alive:
the kernel process holds no TCP or UDP socket at all, its sockets are Unix
sockets inside its private folder (mode 0700), and that folder is gone once
the kernel is shut down, also when it never started.
"""
from __future__ import annotations

import asyncio
import socket
import time
import tempfile
from pathlib import Path

import nbformat
import papermill
import psutil
import pytest

from helpers.pipeline.execute import (
    KERNEL,
    PRIVATE_DIR_PREFIX,
    AsyncIpcKernelManager,
    EditionKernel,
    KernelStartError,
)
from helpers.pipeline.kernel_template import KernelTemplate
from notebook_files import code_notebook

TCP_WARNING = "Kernel is running over TCP"
CHILD_OUTPUT = "uit een kindproces"
#: What a chapter does on import (pandas, figures, widgets, statistics), and output from a forked
#: process, which ipykernel would forward through a pipe of its own on 127.0.0.1.
CHAPTER_CODE = (
    "import helpers.book.edition, helpers.book.widgets, helpers.chapters.katern_c.c3_motives\n"
    "import matplotlib.pyplot, seaborn, pingouin\n"
    "import multiprocessing, time\n"
    f"child = multiprocessing.get_context('fork').Process(target=print, args=({CHILD_OUTPUT!r},))\n"
    "child.start(); child.join(); time.sleep(0.5)\n"
    "print('waarde', waarde)\n"
)
#: The kernel checks itself: every socket it holds that is not a Unix socket, and its connection file.
SELF_CHECK_CODE = (
    "import socket, psutil, ipykernel\n"
    "print(ipykernel.get_connection_file())\n"
    "print([c for c in psutil.Process().net_connections('all') if c.family != socket.AF_UNIX])\n"
)



def _printed(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def _sockets(pid: int) -> list:
    """Every socket held by the process `pid` and its children."""
    process = psutil.Process(pid)
    return [c for p in [process, *process.children(recursive=True)] for c in p.net_connections(kind="all")]


@pytest.fixture(params=["vers", "geforkt"])
def template(request):
    """None: a fresh kernel process; else the build's template, from which each edition's kernel is forked."""
    if request.param == "vers":
        yield None
        return
    made = KernelTemplate()
    yield made
    made.close()


def _kernel_pid(kernel: EditionKernel) -> int:
    if kernel.template is None:
        return kernel.km.provisioner.pid
    [child] = psutil.Process(kernel.template.process.pid).children()  # the forked kernel
    return child.pid


def _gone(pid: int, timeout: float = 10.0) -> bool:
    """Whether the kernel ended within `timeout`: when jupyter_client gives up waiting and kills the relay,
    the template kills the forked kernel a moment later, so its end is awaited rather than sampled once."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def test_build_kernel_holds_no_network_socket(tmp_path, monkeypatch, template):
    # ipykernel captures the kernel's output descriptors, through which forked processes print
    # (`helpers.pipeline.ipc_kernel`), except under pytest: the kernel runs as in a build.
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    source = code_notebook(tmp_path / "hoofdstuk.ipynb", CHAPTER_CODE)
    log = tmp_path / "kernel.log"
    with EditionKernel(cwd=tmp_path, log_path=log, template=template) as kernel:
        run = kernel.run(source, tmp_path / "uit" / "hoofdstuk.ipynb", {"waarde": 7}, "hoofdstuk")
        assert run.status == "ok", run.error
        # A second chapter on the same kernel (the namespace reset in between) changes nothing.
        run = kernel.run(source, tmp_path / "uit" / "tweede.ipynb", {"waarde": 8}, "tweede")
        assert run.status == "ok", run.error

        km = kernel.km
        private = Path(km.private_dir)
        assert private.name.startswith(PRIVATE_DIR_PREFIX)
        assert private.stat().st_mode & 0o777 == 0o700  # only this user (jupyter_client adds the sticky bit)
        assert Path(km.connection_file).parent == private
        assert km.transport == "ipc"
        pid = _kernel_pid(kernel)
        held = _sockets(pid)
        network = [c for c in held if c.family != socket.AF_UNIX]
        assert not network, f"the kernel holds network sockets: {network}"
        bound = {Path(c.laddr) for c in held if c.laddr}
        channels = {Path(f"{km.ip}-{port}") for port in km.ports}
        assert channels <= bound, f"channel sockets {channels} not all bound: {bound}"
        assert all(p.parent == private for p in bound), f"sockets outside {private}: {bound}"

    assert kernel.km is None
    assert not private.exists(), "the private folder is left after shutdown"
    assert _gone(pid), f"the kernel {pid} still runs 10 s after shutdown"
    assert TCP_WARNING not in log.read_text(encoding="utf-8", errors="replace")
    printed = _printed(tmp_path / "uit" / "tweede.ipynb")
    assert CHILD_OUTPUT in printed, "output of a forked process did not reach the notebook"
    assert "waarde 8" in printed


def test_naive_loop_kernel_holds_no_network_socket(tmp_path):
    """`benchmarks/build_speed.py naive_build`: plain papermill, with the build's kernel manager class."""
    source = code_notebook(tmp_path / "hoofdstuk.ipynb", SELF_CHECK_CODE)
    target = tmp_path / "uit.ipynb"
    papermill.execute_notebook(str(source), str(target), parameters={"waarde": 1}, kernel_name=KERNEL,
                               cwd=str(tmp_path), progress_bar=False, log_output=False,
                               kernel_manager_class=AsyncIpcKernelManager)
    connection_file, network = _printed(target).splitlines()
    assert network == "[]", f"the kernel holds network sockets: {network}"
    private = Path(connection_file).parent
    assert private.name.startswith(PRIVATE_DIR_PREFIX)
    assert not private.exists(), "the private folder is left after the run"


def test_kernel_that_does_not_start_leaves_no_private_folder(tmp_path, monkeypatch, template):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    source = code_notebook(tmp_path / "hoofdstuk.ipynb", "print(waarde)")
    with pytest.raises(KernelStartError, match="De Python-kernel startte niet"):
        with EditionKernel(cwd=tmp_path / "bestaat-niet", log_path=tmp_path / "kernel.log",
                           template=template) as kernel:
            kernel.run(source, tmp_path / "uit.ipynb", {}, "hoofdstuk")
    assert list(temp.iterdir()) == []


def test_naive_loop_kernel_that_does_not_start_leaves_no_private_folder(tmp_path, monkeypatch):
    """The manager papermill owns removes its folder itself when its kernel fails to start."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    km = AsyncIpcKernelManager(kernel_name=KERNEL)
    assert [p.name[:len(PRIVATE_DIR_PREFIX)] for p in temp.iterdir()] == [PRIVATE_DIR_PREFIX]
    with pytest.raises(FileNotFoundError):
        asyncio.run(km.start_kernel(cwd=str(tmp_path / "bestaat-niet")))
    assert list(temp.iterdir()) == []
