"""The kernel the build starts: ipykernel with no socket on the network.

`execute.IpcKernelManager` starts this module instead of `ipykernel_launcher`
(`python -m helpers.pipeline.ipc_kernel -f <connection file>`). The kernel's
five channels already follow the connection file's `ipc` transport: Unix
sockets in the kernel's private folder. One socket does not: for output of
processes forked from the kernel, ipykernel's IOPub thread binds a pipe on
`tcp://127.0.0.1` whatever the transport. `IpcKernelApp` makes that thread
without the pipe (`IOPubThread(..., pipe=False)`), so the kernel process holds
no TCP or UDP socket at all.

Output of a forked process then takes the way of any subprocess's output: a
forked child writes to the kernel's standard output and error descriptors
(`_plain_streams_in_child`), which ipykernel captures and sends to the
notebook (`capture_fd_output`; ipykernel leaves it off under pytest, and then
the output goes to the kernel's log). No chapter forks; this keeps it working
for one that does, and keeps a forked child off the kernel's ZeroMQ sockets,
which are not safe to use after a fork.
"""
import os
import sys
from pathlib import Path

if __name__ == "__main__" and sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
    # As ipykernel_launcher: the working directory (the notebooks) is not on the import
    # path while ipykernel loads; the kernel's shell adds it back.
    del sys.path[0]

import zmq  # noqa: E402
from ipykernel.iostream import IOPubThread  # noqa: E402
from ipykernel.kernelapp import IPKernelApp  # noqa: E402


def _plain_streams_in_child() -> None:
    """In a process forked from the kernel: print to the standard descriptors, not to the kernel's IOPub socket."""
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)


class IpcKernelApp(IPKernelApp):
    """ipykernel's kernel application, its IOPub thread without the subprocess pipe on TCP."""

    def init_iopub(self, context):
        """As `IPKernelApp.init_iopub`, with `pipe=False`, for a kernel started from an `ipc` connection file."""
        if self.transport != "ipc" or not self.iopub_port:
            raise RuntimeError("helpers.pipeline.ipc_kernel needs an ipc connection file (-f), as the build writes one")
        self.iopub_socket = context.socket(zmq.XPUB)
        self.iopub_socket.linger = 1000
        if self.curve_secretkey is not None:  # CurveZMQ, when the kernel manager provides keys (not in the build)
            self.iopub_socket.curve_secretkey = self.curve_secretkey
            self.iopub_socket.curve_publickey = self.curve_publickey
            self.iopub_socket.curve_server = True
        self.iopub_socket.bind(f"ipc://{self.ip}-{self.iopub_port}")
        self.log.debug("iopub PUB Channel on port: %i", self.iopub_port)
        self.configure_tornado_logger()
        self.iopub_thread = IOPubThread(self.iopub_socket, pipe=False, session=self.session)
        self.iopub_thread.start()
        # As ipykernel: the rest of the kernel sends through the thread.
        self.iopub_socket = self.iopub_thread.background_socket

    def init_io(self):
        super().init_io()
        os.register_at_fork(after_in_child=_plain_streams_in_child)


def main() -> None:
    IpcKernelApp.launch_instance()


if __name__ == "__main__":
    main()
