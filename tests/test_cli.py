"""The command line, run as a user runs it: real processes, a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from interview.store import Store

from .conftest import DATA

SMALL = str(DATA / "questions_small")


def massabalans(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "interview.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env or os.environ.copy(),
    )


def test_a_headless_run_finishes_and_writes_a_report_with_the_support_advice(tmp_path):
    db, report = tmp_path / "m.db", tmp_path / "r.md"
    run = massabalans(
        "run",
        "--answers",
        str(DATA / "small.answers.yaml"),
        "--db",
        str(db),
        "--questions",
        SMALL,
        "-o",
        str(report),
    )
    assert run.returncode == 0, run.stderr
    text = report.read_text(encoding="utf-8")
    assert "Meubelmakerij De Zaag \\| Zn" in text
    assert "| **Totaal ingaand** | **24.500 kg** |" in text
    assert "Begin direct." in text and "Investeer in kennis." in text
    assert "cursus circulair ondernemen" in text
    stored = Store(db)
    interview = stored.interviews()[0]
    assert interview.status == "finished" and interview.company.startswith("Meubel")
    assert stored.answers(interview.id)["staff_know"].value == "no"


def test_a_run_whose_answers_stop_early_exits_3_and_names_the_next_question(tmp_path):
    run = massabalans(
        "run",
        "--answers",
        str(DATA / "bread.yaml"),
        "--db",
        str(tmp_path / "m.db"),
        "--questions",
        SMALL,
    )
    assert run.returncode == 3
    assert "buys_composite" in run.stderr


def test_an_invalid_answers_file_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: massabalans/1\ncompany: {name: x}\nperiod: '1'\n"
        "flows: [{name: a, kind: raw_material, quantity: '1.200', unit: kg}]\n"
    )
    run = massabalans(
        "run",
        "--answers",
        str(bad),
        "--db",
        str(tmp_path / "m.db"),
        "--questions",
        SMALL,
    )
    assert run.returncode == 2 and "can be read as" in run.stderr


def test_a_report_from_a_data_file_lists_what_the_file_leaves_open():
    run = massabalans("report", "--data", str(DATA / "bread.yaml"))
    assert run.returncode == 0, run.stderr
    assert "| **Totaal ingaand** | **40,75 kg** |" in run.stdout
    assert "## Open vragen" in run.stdout
    assert "open_to_change" in run.stdout


def test_a_report_is_dated_by_the_interview_not_by_today():
    run = massabalans(
        "report", "--data", str(DATA / "small.answers.yaml"), "--questions", SMALL
    )
    # The ISO date of the data file, written as a Dutch reader writes it.
    assert "| Datum interview | 31 januari 2026 |" in run.stdout


def test_a_report_in_english_uses_english_numbers(tmp_path):
    run = massabalans("report", "--data", str(DATA / "sawmill.yaml"), "--lang", "en")
    assert "| **Total inputs** | **56,000 kg** |" in run.stdout


def test_a_stored_interview_exports_a_data_file_that_balances_the_same(tmp_path):
    db = str(tmp_path / "m.db")
    massabalans(
        "run",
        "--answers",
        str(DATA / "small.answers.yaml"),
        "--db",
        db,
        "--questions",
        SMALL,
    )
    exported = tmp_path / "export.yaml"
    run = massabalans(
        "export", "1", "--db", db, "--questions", SMALL, "-o", str(exported)
    )
    assert run.returncode == 0, run.stderr
    original = massabalans("balance", str(DATA / "small.answers.yaml"), "--json").stdout
    again = massabalans("balance", str(exported), "--json").stdout
    assert original == again
    listing = massabalans("list", "--db", db).stdout
    assert "Meubelmakerij" in listing and "finished" in listing


def test_check_passes_the_shipped_questions_and_fails_a_broken_file(tmp_path):
    assert massabalans("check", SMALL).returncode == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "questionnaire: {id: b, version: '1'}\nsteps:\n  - id: s\n"
        "    title: {nl: S, en: S}\n    questions:\n"
        "      - {id: a, type: text, text: {nl: A, en: A}, help: {nl: h, en: h},"
        " when: 'b == 1'}\n"
    )
    run = massabalans("check", str(broken))
    assert run.returncode == 2
    assert '"b" is not an earlier question' in run.stderr
    assert "Traceback" not in run.stderr


def test_a_damaged_database_gets_a_message_and_is_left_untouched(tmp_path):
    db = tmp_path / "broken.db"
    db.write_bytes(b"this is not a database" * 100)
    before = db.read_bytes()
    run = massabalans("list", "--db", str(db))
    assert run.returncode == 2 and "damaged" in run.stderr
    assert db.read_bytes() == before


def test_report_refuses_to_overwrite_its_input_or_write_beside_a_device(tmp_path):
    data = tmp_path / "self.yaml"
    data.write_text((DATA / "bread.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = data.read_text(encoding="utf-8")
    run = massabalans("report", "--data", str(data), "-o", str(data))
    assert run.returncode == 2 and "is the input file" in run.stderr
    assert data.read_text(encoding="utf-8") == before
    run = massabalans("report", "--data", str(data), "-o", "/dev/null")
    assert run.returncode == 2 and "not a regular file" in run.stderr
    run = massabalans("report", "--data", str(data), "-o", "")
    assert run.returncode == 2 and "empty" in run.stderr


def test_an_answers_file_that_does_not_fit_leaves_no_interview_behind(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: massabalans/1\ncompany: {name: X}\nperiod: '1'\nflows: []\n"
        "answers: {buys_composite: maybe, bogus: 7}\n"
    )
    db = tmp_path / "m.db"
    run = massabalans(
        "run", "--answers", str(bad), "--db", str(db), "--questions", SMALL
    )
    assert run.returncode == 2 and "not one of the choices" in run.stderr
    assert "bogus is not a question" in run.stderr
    assert Store(db).interviews() == []


def test_a_replay_refuses_a_file_with_parts_instead_of_losing_them(tmp_path):
    parts = tmp_path / "parts.yaml"
    parts.write_text(
        "format: massabalans/1\ncompany: {name: X}\nperiod: '1'\n"
        "parts: [{name: frame, components: [{material: buis, quantity: 2}]}]\n"
        "flows: [{name: frames, kind: semi_finished, part: frame, quantity: 2, "
        "unit: st}]\n"
    )
    run = massabalans("run", "--answers", str(parts), "--db", str(tmp_path / "p.db"))
    assert run.returncode == 2 and "names parts" in run.stderr


def test_a_long_running_command_collects_garbage_again_once_started():
    import gc

    from interview import cli

    gc.disable()
    try:
        cli._started()
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_an_output_that_cannot_be_written_is_one_line_not_a_traceback():
    command = [sys.executable, "-m", "interview.cli", "balance"]
    command += [str(DATA / "bread.yaml"), "--json"]
    with open("/dev/full", "w") as full:
        run = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "massabalans: the output cannot be written (No space left on device); free "
        "some space or write it somewhere else"
    ]
    closed = subprocess.run(
        command, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1)
    )
    assert closed.returncode == 2
    assert "no standard output" in closed.stderr
    assert "Traceback" not in closed.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--interview", "1"),
        ("export", "1"),
        ("export", "1", "--format", "csv"),
    ],
    ids=lambda c: " ".join(c),
)
@pytest.mark.parametrize("target", ["", "-wal", ".svg-as-report"])
def test_no_output_is_written_over_the_database(tmp_path, command, target):
    db = tmp_path / "m.db"
    run = massabalans(
        "--db", str(db), "run", "--answers", str(DATA / "bread.answers.yaml")
    )
    assert run.returncode == 0, run.stderr
    before = db.read_bytes()
    if target == ".svg-as-report":
        db = tmp_path / "m.svg"
        db.write_bytes(before)
        before = db.read_bytes()
        output = tmp_path / "m.md"  # its picture would be m.svg
    else:
        output = tmp_path / f"m.db{target}"
    run = massabalans("--db", str(db), *command, "-o", str(output))
    assert run.returncode == 2
    assert "would destroy every interview" in run.stderr
    assert db.read_bytes() == before


def test_dash_as_the_output_is_standard_output(tmp_path):
    db = tmp_path / "m.db"
    massabalans("--db", str(db), "run", "--answers", str(DATA / "bread.answers.yaml"))
    run = massabalans("--db", str(db), "export", "1", "-o", "-")
    assert run.returncode == 0 and run.stdout.startswith("format: massabalans/1")
    assert not (tmp_path / "-").exists() and not Path("-").exists()


HEAD = 'format: massabalans/1\ncompany: {name: X, sector: food}\nperiod: "2025"\n'


def replayed(tmp_path, body):
    """Run a data file as an interview; the flows and stock the database got."""
    import json as json_module

    path = tmp_path / "f.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    db = tmp_path / "f.db"
    run = massabalans("--db", str(db), "run", "--answers", str(path))
    export = massabalans("--db", str(db), "export", "1", "--format", "json")
    data = json_module.loads(export.stdout) if export.returncode == 0 else {}
    return run, data


@pytest.mark.parametrize("key", ["buys_composite", "no_such_question"])
def test_a_flow_whose_question_cannot_take_it_is_placed_by_its_kind(tmp_path, key):
    run, data = replayed(
        tmp_path,
        "flows:\n  - {name: a, kind: raw_material, quantity: 5, unit: kg}\n"
        f"  - {{name: b, kind: waste, quantity: 5, unit: kg, question: {key}}}\n",
    )
    assert run.returncode in (0, 3), run.stderr
    assert [(f["name"], f["kind"]) for f in data["flows"] if f["name"] == "b"] == [
        ("b", "waste")
    ]


def test_two_flows_naming_one_quantity_question_are_both_kept(tmp_path):
    run, data = replayed(
        tmp_path,
        "flows:\n"
        "  - {name: b, kind: waste, quantity: 5, unit: kg, question: mains_water}\n"
        "  - {name: c, kind: auxiliary, quantity: 7, unit: kg,"
        " question: mains_water}\n",
    )
    assert run.returncode in (0, 3), run.stderr
    kinds = sorted((f["kind"], f["quantity"]) for f in data["flows"])
    assert kinds == [("auxiliary", "7"), ("waste", "5")]


def test_stock_in_a_file_opens_the_stock_question(tmp_path):
    run, data = replayed(
        tmp_path,
        "flows:\n  - {name: a, kind: raw_material, quantity: 5, unit: kg}\n"
        "stock:\n  - {name: meel, opening: 1000, closing: 0, unit: kg}\n",
    )
    assert run.returncode in (0, 3), run.stderr
    assert [s["name"] for s in data["stock"]] == ["meel"]


def test_a_flow_no_question_takes_is_refused_before_anything_is_stored(tmp_path):
    questions = tmp_path / "q"
    questions.mkdir()
    for file in (DATA / "questions_small").glob("*.yaml"):
        questions.joinpath(file.name).write_text(file.read_text(encoding="utf-8"))
    path = tmp_path / "e.yaml"
    path.write_text(
        HEAD + "flows:\n  - {name: rook, kind: emission, quantity: 5, unit: kg}\n",
        encoding="utf-8",
    )
    db = tmp_path / "e.db"
    run = massabalans(
        "--db", str(db), "--questions", str(questions), "run", "--answers", str(path)
    )
    assert run.returncode == 2
    assert "flow rook (kind emission) fits no question" in run.stderr
    assert massabalans("--db", str(db), "list").stdout.startswith("no interviews")


def test_an_answer_with_a_note_that_is_not_text_is_refused_and_leaves_nothing(tmp_path):
    path = tmp_path / "n.yaml"
    path.write_text(
        HEAD + "flows: []\nanswers:\n  mains_water: {value: 5, note: [1, 2]}\n",
        encoding="utf-8",
    )
    db = tmp_path / "n.db"
    run = massabalans("--db", str(db), "run", "--answers", str(path))
    assert run.returncode == 2
    assert "the note is not text" in run.stderr
    assert massabalans("--db", str(db), "list").stdout.startswith("no interviews")


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ("waste_types: {a: b}", "give the choices as a list"),
        ("mains_water: {value: {value: 5}}", "the answer has no quantity"),
    ],
)
def test_an_answer_of_the_wrong_shape_is_refused_not_emptied(tmp_path, answer, said):
    path = tmp_path / "a.yaml"
    path.write_text(HEAD + f"flows: []\nanswers:\n  {answer}\n", encoding="utf-8")
    run = massabalans("--db", str(tmp_path / "a.db"), "run", "--answers", str(path))
    assert run.returncode == 2 and said in run.stderr


def test_an_answer_marked_unknown_in_a_file_is_a_dont_know():
    from interview.mapping import answer_from_data
    from interview.questionnaire import load_questionnaire

    question = load_questionnaire().question("mains_water")
    answer = answer_from_data(question, {"unknown": True, "note": "meter kapot"})
    assert (answer.unknown, answer.value, answer.note) == (True, None, "meter kapot")


def test_an_output_path_ending_in_a_slash_is_a_folder_not_a_file(tmp_path):
    folder = f"{tmp_path}/out/"
    run = massabalans("report", "--data", str(DATA / "bread.yaml"), "-o", folder)
    assert run.returncode == 2 and "is a folder" in run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "body",
    [
        "flows: [{name: meel, kind: raw_material, quantity: 10, unit: kg}]\n"
        "answers: {raw_materials: [{name: suiker, quantity: 5, unit: kg}]}\n",
        "flows: [{name: meel, kind: raw_material, quantity: 10, unit: kg}]\n"
        "stock: [{name: meel, opening: 100, closing: 50, unit: kg}]\n"
        'answers: {stock_changed: "no"}\n',
    ],
    ids=["items beside flows", "stock answered no"],
)
@pytest.mark.parametrize("command", ["run", "import"])
def test_a_file_whose_answers_and_flows_disagree_is_refused_whole(
    tmp_path, body, command
):
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    db = tmp_path / "d.db"
    args = (
        ["run", "--answers", str(path)]
        if command == "run"
        else ["import", str(path), "--yes"]
    )
    run = massabalans("--db", str(db), *args)
    assert run.returncode == 2, run.stderr
    assert "do not agree" in run.stderr
    assert massabalans("--db", str(db), "list").stdout.startswith("no interviews")


def test_flows_for_a_list_answered_unknown_are_kept(tmp_path):
    run, data = replayed(
        tmp_path,
        "flows: [{name: meel, kind: raw_material, quantity: 10, unit: kg}]\n"
        "answers: {raw_materials: {unknown: true}}\n",
    )
    assert run.returncode in (0, 3), run.stderr
    assert [f["name"] for f in data["flows"]] == ["meel"]


def test_an_output_hard_linked_to_the_database_is_refused(tmp_path):
    db = tmp_path / "o.db"
    massabalans("--db", str(db), "run", "--answers", str(DATA / "bread.answers.yaml"))
    before = db.read_bytes()
    link = tmp_path / "hard.db"
    os.link(db, link)
    run = massabalans("--db", str(db), "export", "1", "-o", str(link))
    assert run.returncode == 2 and "would destroy every interview" in run.stderr
    assert db.read_bytes() == before


def test_the_reports_picture_is_not_written_over_the_input(tmp_path):
    data = tmp_path / "d.svg"  # a data file that happens to be named .svg
    data.write_text((DATA / "bread.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = data.read_text(encoding="utf-8")
    run = massabalans("report", "--data", str(data), "-o", str(tmp_path / "d.md"))
    assert run.returncode == 2 and "is the input file" in run.stderr
    assert data.read_text(encoding="utf-8") == before
