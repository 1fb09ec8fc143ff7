"""Forked kernels: each edition's kernel is a fork of a pre-imported, data-free template process.

Starting a kernel and importing pandas, seaborn, pingouin, statsmodels,
ipywidgets and the helpers costs about two seconds, for every edition. A build
worker therefore starts one template (`KernelTemplate`): a process that imports
what the chapters import, then waits on a Unix socket in a private folder
(mode 0700). It never reads data and never runs a chapter.

For each edition, jupyter_client launches a small relay instead of the kernel
(`kernel_relay.py`, standard library only, started with `python -I -S`). The
relay hands the template its standard streams, working directory,
environment and the kernel's arguments; the template forks, and the child
becomes the edition's kernel (`helpers.pipeline.ipc_kernel`, on Unix sockets
as before) with everything already imported. Each edition still gets a
process of its own that no other institution's chapters ever ran in, and that
dies with its relay: when jupyter_client stops or kills the relay, the
template kills the kernel; when the kernel ends, the relay ends with its exit
code. An interrupt sent to the relay is passed on to the kernel. When the
process that started the template goes away (even by `kill -9`), the template
kills its kernels and removes its folder; a kernel whose template is killed
dies with it (`PR_SET_PDEATHSIG`).
"""
from __future__ import annotations

import atexit
import gc
import json
import os
import select
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import traceback
from pathlib import Path

# The relay's side of the protocol: the request's length, the kernel's pid and exit code, an interrupt.
from helpers.pipeline import scratch
from helpers.pipeline.kernel_relay import INTERRUPT, LENGTH, NUMBER, receive
from helpers.pipeline.stopping import die_with_parent

#: What the template imports before it forks: what every chapter imports.
PREIMPORTS = (
    "pandas",
    "numpy",
    "matplotlib.pyplot",
    "seaborn",
    "pingouin",
    "statsmodels.formula.api",
    "ipywidgets",
    "bs4",  # the book's tables (helpers.book.html.reader_table)
    "IPython",
    "helpers.pipeline.ipc_kernel",
    "helpers.book.edition",
    "helpers.book.widgets",
    "helpers.chapters",
)
#: The relay jupyter_client starts in the kernel's place.
RELAY = Path(__file__).with_name("kernel_relay.py")
SOCKET_NAME = "template.sock"
READY = b"klaar\n"
PRIVATE_DIR_PREFIX = "monitorbook-template-"
START_TIMEOUT = 120


class TemplateStartError(RuntimeError):
    pass


def _preimport() -> None:
    # The inline backend, as in any kernel (ipykernel sets it before matplotlib is imported).
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import importlib
    import pkgutil

    for name in PREIMPORTS:
        module = importlib.import_module(name)
        if name == "helpers.chapters":  # every chapter module, as the chapters import them
            for info in pkgutil.walk_packages(module.__path__, prefix="helpers.chapters."):
                importlib.import_module(info.name)


def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _address = socket.recv_fds(conn, 1 << 16, 3)
    head = receive(conn, max(0, LENGTH.size - len(data)))
    if head is None:
        raise EOFError("the relay closed before its request was complete")
    data += head
    (length,) = LENGTH.unpack_from(data)
    rest = receive(conn, max(0, LENGTH.size + length - len(data)))
    if rest is None:
        raise EOFError("the relay closed before its request was complete")
    return json.loads((data + rest)[LENGTH.size:LENGTH.size + length]), list(fds)


