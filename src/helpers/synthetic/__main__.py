"""python -m helpers.synthetic --out data --seed 2022 [--scale 1.0] [--institutions N]"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from helpers.synthetic.generate import write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.synthetic",
                                     description="Write the synthetic respondenten.csv and instellingen.csv.")
    parser.add_argument("--out", type=Path, default=Path("data"), help="output folder (default: data)")
    parser.add_argument("--seed", type=int, default=2022, help="random seed (default: 2022)")
    parser.add_argument("--scale", type=float, default=1.0, help="size relative to the real monitor (default: 1.0)")
    parser.add_argument("--institutions", type=int, default=None, metavar="N",
                        help="number of institutions, with the same calibration: respondents and earlier waves "
                             "grow in proportion (default: the monitor's number; fewer at --scale below 1)")
    args = parser.parse_args(argv)
    if args.institutions is not None and args.institutions < 1:
        parser.error("--institutions must be at least 1")
    start = time.perf_counter()
    paths = write(args.out, seed=args.seed, scale=args.scale, institutions=args.institutions)
    print(f"Geschreven: {', '.join(str(p) for p in paths)} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
