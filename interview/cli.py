"""The command line: the interview, and its headless commands."""

from __future__ import annotations

import argparse
import errno
import gc
import json
import logging
import os
import sqlite3
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
    if not value.is_finite() or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("the tolerance is a percentage from 0 to 100")
    return value


def _parser() -> argparse.ArgumentParser:
    from .dataset import KINDS

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
    p.add_argument(
        "-o", "--output", type=_output_path, help="file to write (default stdout)"
    )
    p.add_argument("--format", choices=("md", "html"), default="md")
    p.add_argument("--tolerance", type=_tolerance, default=Decimal(5), metavar="PCT")
    earlier = p.add_mutually_exclusive_group()
    earlier.add_argument(
        "--compare",
        type=int,
        metavar="ID",
        help="add a comparison with an earlier interview (e.g. last year)",
    )
    earlier.add_argument(
        "--compare-data",
        type=Path,
        metavar="FILE",
        help="add a comparison with an earlier period's data file",
    )

    p = sub.add_parser(
        "run",
        help="replay an interview from a data file with answers",
        parents=[common, questions, lang],
    )
    p.add_argument("--answers", type=Path, required=True, metavar="FILE")
    p.add_argument("-o", "--output", type=_output_path, help="write the report here")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="name each answer as it is saved"
    )
    p.add_argument(
        "--resume",
        type=int,
        metavar="ID",
        help="continue interview ID from the answers file instead of starting anew",
    )

    sub.add_parser("list", help="list the stored interviews", parents=[common])

    p = sub.add_parser(
        "export",
        help="write a stored interview as a data file",
        parents=[common, questions],
    )
    p.add_argument("id", type=int)
    p.add_argument(
        "--format",
        choices=("yaml", "json", "csv", "xlsx", "sankeymatic"),
        default="yaml",
        help="yaml or json: a data file that 'run --answers' replays; csv: the "
        "flows; xlsx: a sheet per interview step; sankeymatic: a flow diagram",
    )
    p.add_argument("-o", "--output", type=_output_path)
    p.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)

    p = sub.add_parser(
        "import",
        help="read flows from a CSV, XLSX or massabalans/1 file into an interview",
        parents=[common, questions, lang],
    )
    p.add_argument("file", type=Path)
    target = p.add_mutually_exclusive_group()
    target.add_argument(
        "--into", type=int, metavar="ID", help="add the rows to interview ID"
    )
    target.add_argument(
        "--new", action="store_true", help="start a new interview (the default)"
    )
    p.add_argument(
        "--kind",
        choices=KINDS,
        help="the kind of every row without one (the file has no kind column)",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COL=FIELD",
        help="read column COL (header, letter or number) as FIELD, or as 'ignore'",
    )
    p.add_argument(
        "--sheet",
        help="the workbook sheet to read (default: the first "
        "with a name and a quantity column)",
    )
    p.add_argument(
        "--yes", action="store_true", help="store the rows (without it: a preview)"
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", help="name each question as it is saved"
    )

    sub.add_parser("schema", help="print the JSON Schema of the data file")

    p = sub.add_parser(
        "serve",
        help="serve the interview in a web browser",
        parents=[common, questions, lang],
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8000, help="port to listen on")

    p = sub.add_parser("delete", help="delete a stored interview", parents=[common])
    p.add_argument("id", type=int)

    p = sub.add_parser(
        "backup", help="copy the whole database to a new file", parents=[common]
    )
    p.add_argument("target", type=Path, help="the new file")

    p = sub.add_parser(
        "check",
        help="validate question files (the paths, or --questions, or the shipped ones)",
        parents=[questions],
    )
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
    if sys.stdout is None:
        print(
            "massabalans: there is no standard output (it was closed); give the "
            "command somewhere to write, such as a file with > out.json",
            file=sys.stderr,
        )
        return EXIT_INVALID
    try:
        output = getattr(args, "output", None)
        if output is not None and str(output) == "-":
            args.output = None  # "-o -": standard output, as other tools read it
        elif output is not None:
            _refuse_the_database(output, args)
        return handler(args)
    except BrokenPipeError:
        # The reader went away (head, a pager that was closed): stop quietly.
        _stdout_to_nowhere()
        return EXIT_INVALID
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRORS:
            raise
        _stdout_to_nowhere()
        print(
            f"massabalans: the output cannot be written ({exc.strerror}); free some "
            "space or write it somewhere else",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except UsageError as exc:
        print(f"massabalans: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except Problems as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except sqlite3.Error as exc:
        from .store import BUSY_MESSAGE, is_busy

        if is_busy(exc):
            path = getattr(args, "db", None) or "the database"
            print(f"massabalans: {BUSY_MESSAGE.format(path=path)}", file=sys.stderr)
            return EXIT_INVALID
        # Opening was checked; this is a database that cannot be written now.
        print(
            f"massabalans: the database cannot be used ({exc}); check that the file "
            "and its folder are writable, or choose another with --db",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


# Errors of writing the output: a full disk or quota, a device error, a
# standard output that is not open for writing.
_OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EBADF})


def _stdout_to_nowhere() -> None:
    """Point standard output at the null device, so that what is still
    buffered does not fail again when Python exits."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


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
        # Indented for people; a large balance goes out compact, written by a
        # fast encoder (the indented one takes seconds for 100 000 flows).
        if len(dataset.flows) > 5000:
            sys.stdout.flush()
            sys.stdout.buffer.write(balance.to_json_bytes())
            sys.stdout.buffer.write(b"\n")
        else:
            sys.stdout.write(balance.to_json_text(indent=1))
            sys.stdout.write("\n")
    else:
        sys.stdout.write(balance_table(dataset, balance, getattr(args, "lang", "nl")))
    return _done(EXIT_OK)


# Set by `script`: this process is the `massabalans` command and nothing else.
_WHOLE_PROCESS = False


def _done(code: int) -> int:
    """End a command that holds no files or databases open, without tidying up.

    Freeing the objects of 100 000 flows one by one takes a good part of a
    second, and an app's modules and widgets a good part of its start; when
    the process is the command and ends now anyway, the system takes the
    memory back at once. Called in-process (tests), it returns.
    """
    if _WHOLE_PROCESS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


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


def _output_path(text: str) -> Path:
    """An -o argument: a file, not a folder ("out/" would make a file "out")."""
    if text.endswith(("/", os.sep)) or (os.altsep and text.endswith(os.altsep)):
        raise argparse.ArgumentTypeError(
            f"{text} is a folder; give a file name in it, such as {text}report.md"
        )
    return Path(text)


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths are one file, also through a hard link."""
    try:
        return one.exists() and other.exists() and os.path.samefile(one, other)
    except OSError:
        return False


def _refuse_the_database(output: Path, args: argparse.Namespace) -> None:
    """Refuse an output path that is the database, its journal or WAL file.

    Writing a report over the database would destroy every interview in it.
    A report's picture goes beside it with the suffix .svg: checked too.
    """
    from .locations import default_db

    db = Path(getattr(args, "db", None) or default_db())
    try:
        database = db.resolve()
        written = {output.resolve(), output.with_suffix(".svg").resolve()}
    except (OSError, RuntimeError, ValueError):
        return  # a path that cannot be resolved is refused where it is written
    files = {
        database,
        *(Path(f"{database}{end}") for end in ("-wal", "-shm", "-journal")),
    }
    if written & files or _same_file(output, database):
        raise UsageError(
            f"{output} is the database ({db}) or one of its files; writing there "
            "would destroy every interview in it. Give another file with -o"
        )


def _check_output(output: Path, *inputs: Path | None) -> None:
    """Refuse an output path that would overwrite an input or is not a file."""
    if not str(output).strip() or output.name in ("", ".", ".."):
        raise UsageError("the output path is empty; give a file name with -o")
    if output.exists() and not output.is_file():
        raise UsageError(f"{output} is not a regular file; give a file name with -o")
    for given in inputs:
        if given is not None and given.exists() and output.exists():
            if output.resolve() == given.resolve() or _same_file(output, given):
                raise UsageError(
                    f"{output} is the input file; write the output to another file"
                )


def _write(text: str, output: Path | None, *inputs: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    _check_output(output, *inputs)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


def _cmd_interview(args: argparse.Namespace) -> int:
    questionnaire = _questionnaire(args)
    store = _store(args)
    from .tui.app import run_app

    _started()
    # The app closes the store before it returns: nothing is left to tidy.
    return _done(run_app(store, questionnaire, getattr(args, "lang", None)))


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
        language = getattr(args, "lang", None) or session.language
        source = ReportSource.from_session(session, args.tolerance, language)
    language = language or "nl"
    if args.compare is not None:
        source.previous = ReportSource.from_session(
            _session(args, args.compare), args.tolerance, language
        )
    elif args.compare_data is not None:
        try:
            earlier = load_dataset(args.compare_data)
        except DataFileError as exc:
            raise Problems(exc.problems) from None
        source.previous = ReportSource.from_dataset(earlier, questionnaire)
    if args.output is not None:
        _check_output(args.output, args.data, args.compare_data)
        # The picture is written beside the report, as .svg.
        _check_output(args.output.with_suffix(".svg"), args.data, args.compare_data)
    if args.format == "md" and args.output is not None:
        # The Sankey picture goes beside the Markdown file, which links it.
        from .report import write_markdown

        try:
            write_markdown(source, args.output, language)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
        return EXIT_OK
    render = render_html if args.format == "html" else render_markdown
    _write(render(source, language), args.output)
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from .dataset import DataFileError, parse_dataset, read_file
    from .mapping import Replay, replay_differences
    from .report import ReportSource, render_markdown
    from .session import AnswerError, Session, replay_into

    try:
        raw = read_file(args.answers)
        file_dataset = parse_dataset(raw, str(args.answers))
    except DataFileError as exc:
        raise Problems(exc.problems) from None
    if raw.get("parts"):
        raise Problems(
            [
                f"{args.answers}: the file names parts; the interview does not ask "
                "for parts yet, so a replay would lose them. Use balance or report "
                "--data with this file"
            ]
        )
    questionnaire = _questionnaire(args)
    replay = Replay(questionnaire, raw)
    if replay.unplaced():
        raise Problems(replay.unplaced_problems(args.answers))
    for question_id in sorted(
        set(replay.raw_answers) - {q.id for q in questionnaire.questions}
    ):
        print(
            f"{args.answers}: answers: {question_id} is not a question of "
            f"{questionnaire.label}; it is left out",
            file=sys.stderr,
        )
    language = getattr(args, "lang", None) or replay.language
    if args.resume is not None:
        session = _session(args, args.resume)
        # The answers already stored took their flows from the file: skip them.
        for question in questionnaire.questions:
            if question.id in session.answers:
                replay.answer_for(question, session.answers)
    else:
        session = Session.start(_store(args), questionnaire, language)
    session.messages = "en"
    delay = float(os.environ.get("MASSABALANS_RUN_DELAY", "0") or 0)
    if args.verbose:
        logging.getLogger("interview.session").setLevel(logging.INFO)
    try:
        question = replay_into(session, replay, delay)
    except AnswerError as exc:
        if args.resume is None:
            # An answers file that does not fit leaves no half interview behind.
            session.store.delete_interview(session.interview_id)
        raise Problems([f"{args.answers}: {p}" for p in exc.problems]) from None
    except BaseException:
        if args.resume is None:
            session.store.delete_interview(session.interview_id)
        raise
    if args.resume is None and not replay.leftover():
        from .balance import compute

        differ = replay_differences(
            compute(file_dataset), session.balance(), args.answers
        )
        if differ:
            session.store.delete_interview(session.interview_id)
            raise Problems(differ)
    if question is not None:
        print(
            f"interview {session.interview_id} unfinished: the answers file does "
            f"not answer question {question.id} ({question.text(language)})",
            file=sys.stderr,
        )
        return EXIT_UNFINISHED
    left = replay.leftover()
    if left:
        if args.resume is None:
            session.store.delete_interview(session.interview_id)
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
            render_markdown(
                ReportSource.from_session(session, None, language), language
            ),
            args.output,
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
    session = _session(args, args.id)
    language = getattr(args, "lang", None) or session.language
    if args.format in ("yaml", "json"):
        import yaml

        data = session.data_file()
        if args.format == "json":
            text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        else:
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        _write(text, args.output)
        return EXIT_OK

    from . import exporter
    from .dataset import DataFileError

    if args.format == "xlsx":
        if args.output is None and sys.stdout.isatty():
            raise UsageError(
                "an .xlsx workbook is not text; write it to a file with -o FILE.xlsx"
            )
        try:
            content = exporter.workbook(session, language)
        except DataFileError as exc:
            raise Problems(exc.problems) from None
        if args.output is None:
            sys.stdout.buffer.write(content)
            return EXIT_OK
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_bytes(content)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
        return EXIT_OK
    try:
        dataset = session.dataset()
        if args.format == "csv":
            text = exporter.flows_csv(dataset, language)
        else:
            text = exporter.sankeymatic(dataset, session.balance(), language)
    except DataFileError as exc:
        raise Problems(exc.problems) from None
    if args.format == "csv" and args.output is not None:
        # A byte-order mark, so that Excel reads the accents as UTF-8.
        text = "\ufeff" + text
    _write(text, args.output)
    return EXIT_OK


def _map_options(items: list[str]) -> dict[str, str]:
    from .importer import ImportFileError, check_field

    mapping: dict[str, str] = {}
    for item in items:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise UsageError(
                f"--map {item}: write COLUMN=FIELD, e.g. --map Omschrijving=name"
            )
        try:
            mapping[column.strip()] = check_field(target.strip())
        except ImportFileError as exc:
            raise Problems(exc.problems) from None
    return mapping


def _cmd_import(args: argparse.Namespace) -> int:
    from .importer import (
        DATA_SUFFIXES,
        ImportFileError,
        iter_preview_lines,
        read_preview,
        replay_data_file,
        store_preview,
    )
    from .session import AnswerError, Session

    overrides = _map_options(args.map)
    is_data = args.file.suffix.lower() in DATA_SUFFIXES
    if is_data and (args.into is not None or args.kind or overrides or args.sheet):
        raise UsageError(
            f"{args.file} is a massabalans/1 data file: it becomes a new interview "
            "with the kinds it names; leave out --into, --kind, --map and --sheet"
        )
    questionnaire = _questionnaire(args)
    session = _session(args, args.into) if args.into is not None else None
    language = session.language if session else getattr(args, "lang", None) or "nl"
    try:
        preview = read_preview(
            args.file,
            questionnaire,
            kind=args.kind,
            overrides=overrides,
            sheet=args.sheet,
            answers=session.answers if session else {},
            language=language,
        )
    except ImportFileError as exc:
        raise Problems(exc.problems) from None

    for line in iter_preview_lines(preview):
        print(line)
    for line in preview.problem_lines():
        print(line, file=sys.stderr)
    if not preview.rows and not is_data:
        raise Problems([f"{args.file}: no row could be read, so nothing was imported"])
    where = f"interview {args.into}" if args.into is not None else "a new interview"
    if not args.yes:
        print(
            f"nothing was stored: run the same command with --yes to import "
            f"{len(preview.rows)} rows into {where}"
        )
        return EXIT_OK

    if args.verbose:
        logging.getLogger("interview.importer").setLevel(logging.INFO)
        logging.getLogger("interview.session").setLevel(logging.INFO)
    pause = float(os.environ.get("MASSABALANS_IMPORT_DELAY", "0") or 0)
    store = session.store if session else _store(args)
    try:
        with store._transaction():
            if is_data:
                assert preview.data is not None
                info = preview.data.get("interview") or {}
                language = getattr(args, "lang", None) or info.get("language") or "nl"
                session = Session.start(store, questionnaire, language)
                question = replay_data_file(session, preview, pause)
            else:
                if session is None:
                    session = Session.start(store, questionnaire, language)
                added = store_preview(session, preview, pause)
    except AnswerError as exc:
        raise Problems([f"{args.file}: {p}" for p in exc.problems]) from None
    except ImportFileError as exc:
        raise Problems(exc.problems) from None

    if is_data:
        state = (
            "finished"
            if question is None
            else f"open at question {question.id} ({question.text(language)})"
        )
        print(f"imported {args.file} as interview {session.interview_id}, {state}")
        return EXIT_OK
    for line in preview.opened:
        print(f"answered {line}, so that its rows count")
    counts = ", ".join(f"{qid} {n}" for qid, n in added.items())
    print(
        f"imported {len(preview.rows)} rows into interview {session.interview_id} "
        f"({counts})"
        + (
            f"; {len(preview.problems)} rows were not (see above)"
            if preview.problems
            else ""
        )
    )
    if args.into is None:
        print("continue the interview with: massabalans")
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from .dataset import DataFile

    schema = DataFile.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "massabalans/1 data file",
        **schema,
    }
    json.dump(schema, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return EXIT_OK


def _check_address(host: str, port: int) -> None:
    """Refuse an address the server cannot listen on, with what to do instead."""
    import ipaddress
    import socket

    if not 1 <= port <= 65535:
        raise UsageError(f"port {port} does not exist; give a port from 1 to 65535")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UsageError(
            f"{host!r} is not a host name or address of this machine; use "
            "127.0.0.1 (this machine only) or leave --host out"
        ) from None
    family, kind, _, _, address = found[0]
    with socket.socket(family, kind) as probe:
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRNOTAVAIL:
                raise UsageError(
                    f"{host} is not an address of this machine; use 127.0.0.1 "
                    "(this machine only) or leave --host out"
                ) from None
            raise UsageError(
                f"cannot listen on {host}:{port} ({exc.strerror}); another program "
                "may use that port: give another with --port"
            ) from None
    try:
        local = ipaddress.ip_address(address[0]).is_loopback
    except ValueError:
        local = False
    if not local:
        print(
            f"massabalans: warning: {host} can be reached from other machines, and "
            "the server has no login: anyone on the network can read and change "
            "the interviews",
            file=sys.stderr,
        )


def _cmd_serve(args: argparse.Namespace) -> int:
    # Checked here, so that a bad question file or database is one line on
    # stderr and not an error page in every browser tab.
    _questionnaire(args)
    _store(args).close()
    _check_address(args.host, args.port)
    from .tui.serve import serve

    _started()
    serve(
        host=args.host,
        port=args.port,
        db=getattr(args, "db", None),
        questions=getattr(args, "questions", None),
        language=getattr(args, "lang", None),
    )
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from .store import StoreError

    store = _store(args)
    try:
        store.backup(args.target)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"cannot write {args.target}: {exc}") from None
    print(f"database {store.path} copied to {args.target}")
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

    paths = args.paths or [getattr(args, "questions", None)]
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


def _started() -> None:
    """A long-running command is past its start: collect cycles again.

    What was made during the start (modules, the question files) stays, so it
    is frozen out of the collector's passes, which then only walk new objects.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def script() -> None:
    """The `massabalans` command.

    Python's cyclic garbage collector is off while the command starts: its
    passes over the growing heap of imported modules (Textual, pydantic)
    take a third of the app's start, and the start makes no garbage worth
    collecting. The app and the server turn it back on once started
    (`_started`); the other commands are short and end with it off.
    """
    global _WHOLE_PROCESS
    _WHOLE_PROCESS = True
    gc.disable()
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    script()
