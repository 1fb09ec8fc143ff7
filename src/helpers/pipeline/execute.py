"""Running the chapter notebooks of one edition with papermill.

One kernel per edition: starting a kernel and importing pandas, seaborn and
pingouin costs seconds, so the chapters of an edition share one kernel
(`EditionKernel`), each in a fresh namespace, and the kernel is shut down when
the edition is done -- it never serves another institution. Papermill runs
each chapter on that kernel, through the build's own papermill engine
(`EditionEngine`), which also keeps one kernel client for all chapters instead
of connecting a new one (and waiting for it) per chapter.

No kernel listens on the network: survey data is confidential. The kernel
talks to the build over Unix sockets (ZeroMQ's `ipc` transport) in a private
folder (mode 0700) that is removed when the kernel stops (`IpcKernelManager`:
jupyter_client's public `transport`, `ip` and `connection_file` settings);
the kernel runs as `helpers.pipeline.ipc_kernel`, which leaves out ipykernel's
own pipe for output from forked processes (a socket on 127.0.0.1). Socket
names are numbered files in that folder, so kernels started at the same
moment never race for ports.

After execution the engine tags the `parameters` and `injected-parameters`
cells `remove-cell`, so the rendered book never shows paths or parameters,
and papermill writes the notebook once.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

import nbformat
import papermill
from jupyter_client import AsyncKernelManager, BlockingKernelClient, KernelManager
from jupyter_client.channels import ZMQSocketChannel
from nbclient.exceptions import DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args
from traitlets import Type

from helpers.pipeline import scratch

HIDDEN_TAGS = {"parameters", "injected-parameters"}
KERNEL = "python3"
KERNEL_START_TIMEOUT = 60
#: How often a wait for the kernel's next message checks that the kernel still lives (`_WatchfulChannel`).
ALIVE_CHECK_SECONDS = 1.0
#: The module the kernel runs instead of `ipykernel_launcher` (see its docstring).
IPC_KERNEL_MODULE = "helpers.pipeline.ipc_kernel"
#: Prefix of the private folder that holds a kernel's connection file and sockets.
PRIVATE_DIR_PREFIX = "monitorbook-kernel-"
#: Run before every chapter: a clean namespace, no widgets or figures left
#: over from the previous chapter. Imported modules stay (that is the point).
RESET_NAMESPACE = (
    "get_ipython().reset(new_session=False, aggressive=False)\n"
    "import sys as _sys\n"
    "if 'ipywidgets' in _sys.modules: _sys.modules['ipywidgets'].Widget.close_all()\n"
    "if 'matplotlib.pyplot' in _sys.modules: _sys.modules['matplotlib.pyplot'].close('all')\n"
    "del _sys\n"
)


class KernelStartError(RuntimeError):
    pass


class _PrivateIpc:
    """Kernel-manager mixin: the kernel on Unix sockets in a private folder, nothing on TCP.

    Only public traits are set: jupyter_client's `ipc` transport names each
    channel's socket `<ip>-<port>`, with `ip` a path prefix and the ports
    numbered from 1. Here `ip` is `<private>/kernel` and the connection file
    (with the session key) is `<private>/kernel.json`, where `<private>` comes
    from `tempfile.mkdtemp` (mode 0700, only this user;
    `helpers.pipeline.scratch.private_dir`). The folder is made with the
    manager, before jupyter_client reads the traits, and removed by
    `remove_private_dir`: by `EditionKernel` after the kernel is shut down or
    failed to start, by `AsyncIpcKernelManager` itself for papermill, and, as a
    last resort, when the manager is garbage-collected; if the process that
    started the kernel is killed, the next build removes it. A restart keeps
    the folder (jupyter_client keeps the connection file).
    """

    private_dir: str | None = None

    def __init__(self, **kwargs):
        private = scratch.private_dir(PRIVATE_DIR_PREFIX)
        self.private_dir = str(private)
        kwargs.update(transport="ipc", connection_file=str(private / "kernel.json"), ip=str(private / "kernel"))
        try:
            super().__init__(**kwargs)
        except BaseException:
            self.remove_private_dir()
            raise

    def format_kernel_cmd(self, extra_arguments=None):
        """The kernel spec's command, with `ipykernel_launcher` replaced by `IPC_KERNEL_MODULE`."""
        cmd = super().format_kernel_cmd(extra_arguments)
        if "ipykernel_launcher" not in cmd:
            raise KernelStartError(
                f"De kernel '{self.kernel_name}' start niet met ipykernel_launcher ({' '.join(cmd)}); "
                "de build kan hem niet zonder netwerkpoort starten")
        cmd[cmd.index("ipykernel_launcher")] = IPC_KERNEL_MODULE
        return cmd

    def remove_private_dir(self) -> None:
        if self.private_dir is not None:
            scratch.remove(self.private_dir)
            self.private_dir = None

    def __del__(self) -> None:
        super().__del__()
        try:
            self.remove_private_dir()
        except Exception:  # at interpreter exit modules may be half gone
            pass


