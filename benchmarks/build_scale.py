"""`make bench-scale`: how the cost of a full build grows with the number of institutions.

For every size (default 32, 64 and 128 institutions) the synthetic generator
makes a data set with that many institutions and the same calibration
(`python -m helpers.synthetic --institutions N`: each institution keeps its
size, the earlier waves grow in proportion), and every edition is built into
an empty output folder (cold: nothing validated, executed or cached before).
Measured per size:

- wall time of validating the input (shared by all editions, done once) and
  of building the editions; time per edition (wall time / editions, and the
  median of one edition's own time from the build manifest);
- peak memory per worker: the resident memory of a build worker and the
  kernel it runs, sampled every quarter second with psutil (a build with one
  job: this process and its kernel); this process's own peak beside it;
- total output size: every edition folder and zip under `<out>/editions/`.

From two or more sizes, a least-squares line `seconds = fixed + per edition
x editions` says how the build grows: linear when the points lie on it. The
shipped data's team-edition count is reported too: how many teams would
reach the privacy threshold (the codebook's min_n, teachers in the Katern C
sample, as the team page counts them) if each got its own edition, with the
time that would take at the measured seconds per edition.

Results are printed and written to `<out>/scale.json`. Usage:

    python benchmarks/build_scale.py [--sizes 32 64 128] [--out _build/bench-scale] [--jobs N]
                                     [--scale 1.0] [--keep] [--cluster ADDRESS]

A quick check of the benchmark itself: `--sizes 1 --scale 0.2` (one
institution at a fifth of its size: two small editions).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from helpers.data.codebook import PROJECT_ROOT, load_codebook
from helpers.data.dataset import SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS
from helpers.data.validation import load_survey
from helpers.pipeline import build as pipeline
from helpers.stats.themes import katern_c_sample
from helpers.synthetic import INSTITUTIONS_FILE, RESPONDENTS_FILE, write

DEFAULT_SIZES = (32, 64, 128)
SAMPLE_SECONDS = 0.25
MB = 1024 * 1024


class PeakMemory:
    """Peak resident memory of this process and of each process tree started under it, sampled."""

    def __init__(self, interval: float = SAMPLE_SECONDS):
        self.interval = interval
        self.own = 0
        self.trees: dict[int, int] = {}  # direct child pid -> peak of it plus its descendants
        self.whole = 0  # this process and every descendant together
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _rss(processes) -> int:
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:  # ended between listing and measuring
                pass
        return total

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            own = self._rss([me])
            whole = own
            for child in me.children():
                try:
                    tree = self._rss([child, *child.children(recursive=True)])
                except psutil.Error:
                    continue
                self.trees[child.pid] = max(self.trees.get(child.pid, 0), tree)
                whole += tree
            self.own, self.whole = max(self.own, own), max(self.whole, whole)
            self._stop.wait(self.interval)

    def per_worker(self, jobs: int) -> int:
        """Peak of one build worker with its kernel; with one job the build runs in this process."""
        return self.whole if jobs == 1 else max(self.trees.values(), default=0)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def team_editions(min_n: int) -> dict:
    """Teams of the shipped data with at least `min_n` teachers in the Katern C sample."""
    survey = load_survey(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS)
    teams = katern_c_sample(survey.respondents).groupby(["instelling", "team"], observed=True).size()
    return {"teams": int(len(teams)), "teams_vanaf_min_n": int((teams >= min_n).sum()), "min_n": min_n,
            "instellingen": int(survey.institutions["instelling"].nunique())}


def measure(institutions: int, out: Path, jobs: int, scale: float, cluster: str | None, keep: bool) -> dict:
    """Generate, validate and build every edition of one size into an empty folder."""
    data = out / f"data-{institutions}"
    build_out = out / f"build-{institutions}"
    for folder in (data, build_out):
        if folder.exists():
            shutil.rmtree(folder)
    t0 = time.perf_counter()
    write(data, seed=2022, scale=scale, institutions=institutions)
    generate_seconds = time.perf_counter() - t0
    respondents, institutions_file = data / RESPONDENTS_FILE, data / INSTITUTIONS_FILE

    # Validation is the build's own first step; done here first (into the same folder) so its time is
    # told apart from the editions' (the build then finds the checked input and does not check again).
    t0 = time.perf_counter()
    pipeline.prepared_input(respondents, institutions_file, build_out).keep()
    validate_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    with PeakMemory() as memory:
        results = pipeline.build(respondents, institutions_file, out=build_out, jobs=jobs, show_progress=True,
                                 cluster=cluster)
    build_seconds = time.perf_counter() - t0
    manifest = json.loads((build_out / "build-manifest.json").read_text(encoding="utf-8"))
    editions_dir = build_out / "editions"
    own_seconds = [e["seconden"] for e in manifest["edities"] if e["gelukt"]]
    institution_seconds = [e["seconden"] for e in manifest["edities"] if e["gelukt"] and e["editie"] != "landelijk"]
    national = [e["seconden"] for e in manifest["edities"] if e["editie"] == "landelijk"]
    row = {
        "instellingen": institutions,
        "respondenten": len(pd.read_csv(respondents, usecols=["respondent"])),
        "edities": len(results),
        "mislukt": [r.edition for r in results if not r.ok],
        "jobs": manifest["jobs"],
        "genereren_seconden": round(generate_seconds, 1),
        "valideren_seconden": round(validate_seconds, 1),
        "bouwen_seconden": round(build_seconds, 1),
        "seconden_per_editie": round(build_seconds / len(results), 2),
        "editie_seconden_mediaan": round(statistics.median(institution_seconds or own_seconds), 1),
        "landelijk_seconden": national[0] if national else None,
        # remote workers cannot be sampled from here
        "piek_geheugen_per_worker_mb": None if cluster else round(memory.per_worker(manifest["jobs"]) / MB),
        "piek_geheugen_hoofdproces_mb": round(memory.own / MB),
        "uitvoer_mb": round(folder_bytes(editions_dir) / MB, 1),
        "zip_mb": round(sum(p.stat().st_size for p in editions_dir.glob("*.zip")) / MB, 1),
    }
    if not keep:
        shutil.rmtree(build_out)
        shutil.rmtree(data)
    return row


def growth(rows: list[dict]) -> dict | None:
    """Least-squares line through (editions, build seconds): fixed seconds and seconds per extra edition."""
    if len({r["edities"] for r in rows}) < 2:
        return None
    editions = np.array([r["edities"] for r in rows], dtype=float)
    seconds = np.array([r["bouwen_seconden"] for r in rows], dtype=float)
    per_edition, fixed = np.polyfit(editions, seconds, 1)
    fitted = fixed + per_edition * editions
    largest_gap = float(np.max(np.abs(seconds - fitted) / seconds))
    return {"vaste_seconden": round(float(fixed), 1), "seconden_per_extra_editie": round(float(per_edition), 2),
            "grootste_afwijking_van_de_lijn": round(largest_gap, 3)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), metavar="N",
                        help="numbers of institutions (default: 32 64 128)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "_build" / "bench-scale")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="editions in parallel (default: cores)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="respondents per institution relative to the monitor (default: 1.0)")
    parser.add_argument("--cluster", default=None, metavar="ADDRESS", help="build on this Dask scheduler")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and the editions")
    args = parser.parse_args(argv)
    if min(args.sizes) < 1:
        parser.error("--sizes: at least one institution")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    min_n = load_codebook().min_n

    rows = []
    for institutions in args.sizes:
        print(f"{institutions} institutions ...", flush=True)
        rows.append(measure(institutions, out, args.jobs, args.scale, args.cluster, args.keep))
    line = growth(rows)
    teams = team_editions(min_n)
    per_edition = rows[0]["seconden_per_editie"]
    teams["geschatte_seconden"] = round(teams["teams_vanaf_min_n"] * per_edition)  # at the first size's pace
    report = {"kernen": os.cpu_count(), "schaal": args.scale, "cluster": args.cluster, "groottes": rows,
              "groei": line, "team_edities": teams}
    (out / "scale.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(f"\n{os.cpu_count()} cores, {rows[0]['jobs']} jobs, scale {args.scale}; written to {out / 'scale.json'}")
    print("institutions  editions  respondents  validate s  build s  s/edition  median edition s  "
          "peak/worker MB  output MB")
    for r in rows:
        memory = "-" if r["piek_geheugen_per_worker_mb"] is None else r["piek_geheugen_per_worker_mb"]
        print(f"{r['instellingen']:12d}  {r['edities']:8d}  {r['respondenten']:11d}  {r['valideren_seconden']:10.1f}"
              f"  {r['bouwen_seconden']:7.1f}  {r['seconden_per_editie']:9.2f}  {r['editie_seconden_mediaan']:16.1f}"
              f"  {memory:>14}  {r['uitvoer_mb']:9.1f}")
    if line:
        print(f"build seconds ~ {line['vaste_seconden']} + {line['seconden_per_extra_editie']} x editions "
              f"(largest deviation from the line: {100 * line['grootste_afwijking_van_de_lijn']:.1f}%)")
    print(f"team editions on the shipped data: {teams['teams_vanaf_min_n']} of {teams['teams']} teams have at least "
          f"{min_n} teachers in the Katern C sample (~{teams['geschatte_seconden']} s at {per_edition} s per edition)")
    failed = [f"{r['instellingen']}: {', '.join(r['mislukt'])}" for r in rows if r["mislukt"]]
    for failure in failed:
        print("FAILED EDITIONS at " + failure, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
