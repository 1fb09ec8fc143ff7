"""Forked kernels (`helpers.pipeline.kernel_template`): a process of its own per edition, nothing shared.

The build forks each edition's kernel from one pre-imported template per
worker. What an institution's chapters leave behind must never reach another
edition's kernel; the template itself holds no data and no network socket;
a kernel dies with its relay, an interrupt reaches it, and closing the
template stops everything it started and removes its folder.
"""
from __future__ import annotations

import socket
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from helpers.pipeline.execute import EditionKernel
from helpers.pipeline.kernel_template import SOCKET_NAME, KernelTemplate
from notebook_files import code_notebook

#: A chapter of one institution leaves traces in the kernel: a module attribute, an environment variable.
LEAVE_TRACES = (
    "import os, helpers, pandas\n"
    "helpers.achtergelaten = 'gegevens van I01'\n"
    "pandas.achtergelaten = 'gegevens van I01'\n"
    "os.environ['ACHTERGELATEN'] = 'I01'\n"
    "print('pid', os.getpid())\n"
)
LOOK_FOR_TRACES = (
    "import os, sys, helpers, pandas\n"
    "print('pid', os.getpid())\n"
    "print('sporen', hasattr(helpers, 'achtergelaten'), hasattr(pandas, 'achtergelaten'), "
    "'ACHTERGELATEN' in os.environ)\n"
    "print('voorgeladen', 'seaborn' in sys.modules and 'helpers.chapters.katern_a.common' in sys.modules)\n"
)



def _printed(path: Path) -> dict[str, str]:
    nb = nbformat.read(path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return dict(line.split(" ", 1) for line in text.splitlines())


@pytest.fixture
def template():
    made = KernelTemplate()
    yield made
    made.close()


def _run(template, tmp_path: Path, name: str, code: str) -> dict[str, str]:
    source = code_notebook(tmp_path / f"{name}.ipynb", code)
    with EditionKernel(cwd=tmp_path, log_path=tmp_path / f"{name}.log", template=template) as kernel:
        run = kernel.run(source, tmp_path / "uit" / f"{name}.ipynb", {"waarde": 1}, name)
        assert run.status == "ok", run.error
    return _printed(tmp_path / "uit" / f"{name}.ipynb")


def test_each_edition_gets_a_process_of_its_own_and_sees_nothing_of_another(template, tmp_path):
    first = _run(template, tmp_path, "I01", LEAVE_TRACES)
    second = _run(template, tmp_path, "I02", LOOK_FOR_TRACES)
    assert first["pid"] != second["pid"]
    assert str(template.process.pid) not in (first["pid"], second["pid"])
    assert second["sporen"] == "False False False"
    assert second["voorgeladen"] == "True"  # what the chapters import is there before they run


def test_the_template_holds_no_data_and_no_network_socket(template):
    process = psutil.Process(template.process.pid)
    held = process.net_connections(kind="all")
    assert not [c for c in held if c.family != socket.AF_UNIX]
    assert {Path(c.laddr) for c in held if c.laddr} == {template.folder / SOCKET_NAME}
    assert template.folder.stat().st_mode & 0o777 == 0o700
    # It read no data file: nothing under the data or build folders is open.
    assert not [f.path for f in process.open_files() if f.path.endswith((".parquet", ".csv", ".sav"))]


def test_a_kernel_dies_with_its_relay_and_an_interrupt_reaches_it(template, tmp_path):
    with EditionKernel(cwd=tmp_path, log_path=tmp_path / "k.log", template=template) as kernel:
        kernel._start()
        [child] = psutil.Process(template.process.pid).children()
        client = kernel.kc
        msg_id = client.execute("import time\ntime.sleep(60)")
        time.sleep(0.5)
        kernel.km.interrupt_kernel()
        reply = client.get_shell_msg(timeout=20)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        assert child.is_running()
    # The edition is done: its relay is stopped, so the kernel is gone (the template reaps it).
    child.wait(timeout=10)
    assert not psutil.pid_exists(child.pid)
    assert template.alive


def test_closing_the_template_stops_its_kernels_and_removes_its_folder(tmp_path):
    template = KernelTemplate()
    kernel = EditionKernel(cwd=tmp_path, log_path=tmp_path / "k.log", template=template)
    kernel._start()
    [child] = psutil.Process(template.process.pid).children()
    folder, pid = template.folder, template.process.pid
    template.close()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert not psutil.pid_exists(child.pid) or psutil.Process(child.pid).status() == psutil.STATUS_ZOMBIE
    assert not folder.exists()
    kernel.shutdown()  # its relay, left without a template, is stopped as usual
    assert kernel.km is None
