"""The balance in depth: each formula against a hand-computed example."""

from __future__ import annotations

from decimal import Decimal

import pytest

from interview.advice import advice_items
from interview.balance import compute
from interview.dataset import DataFileError, load_dataset, parse_dataset

from .conftest import DATA


def balance_of(flows, **extra):
    raw = {
        "format": "massabalans/1",
        "company": {"name": "x"},
        "period": "1",
        "flows": flows,
    } | extra
    return compute(parse_dataset(raw))


def kg(name, kind, quantity, **more):
    return {"name": name, "kind": kind, "quantity": str(quantity), "unit": "kg"} | more


FRAME_PARTS = [
    {
        "name": "frame",
        "per": 3,
        "components": [{"material": "buis", "quantity": 9, "unit": "kg"}],
    },
    {
        "name": "screw",
        "components": [{"material": "staal", "quantity": 5, "unit": "g"}],
    },
    {"name": "leg", "components": [{"part": "screw", "quantity": 4}]},
    {
        "name": "table",
        "components": [
            {"part": "leg", "quantity": 4},
            {"material": "hout", "quantity": 10},
        ],
    },
]


def test_two_frames_of_a_recipe_written_per_three_hold_six_kg_of_tube():
    balance = balance_of(
        [
            {
                "name": "frames",
                "kind": "semi_finished",
                "part": "frame",
                "quantity": 2,
                "unit": "st",
            }
        ],
        parts=FRAME_PARTS,
    )
    assert balance.materials["buis"].in_kg == 6
    assert balance.inputs_kg == 6


def test_a_table_of_four_legs_of_four_screws_holds_sixteen_screws_of_80_g():
    balance = balance_of(
        [
            {
                "name": "tafel",
                "kind": "product",
                "part": "table",
                "quantity": 1,
                "unit": "st",
            }
        ],
        parts=FRAME_PARTS,
    )
    assert balance.materials["staal"].out_kg["product"] == Decimal("0.080")
    assert balance.outputs_kg == Decimal("10.080")


def test_a_part_given_as_a_mass_is_split_by_its_recipe():
    balance = balance_of(
        [
            {
                "name": "frames",
                "kind": "semi_finished",
                "part": "frame",
                "quantity": 12,
                "unit": "kg",
            }
        ],
        parts=FRAME_PARTS,
    )
    assert balance.materials["buis"].in_kg == 12


def test_a_part_that_contains_itself_is_refused():
    with pytest.raises(DataFileError, match="contains itself"):
        balance_of(
            [], parts=[{"name": "a", "components": [{"part": "a", "quantity": 1}]}]
        )


def test_the_passport_compares_stated_with_estimated_and_flags_a_difference():
    balance = balance_of(
        [
            kg("staal", "raw_material", 100),
            kg("spanen", "waste", 10, material="staal"),
            kg("kozijnen", "product", 70, material="staal", units="10"),
        ]
    )
    row = balance.passport["materials"][0]
    assert row["estimated_kg"] == 90 and row["stated_kg"] == 70
    assert row["differs"] and row["source"] == "stated"
    assert row["per_unit_kg"] == 7
    assert any(w.code == "passport_mismatch" for w in balance.warnings)


def test_the_passport_estimates_what_is_not_stated_per_unit():
    balance = balance_of(
        [
            kg("meel", "raw_material", 30),
            kg("water", "raw_material", 10),
            kg("brood", "product", 40, units="100"),
        ]
    )
    rows = {r["material"]: r for r in balance.passport["materials"]}
    assert rows["meel"]["source"] == "estimated"
    assert rows["meel"]["per_unit_kg"] == Decimal("0.3")


