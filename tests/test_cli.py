"""The command a researcher runs: clear errors, exit codes, nothing written on bad input."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.synthetic import write as write_synthetic


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("tiny")
    write_synthetic(directory, seed=11, scale=0.02)
    return directory / "respondenten.csv", directory / "instellingen.csv"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True)


def test_bad_input_is_reported_in_plain_words_and_nothing_is_written(tiny, tmp_path):
    respondents, institutions = tiny
    frame = pd.read_csv(respondents, dtype=str)
    frame.loc[frame.index[:3], "ervaring"] = "veel"
    frame["onbekend"] = "x"
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    out = tmp_path / "out"
    result = run("build", "--data", str(bad), "--institutions", str(institutions), "--out", str(out), "--no-progress")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "ervaring" in result.stderr and "veel" in result.stderr and "onbekend" in result.stderr
    assert not out.exists(), "a build with bad input wrote output"


def test_unknown_edition_is_refused_before_building(tiny, tmp_path):
    out = tmp_path / "out"
    result = run("build", "--data", str(tiny[0]), "--institutions", str(tiny[1]), "--out", str(out),
                 "--edition", "XYZ", "--no-progress")
    assert result.returncode == 2
    assert "XYZ" in result.stderr and "landelijk" in result.stderr
    assert not (out / "editions").exists()


def test_validate_command_accepts_the_contract(tiny):
    result = run("validate", "--data", str(tiny[0]), "--institutions", str(tiny[1]))
    assert result.returncode == 0, result.stderr
