"""`monitorbook preview`: a saved edit reaches the served page, and only its chapter runs again."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from helpers.data.codebook import PROJECT_ROOT
from helpers.core.edition_manifest import CONFIG_FILE, MANIFEST_FILE, TOC_FILE
from helpers.pipeline.preview import STATUS_PATH, write_if_changed

EDITED_CHAPTER = "notebooks/katern_c/c1_inleiding"
ADDED = "Een zin die de onderzoeker net toevoegde."


def test_write_if_changed_leaves_an_unchanged_file_alone(tmp_path):
    page = tmp_path / "a" / "p.ipynb"
    assert write_if_changed(page, b"een")
    before = page.stat().st_mtime_ns
    time.sleep(0.01)
    assert not write_if_changed(page, b"een") and page.stat().st_mtime_ns == before
    assert write_if_changed(page, b"twee") and page.read_bytes() == b"twee"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"no {what} within {seconds:.0f} s")


@pytest.mark.slow
def test_an_edited_notebook_reloads_its_page_and_runs_only_its_chapter(small_data, institution, built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)  # the build's cache: the first round restores every chapter
    root = tmp_path / "sources"
    shutil.copytree(PROJECT_ROOT / "notebooks", root / "notebooks")
    for name in (CONFIG_FILE, TOC_FILE, MANIFEST_FILE):
        shutil.copyfile(PROJECT_ROOT / name, root / name)
    code = ("import sys; from helpers.pipeline.preview import serve; "
            f"sys.exit(serve({institution!r}, {str(small_data[0])!r}, {str(small_data[1])!r}, {str(out)!r}, "
            f"port=0, root={str(root)!r}))")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    lines: list[str] = []
    try:
        def address():
            line = process.stdout.readline()
            lines.append(line)
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            assert process.poll() is None or found, "".join(lines)
            return found and found.group(0)
        base = _wait(address, 600, "served address")
        assert "uit de cache" in "".join(lines) and "uitgevoerd" not in "".join(lines), "".join(lines)
        page_url = f"{base}{EDITED_CHAPTER}.html"
        page = _get(page_url)
        assert STATUS_PATH in page, "the served page carries the reload script"
        first = json.loads(_get(base + STATUS_PATH.lstrip("/")))
        assert first["fout"] is None

        nb = nbformat.read(root / f"{EDITED_CHAPTER}.ipynb", as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell(ADDED))
        nbformat.write(nb, root / f"{EDITED_CHAPTER}.ipynb")
        status = _wait(lambda: (s := json.loads(_get(base + STATUS_PATH.lstrip("/"))))["ronde"] > first["ronde"]
                       and s, 300, "new round")
        assert status["fout"] is None
        assert ADDED in _get(page_url)
        report = _wait(lambda: next((line for line in [process.stdout.readline()] if "Ronde 2" in line), None)
                       or (lines.append("") and None), 30, "report of round 2")
        assert "1 hoofdstuk(ken) uitgevoerd (c1_inleiding)" in report, report

        nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('kapot')"))
        nbformat.write(nb, root / f"{EDITED_CHAPTER}.ipynb")
        status = _wait(lambda: (s := json.loads(_get(base + STATUS_PATH.lstrip("/"))))["ronde"] > 2 and s,
                       300, "round with the error")
        assert "kapot" in status["fout"], "a failing chapter is shown on the page"
        assert ADDED in _get(page_url), "the page keeps its last good version"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    assert not (out / "editions" / institution / "voorbeeld").exists()