def test_the_water_balance_puts_evaporation_as_the_remainder():
    balance = balance_of(
        [
            {
                "name": "leidingwater",
                "kind": "auxiliary",
                "quantity": "2",
                "unit": "m3",
            },
            {"name": "grondwater", "kind": "auxiliary", "quantity": "500", "unit": "l"},
            kg(
                "appels",
                "raw_material",
                1000,
                composition=[
                    {"material": "water", "share_pct": 85},
                    {"material": "droge stof", "share_pct": 15},
                ],
            ),
            {
                "name": "spoelwater",
                "kind": "wastewater",
                "quantity": "1500",
                "unit": "l",
            },
            kg(
                "appelmoes",
                "product",
                900,
                composition=[
                    {"material": "water", "share_pct": 80},
                    {"material": "droge stof", "share_pct": 20},
                ],
            ),
        ]
    )
    water = balance.water
    assert water["in_kg"] == 2000 + 500 + 850
    assert water["out_wastewater_kg"] == 1500
    assert water["out_product_kg"] == 720
    assert water["evaporation_kg"] == 3350 - 1500 - 720


def test_indicators_follow_their_formulas():
    balance = balance_of(
        [
            kg("gerecycled staal", "raw_material", 600, origin="recycled"),
            kg("nieuw staal", "raw_material", 400, origin="virgin"),
            kg("spanen", "waste", 100, treatment="recycling"),
            kg("verfresten", "waste", 50, treatment="incineration"),
            kg("afgekeurd", "by_product", 50),
            kg("frames", "product", 800, units="40"),
        ]
    )
    figures = balance.indicators
    assert figures["material_efficiency_pct"] == 80
    assert figures["waste_intensity_kg_per_unit"] == Decimal("3.75")
    assert figures["circular_inflow_pct"] == 60
    assert figures["circular_outflow_pct"] == 75  # (100 + 50) / 200
    shares = balance.lansink["share_pct"]
    # The by-product without a treatment counts as material reuse.
    assert shares["material_reuse"] == 75 and shares["incineration"] == 25
    assert balance.lansink["streams"][0]["flow"] == "verfresten"  # worst first


def test_the_mci_of_a_worked_example():
    # M = 100, Fr = 0.3, Cr = 0.5: V = 70, W0 = 50, LFI = 120 / 200 = 0.6,
    # MCI = 1 - 0.6 * 0.9 = 0.46.
    balance = balance_of(
        [
            kg("gerecycled", "raw_material", 30, origin="recycled"),
            kg("nieuw", "raw_material", 70),
            kg("product", "product", 100, eol_recycling_pct="50"),
        ]
    )
    mci = balance.indicators["mci"]
    assert mci["lfi"] == Decimal("0.6")
    assert mci["value"] == Decimal("0.46")


def test_the_mci_is_not_computable_without_end_of_life_shares():
    balance = balance_of([kg("a", "raw_material", 10), kg("p", "product", 10)])
    assert balance.indicators["mci"]["value"] is None
    assert balance.indicators["mci"]["reason"] == "no_end_of_life_shares"


def test_the_cost_of_waste_is_purchase_value_plus_disposal():
    balance = balance_of(
        [
            kg("eiken", "raw_material", 1000, material="hout", cost_eur="2000"),
            kg("zaagsel", "waste", 100, material="hout", cost_eur="30"),
            kg("veegvuil", "waste", 10, cost_eur="5"),
            kg("kasten", "product", 890),
        ]
    )
    cost = balance.waste_cost
    streams = {s["flow"]: s for s in cost["streams"]}
    assert streams["zaagsel"]["purchase_value_eur"] == 200
    assert streams["zaagsel"]["total_eur"] == 230
    assert streams["veegvuil"]["total_eur"] == 5
    assert cost["total_eur"] == 235


def test_the_bread_gap_is_below_tolerance_with_moisture_loss_as_a_note():
    balance = compute(load_dataset(DATA / "bread.yaml"))
    assert balance.gap_kg == Decimal("0.75")
    assert round(balance.gap_pct, 1) == Decimal("1.8")
    assert balance.within_tolerance
    assert balance.causes[0].code == "water_evaporation"


def test_the_apricot_gap_is_above_tolerance_with_evaporation_first():
    balance = compute(load_dataset(DATA / "apricot.yaml"))
    assert round(balance.gap_pct) == 27
    assert not balance.within_tolerance
    assert balance.causes[0].code == "water_evaporation"


def test_more_out_than_in_names_double_counting_first():
    balance = balance_of([kg("a", "raw_material", 100), kg("p", "product", 150)])
    assert balance.causes[0].code == "outputs_exceed_inputs"
    assert balance.causes[0].kg == 50


