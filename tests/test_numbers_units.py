"""Numbers and units as users and data files write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from interview.numbers import (
    AmbiguousNumber,
    NumberError,
    canonical,
    parse_number,
    read_interview_number,
)
from interview.units import (
    COUNT,
    MASS,
    UnitError,
    parse_density,
    parse_mass_per_piece,
    parse_unit,
    to_kg,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", "12"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234", "1234"),
        ("0.125", "0.125"),
        ("1234.567", "1234.567"),
        ("  24,35  ", "24.35"),
        ("0", "0"),
    ],
)
def test_the_data_file_rule_reads_each_accepted_form(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.200", "12,500", "999.999"])
def test_a_separator_that_could_group_thousands_is_refused_with_both_readings(text):
    with pytest.raises(AmbiguousNumber) as caught:
        parse_number(text)
    whole, frac = text.replace(",", ".").split(".")
    assert f"{whole}.{frac}".rstrip("0") in str(caught.value)
    assert whole + frac in str(caught.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("-5", "negative"),
        ("", "empty"),
        ("   ", "empty"),
        ("12 kg", "not a number"),
        ("nan", "not a number"),
        ("inf", "not a number"),
        ("1e3", "not a number"),
        ("1.2.3", "does not group thousands"),
        ("1,23.4", "unevenly"),
        ("12\n13", "several lines"),
        ("12 5", "spaces"),
    ],
)
def test_bad_numbers_are_refused_with_a_message_saying_what_is_accepted(text, fragment):
    with pytest.raises(NumberError) as caught:
        parse_number(text)
    assert fragment in str(caught.value)


def test_the_interview_asks_back_with_the_reading_of_its_language_first():
    dutch = read_interview_number("1.200", "nl")
    english = read_interview_number("1.200", "en")
    assert dutch.value is None and dutch.readings == (Decimal("1200"), Decimal("1.2"))
    assert english.readings == (Decimal("1.2"), Decimal("1200"))
    assert read_interview_number("1,5", "nl").value == Decimal("1.5")


@pytest.mark.parametrize("value", ["1.234", "12.5", "1200", "0.001", "999.999"])
def test_a_canonical_number_reads_back_as_itself(value):
    assert parse_number(canonical(Decimal(value))) == Decimal(value)


@pytest.mark.parametrize(
    ("word", "dimension", "factor"),
    [
        ("kg", MASS, "1"),
        ("KG", MASS, "1"),
        ("g", MASS, "0.001"),
        ("t", MASS, "1000"),
        ("ton", MASS, "1000"),
        ("tonne", MASS, "1000"),
        ("Mg", MASS, "1000"),
        ("mg", MASS, "0.000001"),
        ("lb", MASS, "0.45359237"),
        ("pcs", COUNT, "1"),
        ("st", COUNT, "1"),
        ("stuks", COUNT, "1"),
        ("bag", COUNT, "1"),
    ],
)
def test_our_vocabulary_comes_before_any_unit_library(word, dimension, factor):
    unit = parse_unit(word)
    assert unit.dimension == dimension
    assert unit.factor == Decimal(factor)


def test_a_dutch_one_and_a_half_ton_is_fifteen_hundred_kg():
    amount = parse_number("1,5")
    assert to_kg(amount, parse_unit("ton")).kg == Decimal("1500")


def test_a_bare_ton_is_asked_about_when_its_meaning_is_not_settled():
    with pytest.raises(UnitError, match="short ton"):
        parse_unit("ton", ton=None)


@pytest.mark.parametrize("word", ["MG", "bbl", "pint", "gallon"])
def test_words_with_several_meanings_are_refused_with_the_choices(word):
    with pytest.raises(UnitError, match="several meanings|ambiguous"):
        parse_unit(word)


def test_an_unknown_unit_names_the_nearest_known_one():
    with pytest.raises(UnitError, match='Did you mean "litre"'):
        parse_unit("litr")


def test_litres_of_anything_but_water_need_a_density():
    litres = parse_unit("l")
    assert to_kg(Decimal(800), litres).kg is None
    assert "density" in (to_kg(Decimal(800), litres).reason or "")
    diesel = parse_density("0,84 kg/l")
    assert to_kg(Decimal(800), litres, density=diesel).kg == Decimal("672")
    water = to_kg(Decimal(800), litres, is_water=True)
    assert water.kg == Decimal(800) and water.density_is_default


@pytest.mark.parametrize(
    ("text", "kg_per_l"),
    [
        ("0,84 kg/l", "0.84"),
        ("500 kg/m3", "0.5"),
        ("840 g/l", "0.84"),
        ("1,25 kg per Nm3", "0.00125"),
    ],
)
def test_densities_are_read_per_litre(text, kg_per_l):
    assert parse_density(text).kg_per_l == Decimal(kg_per_l)


@pytest.mark.parametrize(
    ("text", "kg"),
    [
        ("25 kg", "25"),
        ("25 kg/st", "25"),
        ("2,5 kg per 100 stuks", "0.025"),
        ("400 g", "0.4"),
    ],
)
def test_a_mass_per_piece_is_read_in_kg(text, kg):
    assert parse_mass_per_piece(text) == Decimal(kg)


def test_pieces_without_a_mass_per_piece_are_not_converted():
    result = to_kg(Decimal(100), parse_unit("st"))
    assert result.kg is None and "mass per piece" in (result.reason or "")


def test_a_column_rule_reads_1200_beside_a_dutch_value_as_twelve_hundred():
    from interview.numbers import column_convention, parse_with_convention

    column = ["1.200", "1.234,5", "7"]
    sep = column_convention(column)
    assert sep == ","
    assert [parse_with_convention(v, sep) for v in column] == [
        Decimal("1200"),
        Decimal("1234.5"),
        Decimal("7"),
    ]


def test_a_column_rule_reads_1200_beside_an_english_value_as_one_point_two():
    from interview.numbers import column_convention, parse_with_convention

    column = ["1.200", "0.5", "1,234.5"]
    sep = column_convention(column)
    assert sep == "."
    assert parse_with_convention("1.200", sep) == Decimal("1.2")
    assert parse_with_convention("1,234.5", sep) == Decimal("1234.5")


def test_a_column_with_only_ambiguous_values_stays_refused():
    from interview.numbers import column_convention, parse_with_convention

    assert column_convention(["1.200", "3.500"]) is None
    with pytest.raises(AmbiguousNumber):
        parse_with_convention("1.200", None)


def test_a_column_that_mixes_conventions_is_refused():
    from interview.numbers import column_convention

    with pytest.raises(NumberError, match="mixes conventions"):
        column_convention(["1,5", "2.5"])


@pytest.mark.parametrize(
    ("parse", "text", "dutch"),
    [
        (parse_number, "12 kg", "is geen getal"),
        (parse_number, "1.200", "kan 1.2 of 1200 betekenen"),
        (parse_number, "-4", "is negatief"),
        (parse_unit, "furlongs", "is geen eenheid die wij kennen"),
        (parse_unit, "bbl", "een olievat (159 l)"),
        (parse_density, "0,84", "dichtheid"),
        (parse_mass_per_piece, "25 kg/l", "moet per stuk zijn"),
    ],
)
def test_every_input_error_also_reads_in_dutch(parse, text, dutch):
    with pytest.raises((NumberError, UnitError)) as caught:
        parse(text)
    assert dutch in caught.value.text("nl")
    assert caught.value.text("en") == str(caught.value)
    assert caught.value.text("nl") != str(caught.value)


def test_cubic_centimetres_are_millilitres():
    from decimal import Decimal

    from interview.units import parse_density, parse_unit, to_kg

    for word in ("cm3", "cm³", "CM3", "cc"):
        unit = parse_unit(word)
        conversion = to_kg(Decimal(5000), unit, density=parse_density("0,9 kg/l"))
        assert conversion.kg == Decimal("4.5"), word


@pytest.mark.parametrize(
    ("density", "kg", "code"),
    [
        ("1,25 kg/Nm3", Decimal("125"), None),
        ("6,2 kg/m3", Decimal("620"), None),  # sulphur hexafluoride
        ("0,84 kg/l", None, "implausible_gas_density"),  # a liquid's density
        ("840 kg/m3", None, "implausible_gas_density"),
    ],
)
def test_a_gas_volume_takes_only_a_density_a_gas_can_have(density, kg, code):
    from interview.units import parse_density, parse_unit, to_kg

    conversion = to_kg(Decimal(100), parse_unit("Nm3"), density=parse_density(density))
    assert conversion.kg == kg
    assert conversion.reason_code == code
    if code:
        assert "kg/Nm3" in conversion.reason


def test_every_reason_a_flow_is_not_converted_reads_in_both_languages():
    import re
    from pathlib import Path

    from interview.i18n import t

    source = (Path(__file__).parent.parent / "interview" / "units.py").read_text()
    codes = set(re.findall(r'reason_code="(\w+)"', source))
    codes |= set(re.findall(r'"(needs_\w+)"', source))
    assert {"needs_density", "implausible_gas_density"} <= codes
    for code in codes:
        for language in ("nl", "en"):
            assert "{" not in t(f"unconverted.{code}", language, unit="Nm3"), code


@pytest.mark.parametrize(("density", "kg"), [("840 kg/l", None), ("840 kg/m3", "4.2")])
def test_a_density_beyond_any_material_is_not_converted(density, kg):
    from interview.units import parse_density, parse_unit, to_kg

    conversion = to_kg(Decimal(5), parse_unit("l"), density=parse_density(density))
    if kg is None:
        assert conversion.kg is None
        assert conversion.reason_code == "implausible_density"
    else:
        assert conversion.kg == Decimal(kg)