def _become_kernel(request: dict, fds: list[int], close: list, template: int) -> None:
    """In the forked child: take the relay's streams, folder and environment, then run the kernel. Never returns."""
    code = 1
    try:
        die_with_parent(signal.SIGKILL, template)  # a template killed outright takes its kernels with it
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for thing in close:
            os.close(thing) if isinstance(thing, int) else thing.close()
        os.setsid()  # a process group of its own: signals for the template are not the kernel's
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = list(request["argv"])
        from helpers.pipeline import ipc_kernel

        ipc_kernel.main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # reported in the kernel's log, like any kernel that fails to start
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(folder: Path) -> None:
    """The template's loop: fork a kernel per relay, pass on interrupts, report exits, stop with its owner."""
    _preimport()
    # Everything imported so far lives as long as the kernels: moved out of the collector's reach, a full
    # collection (IPython runs one at every namespace reset, i.e. before every chapter) no longer walks
    # it -- 0.13 s per chapter -- and the forked kernels share its memory pages instead of copying them.
    gc.collect()
    gc.freeze()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(folder / SOCKET_NAME))
    listener.listen()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the loop through the pipe
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(wake_read, selectors.EVENT_READ, "child")
    selector.register(sys.stdin, selectors.EVENT_READ, "owner")
    relays: dict[int, socket.socket] = {}  # kernel pid -> its relay's connection
    template = os.getpid()
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()

    def drop(pid: int, code: int | None) -> None:
        conn = relays.pop(pid, None)
        if conn is None:
            return
        selector.unregister(conn)
        if code is not None:
            try:
                conn.sendall(NUMBER.pack(code))
            except OSError:
                pass
        conn.close()

    while True:
        for key, _events in selector.select():
            if key.data == "accept":
                conn, _ = listener.accept()
                try:
                    request, fds = _read_request(conn)
                except (OSError, EOFError, ValueError):
                    conn.close()
                    continue
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    _become_kernel(request, fds, [selector, listener, conn, wake_read, wake_write, *relays.values()],
                                   template)
                for fd in fds:
                    os.close(fd)
                relays[pid] = conn
                selector.register(conn, selectors.EVENT_READ, pid)
                try:
                    conn.sendall(NUMBER.pack(pid))
                except OSError:
                    pass
            elif key.data == "child":
                os.read(wake_read, 4096)
                while True:
                    try:
                        pid, status = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    drop(pid, os.waitstatus_to_exitcode(status))
            elif key.data == "owner":
                if not os.read(sys.stdin.fileno(), 4096):  # the owner is gone: so are its kernels
                    for pid in list(relays):
                        _kill(pid)
                    shutil.rmtree(folder, ignore_errors=True)  # the owner may have been killed: not left behind
                    return
            else:
                pid = key.data
                message = b""
                try:
                    message = key.fileobj.recv(64)
                except OSError:
                    pass
                if not message:  # the relay was stopped or killed: the kernel goes with it
                    _kill(pid)
                    drop(pid, None)
                elif INTERRUPT in message:
                    _signal(pid, signal.SIGINT)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _kill(pid: int) -> None:
    _signal(pid, signal.SIGKILL)


class KernelTemplate:
    """One template process for this process's kernels (see the module's docstring)."""

    def __init__(self) -> None:
        self.folder = scratch.private_dir(PRIVATE_DIR_PREFIX)
        self.socket_path = self.folder / SOCKET_NAME
        errors = open(self.folder / "template.log", "wb")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(self.folder)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                cwd=self.folder, start_new_session=True)
        finally:
            errors.close()
        started = select.select([self.process.stdout], [], [], START_TIMEOUT)[0]
        if not started or self.process.stdout.readline() != READY:
            log = (self.folder / "template.log").read_text(encoding="utf-8", errors="replace")[-4000:]
            self.close()
            raise TemplateStartError(f"Het kernelsjabloon startte niet binnen {START_TIMEOUT} s:\n{log}")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kernel_command(self, kernel_arguments: list[str]) -> list[str]:
        """The command jupyter_client starts for a kernel with these arguments: the relay to this template."""
        return [sys.executable, "-I", "-S", str(RELAY), str(self.socket_path), *kernel_arguments]

    def close(self) -> None:
        """Stop the template (and any kernel it still has) and remove its folder."""
        if self.process.poll() is None:
            self.process.stdin.close()  # the template kills its kernels and stops
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None and not stream.closed:
                stream.close()
        scratch.remove(self.folder)


_TEMPLATE: KernelTemplate | None = None
_TEMPLATE_LOCK = threading.Lock()  # a Dask worker builds editions in threads


def worker_template() -> KernelTemplate:
    """This process's template, started on first use (again if it died) and stopped when the process ends."""
    global _TEMPLATE
    with _TEMPLATE_LOCK:
        if _TEMPLATE is None or not _TEMPLATE.alive:
            if _TEMPLATE is not None:
                _TEMPLATE.close()
            _TEMPLATE = KernelTemplate()
            atexit.register(_TEMPLATE.close)
        return _TEMPLATE


if __name__ == "__main__":
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]  # as the kernel: its working directory is not on the import path
    serve(Path(sys.argv[1]))
