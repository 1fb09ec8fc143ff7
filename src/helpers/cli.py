"""The `monitorbook` command (also `python -m helpers`)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from helpers.data.codebook import PROJECT_ROOT
from helpers.pipeline.cluster import CLUSTER_ENV, cluster_from_environment

DEFAULT_RESPONDENTS = PROJECT_ROOT / "data" / "respondenten.csv"
DEFAULT_INSTITUTIONS = PROJECT_ROOT / "data" / "instellingen.csv"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="monitorbook",
        description="Build the research book of the Monitor Leren en lesgeven met ict in het mbo.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="validate the data, execute the chapters, compile the editions")
    build.add_argument("--data", type=Path, default=DEFAULT_RESPONDENTS,
                       help="respondents file: CSV, Parquet or SPSS .sav (default: the shipped synthetic data)")
    build.add_argument("--institutions", type=Path, default=DEFAULT_INSTITUTIONS,
                       help="institutions file: CSV, Parquet or SPSS .sav")
    build.add_argument("--edition", action="append", dest="editions", metavar="EDITION",
                       help="edition to build: 'landelijk' or an institution code (repeatable; default: all)")
    build.add_argument("--out", type=Path, default=PROJECT_ROOT / "_build", help="output folder (default: _build)")
    build.add_argument("--jobs", type=int, default=None,
                       help="editions built in parallel (default: number of cores; with --cluster: the cluster's workers)")
    build.add_argument("--cluster", default=cluster_from_environment(), metavar="ADDRESS",
                       help=f"build the editions on a Dask cluster: the scheduler's address, e.g. tcp://HOST:8786 "
                            f"(default: ${CLUSTER_ENV}, else locally). Every worker runs one thread "
                            "(`dask worker ADDRESS --nthreads 1`), has this project installed, and sees the "
                            "output folder at the same path (a shared disk)")
    build.add_argument("--min-n", type=int, default=None, help="privacy threshold: smallest group shown (default: codebook, 10)")
    build.add_argument("--meting", type=int, default=None, metavar="JAAR",
                       help="the wave the book reports on (default: the newest in the data); later waves are left out")
    build.add_argument("--no-progress", action="store_true", help="no progress bar")
    build.add_argument("--no-cache", action="store_true",
                       help="execute every chapter again, ignoring and not filling the build cache")
    build.add_argument("--cache", type=Path, default=None, metavar="MAP",
                       help="the build cache shared by builds into any output folder, where the national work "
                            "every edition needs is kept (default: $MONITORBOOK_CACHE, else "
                            "$XDG_CACHE_HOME/monitorbook, else ~/.cache/monitorbook)")
    preview = commands.add_parser(
        "preview", help="serve one edition on localhost and rebuild it as notebooks and code are edited",
        description="Serve one edition at http://127.0.0.1:PORT/; on every saved change to a notebook, a helpers "
                    "module or the book's configuration, re-execute the chapters it affects, recompile the pages "
                    "and reload the browser. No PDFs; nothing is published.")
    preview.add_argument("--edition", default="landelijk", metavar="EDITION",
                         help="'landelijk' (default) or an institution code")
    preview.add_argument("--data", type=Path, default=DEFAULT_RESPONDENTS, help="respondents file")
    preview.add_argument("--institutions", type=Path, default=DEFAULT_INSTITUTIONS, help="institutions file")
    preview.add_argument("--out", type=Path, default=PROJECT_ROOT / "_build",
                         help="output folder whose cache the preview shares (default: _build); the preview is "
                              "kept in <out>/voorbeeld/")
    preview.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free port)")
    preview.add_argument("--min-n", type=int, default=None, help="privacy threshold (default: codebook, 10)")
    check = commands.add_parser("validate", help="only check the data against the contract")
    check.add_argument("--data", type=Path, default=DEFAULT_RESPONDENTS)
    check.add_argument("--institutions", type=Path, default=DEFAULT_INSTITUTIONS)
    check.add_argument("--meting", type=int, default=None, metavar="JAAR", help="also check that this wave is in the data")
    figure = commands.add_parser(
        "figuur", help="write one figure of the book as PNG and SVG, with its table as CSV",
        description="Run the chapter that shows the figure and write <id>.png, <id>.svg and <id>.csv.")
    figure.add_argument("id", nargs="?", help="the figure's id, as named under the figure in the book")
    figure.add_argument("--lijst", action="store_true", help="list every figure id with its chapter")
    figure.add_argument("--editie", default="landelijk", metavar="EDITIE",
                        help="'landelijk' (default) or an institution code")
    figure.add_argument("--weergave", default=None, metavar="LABEL",
                        help="for a figure with a selector: the view to write (default: the one shown first)")
    figure.add_argument("--data", type=Path, default=DEFAULT_RESPONDENTS,
                        help="respondents file (default: the shipped synthetic data)")
    figure.add_argument("--institutions", type=Path, default=DEFAULT_INSTITUTIONS, help="institutions file")
    figure.add_argument("--out", type=Path, default=Path("figuren"),
                        help="folder for the files (default: ./figuren)")
    return parser


def _refusal(err: Exception) -> str | None:
    """The Dutch report of an error that refuses the command (exit status 2); None for anything else (a bug).

    The error classes are imported here, when one is raised: a build with
    nothing to do must not pay for importing what executes, validates or prints.
    """
    from helpers.data.validation import InvalidInput
    from helpers.pipeline.build import UnknownEdition, UnsafeOutputPath
    from helpers.pipeline.cluster import ClusterUnavailable
    from helpers.core.edition_manifest import InvalidEditionManifest
    from helpers.pipeline.execute import KernelStartError
    from helpers.pipeline.figure import FigureError
    from helpers.pipeline.outdir import OutputProblem
    from helpers.pipeline.print_pdf import ChromiumMissing

    if isinstance(err, (InvalidInput, InvalidEditionManifest)):
        return err.report()
    if isinstance(err, (UnknownEdition, UnsafeOutputPath, ClusterUnavailable, ChromiumMissing, FigureError,
                        KernelStartError, OutputProblem)):
        return str(err)
    return None


def _figure(args) -> int:
    from helpers.pipeline.figure import figure_index, listing, make_figure

    if args.lijst:
        try:
            print(listing(figure_index()), flush=True)
        except BrokenPipeError:
            # The reader stopped early (`monitorbook figuur --lijst | head`): not an error. Python would
            # still try to flush stdout at exit and complain, so stdout goes to /dev/null from here on.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if not args.id:
        print("Geef een figuur-id, bijvoorbeeld: monitorbook figuur a-visie-schalen "
              "(alle figuren: monitorbook figuur --lijst)", file=sys.stderr)
        return 2
    written = make_figure(args.id, args.data, args.institutions, args.out, edition=args.editie, view=args.weergave)
    print("Geschreven: " + ", ".join(str(p) for p in written))
    return 0


#: Exit statuses besides 0 (done) and 1 (an edition failed).
EXIT_REFUSED = 2  # bad input, an unknown edition, an output folder that cannot be written, a full disk
EXIT_BUSY = 3  # another build is running in the same output folder; nothing was touched
# Ctrl-C: 130, SIGTERM: 143 (as a shell reports a process ended by that signal).


def _validate(args) -> int:
    from helpers.data.validation import load_survey
    from helpers.data.dataset import absent_institutions

    survey = load_survey(args.data, args.institutions, wave=args.meting)
    print(f"De invoer voldoet aan het datacontract ({len(survey.respondents)} rijen).")
    absent = absent_institutions(list(survey.institutions["instelling"].astype(str)), survey.participation,
                                 survey.reported_wave)
    for notice in absent.values():  # information, not a problem: the data is valid
        print(f"Ter informatie: {notice}.")
    return 0


def _build(args) -> int:
    from helpers.pipeline.build import build

    results = build(args.data, args.institutions, out=args.out, editions=args.editions, jobs=args.jobs,
                    min_n=args.min_n, show_progress=not args.no_progress, use_cache=not args.no_cache,
                    wave=args.meting, cluster=args.cluster or None, cache=args.cache)
    for r in results:
        if r.skipped is not None:  # an institution absent from the reported wave: said, not a failure
            print(r.skipped)
    results = [r for r in results if r.skipped is None]
    failed = [r for r in results if not r.ok]
    print(f"\nGebouwd: {len(results) - len(failed)} van {len(results)} edities in {args.out}/editions/")
    for r in failed:
        print(f"  MISLUKT {r.edition}: {r.error}" + (f" (zie {r.location})" if r.location else ""), file=sys.stderr)
    return 1 if failed else 0


def _preview(args) -> int:
    from helpers.pipeline.preview import serve

    return serve(args.edition, args.data, args.institutions, args.out, port=args.port, min_n=args.min_n)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = {"figuur": _figure, "validate": _validate, "build": _build, "preview": _preview}[args.command]
    try:
        return command(args)
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM: one line, no traceback
        from helpers.pipeline.stopping import BuildInterrupted

        status = stop.exit_status if isinstance(stop, BuildInterrupted) else 130
        why = "SIGTERM" if status == 143 else "Ctrl-C"
        print(f"\nOnderbroken ({why}): er is niets half gepubliceerd; wat al klaar was, staat er. "
              "De volgende build gaat verder waar deze stopte.", file=sys.stderr)
        return status
    except Exception as err:
        from helpers.pipeline.outdir import BuildRunning

        if isinstance(err, BuildRunning):
            print(err, file=sys.stderr)
            return EXIT_BUSY
        message = _refusal(err)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
