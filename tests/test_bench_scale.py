"""`make bench-scale` runs end to end: one small size, every edition built, a report written.

Not a timing test: it only proves that the benchmark itself works (it once
called a build function that had been renamed, and failed at the first size).
"""
import json
import sys

import pytest

from helpers.data.codebook import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
import build_scale  # noqa: E402


@pytest.mark.slow
def test_bench_scale_builds_every_edition_of_a_small_size_and_reports_it(tmp_path, capsys):
    status = build_scale.main(["--sizes", "1", "--scale", "0.2", "--out", str(tmp_path), "--jobs", "1"])
    assert status == 0
    report = json.loads((tmp_path / "scale.json").read_text(encoding="utf-8"))
    (row,) = report["groottes"]
    assert row["instellingen"] == 1 and row["edities"] == 2 and row["mislukt"] == []
    assert row["bouwen_seconden"] > 0 and row["uitvoer_mb"] > 0 and row["piek_geheugen_per_worker_mb"] > 0
    assert report["groei"] is None  # one size: no line
    teams = report["team_edities"]
    assert 0 < teams["teams_vanaf_min_n"] <= teams["teams"]
    assert "team editions on the shipped data" in capsys.readouterr().out