class IpcKernelManager(_PrivateIpc, KernelManager):
    """A blocking `KernelManager` whose kernel listens on no network port (see `_PrivateIpc`).

    Its owner removes the private folder (`EditionKernel`).
    """


class AsyncIpcKernelManager(_PrivateIpc, AsyncKernelManager):
    """The same for nbclient and papermill: `papermill.execute_notebook(..., kernel_manager_class=...)`.

    Papermill owns this manager, so it removes its private folder itself when
    its kernel fails to start or is shut down for good.
    """

    async def start_kernel(self, **kw) -> None:
        try:
            await super().start_kernel(**kw)
        except BaseException:
            self.remove_private_dir()
            raise

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        try:
            await super().shutdown_kernel(now=now, restart=restart)
        finally:
            if not restart:
                self.remove_private_dir()


class ForkedIpcKernelManager(IpcKernelManager):
    """An `IpcKernelManager` whose kernel is forked from a pre-imported template (`helpers.pipeline.kernel_template`).

    jupyter_client starts the template's relay in the kernel's place and
    manages it as the kernel process; the kernel itself is the same
    `IPC_KERNEL_MODULE` on the same private Unix sockets.
    """

    def __init__(self, template, **kwargs):
        super().__init__(**kwargs)
        self.template = template

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        return self.template.kernel_command(cmd[cmd.index(IPC_KERNEL_MODULE) + 1:])


class _WatchfulChannel(ZMQSocketChannel):
    """A channel whose wait without end for the kernel's next message ends when the kernel has died.

    nbclient waits for a chapter's output and reply without a timeout; with the
    edition's blocking client (`EditionEngine`) that wait holds nbclient's event
    loop, so its own check for a dead kernel never runs, and a kernel killed
    mid-chapter (out of memory, or by `helpers.pipeline.tether` when the build
    is gone) would leave the edition waiting for ever.
    """

    kernel_alive = None  # set by `EditionKernel`: the manager's `is_alive`

    def get_msg(self, timeout: float | None = None):
        if timeout is not None or self.kernel_alive is None:
            return super().get_msg(timeout)
        while True:
            try:
                return super().get_msg(ALIVE_CHECK_SECONDS)
            except Empty:
                if not self.kernel_alive():
                    raise DeadKernelError("De kernel is gestopt") from None


class _WatchfulClient(BlockingKernelClient):
    shell_channel_class = Type(_WatchfulChannel)
    iopub_channel_class = Type(_WatchfulChannel)


@dataclass
class ChapterRun:
    chapter: str
    status: str  # "ok", "fout" or "cache"
    seconds: float
    error: str | None = None


def tag_parameter_cells(nb) -> None:
    """Tag the parameter cells `remove-cell`: the book never shows paths or parameters."""
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if HIDDEN_TAGS & set(tags) and "remove-cell" not in tags:
            tags.append("remove-cell")


def hide_parameter_cells(notebook_path: Path) -> None:
    """`tag_parameter_cells` on a notebook file (for notebooks run by plain papermill)."""
    nb = nbformat.read(notebook_path, as_version=4)
    tag_parameter_cells(nb)
    nbformat.write(nb, notebook_path)


