"""The data file: every problem named on its own line, exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from interview.balance import compute
from interview.dataset import DataFileError, load_dataset, parse_dataset

HEAD = "format: massabalans/1\ncompany: {name: Test}\nperiod: '2025'\nflows:\n"


def write(tmp_path, body, name="data.yaml"):
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def balance_of(tmp_path, body):
    return compute(load_dataset(write(tmp_path, body)))


def run_balance(path):
    return subprocess.run(
        [sys.executable, "-m", "interview.cli", "balance", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("flow", "fragment"),
    [
        (
            "{name: a, kind: rawmaterial, quantity: 1, unit: kg}",
            "is not allowed; use one of",
        ),
        (
            "{name: a, kind: waste, quantity: 1, unit: kg, colour: red}",
            "colour is not a known key",
        ),
        (
            "{name: a, kind: waste, quantity: '1.200', unit: kg}",
            "can be read as 1.2 or as 1200",
        ),
        ("{name: a, kind: waste, quantity: 1, unit: furlongs}", "not a unit we know"),
        ("{name: a, kind: waste, quantity: -3, unit: kg}", "negative"),
        ("{name: a, kind: waste, quantity: 1}", "unit is missing"),
        ("{name: a, kind: waste, unit: kg}", "quantity is missing"),
        (
            "{name: a, kind: composite_material, quantity: 1, unit: kg, composition: "
            "[{material: x, share_pct: 60}, {material: y, share_pct: 30}]}",
            "add up to 90",
        ),
        ("{name: a, kind: waste, quantity: 1, unit: bbl}", "several meanings"),
        (
            "{name: a, kind: waste, quantity: 1, unit: kg, hazardous: maybe}",
            "'maybe' is not true or false; give true or false",
        ),
        (
            "{name: a, kind: waste, quantity: 1, unit: kg, composition: 5}",
            "is not a list; give a list",
        ),
        (
            "{name: a, kind: product, quantity: 1, unit: kg, eol_recycling_pct: 80,"
            " eol_reuse_pct: 80}",
            "add up to 160 %",
        ),
        (
            "{name: a, kind: product, quantity: 1, unit: kg, eol_recycling_pct: 120}",
            "120 % is not a share",
        ),
    ],
)
def test_a_broken_flow_exits_2_with_one_clear_line(tmp_path, flow, fragment):
    path = write(tmp_path, f"  - {flow}\n")
    run = run_balance(path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert fragment in lines[0]
    assert "flow 1 (a)" in lines[0] and str(path) in lines[0]


def test_an_empty_name_is_told_how_to_fix(tmp_path):
    run = run_balance(
        write(tmp_path, "  - {name: '', kind: waste, quantity: 1, unit: kg}\n")
    )
    assert run.returncode == 2
    assert run.stderr.strip().endswith("flow 1: name is empty; fill it in")


def test_every_problem_of_a_file_is_listed_at_once(tmp_path):
    path = write(
        tmp_path,
        """\
      - {name: a, kind: waste, quantity: '1.200', unit: kg}
      - {name: b, kind: nonsense, quantity: 1, unit: kg}
      - {name: c, kind: waste, quantity: 1, unit: parsecs}
    """,
    )
    lines = run_balance(path).stderr.strip().splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "flow 1 (a)",
        "flow 2 (b)",
        "flow 3 (c)",
    ]


def test_a_file_that_is_not_yaml_gets_one_line_with_its_line_number(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: massabalans/1\nflows: [\n", encoding="utf-8")
    run = run_balance(path)
    assert (
        run.returncode == 2
        and "not valid YAML" in run.stderr
        and "Traceback" not in run.stderr
    )


def test_a_missing_file_gets_a_message_not_a_traceback(tmp_path):
    run = run_balance(tmp_path / "nope.yaml")
    assert run.returncode == 2 and "cannot read" in run.stderr


def test_unconverted_and_unknown_flows_are_listed_and_left_out(tmp_path):
    balance = balance_of(
        tmp_path,
        """\
      - {name: staal, kind: raw_material, quantity: 100, unit: kg}
      - {name: diesel, kind: auxiliary, quantity: 800, unit: l}
      - {name: dozen, kind: auxiliary, quantity: 20, unit: doos}
      - {name: lijm, kind: auxiliary, quantity: unknown}
    """,
    )
    data = balance.to_json()
    assert data["inputs_kg"] == 100
    assert [(u["flow"], u["index"]) for u in data["unconverted"]] == [
        ("diesel", 1),
        ("dozen", 2),
    ]
    assert "density" in data["unconverted"][0]["reason"]
    assert data["unknown"] == [{"flow": "lijm", "index": 3}]


def test_yaml_numbers_follow_our_rule_and_codes_stay_text(tmp_path):
    balance = balance_of(
        tmp_path,
        """\
      - {name: a, kind: raw_material, quantity: "1.234,5", unit: kg}
      - {name: b, kind: waste, quantity: 1 000, unit: kg, ewc_code: 020304}
    """,
    )
    assert balance.inputs_kg == 1234.5 and balance.outputs_kg == 1000


def test_json_numbers_are_numbers(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(
        json.dumps(
            {
                "format": "massabalans/1",
                "company": {"name": "J"},
                "period": 2025,
                "flows": [
                    {"name": "a", "kind": "raw_material", "quantity": 1.2, "unit": "t"}
                ],
            }
        )
    )
    assert compute(load_dataset(path)).inputs_kg == 1200


def test_water_defaults_to_one_kg_per_litre_and_other_liquids_do_not(tmp_path):
    balance = balance_of(
        tmp_path,
        """\
      - {name: Leidingwater, kind: auxiliary, quantity: 2, unit: m3}
      - {name: spoelwater, kind: wastewater, quantity: 500, unit: l}
      - {name: loog, kind: auxiliary, quantity: 10, unit: l}
      - {name: loog2, kind: auxiliary, quantity: 10, unit: l, density: "1,5 kg/l"}
    """,
    )
    assert balance.inputs_kg == 2015
    assert balance.outputs_kg == 500
    assert [u["flow"] for u in balance.unconverted] == ["loog"]


def test_the_stock_change_is_taken_out_of_the_gap(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        HEAD
        + """\
  - {name: staal, kind: raw_material, quantity: 10, unit: t}
  - {name: frames, kind: product, quantity: 7, unit: t}
