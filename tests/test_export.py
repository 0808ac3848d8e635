"""Exports of a stored interview: the data file round trip, CSV, XLSX, SankeyMatic."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from interview.cli import main
from interview.engine import Answer
from interview.importer import read_preview
from interview.questionnaire import load_questionnaire
from interview.report import ReportSource, render_markdown
from interview.session import Session
from interview.store import Store

from .conftest import DATA

ANSWER_FILES = sorted(p.name for p in DATA.glob("*.answers.yaml"))
SMALL = DATA / "questions_small"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def questions_for(name: str) -> list[str]:
    # small.answers.yaml answers the small questionnaire, the cases the shipped one.
    return ["--questions", str(SMALL)] if name.startswith("small.") else []


def replayed(capsys, answers: Path, db: Path, extra: list[str]) -> Session:
    code, out, err = run(capsys, "run", "--answers", answers, "--db", db, *extra)
    assert code == 0, err
    interview_id = int(re.search(r"interview (\d+) finished", out).group(1))
    questionnaire = load_questionnaire(Path(extra[1]) if extra else None)
    return Session(Store(db), questionnaire, interview_id)


def report(session: Session) -> str:
    text = render_markdown(ReportSource.from_session(session), session.language)
    # The report is dated by the interview's last change: two runs a second
    # apart may fall on either side of midnight, so the date is masked.
    row = session.store.interview(session.interview_id)
    return text.replace(row.updated[:10], "<date>")


@pytest.mark.parametrize("name", ANSWER_FILES)
def test_an_exported_interview_replays_into_the_same_balance_and_report(
    name, tmp_path, capsys
):
    extra = questions_for(name)
    first = replayed(capsys, DATA / name, tmp_path / "first.db", extra)
    exported = tmp_path / "export.yaml"
    code, _, err = run(
        capsys,
        "export",
        first.interview_id,
        "--db",
        tmp_path / "first.db",
        "-o",
        exported,
        *extra,
    )
    assert code == 0, err
    second = replayed(capsys, exported, tmp_path / "second.db", extra)

    assert second.balance().to_json() == first.balance().to_json()
    assert report(second) == report(first)
    assert second.active() == first.active()


def stored(capsys, tmp_path: Path, name: str = "bread.answers.yaml") -> Session:
    return replayed(capsys, DATA / name, tmp_path / "m.db", [])


def test_the_csv_export_lists_every_flow_with_its_mass_in_dutch_notation(
    tmp_path, capsys
):
    session = stored(capsys, tmp_path)
    code, out, _ = run(
        capsys,
        "export",
        session.interview_id,
        "--db",
        tmp_path / "m.db",
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    dataset = session.dataset()
    assert [r["name"] for r in rows] == [f.flow.name for f in dataset.flows]
    water = next(r for r in rows if r["unit"] == "l")
    assert water["kg"] == water["quantity"] and "," in water["kg"]
    loaves = next(r for r in rows if r["kind"] == "product")
    assert loaves["unit"] == "st" and loaves["kg"] == "40"
    total = sum(
        Decimal(r["kg"].replace(",", "."))
        for r in rows
        if r["kg"] and r["kind"] in ("raw_material", "auxiliary")
    )
    assert total == session.balance().inputs_kg


def test_a_csv_export_reads_back_as_the_same_flows(tmp_path, capsys):
    session = stored(capsys, tmp_path, "composite.answers.yaml")
    path = tmp_path / "stromen.csv"
    run(
        capsys,
        "export",
        session.interview_id,
        "--db",
        tmp_path / "m.db",
        "--format",
        "csv",
        "-o",
        path,
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    preview = read_preview(path, session.questionnaire)
    assert preview.problems == []
    exported = [
        {k: v for k, v in flow.items() if k != "question"}
        for flow in session.data_file()["flows"]
    ]
    assert [row.flow for row in preview.rows] == exported
    assert any("composition" in flow for flow in exported)


def test_the_workbook_has_the_flows_first_then_a_sheet_per_step(tmp_path, capsys):
    session = stored(capsys, tmp_path, "sawmill.answers.yaml")
    path = tmp_path / "interview.xlsx"
    code, _, err = run(
        capsys,
        "export",
        session.interview_id,
        "--db",
        tmp_path / "m.db",
        "--format",
        "xlsx",
        "-o",
        path,
    )
    assert code == 0, err
    book = load_workbook(path)
    steps = session.questionnaire.steps
    assert len(book.sheetnames) == len(steps) + 2
    assert book.sheetnames[0] == "stromen" and book.sheetnames[-1] == "balans"
    flows = list(book["stromen"].iter_rows(values_only=True))
    assert len(flows) == len(session.dataset().flows) + 1
    header = flows[0]
    kg = header.index("kg")
    assert sum(Decimal(str(r[kg] or 0)) for r in flows[1:]) > 0
    start = {r[0]: r[2] for r in book[book.sheetnames[1]].iter_rows(values_only=True)}
    assert start["company_name"] == session.dataset().data.company.name
    balance = {r[0]: r[1] for r in book["balans"].iter_rows(values_only=True) if r}
    assert balance["inputs_kg"] == pytest.approx(float(session.balance().inputs_kg))


def test_a_waste_code_stays_text_in_the_workbook(tmp_path, capsys):
    db = tmp_path / "m.db"
    questionnaire = load_questionnaire()
    session = Session.start(Store(db), questionnaire)
    session.answer(questionnaire.question("waste_types"), Answer(["residual"]))
    path = tmp_path / "afval.csv"
    path.write_text(
        "naam;hoeveelheid;eenheid;soort;euralcode\nveegvuil;2;t;afval;030105\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "import", path, "--db", db, "--into", session.interview_id, "--yes"
    )
    assert "residual_waste 1" in out
    out = tmp_path / "i.xlsx"
    code, _, err = run(
        capsys,
        "export",
        session.interview_id,
        "--db",
        db,
        "--format",
        "xlsx",
        "-o",
        out,
    )
    assert code == 0, err
    sheet = load_workbook(out)["stromen"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("ewc_code") + 1).value == "030105"


def test_the_sankeymatic_export_runs_inputs_into_the_company_and_out(tmp_path, capsys):
    session = stored(capsys, tmp_path)
    code, out, _ = run(
        capsys,
        "export",
        session.interview_id,
        "--db",
        tmp_path / "m.db",
        "--format",
        "sankeymatic",
    )
    assert code == 0
    company = session.dataset().data.company.name
    pattern = re.compile(r"^(.+) \[([0-9.]+)\] (.+)$")
    lines = [pattern.match(x) for x in out.splitlines() if not x.startswith("//")]
    assert all(lines), out
    into = sum(Decimal(m[2]) for m in lines if m[3] == company)
    out_of = sum(Decimal(m[2]) for m in lines if m[1] == company)
    balance = session.balance()
    assert into == pytest.approx(balance.inputs_kg, abs=Decimal("0.01"))
    assert out_of == into  # the gap is drawn, so the diagram balances
    assert any(m[3] == "niet verklaard" for m in lines)


def test_the_schema_command_prints_the_json_schema_of_the_data_file(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) >= {"format", "company", "period", "flows"}
    assert schema["additionalProperties"] is False
    flow = schema["$defs"]["Flow"]
    assert "ewc_code" in flow["properties"] and "kind" in flow["required"]


def test_the_flows_sheet_of_a_workbook_export_reads_back_as_the_same_flows(
    tmp_path, capsys
):
    session = stored(capsys, tmp_path, "composite.answers.yaml")
    path = tmp_path / "interview.xlsx"
    run(
        capsys,
        "export",
        session.interview_id,
        "--db",
        tmp_path / "m.db",
        "--format",
        "xlsx",
        "-o",
        path,
    )
    preview = read_preview(path, session.questionnaire)
    assert preview.problems == []
    exported = [
        {k: v for k, v in flow.items() if k != "question"}
        for flow in session.data_file()["flows"]
    ]
    assert [row.flow for row in preview.rows] == exported


def test_a_name_that_looks_like_a_formula_stays_text_in_the_workbook(tmp_path):
    from openpyxl import load_workbook

    from interview.engine import Answer
    from interview.exporter import workbook
    from interview.questionnaire import load_questionnaire
    from interview.session import Session
    from interview.store import Store

    from .conftest import DATA

    questionnaire = load_questionnaire(DATA / "questions_small")
    session = Session.start(Store(tmp_path / "f.db"), questionnaire)
    session.answer(
        questionnaire.question("raw_materials"),
        Answer([{"name": "=cmd|' /C calc'!A0", "quantity": "1", "unit": "kg"}]),
    )
    out = tmp_path / "f.xlsx"
    out.write_bytes(workbook(session))
    book = load_workbook(out)
    cells = [
        c
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=cmd")
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv_and_reads_back(
    tmp_path,
):
    import csv
    import io

    from interview.dataset import parse_dataset
    from interview.exporter import flows_csv
    from interview.importer import read_preview
    from interview.questionnaire import load_questionnaire

    names = ["=cmd|' /C calc'!A0", "+31 staal", "@SUM(A1)", "-min", "gewoon"]
    dataset = parse_dataset(
        {
            "format": "massabalans/1",
            "company": {"name": "x"},
            "period": "1",
            "flows": [
                {"name": n, "kind": "raw_material", "quantity": "1", "unit": "kg"}
                for n in names
            ],
        }
    )
    text = flows_csv(dataset, "nl")
    cells = [row[0] for row in csv.reader(io.StringIO(text), delimiter=";")][1:]
    assert cells == [
        "'=cmd|' /C calc'!A0",
        "'+31 staal",
        "'@SUM(A1)",
        "'-min",
        "gewoon",
    ]
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    preview = read_preview(path, load_questionnaire())
    assert [row.flow["name"] for row in preview.rows] == names


def test_hazardous_read_as_text_from_yaml_is_stored_and_exported_as_yes_or_no(
    tmp_path,
):
    from interview.engine import Answer
    from interview.questionnaire import load_questionnaire
    from interview.session import Session
    from interview.store import Store

    from .conftest import DATA

    questionnaire = load_questionnaire(DATA / "questions_small")
    session = Session.start(Store(tmp_path / "h.db"), questionnaire)
    item = {"name": "zuur", "quantity": "5", "unit": "kg", "hazardous": "false"}
    stored = session.answer(questionnaire.question("raw_materials"), Answer([item]))
    assert stored.value[0]["hazardous"] is False
    [flow] = session.data_file()["flows"]
    assert flow["hazardous"] is False
