"""The command line: the interview, and its headless commands."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import __version__

log = logging.getLogger(__name__)

EXIT_OK, EXIT_INVALID, EXIT_UNFINISHED = 0, 2, 3


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit 2."""


def _tolerance(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a percentage; give e.g. 5 or 2.5"
        ) from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError("the tolerance is a percentage of 0 or more")
    return value


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", type=Path, default=argparse.SUPPRESS, help="the database file"
    )
    questions = argparse.ArgumentParser(add_help=False)
    questions.add_argument(
        "--questions",
        type=Path,
        default=argparse.SUPPRESS,
        help="a question file or a folder of them (default: the shipped ones)",
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument(
        "--lang", choices=("nl", "en"), default=argparse.SUPPRESS, help="language"
    )

    parser = argparse.ArgumentParser(
        prog="massabalans",
        description="Interview an SME about what goes in and out, compute its mass "
        "balance and write an advice report. Without a command it starts the "
        "interview in the terminal.",
        parents=[common, questions, lang],
    )
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("balance", help="print the mass balance of a data file")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print the balance JSON")
    p.add_argument(
        "--tolerance",
        type=_tolerance,
        default=Decimal(5),
        metavar="PCT",
        help="closure tolerance in %% of the inputs (default 5)",
    )
    p.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)

    p = sub.add_parser(
        "report",
        help="write the advice report of a data file or a stored interview",
        parents=[common, questions, lang],
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="a massabalans/1 data file")
    source.add_argument("--interview", type=int, metavar="ID", help="an interview id")
    p.add_argument("-o", "--output", type=Path, help="file to write (default stdout)")
    p.add_argument("--format", choices=("md", "html"), default="md")
    p.add_argument("--tolerance", type=_tolerance, default=Decimal(5), metavar="PCT")

    p = sub.add_parser(
        "run",
        help="replay an interview from a data file with answers",
        parents=[common, questions, lang],
    )
    p.add_argument("--answers", type=Path, required=True, metavar="FILE")
    p.add_argument("-o", "--output", type=Path, help="write the report here")

    sub.add_parser("list", help="list the stored interviews", parents=[common])

    p = sub.add_parser(
        "export", help="write a stored interview as a data file", parents=[common]
    )
    p.add_argument("id", type=int)
    p.add_argument("--format", choices=("yaml", "json"), default="yaml")
    p.add_argument("-o", "--output", type=Path)

    p = sub.add_parser("delete", help="delete a stored interview", parents=[common])
    p.add_argument("id", type=int)

    p = sub.add_parser("check", help="validate question files")
    p.add_argument("paths", type=Path, nargs="*")

    p = sub.add_parser("questions", help="tools for question files")
    qsub = p.add_subparsers(dest="questions_command", required=True)
    qsub.add_parser(
        "graph", help="print the dialogue as a Mermaid flowchart", parents=[questions]
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    args = _parser().parse_args(argv)
    command = args.command or "interview"
    handler = globals()[f"_cmd_{command}"]
    try:
        return handler(args)
    except UsageError as exc:
        print(f"massabalans: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


def _cmd_balance(args: argparse.Namespace) -> int:
    from .balance import compute
    from .dataset import DataFileError, load_dataset
    from .textbalance import balance_table

    try:
        dataset = load_dataset(args.file)
    except DataFileError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_INVALID
    balance = compute(dataset, args.tolerance)
    if args.json:
        json.dump(balance.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(balance_table(dataset, balance, getattr(args, "lang", "nl")))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
