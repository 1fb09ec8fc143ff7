"""python -m helpers.synthetic --out data --seed 2022 [--scale 1.0]"""
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
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = write(args.out, seed=args.seed, scale=args.scale)
    print(f"Geschreven: {', '.join(str(p) for p in paths)} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
