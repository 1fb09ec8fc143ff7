"""Stands in for a forked kernel (see `helpers.pipeline.kernel_template`); standard library only.

Started by jupyter_client as `python -I -S kernel_relay.py <template socket> <kernel arguments>`:
it hands the template its standard streams, working directory, environment
and the kernel's arguments, passes an interrupt (SIGINT) on, and exits with
the kernel's exit code. When the relay is stopped or killed, the template
kills the kernel.
"""
import json
import os
import signal
import socket
import struct
import sys

LENGTH = struct.Struct("!I")
NUMBER = struct.Struct("!i")
INTERRUPT = b"I"


def receive(conn, size):
    """Exactly `size` bytes from `conn`; None if it closes first."""
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def main():
    template_socket, arguments = sys.argv[1], sys.argv[2:]
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(template_socket)
    request = json.dumps({"argv": ["ipc_kernel", *arguments], "cwd": os.getcwd(),
                          "env": dict(os.environ)}).encode()
    message = LENGTH.pack(len(request)) + request
    sent = socket.send_fds(conn, [message], [0, 1, 2])
    if sent < len(message):
        conn.sendall(message[sent:])
    signal.signal(signal.SIGINT, lambda *_: conn.send(INTERRUPT))
    if receive(conn, NUMBER.size) is None:  # the kernel's pid
        sys.exit(1)
    code = receive(conn, NUMBER.size)
    if code is None:
        sys.exit(1)
    (code,) = NUMBER.unpack(code)
    sys.exit(128 - code if code < 0 else code)  # killed by a signal: as a shell reports it


if __name__ == "__main__":
    main()