class EditionEngine(NBClientEngine):
    """Papermill's nbclient engine, on the edition's running kernel *and* its connected client.

    Papermill's own engine connects a new client to the kernel for every
    notebook and waits for it (a fifth of a second each); after execution it
    tags the parameter cells, so the notebook is written once, tagged.
    """

    ENGINE = "monitorbook"

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, kc=None, **kwargs):
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        client = PapermillNotebookClient(nb_man, **merge_kwargs(
            kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
            log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file))
        client.kc = kc  # set after construction: the client resets it in __init__
        try:
            return client.execute()
        finally:
            tag_parameter_cells(nb_man.nb)


papermill_engines.register(EditionEngine.ENGINE, EditionEngine)


class EditionKernel:
    """A kernel started on first use, shared by one edition's chapters, shut down on exit.

    Kernel output (start-up messages, warnings) goes to `log_path`, which stays
    with the edition for diagnosis. With a `template`
    (`helpers.pipeline.kernel_template.KernelTemplate`, or a function that
    gives one when the kernel is first needed), the kernel is forked from it,
    its imports done; without one, a fresh kernel process is started.
    """

    def __init__(self, cwd: Path, log_path: Path, template=None):
        self.cwd = Path(cwd)
        self.log_path = Path(log_path)
        self.template = template
        self.km: KernelManager | None = None
        self.kc = None  # one client for every chapter of the edition
        self._log = None
        self.starts = 0

    def __enter__(self) -> "EditionKernel":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    def _start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")
        if callable(self.template):  # an edition whose chapters all come from the cache starts no template
            self.template = self.template()
        km = (IpcKernelManager(kernel_name=KERNEL) if self.template is None
              else ForkedIpcKernelManager(self.template, kernel_name=KERNEL))
        client = None
        try:
            km.start_kernel(cwd=str(self.cwd), stdout=self._log, stderr=self._log)
            km.client_factory = _WatchfulClient
            client = km.client()
            client.start_channels()
            client.shell_channel.kernel_alive = client.iopub_channel.kernel_alive = km.is_alive
            client.wait_for_ready(timeout=KERNEL_START_TIMEOUT)
        except Exception as err:
            if client is not None:
                client.stop_channels()
            if km.has_kernel:
                km.shutdown_kernel(now=True)
            km.remove_private_dir()
            raise KernelStartError(f"De Python-kernel startte niet ({err}); zie {self.log_path}") from err
        self.km, self.kc = km, client
        self.starts += 1

    def _reset(self) -> None:
        reply = self.kc.execute_interactive(RESET_NAMESPACE, timeout=KERNEL_START_TIMEOUT, output_hook=lambda _m: None)
        if reply["content"]["status"] != "ok":
            raise KernelStartError("De kernel kon niet worden schoongemaakt voor het volgende hoofdstuk")

    def run(self, source: Path, target: Path, parameters: dict, chapter: str) -> ChapterRun:
        """Execute `source` into `target` with `parameters`; the target is kept even on failure."""
        target.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        if self.km is None:
            self._start()
        else:
            self._reset()
        try:
            papermill.execute_notebook(
                str(source),
                str(target),
                parameters=parameters,
                kernel_name=KERNEL,
                progress_bar=False,
                log_output=False,
                report_mode=False,
                request_save_on_cell_execute=False,  # written once, at the end
                engine_name=EditionEngine.ENGINE,
                km=self.km,
                kc=self.kc,
            )
        except papermill.PapermillExecutionError as err:
            return ChapterRun(chapter, "fout", time.perf_counter() - start, f"{err.ename}: {err.evalue}")
        return ChapterRun(chapter, "ok", time.perf_counter() - start)

    def shutdown(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                if self.km.has_kernel:
                    # Nothing in the kernel needs saving: stopping it at once saves a second of waiting per edition.
                    self.km.shutdown_kernel(now=True)
            finally:
                self.km.remove_private_dir()  # also when the kernel had died or would not stop
        self.km = None
        if self._log is not None:
            self._log.close()
            self._log = None