def test_packaging_in_without_packaging_out_is_a_cause():
    balance = balance_of(
        [
            kg("staal", "raw_material", 100),
            kg("karton dozen", "auxiliary", 20),
            kg("p", "product", 100),
        ]
    )
    assert "packaging_not_out" in [c.code for c in balance.causes]


def test_a_sector_without_its_usual_waste_is_a_cause():
    raw = {
        "format": "massabalans/1",
        "company": {"name": "x", "sector": "wood"},
        "period": "1",
        "flows": [kg("eiken", "raw_material", 10), kg("kast", "product", 8)],
    }
    balance = compute(parse_dataset(raw))
    cause = next(c for c in balance.causes if c.code == "sector_waste_missing")
    assert cause.details["waste"] == "wood"


def test_advice_from_the_numbers_is_ranked_by_mass():
    balance_data = parse_dataset(
        {
            "format": "massabalans/1",
            "company": {"name": "x"},
            "period": "1",
            "flows": [
                kg("staal", "raw_material", 1000, cost_eur="1500"),
                kg("verpakkingsfolie", "auxiliary", 50),
                kg("schroot", "waste", 300, treatment="landfill", cost_eur="90"),
                kg("stof", "waste", 20),
                kg("product", "product", 730),
            ],
        }
    )
    items = advice_items(balance_data, compute(balance_data), "nl")
    codes = [item.code for item in items]
    assert codes[0] in ("low_rung", "largest_residual", "costliest_waste")
    assert items == sorted(items, key=lambda i: (-i.kg, -i.eur))
    assert {"low_rung", "unknown_treatment", "packaging"} <= set(codes)
    low = next(i for i in items if i.code == "low_rung")
    assert "300" in low.text and "storten" in low.text


def test_a_product_counted_in_pieces_gives_its_units_without_a_units_field():
    balance = balance_of(
        [
            kg("meel", "raw_material", 41),
            kg("deegresten", "waste", 1),
            {
                "name": "broden",
                "kind": "product",
                "quantity": "100",
                "unit": "st",
                "mass_per_piece": "0,40 kg",
            },
        ]
    )
    assert balance.indicators["waste_intensity_kg_per_unit"] == Decimal("0.01")
    assert balance.passport["units"] == 100


@pytest.mark.parametrize(
    ("name", "material", "packaging"),
    [
        ("verpakkingsfolie", None, True),  # a stem inside a compound word
        ("Kartonnen Dozen", None, True),
        ("dozen", None, True),  # a short word, whole
        ("big-bag", None, True),
        ("bagger", None, False),  # a short word inside another is not packaging
        ("zakelijk afval", None, False),
        ("inkt", "Folie", True),  # the material counts too
        ("filmrol", None, False),
    ],
)
def test_packaging_is_told_by_stems_inside_words_and_short_words_whole(
    name, material, packaging
):
    from interview.analysis import is_packaging

    flow = {"name": name, "kind": "auxiliary", "quantity": "1", "unit": "kg"}
    if material:
        flow["material"] = material
    dataset = parse_dataset(
        {"format": "massabalans/1", "company": {"name": "x"}, "period": "1"}
        | {"flows": [flow]}
    )
    assert is_packaging(dataset.flows[0]) is packaging


@pytest.mark.parametrize(
    ("waste_name", "missing"),
    [
        ("food waste", False),
        ("Food-Waste", False),  # the words of a phrase, apart by anything
        ("foodwaste", True),  # but not run together
        ("GFT-afval", False),
        ("restafval", True),
        ("broodresten", False),
    ],
)
def test_a_sector_waste_phrase_is_found_word_by_word(waste_name, missing):
    raw = {
        "format": "massabalans/1",
        "company": {"name": "x", "sector": "food"},
        "period": "1",
        "flows": [
            kg("meel", "raw_material", 10),
            kg(waste_name, "waste", 1),
            kg("brood", "product", 9),
        ],
    }
    codes = [c.code for c in compute(parse_dataset(raw)).causes]
    assert ("sector_waste_missing" in codes) is missing


