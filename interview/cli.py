"""The command line: the interview, and its headless commands."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import __version__

log = logging.getLogger(__name__)

EXIT_OK, EXIT_INVALID, EXIT_UNFINISHED = 0, 2, 3


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit 2."""


class Problems(Exception):
    """Several problems, one line each on stderr, exit 2."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


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
    p.add_argument(
        "-v", "--verbose", action="store_true", help="name each answer as it is saved"
    )

    sub.add_parser("list", help="list the stored interviews", parents=[common])

    p = sub.add_parser(
        "export",
        help="write a stored interview as a data file",
        parents=[common, questions],
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
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
    args = _parser().parse_args(argv)
    command = args.command or "interview"
    handler = globals()[f"_cmd_{command}"]
    try:
        return handler(args)
    except UsageError as exc:
        print(f"massabalans: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except Problems as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
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


def _questionnaire(args: argparse.Namespace):
    from .questionnaire import QuestionFileError, load_questionnaire

    path = getattr(args, "questions", None)
    try:
        return load_questionnaire(path)
    except QuestionFileError as exc:
        raise Problems(exc.problems) from None


def _store(args: argparse.Namespace):
    from .store import Store, StoreError

    try:
        return Store(getattr(args, "db", None))
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _session(args: argparse.Namespace, interview_id: int):
    from .session import Session
    from .store import StoreError

    store = _store(args)
    try:
        return Session(store, _questionnaire(args), interview_id)
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


def _cmd_interview(args: argparse.Namespace) -> int:
    questionnaire = _questionnaire(args)
    store = _store(args)
    from .tui.app import run_app

    return run_app(store, questionnaire, getattr(args, "lang", None))


def _cmd_report(args: argparse.Namespace) -> int:
    from .dataset import DataFileError, load_dataset
    from .report import ReportSource, render_html, render_markdown

    questionnaire = _questionnaire(args)
    if args.data is not None:
        try:
            dataset = load_dataset(args.data)
        except DataFileError as exc:
            raise Problems(exc.problems) from None
        source = ReportSource.from_dataset(dataset, questionnaire, args.tolerance)
        info = dataset.data.interview
        language = getattr(args, "lang", None) or (info.language if info else None)
    else:
        session = _session(args, args.interview)
        source = ReportSource.from_session(session, args.tolerance)
        language = getattr(args, "lang", None) or session.language
    language = language or "nl"
    render = render_html if args.format == "html" else render_markdown
    _write(render(source, language), args.output)
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from .dataset import DataFileError, parse_dataset, read_file
    from .mapping import Replay
    from .report import ReportSource, render_markdown
    from .session import AnswerError, Session, replay_into

    try:
        raw = read_file(args.answers)
        parse_dataset(raw, str(args.answers))
    except DataFileError as exc:
        raise Problems(exc.problems) from None
    questionnaire = _questionnaire(args)
    replay = Replay(questionnaire, raw)
    language = getattr(args, "lang", None) or replay.language
    session = Session.start(_store(args), questionnaire, language)
    delay = float(os.environ.get("MASSABALANS_RUN_DELAY", "0") or 0)
    if args.verbose:
        logging.getLogger("interview.session").setLevel(logging.INFO)
    try:
        question = replay_into(session, replay, delay)
    except AnswerError as exc:
        raise Problems([f"{args.answers}: {p}" for p in exc.problems]) from None
    if question is not None:
        print(
            f"interview {session.interview_id} unfinished: the answers file does "
            f"not answer question {question.id} ({question.text(language)})",
            file=sys.stderr,
        )
        return EXIT_UNFINISHED
    left = replay.leftover()
    if left:
        raise Problems(
            [
                f"{args.answers}: flow {flow.get('name')} "
                f"(kind {flow.get('kind')}) fits no question of the questionnaire; "
                "give it a kind the questions ask for, or a question key"
                for flow in left
            ]
        )
    session.finish()
    if args.output is not None:
        _write(
            render_markdown(ReportSource.from_session(session), language), args.output
        )
    print(f"interview {session.interview_id} finished")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    rows = _store(args).interviews()
    if not rows:
        print("no interviews yet; start one with: massabalans")
        return EXIT_OK
    print(f"{'id':>4}  {'status':<9} {'updated':<20} {'period':<12} company")
    for row in rows:
        print(
            f"{row.id:>4}  {row.status:<9} {row.updated[:19]:<20} "
            f"{(row.period or '-'):<12} {row.company or '-'}"
        )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    import yaml

    data = _session(args, args.id).data_file()
    if args.format == "json":
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    _write(text, args.output)
    return EXIT_OK


def _cmd_delete(args: argparse.Namespace) -> int:
    from .store import StoreError

    store = _store(args)
    try:
        store.delete_interview(args.id)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    print(f"interview {args.id} deleted")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from .questionnaire import QuestionFileError, load_questionnaire

    paths = args.paths or [None]
    problems: list[str] = []
    for path in paths:
        try:
            questionnaire = load_questionnaire(path)
        except QuestionFileError as exc:
            problems += exc.problems
            continue
        print(
            f"{path or 'shipped questions'}: {len(questionnaire.questions)} questions "
            f"in {len(questionnaire.steps)} steps, no problems"
        )
    if problems:
        raise Problems(problems)
    return EXIT_OK


def _cmd_questions(args: argparse.Namespace) -> int:
    from .graph import mermaid

    sys.stdout.write(mermaid(_questionnaire(args), getattr(args, "lang", None) or "nl"))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