stock:
  - {name: staal, material: staal, opening: 5, closing: 2, unit: t}
"""
    )
    data = compute(load_dataset(path)).to_json()
    assert data["difference_kg"] == 3000
    assert data["stock_change_kg"] == -3000
    assert data["gap_kg"] == 6000


def test_a_negative_gap_is_never_within_tolerance(tmp_path):
    balance = balance_of(
        tmp_path,
        """\
      - {name: a, kind: raw_material, quantity: 100, unit: kg}
      - {name: p, kind: product, quantity: 130, unit: kg}
    """,
    )
    assert balance.gap_kg == -30 and not balance.within_tolerance
    assert any(w.code == "outputs_exceed_inputs" for w in balance.warnings)


def test_materials_follow_the_interface_rules(tmp_path):
    balance = balance_of(
        tmp_path,
        """\
      - {name: balk, kind: raw_material, material: hout, quantity: 100, unit: kg}
      - {name: plaat, kind: raw_material, quantity: 50, unit: kg}
      - {name: zaagsel, kind: waste, material: hout, quantity: 20, unit: kg}
      - {name: veeg, kind: waste, quantity: 5, unit: kg}
      - {name: kast, kind: product, quantity: 125, unit: kg}
    """,
    )
    data = balance.to_json()
    assert data["materials"]["hout"]["in_kg"] == 100
    assert data["materials"]["hout"]["product_kg"] == 80
    assert data["materials"]["plaat"]["product_kg"] == 50
    assert data["unassigned_kg"] == 5


def test_shares_of_two_decimals_split_the_mass_exactly():
    data = parse_dataset(
        {
            "format": "massabalans/1",
            "company": {"name": "x"},
            "period": "1",
            "flows": [
                {
                    "name": "p",
                    "kind": "composite_material",
                    "quantity": "1",
                    "unit": "kg",
                    "composition": [
                        {"material": m, "share_pct": s}
                        for m, s in (("a", "33.33"), ("b", "33.33"), ("c", "33.34"))
                    ],
                }
            ],
        }
    )
    materials = compute(data).materials
    assert sum(line.in_kg for line in materials.values()) == 1


def test_a_structure_that_is_not_a_mapping_is_refused():
    with pytest.raises(DataFileError, match="must be a mapping"):
        parse_dataset(["not", "a", "file"])


def json_file_of(tmp_path, flows):
    """A JSON data file of these flows, loaded as the command line loads it."""
    path = tmp_path / "f.json"
    data = {"format": "massabalans/1", "company": {"name": "x"}, "period": "1"}
    path.write_text(json.dumps(data | {"flows": flows}))
    return load_dataset(path)


def waste(i):
    return {"name": f"s{i}", "kind": "waste", "quantity": i, "unit": "kg"}


def test_a_flow_from_a_file_remembers_which_keys_it_was_given(tmp_path):
    # Flows with the same keys share one record of them; it must stay right.
    flows = [waste(0), waste(1), waste(2), waste(3) | {"treatment": "recycling"}]
    dataset = json_file_of(tmp_path, flows)
    dumped = [r.flow.model_dump(exclude_unset=True) for r in dataset.flows]
    assert dumped == flows


def test_a_validated_flow_refuses_to_be_changed_in_place(tmp_path):
    first, second = (r.flow for r in json_file_of(tmp_path, [waste(0), waste(1)]).flows)
    with pytest.raises(TypeError):
        first.material = "staal"
    assert second.model_fields_set == {"name", "kind", "quantity", "unit"}
