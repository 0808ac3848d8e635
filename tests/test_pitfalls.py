"""Pitfalls other tools in this field fell into, each kept as a test of its class."""

from __future__ import annotations

from decimal import Decimal

import pytest

from interview.balance import compute
from interview.dataset import DataFileError, load_dataset, parse_dataset
from interview.engine import Answer
from interview.questionnaire import load_questionnaire
from interview.report import ReportSource, render_markdown
from interview.session import Session
from interview.store import Store

from .conftest import DATA
from .markdown_tables import assert_rectangular, tables


def flows(*items):
    return parse_dataset(
        {
            "format": "massabalans/1",
            "company": {"name": "x"},
            "period": "1",
            "flows": list(items),
        }
    )


@pytest.fixture
def session(tmp_path):
    return Session.start(
        Store(tmp_path / "p.db"), load_questionnaire(DATA / "questions_small")
    )


def give(session, **answers):
    for question_id, value in answers.items():
        session.answer(session.questionnaire.question(question_id), Answer(value))


def test_1_a_hidden_composite_is_absent_from_totals_tables_and_report(session):
    give(session, company_name="Hidden BV", period="2025", raw_materials=[])
    give(session, buys_composite="yes")
    give(
        session,
        composite_materials=[
            {"name": "geheimpaneel", "quantity": "1200", "unit": "kg"}
        ],
    )
    give(session, buys_composite="no")
    assert session.balance().inputs_kg == 0
    report = render_markdown(ReportSource.from_session(session))
    body = report.split("## Bijlage")[0]
    assert "geheimpaneel" not in body and "1.200" not in body


def test_2_water_in_is_the_mains_only_once_the_well_is_switched_off(session):
    give(session, mains_water={"quantity": "850", "unit": "m3"}, has_well="yes")
    give(session, well_water={"quantity": "300", "unit": "m3"}, has_well="no")
    assert session.balance().by_kind_kg["auxiliary"] == 850_000


def test_3_a_deleted_waste_stream_leaves_two_streams_and_six_tonnes(session):
    three = [
        {"name": n, "quantity": q, "unit": "t", "kind": "waste"}
        for n, q in (("a", "2"), ("b", "1"), ("c", "4"))
    ]
    give(session, waste_streams=three)
    give(session, waste_streams=[three[0], three[2]])
    balance = session.balance()
    assert balance.by_kind_kg["waste"] == 6000
    assert len(session.data_file()["flows"]) == 2


@pytest.mark.parametrize(
    ("quantity", "unit", "kg"),
    [("1,5", "ton", "1500"), ("1.234,5", "kg", "1234.5"), ("1,5", "t", "1500")],
)
def test_4_a_comma_is_read_as_a_number_before_any_unit(quantity, unit, kg, session):
    data = flows(
        {"name": "x", "kind": "raw_material", "quantity": quantity, "unit": unit}
    )
    assert compute(data).inputs_kg == Decimal(kg)
    give(session, raw_materials=[{"name": "x", "quantity": quantity, "unit": unit}])
    assert session.balance().inputs_kg == Decimal(kg)


def test_5_a_data_file_ton_is_metric_and_english_asks(tmp_path):
    data = flows({"name": "x", "kind": "raw_material", "quantity": "2", "unit": "ton"})
    assert compute(data).inputs_kg == 2000
    from interview.session import TonUnsettled

    english = Session.start(
        Store(tmp_path / "e.db"), load_questionnaire(DATA / "questions_small"), "en"
    )
    with pytest.raises(TonUnsettled):
        give(english, raw_materials=[{"name": "x", "quantity": "2", "unit": "ton"}])


@pytest.mark.parametrize(
    ("unit", "kg"), [("pcs", "50"), ("st", "50"), ("stuks", "50"), ("bag", "50")]
)
def test_6_pieces_words_are_pieces_with_a_mass_per_piece(unit, kg):
    data = flows(
        {
            "name": "x",
            "kind": "raw_material",
            "quantity": "2",
            "unit": unit,
            "mass_per_piece": "25 kg",
        }
    )
    assert compute(data).inputs_kg == Decimal(kg)


