"""The shared real cases balance to their published figures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from interview.balance import compute
from interview.dataset import load_dataset

from .conftest import DATA

CASES = sorted(
    p.name.removesuffix(".expected.json") for p in DATA.glob("*.expected.json")
)


def test_every_case_has_a_data_file():
    assert CASES, "no cases in tests/data"
    for case in CASES:
        assert (DATA / f"{case}.yaml").exists()


@pytest.mark.parametrize("case", CASES)
def test_a_case_balances_to_its_expected_figures(case):
    expected = json.loads((DATA / f"{case}.expected.json").read_text())
    got = compute(load_dataset(DATA / f"{case}.yaml")).to_json()
    for key in ("inputs_kg", "outputs_kg", "difference_kg", "unassigned_kg"):
        assert got[key] == pytest.approx(expected[key], abs=0.01), key
    assert got["closure_pct"] == pytest.approx(expected["closure_pct"], abs=0.01)
    for material, figures in expected.get("materials", {}).items():
        for key, value in figures.items():
            assert got["materials"][material][key] == pytest.approx(value, abs=0.01)


@pytest.mark.parametrize("case", CASES)
def test_the_balance_command_prints_the_json_of_a_case(case):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "interview.cli",
            "balance",
            str(DATA / f"{case}.yaml"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    expected = json.loads((DATA / f"{case}.expected.json").read_text())
    assert got["inputs_kg"] == pytest.approx(expected["inputs_kg"], abs=0.01)
    assert set(got["by_kind_kg"]) == {
        "raw_material",
        "composite_material",
        "semi_finished",
        "auxiliary",
        "product",
        "by_product",
        "waste",
        "wastewater",
        "emission",
    }


@pytest.mark.parametrize("case", CASES)
def test_a_case_replayed_as_a_whole_interview_keeps_its_balance(case, tmp_path):
    from interview.dataset import read_file
    from interview.mapping import Replay
    from interview.questionnaire import load_questionnaire
    from interview.session import Session, replay_into
    from interview.store import Store

    questionnaire = load_questionnaire()
    raw = read_file(DATA / f"{case}.answers.yaml")
    session = Session.start(Store(tmp_path / "m.db"), questionnaire)
    replay = Replay(questionnaire, raw)
    assert replay_into(session, replay) is None
    assert replay.leftover() == []
    expected = json.loads((DATA / f"{case}.expected.json").read_text())
    got = session.balance().to_json()
    for key in ("inputs_kg", "outputs_kg", "difference_kg", "unassigned_kg"):
        assert got[key] == pytest.approx(expected[key], abs=0.01), key


@pytest.mark.parametrize("case", CASES)
def test_the_json_text_and_bytes_say_what_to_json_says(case):
    balance = compute(load_dataset(DATA / f"{case}.yaml"))
    plain = balance.to_json()
    assert json.loads(balance.to_json_text()) == plain
    assert json.loads(balance.to_json_bytes()) == plain
