"""Fuzzing: every input to the parsers and loaders gives a value or a message."""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview.dataset import DataFileError, parse_dataset
from interview.numbers import NumberError, parse_number, read_interview_number
from interview.questionnaire import QuestionFileError, load_questionnaire
from interview.units import UnitError, parse_density, parse_mass_per_piece, parse_unit

NUMBERISH = st.text(alphabet="0123456789.,- \u00a0+eE\n" + "kgtl", max_size=20)
FAST = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@FAST
@given(st.one_of(NUMBERISH, st.text(max_size=30)))
def test_the_number_parser_gives_a_number_or_a_message(text):
    try:
        value = parse_number(text)
    except NumberError as exc:
        assert str(exc)
    else:
        assert value >= 0 and value.is_finite()
    try:
        reading = read_interview_number(text, "nl")
    except NumberError as exc:
        assert str(exc)
    else:
        assert reading.value is not None or len(reading.readings) == 2


@FAST
@given(
    st.one_of(
        st.text(max_size=25),
        st.sampled_from(
            [
                "kg",
                "KG",
                "Mg",
                "MG",
                "bbl",
                "pint",
                "ton",
                "m³",
                "Nm3",
                "pcs",
                "furlong",
                "parsec",
                "kg/l",
                "0,84 kg/l",
                "25 kg per 100 st",
                "kg per stuk",
            ]
        ),
    )
)
def test_the_unit_parsers_give_a_unit_or_a_message(text):
    for parse in (parse_unit, parse_density, parse_mass_per_piece):
        try:
            parse(text)
        except (UnitError, NumberError) as exc:
            assert str(exc)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=True)
    | st.integers()
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
flow_like = st.fixed_dictionaries(
    {},
    optional={
        "name": json_values,
        "kind": st.sampled_from(["waste", "product", "x"]) | json_values,
        "quantity": json_values | NUMBERISH,
        "unit": json_values | st.sampled_from(["kg", "l", "st", "bbl"]),
        "composition": json_values,
        "density": json_values | NUMBERISH,
        "mass_per_piece": json_values,
        "part": json_values,
    },
)
file_like = st.fixed_dictionaries(
    {},
    optional={
        "format": st.just("massabalans/1") | json_values,
        "company": st.just({"name": "x"}) | json_values,
        "period": json_values,
        "flows": st.lists(flow_like, max_size=5) | json_values,
        "stock": json_values,
        "parts": json_values,
        "answers": json_values,
    },
)


@FAST
@given(st.one_of(file_like, json_values))
def test_the_data_file_loader_gives_a_dataset_or_messages(raw):
    try:
        parse_dataset(json.loads(json.dumps(raw, allow_nan=True)))
    except DataFileError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)


yaml_text = st.text(alphabet=string.printable + "äé€", max_size=300)
QUESTION_HEAD = "questionnaire: {id: f, version: '1'}\nsteps:\n"


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.one_of(yaml_text, yaml_text.map(lambda t: QUESTION_HEAD + t)))
def test_the_question_file_loader_gives_a_questionnaire_or_messages(tmp_path, text):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_questionnaire(path)
    except QuestionFileError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