def test_6_m3_is_a_cubic_metre():
    data = flows(
        {
            "name": "hout",
            "kind": "raw_material",
            "quantity": "2",
            "unit": "m3",
            "density": "500 kg/m3",
        }
    )
    assert compute(data).inputs_kg == 1000


def test_7_diesel_is_never_one_kg_per_litre_unless_written(session):
    data = flows(
        {"name": "diesel", "kind": "auxiliary", "quantity": "800", "unit": "l"}
    )
    balance = compute(data)
    assert balance.inputs_kg == 0 and balance.unconverted[0]["flow"] == "diesel"
    give(session, raw_materials=[{"name": "diesel", "quantity": "800", "unit": "l"}])
    assert session.balance().inputs_kg == 0
    assert "density" in session.balance().unconverted[0]["reason"]


def test_8_the_column_rule_reads_dutch_excel_values():
    from interview.numbers import column_convention, parse_with_convention

    column = ["1.234,5", "1.200", "12"]
    sep = column_convention(column)
    assert [parse_with_convention(v, sep) for v in column] == [
        Decimal("1234.5"),
        Decimal("1200"),
        Decimal("12"),
    ]


def test_9_a_byte_order_mark_does_not_stick_to_the_first_key(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(
        "\ufeffformat: massabalans/1\ncompany: {name: B}\nperiod: '1'\n"
        "flows: []\n".encode()
    )
    assert load_dataset(path).data.company.name == "B"


def test_10_pipes_and_underscores_in_names_do_not_break_the_report():
    data = flows(
        {
            "name": "plaat | 2_mm *zwart*",
            "kind": "raw_material",
            "quantity": "1",
            "unit": "kg",
            "supplier": "A|B_C",
        },
    )
    report = render_markdown(
        ReportSource.from_dataset(data, load_questionnaire(DATA / "questions_small"))
    )
    assert_rectangular(report)
    cells = [cell for table in tables(report) for row in table for cell in row]
    assert "plaat | 2_mm *zwart*" in cells
    assert "A|B_C" in cells


def test_11_more_out_than_in_is_not_balanced_and_says_why():
    data = flows(
        {"name": "a", "kind": "raw_material", "quantity": "100", "unit": "kg"},
        {"name": "b", "kind": "product", "quantity": "104", "unit": "kg"},
    )
    balance = compute(data)
    assert balance.gap_kg == -4 and balance.within_tolerance
    data = flows(
        {"name": "a", "kind": "raw_material", "quantity": "100", "unit": "kg"},
        {"name": "b", "kind": "product", "quantity": "106", "unit": "kg"},
    )
    balance = compute(data)
    assert not balance.within_tolerance
    assert "double counting" in balance.warnings[0].message


def test_13_shares_of_33_33_33_33_33_34_are_one_hundred_percent():
    data = flows(
        {
            "name": "p",
            "kind": "composite_material",
            "quantity": "2",
            "unit": "t",
            "composition": [
                {"material": "a", "share_pct": "33.33"},
                {"material": "b", "share_pct": "33.33"},
                {"material": "c", "share_pct": "33.34"},
            ],
        }
    )
    materials = compute(data).materials
    assert [materials[m].in_kg for m in "abc"] == [
        Decimal("666.6"),
        Decimal("666.6"),
        Decimal("666.8"),
    ]


def test_13_shares_that_miss_one_hundred_are_refused():
    with pytest.raises(DataFileError, match="add up to 99.98"):
        flows(
            {
                "name": "p",
                "kind": "composite_material",
                "quantity": "2",
                "unit": "t",
                "composition": [
                    {"material": "a", "share_pct": "33.33"},
                    {"material": "b", "share_pct": "66.65"},
                ],
            }
        )