def test_the_water_advice_is_about_process_water_not_water_as_an_ingredient():
    def codes(flows):
        dataset = parse_dataset(
            {"format": "massabalans/1", "company": {"name": "x"}, "period": "1"}
            | {"flows": flows}
        )
        return [item.code for item in advice_items(dataset, compute(dataset), "nl")]

    bread = [
        kg("meel", "raw_material", 100),
        kg("water", "raw_material", 60),
        kg("brood", "product", 150),
    ]
    assert "water" not in codes(bread)
    rinsing = [*bread, kg("leidingwater", "auxiliary", 500)]
    assert "water" in codes(rinsing)


@pytest.mark.parametrize(
    ("listed", "missing"), [("organic_waste", False), (None, True)]
)
def test_a_stream_in_the_list_of_the_sectors_usual_waste_is_that_waste(listed, missing):
    waste = kg("restjes van de lijn", "waste", 1)
    if listed:
        waste["question"] = listed
    raw = {
        "format": "massabalans/1",
        "company": {"name": "x", "sector": "food"},
        "period": "1",
        "flows": [kg("meel", "raw_material", 10), waste, kg("brood", "product", 9)],
    }
    codes = [c.code for c in compute(parse_dataset(raw)).causes]
    assert ("sector_waste_missing" in codes) is missing


def test_each_sector_list_is_a_list_of_the_shipped_interview():
    from interview.analysis import SECTOR_WASTE, SECTOR_WASTE_LISTS
    from interview.questionnaire import load_questionnaire

    questionnaire = load_questionnaire()
    for sector, list_id in SECTOR_WASTE_LISTS.items():
        assert sector in SECTOR_WASTE
        assert questionnaire.question(list_id).type == "flow_list"


def test_no_figure_per_unit_when_one_of_the_products_is_not_counted():
    loaves = {
        "name": "broden",
        "kind": "product",
        "quantity": "100",
        "unit": "st",
        "mass_per_piece": "0,6 kg",
    }
    counted = balance_of(
        [kg("meel", "raw_material", 100), kg("deeg", "waste", 5), loaves]
    )
    assert counted.passport["units"] == 100
    assert counted.indicators["waste_intensity_kg_per_unit"] == Decimal("0.05")

    both = balance_of(
        [kg("meel", "raw_material", 100), kg("deeg", "waste", 5), loaves]
        + [kg("banket", "product", 35)]
    )
    assert both.passport["units"] is None
    assert both.indicators["waste_intensity_kg_per_unit"] is None


@pytest.mark.parametrize("name", ["waterdamp", "Stoom", "water vapour"])
def test_water_vapour_leaving_is_water_out_not_evaporation_unaccounted(name):
    balance = balance_of(
        [
            {
                "name": "leidingwater",
                "kind": "auxiliary",
                "quantity": "5",
                "unit": "m3",
            },
            kg(name, "emission", 3000),
            kg("deeg", "raw_material", 100),
            kg("brood", "product", 100),
        ]
    )
    assert balance.water["out_other_kg"] == 3000
    assert balance.water["evaporation_kg"] == 2000


def test_steam_bought_in_m3_gets_no_density_of_water():
    balance = balance_of(
        [
            {"name": "stoom", "kind": "auxiliary", "quantity": "5", "unit": "m3"},
            kg("brood", "product", 1),
        ]
    )
    assert [u["flow"] for u in balance.to_json()["unconverted"]] == ["stoom"]


def test_the_passport_leaves_out_auxiliaries_and_never_outweighs_the_product():
    balance = balance_of(
        [
            kg("staal", "raw_material", 52_000),
            {
                "name": "leidingwater",
                "kind": "auxiliary",
                "quantity": "320",
                "unit": "m3",
            },
            kg("pallets", "auxiliary", 900),
            kg("spanen", "waste", 2_000, material="staal"),
            kg("frames", "product", 47_800),
        ]
    )
    rows = {row["material"]: row for row in balance.passport["materials"]}
    assert set(rows) == {"staal"}
    assert rows["staal"]["estimated_kg"] == 50_000
    assert rows["staal"]["kg"] == 47_800
    assert sum(row["kg"] for row in rows.values()) <= balance.passport["product_kg"]
