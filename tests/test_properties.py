"""Properties of numbers, units and the balance, over many generated inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from interview.balance import compute
from interview.dataset import INPUT_KINDS, KINDS, OUTPUT_KINDS, parse_dataset, read_file
from interview.numbers import canonical, format_number, read_interview_number

from .conftest import DATA

CASES = sorted(
    p.name.removesuffix(".expected.json") for p in DATA.glob("*.expected.json")
)

# Each unit and how many of it make one of the flow's original unit.
REWRITES = {
    "kg": [("g", Decimal(1000)), ("t", Decimal("0.001")), ("mg", Decimal(10**6))],
    "g": [("kg", Decimal("0.001")), ("mg", Decimal(1000))],
    "t": [("kg", Decimal(1000)), ("g", Decimal(10**6))],
    "l": [("ml", Decimal(1000)), ("m3", Decimal("0.001")), ("cl", Decimal(100))],
    "ml": [("l", Decimal("0.001")), ("cl", Decimal("0.1"))],
    "m3": [("l", Decimal(1000)), ("kuub", Decimal(1))],
    "st": [("stuks", Decimal(1)), ("pcs", Decimal(1))],
}


def data(flows, stock=None):
    raw = {
        "format": "massabalans/1",
        "company": {"name": "x"},
        "period": "1",
        "flows": flows,
    }
    if stock:
        raw["stock"] = stock
    return parse_dataset(raw)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("choice", [0, 1, 2])
def test_a_case_rewritten_in_other_units_has_the_same_balance(case, choice):
    raw = read_file(DATA / f"{case}.yaml")
    original = compute(parse_dataset(raw)).to_json()
    for flow in raw["flows"]:
        options = REWRITES[flow["unit"]]
        unit, factor = options[choice % len(options)]
        amount = Decimal(str(flow["quantity"])) * factor
        flow["quantity"] = canonical(amount)
        flow["unit"] = unit  # a density per m3 or per l is right in any volume unit
    rewritten = compute(parse_dataset(yaml.safe_load(yaml.safe_dump(raw)))).to_json()
    for key in ("inputs_kg", "outputs_kg", "gap_kg", "unassigned_kg"):
        assert rewritten[key] == pytest.approx(original[key], abs=1e-9), key
    assert rewritten["materials"].keys() == original["materials"].keys()


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@given(amounts, st.sampled_from(["nl", "en"]))
def test_a_number_formatted_for_a_language_reads_back_as_itself(value, language):
    text = format_number(value, language)
    reading = read_interview_number(text, language)
    got = reading.value if reading.value is not None else reading.readings[0]
    assert got == value


flow_strategy = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["staal", "hout", "lijm", "verf", "karton"]),
        "kind": st.sampled_from(KINDS),
        "quantity": st.decimals(min_value=0, max_value=10**6, places=3).map(
            lambda d: format(d, "f") + "0"
        ),
        "unit": st.sampled_from(["kg", "g", "t", "mg"]),
    },
    optional={
        "material": st.sampled_from(["staal", "hout", "lijm"]),
        "composition": st.sampled_from(
            [
                [
                    {"material": "hout", "share_pct": "33.33"},
                    {"material": "lijm", "share_pct": "33.33"},
                    {"material": "staal", "share_pct": "33.34"},
                ],
                [
                    {"material": "hout", "share_pct": "99.99"},
                    {"material": "lijm", "share_pct": "0.01"},
                ],
                [{"material": "verf", "share_pct": "100"}],
            ]
        ),
    },
)


@settings(max_examples=150, deadline=None)
@given(st.lists(flow_strategy, max_size=25))
def test_resolving_and_summing_never_creates_or_loses_mass(flows):
    balance = compute(data(flows))
    total_in = sum(
        (f.kg for f in data(flows).flows if f.flow.kind in INPUT_KINDS), Decimal(0)
    )
    assert balance.inputs_kg == total_in
    assert sum((m.in_kg for m in balance.materials.values()), Decimal(0)) == total_in

    # Outputs: every kilogram is in a material, in unassigned, or is product.
    assigned_out = sum(
        (kg for m in balance.materials.values() for kg in m.out_kg.values()), Decimal(0)
    )
    product_without_material = sum(
        (
            f.kg
            for f in data(flows).flows
            if f.flow.kind == "product"
            and not f.flow.material
            and not f.flow.composition
        ),
        Decimal(0),
    )
    assert assigned_out + balance.unassigned_kg + product_without_material == (
        balance.outputs_kg
    )
    # The material table, the outputs and the gap add up to the totals.
    product_estimate = sum(
        (m.product_kg for m in balance.materials.values()), Decimal(0)
    )
    left_not_product = sum(
        (
            kg
            for m in balance.materials.values()
            for k, kg in m.out_kg.items()
            if k != "product"
        ),
        Decimal(0),
    )
    assert product_estimate + left_not_product == balance.inputs_kg
    assert balance.inputs_kg - balance.outputs_kg == balance.gap_kg
    assert set(balance.by_kind_kg) == set(INPUT_KINDS) | set(OUTPUT_KINDS)


shares = st.lists(st.integers(min_value=1, max_value=9999), min_size=1, max_size=6)


@given(shares, st.decimals(min_value=Decimal("0.001"), max_value=10**6, places=3))
def test_shares_of_two_decimals_adding_to_100_are_accepted_and_add_up(raw, kg):
    total = sum(raw)
    # Scale to hundredths that add up to exactly 100.00.
    hundredths = [r * 10000 // total for r in raw]
    hundredths[-1] += 10000 - sum(hundredths)
    if hundredths[-1] <= 0:
        return
    composition = [
        {"material": f"m{i}", "share_pct": format(Decimal(h) / 100, "f")}
        for i, h in enumerate(hundredths)
    ]
    flow = {
        "name": "paneel",
        "kind": "composite_material",
        "quantity": format(kg, "f") + "0",
        "unit": "kg",
        "composition": composition,
    }
    balance = compute(data([flow]))
    assert sum((m.in_kg for m in balance.materials.values()), Decimal(0)) == kg
