"""The kernel the build starts: ipykernel with no socket on the network.

`execute.IpcKernelManager` starts this module instead of `ipykernel_launcher`
(`python -m helpers.pipeline.ipc_kernel -f <connection file>`). The kernel's
five channels already follow the connection file's `ipc` transport: Unix
sockets in the kernel's private folder. One socket does not: ipykernel binds
the pipe through which forked child processes send their output to the kernel
on `tcp://127.0.0.1` whatever the transport. Here that pipe is a Unix socket
next to the IOPub socket (`<private>/kernel-<n>-pipe`), so the kernel process
holds no TCP or UDP socket at all, and output of forked processes still
reaches the notebook.
"""
import os
import sys
from pathlib import Path

if __name__ == "__main__" and sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
    # As ipykernel_launcher: the working directory (the notebooks) is not on the import
    # path while ipykernel loads; the kernel's shell adds it back.
    del sys.path[0]

import zmq  # noqa: E402
from ipykernel import kernelapp  # noqa: E402
from ipykernel.iostream import IOPubThread  # noqa: E402
from zmq.eventloop.zmqstream import ZMQStream  # noqa: E402

PIPE_SUFFIX = "-pipe"


class IpcIOPubThread(IOPubThread):
    """ipykernel's IOPub thread, with the subprocess pipe beside an `ipc` IOPub socket instead of on TCP."""

    _pipe_address: str | None = None

    def _setup_pipe_in(self):
        endpoint = self.socket.getsockopt(zmq.LAST_ENDPOINT).decode()
        if not endpoint.startswith("ipc://"):
            return super()._setup_pipe_in()
        # As ipykernel's own, but bound to a Unix socket (only this user can reach the private folder).
        self._pipe_uuid = os.urandom(16)
        pipe_in = self.socket.context.socket(zmq.PULL)
        pipe_in.linger = 0
        self._pipe_address = endpoint + PIPE_SUFFIX
        pipe_in.bind(self._pipe_address)
        self._pipe_in = ZMQStream(pipe_in, self.io_loop)
        self._pipe_in.on_recv(self._handle_pipe_msg)
        return None

    def _setup_pipe_out(self):
        if self._pipe_address is None:
            return super()._setup_pipe_out()
        ctx = zmq.Context()  # a forked child needs its own context
        pipe_out = ctx.socket(zmq.PUSH)
        pipe_out.linger = 3000
        pipe_out.connect(self._pipe_address)
        return ctx, pipe_out


def main() -> None:
    # IPKernelApp.init_iopub makes its IOPub thread from this module-level name.
    kernelapp.IOPubThread = IpcIOPubThread
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
