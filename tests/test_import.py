"""Importing flows from CSV and XLSX files as spreadsheets really write them."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from interview.cli import main
from interview.engine import Answer
from interview.importer import ImportFileError, read_preview
from interview.questionnaire import load_questionnaire
from interview.session import Session
from interview.store import Store

from .conftest import DATA

QUESTIONS = load_questionnaire()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def quantities(preview) -> dict[str, Decimal]:
    return {r.flow["name"]: Decimal(r.flow["quantity"]) for r in preview.rows}


# CSV from spreadsheets


def test_a_dutch_excel_csv_reads_1_200_beside_1_234_5_as_twelve_hundred(tmp_path):
    path = write(
        tmp_path / "inkoop.csv",
        "Omschrijving;Hoeveelheid;Eenheid;Soort\r\n"
        "volkorenmeel;1.234,5;kg;grondstof\r\n"
        "suiker;1.200;kg;grondstof\r\n"
        "zout;12;kg;grondstof\r\n",
    )
    preview = read_preview(path, QUESTIONS)
    assert quantities(preview) == {
        "volkorenmeel": Decimal("1234.5"),
        "suiker": Decimal(1200),
        "zout": Decimal(12),
    }
    assert preview.problems == []
    assert preview.settings["delimiter"].startswith("semicolon")
    assert "Hoeveelheid: decimal comma" in preview.settings["numbers"]


def test_a_column_of_only_ambiguous_values_is_refused_with_both_readings(tmp_path):
    path = write(
        tmp_path / "a.csv",
        "naam;hoeveelheid;eenheid\nmeel;1.200;kg\nzout;2.500;kg\n",
    )
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert preview.rows == []
    assert [p.line for p in preview.problems] == [2, 3]
    assert "1.2 or as 1200" in preview.problems[0].reason


def test_an_undecided_column_takes_the_convention_of_the_files_other_numbers(
    tmp_path,
):
    path = write(
        tmp_path / "a.csv",
        "naam;hoeveelheid;eenheid;kosten\nmeel;1.200;kg;1.250,50\n",
    )
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert preview.rows[0].flow["quantity"] == "1200"
    assert preview.rows[0].flow["cost_eur"] == "1250.5"
    assert "from the file's other number columns" in preview.settings["numbers"]


def test_a_column_mixing_conventions_is_reported_and_read_value_by_value(tmp_path):
    path = write(
        tmp_path / "a.csv",
        'name,quantity,unit\nflour,"1.234,5",kg\nsalt,12.5,kg\nsugar,"1,200",kg\n',
    )
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert any("mixes conventions" in w for w in preview.warnings)
    assert quantities(preview) == {
        "flour": Decimal("1234.5"),
        "salt": Decimal("12.5"),
    }
    assert [p.line for p in preview.problems] == [4]


def test_the_first_header_of_a_utf8_file_with_a_byte_order_mark_still_matches(
    tmp_path,
):
    path = write(
        tmp_path / "bom.csv",
        "Naam;Hoeveelheid;Eenheid\nmeel;25;kg\n",
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert preview.columns[0].field == "name"
    assert preview.rows[0].flow["name"] == "meel"
    assert preview.settings["encoding"] == "UTF-8 with byte-order mark"


def test_a_cp1252_file_keeps_mueller_the_euro_sign_and_o_slash(tmp_path):
    path = write(
        tmp_path / "ansi.csv",
        "Omschrijving;Hoeveelheid;Eenheid;Leverancier;Kosten\n"
        "buis Ø 40 mm;1.500;kg;Müller Stahl GmbH;€ 2.400,00\n"
        "plaat;250,5;kg;Müller Stahl GmbH;€ 612,75\n",
        encoding="cp1252",
    )
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert preview.settings["encoding"] == "Windows-1252 (cp1252)"
    first = preview.rows[0].flow
    assert first["name"] == "buis Ø 40 mm"
    assert first["supplier"] == "Müller Stahl GmbH"
    assert first["quantity"] == "1500" and first["cost_eur"] == "2400"
    assert preview.rows[1].flow["cost_eur"] == "612.75"


def test_commas_inside_the_cells_of_a_semicolon_file_do_not_split_them(tmp_path):
    path = write(
        tmp_path / "komma.csv",
        "Naam;Hoeveelheid;Eenheid;Leverancier;Opmerking\n"
        "meel, volkoren;2,5;t;Jansen, Pietersen & Co;gemalen, niet gezeefd\n"
        "zout, grof;12,25;kg;Zoutwinning, Delfzijl;\n",
    )
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert preview.settings["delimiter"].startswith("semicolon")
    assert [r.flow["name"] for r in preview.rows] == ["meel, volkoren", "zout, grof"]
    assert preview.rows[0].flow["supplier"] == "Jansen, Pietersen & Co"
    assert preview.rows[0].flow["note"] == "gemalen, niet gezeefd"
    assert quantities(preview)["zout, grof"] == Decimal("12.25")


def test_a_tab_separated_file_without_clear_quoting_is_split_on_tabs(tmp_path):
    path = write(tmp_path / "t.txt", "name\tqty\tunit\nflour\t1,5\tkg\n")
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert preview.settings["delimiter"].startswith("tab")
    assert quantities(preview) == {"flour": Decimal("1.5")}


def test_leading_zeros_of_article_numbers_and_waste_codes_are_kept(tmp_path):
    path = write(
        tmp_path / "afval.csv",
        "Artikelnummer;Omschrijving;Hoeveelheid;Eenheid;Euralcode;Soort\n"
        "000123;zaagsel;1500;kg;030105;afval\n"
        "004560;oud papier;300;kg;20 01 01;afval\n",
    )
    preview = read_preview(path, QUESTIONS)
    first, second = (r.flow for r in preview.rows)
    assert first["ewc_code"] == "030105" and first["note"] == "Artikelnummer: 000123"
    assert second["ewc_code"] == "200101" and second["note"] == "Artikelnummer: 004560"


def test_a_header_with_a_unit_gives_rows_without_one_that_unit(tmp_path):
    path = write(tmp_path / "h.csv", "Naam;Gewicht (kg);Soort\nmeel;25;grondstof\n")
    preview = read_preview(path, QUESTIONS)
    assert preview.rows[0].flow["unit"] == "kg"
    assert preview.columns[1].unit_hint == "kg"


def test_a_unit_written_after_the_number_is_the_rows_unit(tmp_path):
    path = write(
        tmp_path / "u.csv", "naam;hoeveelheid\nmeel;1.234,5 kg\nwater;850 m3\n"
    )
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert [(r.flow["quantity"], r.flow["unit"]) for r in preview.rows] == [
        ("1234.5", "kg"),
        ("850", "m3"),
    ]


def test_the_leverancier_of_a_waste_row_is_its_processor(tmp_path):
    path = write(
        tmp_path / "l.csv",
        "Naam;Hoeveelheid;Eenheid;Soort;Leverancier\n"
        "meel;400;kg;grondstof;Molen De Hoop\n"
        "oud papier;120;kg;afval;Renewi\n",
    )
    flows = {row.flow["name"]: row.flow for row in read_preview(path, QUESTIONS).rows}
    assert flows["meel"].get("supplier") == "Molen De Hoop"
    assert "processor" not in flows["meel"]
    assert flows["oud papier"].get("processor") == "Renewi"
    assert "supplier" not in flows["oud papier"]


@pytest.mark.parametrize("cell", ["12 t", "1e5", "0x10", "1_000", "2 - 3", "3 stuks"])
def test_a_quantity_with_more_than_a_number_beside_a_unit_column_is_refused(
    tmp_path, cell
):
    path = write(
        tmp_path / "q.csv",
        "naam;hoeveelheid;eenheid;soort\n"
        f"lijm;{cell};kg;grondstof\nzout;12 kgs;kg;grondstof\n",
    )
    preview = read_preview(path, QUESTIONS)
    assert [row.flow["name"] for row in preview.rows] == ["zout"]
    assert [problem.line for problem in preview.problems] == [2]
    assert cell in preview.problems[0].reason


def test_unreadable_rows_are_listed_by_line_and_the_rest_are_imported(tmp_path):
    path = write(
        tmp_path / "mixed.csv",
        "naam;hoeveelheid;eenheid;soort\n"
        'meel;10;kg;"grondstof"\n'
        '"lijm\nmet twee regels";5;kg;grondstof\n'
        "zout;abc;kg;grondstof\n"
        "Totaal;15;kg;grondstof\n"
        ";;;\n"
        "diesel;40;l;hulpstof;\n"
        "olie;2;kg;vloeistof\n",
    )
    preview = read_preview(path, QUESTIONS)
    assert [r.flow["name"] for r in preview.rows] == [
        "meel",
        "lijm\nmet twee regels",
        "diesel",
    ]
    problems = {p.line: p.reason for p in preview.problems}
    assert set(problems) == {5, 6, 9}
    assert '"abc" is not a number' in problems[5]
    assert "total" in problems[6]
    assert 'kind "vloeistof" is not known' in problems[9]


def test_a_file_without_a_quantity_column_says_how_to_name_it(tmp_path):
    path = write(tmp_path / "x.csv", "naam;gewogen\nmeel;10\n")
    with pytest.raises(ImportFileError) as caught:
        read_preview(path, QUESTIONS, kind="raw_material")
    message = caught.value.problems[0]
    assert "no column for quantity" in message and '"gewogen"' in message
    assert "--map" in message


def test_map_reads_a_column_the_guess_missed(tmp_path):
    path = write(tmp_path / "x.csv", "naam;gewogen;eenheid\nmeel;10;kg\n")
    preview = read_preview(
        path, QUESTIONS, kind="raw_material", overrides={"GEWOGEN": "quantity"}
    )
    assert quantities(preview) == {"meel": Decimal(10)}


def test_a_misspelt_map_field_suggests_the_right_one(tmp_path, capsys):
    path = write(tmp_path / "x.csv", "naam;gewogen\nmeel;10\n")
    code, _, err = run(capsys, "import", path, "--map", "gewogen=quantaty")
    assert code == 2
    assert 'did you mean "quantity"' in err and "Traceback" not in err


def test_a_price_per_kg_is_not_taken_for_the_total_cost(tmp_path):
    path = write(
        tmp_path / "p.csv", "naam;hoeveelheid;eenheid;prijs per kg\nmeel;10;kg;0,80\n"
    )
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert "cost_eur" not in preview.rows[0].flow
    assert preview.columns[3].field is None


# XLSX


def formula_workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Inkoop"
    sheet.append(["Artikelnummer", "Omschrijving", "Hoeveelheid", "Eenheid", "Kosten"])
    sheet.append(["000123", "staalplaat", 1000, "kg", "=C2*1.25"])
    sheet.append(["000456", "lasdraad", "=10*5", "kg", 200])
    sheet.append([789, "verf", 12.5, "kg", 100])
    sheet["A4"].number_format = "000000"
    book.save(path)
    return path


def test_an_openpyxl_workbook_with_uncalculated_formulas_names_each_cell(tmp_path):
    path = formula_workbook(tmp_path / "script.xlsx")
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert [r.flow["name"] for r in preview.rows] == ["verf"]
    problems = {p.line: p.reason for p in preview.problems}
    assert "E2 (Kosten) holds =C2*1.25" in problems[2]
    assert "C3 (Hoeveelheid) holds =10*5" in problems[3]
    assert "Excel or LibreOffice" in problems[2]
    assert any("2 formula cells have no saved result" in w for w in preview.warnings)
    assert preview.line_word == "row"


def test_a_numeric_code_cell_shown_with_zeros_keeps_its_zeros(tmp_path):
    path = formula_workbook(tmp_path / "script.xlsx")
    preview = read_preview(path, QUESTIONS, kind="raw_material")
    assert preview.rows[0].flow["note"] == "Artikelnummer: 000789"


def test_a_waste_code_stored_as_a_number_gets_its_leading_zero_back(tmp_path):
    book = Workbook()
    book.active.append(["naam", "hoeveelheid", "eenheid", "euralcode"])
    book.active.append(["zaagsel", 2, "t", 30105])
    book.save(tmp_path / "w.xlsx")
    preview = read_preview(tmp_path / "w.xlsx", QUESTIONS, kind="waste")
    assert preview.rows[0].flow["ewc_code"] == "030105"


def test_the_sheet_with_a_name_and_a_quantity_column_is_the_one_read(tmp_path):
    book = Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Dit overzicht is gemaakt door de boekhouding."])
    sheet = book.create_sheet("Stromen")
    sheet.append(["Overzicht 2025"])
    sheet.append(["Naam", "Hoeveelheid", "Eenheid"])
    sheet.append(["meel", 24.35, "kg"])
    book.save(tmp_path / "s.xlsx")
    preview = read_preview(tmp_path / "s.xlsx", QUESTIONS, kind="raw_material")
    assert preview.settings["sheet"].startswith('"Stromen"')
    assert preview.settings["header"] == "row 2"
    assert quantities(preview) == {"meel": Decimal("24.35")}


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    _soffice() is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui); "
    "it is needed to save a workbook with calculated formulas",
)
def test_a_workbook_saved_by_libreoffice_gives_the_formula_results(tmp_path):
    source = formula_workbook(tmp_path / "script.xlsx")
    out = tmp_path / "saved"
    subprocess.run(
        [
            _soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out / "script.xlsx"
    assert load_workbook(saved, data_only=True).active["E2"].value == 1250
    preview = read_preview(saved, QUESTIONS, kind="raw_material")
    assert preview.problems == [] and preview.warnings == []
    flows = {r.flow["name"]: r.flow for r in preview.rows}
    assert flows["staalplaat"]["cost_eur"] == "1250"
    assert flows["lasdraad"]["quantity"] == "50"
    assert flows["verf"]["note"] == "Artikelnummer: 000789"


def test_an_old_xls_file_is_refused_with_what_to_save_it_as(tmp_path, capsys):
    path = tmp_path / "oud.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    code, _, err = run(capsys, "import", path)
    assert code == 2 and ".xlsx" in err and "Traceback" not in err


def test_a_damaged_workbook_gets_a_message_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 damaged")
    code, _, err = run(capsys, "import", path, "--kind", "waste")
    assert code == 2 and "not an Excel workbook" in err


# The command


def inkoop(tmp_path: Path) -> Path:
    return write(
        tmp_path / "inkoop.csv",
        "Omschrijving;Hoeveelheid;Eenheid;Soort;Verwerker;Verwerking\n"
        "volkorenmeel;1.234,5;kg;grondstof;;\n"
        "zout;12;kg;grondstof;;\n"
        "broodresten;80;kg;afval;Renewi;vergisting\n"
        "zeep;abc;kg;hulpstof;;\n",
    )


def test_without_yes_the_import_shows_a_preview_and_stores_nothing(tmp_path, capsys):
    db = tmp_path / "m.db"
    code, out, err = run(capsys, "import", inkoop(tmp_path), "--db", db)
    assert code == 0
    assert "delimiter: semicolon" in out and "Omschrijving -> name" in out
    assert "line 2: volkorenmeel [raw_material] 1234.5 kg" in out
    assert "--yes" in out
    assert "line 5: quantity" in err
    assert Store(db).interviews() == []


def test_with_yes_the_rows_become_items_of_the_flow_lists_of_their_kind(
    tmp_path, capsys
):
    db = tmp_path / "m.db"
    code, out, _ = run(capsys, "import", inkoop(tmp_path), "--db", db, "--yes")
    assert code == 0, out
    store = Store(db)
    [row] = store.interviews()
    answers = store.answers(row.id)
    assert [i["name"] for i in answers["raw_materials"].value] == [
        "volkorenmeel",
        "zout",
    ]
    assert answers["raw_materials"].value[0]["quantity"] == "1234.5"
    [waste] = next(
        a.value for q, a in answers.items() if a.value and q.endswith("waste")
    )
    assert waste["treatment"] == "digestion" and waste["processor"] == "Renewi"
    assert "3 rows into interview" in out


def test_rows_for_a_list_the_interview_does_not_ask_yet_come_with_a_warning(
    tmp_path, capsys
):
    code, out, _ = run(capsys, "import", inkoop(tmp_path), "--db", tmp_path / "m.db")
    assert code == 0
    assert "is not asked yet in this interview" in out and "waste_types" in out


def test_an_import_into_an_interview_adds_to_what_its_list_holds(tmp_path, capsys):
    db = tmp_path / "m.db"
    session = Session.start(Store(db), QUESTIONS)
    from interview.engine import Answer

    session.answer(
        QUESTIONS.question("raw_materials"),
        Answer([{"name": "rogge", "quantity": "5", "unit": "kg"}]),
    )
    code, out, _ = run(
        capsys,
        "import",
        inkoop(tmp_path),
        "--db",
        db,
        "--into",
        session.interview_id,
        "--yes",
    )
    assert code == 0, out
    items = Store(db).answers(session.interview_id)["raw_materials"].value
    assert [i["name"] for i in items] == ["rogge", "volkorenmeel", "zout"]
    # The same file again is flagged before it is stored twice.
    code, out, _ = run(
        capsys, "import", inkoop(tmp_path), "--db", db, "--into", session.interview_id
    )
    assert "volkorenmeel is already in question raw_materials" in out


def test_an_import_into_a_missing_interview_says_how_to_find_one(tmp_path, capsys):
    code, _, err = run(
        capsys, "import", inkoop(tmp_path), "--db", tmp_path / "m.db", "--into", "7"
    )
    assert code == 2 and "massabalans list" in err


def test_a_file_without_kinds_needs_kind(tmp_path, capsys):
    path = write(tmp_path / "k.csv", "naam;hoeveelheid;eenheid\nmeel;1;kg\n")
    code, _, err = run(capsys, "import", path, "--db", tmp_path / "m.db")
    assert code == 2 and "--kind" in err


def test_a_kill_during_an_import_leaves_the_database_as_before(tmp_path):
    db = tmp_path / "m.db"
    session = Session.start(Store(db), QUESTIONS)
    before = Store(db).answers(session.interview_id)
    rows = "".join(f"meel {i};{i},5;kg;grondstof\n" for i in range(200))
    rows += "broodresten;80;kg;afval\n"
    path = write(tmp_path / "groot.csv", "naam;hoeveelheid;eenheid;soort\n" + rows)
    for target in (["--into", str(session.interview_id)], ["--new"]):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "interview.cli",
                "import",
                str(path),
                "--db",
                str(db),
                *target,
                "--yes",
                "--verbose",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ | {"MASSABALANS_IMPORT_DELAY": "30"},
        )
        assert process.stderr is not None
        for line in process.stderr:
            if "rows saved, not yet committed" in line:
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL
        store = Store(db)
        assert [r.id for r in store.interviews()] == [session.interview_id]
        assert store.answers(session.interview_id) == before


def test_a_data_file_imports_as_a_new_interview_that_balances_like_the_file(
    tmp_path, capsys
):
    db = tmp_path / "m.db"
    code, out, _ = run(capsys, "import", DATA / "bread.answers.yaml", "--db", db)
    assert code == 0 and "company: " in out and Store(db).interviews() == []
    code, out, err = run(
        capsys, "import", DATA / "bread.answers.yaml", "--db", db, "--yes"
    )
    assert code == 0, err
    assert "finished" in out
    [row] = Store(db).interviews()
    session = Session(Store(db), QUESTIONS, row.id)
    code, direct, _ = run(capsys, "balance", DATA / "bread.answers.yaml", "--json")
    import json

    assert session.balance().to_json()["inputs_kg"] == json.loads(direct)["inputs_kg"]


@pytest.mark.parametrize("case", ["bread", "sawmill", "composite"])
def test_a_data_file_without_answers_still_imports_every_flow(case, tmp_path, capsys):
    # A case's data file has flows but no answer to the first questions: the
    # interview stays open there, and the flows are in it all the same.
    import json

    db = tmp_path / "f.db"
    code, out, err = run(capsys, "import", DATA / f"{case}.yaml", "--db", db, "--yes")
    assert code == 0, err
    assert "open at question" in out
    [row] = Store(db).interviews()
    got = Session(Store(db), QUESTIONS, row.id).balance().to_json()
    expected = json.loads((DATA / f"{case}.expected.json").read_text())
    assert got["inputs_kg"] == pytest.approx(expected["inputs_kg"], abs=0.01)
    assert got["outputs_kg"] == pytest.approx(expected["outputs_kg"], abs=0.01)


def test_a_data_file_refuses_kind_and_map(tmp_path, capsys):
    code, _, err = run(
        capsys, "import", DATA / "bread.yaml", "--kind", "waste", "--db", tmp_path / "d"
    )
    assert code == 2 and "data file" in err


def test_rows_of_a_list_not_asked_yet_answer_the_question_that_opens_it(
    tmp_path, capsys
):
    csv_file = write(
        tmp_path / "afval.csv",
        "Omschrijving;Hoeveelheid;Eenheid;Soort\n"
        "oud papier;120;kg;afval\n"
        "staal;1000;kg;grondstof\n",
    )
    db = tmp_path / "g.db"
    code, out, err = run(capsys, "import", csv_file, "--db", db, "--new", "--yes")
    assert code == 0, err
    assert "answered waste_types: paper (for paper_waste)" in out
    [row] = Store(db).interviews()
    session = Session(Store(db), QUESTIONS, row.id)
    assert session.answers["waste_types"].value == ["paper"]
    balance = session.balance()
    assert balance.by_kind_kg["waste"] == 120
    assert balance.inputs_kg == 1000


def test_the_answers_that_open_a_question_are_known_only_for_plain_conditions():
    from interview.importer import gate_answers

    paper = QUESTIONS.question("paper_waste")
    assert gate_answers(paper, QUESTIONS, {}) == {"waste_types": Answer(["paper"])}
    given = {"waste_types": Answer(["glass"], "uit het contract")}
    assert gate_answers(paper, QUESTIONS, given) == {
        "waste_types": Answer(["glass", "paper"], "uit het contract")
    }
    gated_by_choice = next(
        q
        for q in QUESTIONS.questions
        if q.when and "==" in q.when and " or " not in q.when and q.type == "flow_list"
    )
    gate = gated_by_choice.when.split("==")[0].strip()
    opened = gate_answers(gated_by_choice, QUESTIONS, {})
    assert opened is not None and gate in opened
    # A choice the user made is theirs: the import does not change it.
    assert gate_answers(gated_by_choice, QUESTIONS, {gate: Answer("no")}) is None


@pytest.mark.parametrize(
    ("name", "kind", "question"),
    [
        ("stikstof", "auxiliary", "gases"),
        ("kartonnen dozen", "auxiliary", "packaging"),
        ("smeermiddel", "auxiliary", "chemicals"),  # no word: the catch-all
        ("oud papier", "waste", "paper_waste"),
        ("glasscherven", "waste", "glass_waste"),
        ("zaagsel", "waste", "wood_waste"),
        ("diverse bedrijfsafval", "waste", "residual_waste"),
        ("deegresten", "by_product", "organic_waste"),
        ("houtkrullen", "by_product", "wood_waste"),
        ("bijproduct", "by_product", "products"),
    ],
)
def test_a_flow_without_a_question_goes_to_the_list_its_words_name(
    name, kind, question
):
    from interview.mapping import flow_list_for

    flow = {"name": name, "kind": kind, "quantity": "1", "unit": "kg"}
    assert flow_list_for(QUESTIONS, flow).id == question


def test_a_material_of_a_list_goes_before_its_words():
    from interview.mapping import flow_list_for

    flow = {"name": "karton", "kind": "waste", "material": "hout", "quantity": "1"}
    assert flow_list_for(QUESTIONS, flow).id == "wood_waste"


def _workbook_with_sheet_xml(tmp_path, name, change):
    """A valid workbook whose sheet XML is then changed as a hostile file might."""
    import zipfile

    book = Workbook()
    book.active.append(["naam", "hoeveelheid", "eenheid", "soort"])
    book.active.append(["papier", 5, "kg", "afval"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as source:
        parts = [
            (info.filename, source.read(info.filename)) for info in source.infolist()
        ]
    changed = tmp_path / name
    with zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as target:
        for filename, data in parts:
            if filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(filename, data)
    return changed


def test_a_workbook_that_unpacks_to_far_too_much_is_refused_before_reading(
    tmp_path, monkeypatch
):
    import interview.importer as importer

    monkeypatch.setattr(importer, "MAX_UNPACKED_BYTES", 2**20)
    cell = (
        '<row r="3"><c r="A3" t="inlineStr"><is><t>'
        + "A" * 2**21
        + "</t></is></c></row>"
    )
    path = _workbook_with_sheet_xml(
        tmp_path,
        "bomb.xlsx",
        lambda xml: xml.replace("</sheetData>", cell + "</sheetData>"),
    )
    assert path.stat().st_size < 100_000
    with pytest.raises(ImportFileError, match="unpacks to 2 MiB, over the limit"):
        read_preview(path, QUESTIONS)


def test_rows_beyond_a_sheets_stated_size_are_read_and_too_many_are_refused(
    tmp_path, monkeypatch
):
    import interview.importer as importer

    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>karton {r}</t></is></c>'
        f'<c r="B{r}"><v>1</v></c><c r="C{r}" t="inlineStr"><is><t>kg</t></is></c>'
        f'<c r="D{r}" t="inlineStr"><is><t>afval</t></is></c></row>'
        for r in range(3, 8)
    )
    path = _workbook_with_sheet_xml(
        tmp_path,
        "rows.xlsx",
        lambda xml: xml.replace("</sheetData>", rows + "</sheetData>"),  # still A1:D2
    )
    assert len(read_preview(path, QUESTIONS).rows) == 6
    monkeypatch.setattr(importer, "MAX_ROWS", 5)
    with pytest.raises(ImportFileError, match="more than 5 rows"):
        read_preview(path, QUESTIONS)


def test_a_cell_far_out_does_not_make_the_sheet_huge(tmp_path):
    far = '<row r="100000"><c r="XFD100000"><v>1</v></c></row>'
    path = _workbook_with_sheet_xml(
        tmp_path,
        "far.xlsx",
        lambda xml: re.sub(
            r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml
        ).replace("</sheetData>", far + "</sheetData>"),
    )
    assert [row.flow["name"] for row in read_preview(path, QUESTIONS).rows] == [
        "papier"
    ]


def test_an_exported_csv_imports_each_row_into_the_list_it_came_from(tmp_path):
    from interview.exporter import flows_csv

    session = Session.start(Store(tmp_path / "e.db"), QUESTIONS)
    # By its words "oud karton" would go to the paper list; it was entered here.
    session.answer(QUESTIONS.question("waste_types"), Answer(["residual"]))
    session.answer(
        QUESTIONS.question("residual_waste"),
        Answer([{"name": "oud karton", "quantity": "300", "unit": "kg"}]),
    )
    path = tmp_path / "flows.csv"
    path.write_text(flows_csv(session.dataset()), encoding="utf-8")
    preview = read_preview(path, QUESTIONS)
    assert [(r.flow["name"], r.question) for r in preview.rows] == [
        ("oud karton", "residual_waste")
    ]
    assert "question" not in preview.rows[0].flow


def test_a_csv_export_imports_back_with_the_same_balance_and_its_water_answer(tmp_path):
    from interview.exporter import flows_csv

    store = Store(tmp_path / "r.db")
    first = Session.start(store, QUESTIONS)
    first.answer(
        QUESTIONS.question("mains_water"), Answer({"quantity": "320", "unit": "m3"})
    )
    first.answer(
        QUESTIONS.question("raw_materials"),
        Answer([{"name": "staal", "quantity": "12", "unit": "t"}]),
    )
    path = tmp_path / "flows.csv"
    path.write_text(flows_csv(first.dataset()), encoding="utf-8")
    code = main(["--db", str(tmp_path / "r.db"), "import", str(path), "--yes"])
    assert code in (0, 3)
    second = Session(Store(tmp_path / "r.db"), QUESTIONS, 2)
    assert second.answers["mains_water"].value["quantity"] == "320"
    assert second.balance().inputs_kg == first.balance().inputs_kg == 332_000


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("truncated", lambda xml: xml[: len(xml) // 2]),
        ("bad reference", lambda xml: xml.replace('r="A2"', 'r="ZZZZZ2"')),
        (
            "shared string out of range",
            lambda xml: xml.replace(
                '<c r="A2" t="inlineStr"><is><t>papier</t></is></c>',
                '<c r="A2" t="s"><v>99</v></c>',
            ),
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_broken_workbook_is_one_message_not_a_traceback(tmp_path, name, change):
    path = _workbook_with_sheet_xml(tmp_path, "broken.xlsx", change)
    with pytest.raises(ImportFileError, match="not an Excel workbook that can be read"):
        read_preview(path, QUESTIONS)


@pytest.mark.parametrize(("first", "second"), [(2, 2), (5, 3)])
def test_rows_that_repeat_or_go_back_are_refused_not_skipped(tmp_path, first, second):
    def rows(xml):
        start = xml.index("<sheetData>") + len("<sheetData>")
        end = xml.index("</sheetData>")
        cells = "".join(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{text}</t></is></c></row>'
            for r, text in ((1, "naam"), (first, "a"), (second, "b"))
        )
        return xml[:start] + cells + xml[end:]

    path = _workbook_with_sheet_xml(tmp_path, "order.xlsx", rows)
    with pytest.raises(ImportFileError, match=f"row {second} after row {first}"):
        read_preview(path, QUESTIONS)
