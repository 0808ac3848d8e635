"""Untrusted files: YAML bombs, deep nesting, hostile conditions, huge files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from interview.conditions import ConditionError, parse_condition
from interview.dataset import DataFileError, load_dataset
from interview.questionnaire import QuestionFileError, load_questionnaire

BOMB = """\
format: massabalans/1
company: {name: x}
period: '1'
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
flows: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_a_yaml_alias_bomb_is_refused_with_a_message(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    with pytest.raises(DataFileError, match="alias bomb"):
        load_dataset(path)


def test_a_yaml_alias_bomb_in_a_question_file_is_refused(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB.replace("format: massabalans/1", "steps: []"))
    with pytest.raises(QuestionFileError, match="alias bomb"):
        load_questionnaire(path)


def test_deep_yaml_nesting_is_refused(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("format: massabalans/1\nnote: " + "[" * 200 + "]" * 200 + "\n")
    with pytest.raises(DataFileError, match="nests deeper"):
        load_dataset(path)


def test_deep_json_nesting_is_refused_without_a_traceback(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(
        '{"format": "massabalans/1", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    run = subprocess.run(
        [sys.executable, "-m", "interview.cli", "balance", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2 and "nests too deeply" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_file_far_beyond_any_company_is_refused(tmp_path, monkeypatch):
    import interview.dataset as dataset

    monkeypatch.setattr(dataset, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"format": "massabalans/1", "pad": "x" * 2000}))
    with pytest.raises(DataFileError, match="over the limit"):
        load_dataset(path)


def test_a_100000_flow_json_file_is_accepted(tmp_path):
    flows = [
        {
            "name": f"f{i}",
            "kind": "raw_material" if i % 2 else "waste",
            "quantity": 1.5,
            "unit": "kg",
        }
        for i in range(100_000)
    ]
    path = tmp_path / "large.json"
    path.write_text(
        json.dumps(
            {
                "format": "massabalans/1",
                "company": {"name": "x"},
                "period": "1",
                "flows": flows,
            }
        )
    )
    dataset = load_dataset(path)
    assert len(dataset.flows) == 100_000


def test_yaml_tags_for_python_objects_are_refused(tmp_path):
    path = tmp_path / "tag.yaml"
    path.write_text("format: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_dataset(path)


HOSTILE = [
    "__import__('os').system('echo hacked')",
    "open('/etc/passwd').read()",
    "buys_composite.__class__",
    "buys_composite.__class__.__bases__[0].__subclasses__()",
    "().__class__",
    "[x for x in buys_composite]",
    "lambda: 1",
    "buys_composite if True else 1",
    "(yield)",
    "buys_composite[0]",
    "buys_composite[::-1]",
    "f'{buys_composite}'",
    "buys_composite @ 2",
    "buys_composite + 'x' == 'yes'",
    "-buys_composite",
    "globals()",
    "__builtins__",
    "_secret == 1",
    "{'a': 1} == buys_composite",
    "buys_composite := 'yes'",
    "*buys_composite",
    "a.b.c",
    "exec('1')",
    "x" * 600,
]


@pytest.mark.parametrize("source", HOSTILE)
def test_a_hostile_condition_is_refused_when_it_loads(source):
    with pytest.raises(ConditionError):
        parse_condition(source)


def test_yaml_is_read_by_libyaml_with_the_same_values_as_the_python_parser():
    # The C parser reads files many times faster; it must not read them
    # differently from PyYAML's own parser with the same rules.
    import yaml

    from interview.safeload import TextLoader, load_yaml

    if yaml.__with_libyaml__:
        assert issubclass(TextLoader, yaml.cyaml.CParser)

    class PythonTextLoader(yaml.SafeLoader):
        pass

    PythonTextLoader.yaml_implicit_resolvers = TextLoader.yaml_implicit_resolvers
    PythonTextLoader.yaml_constructors = TextLoader.yaml_constructors
    root = Path(__file__).parent.parent
    files = [
        *(root / "questions").glob("*.yaml"),
        *(root / "tests/data").glob("*.yaml"),
    ]
    assert len(files) > 10
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert load_yaml(text) == yaml.load(text, Loader=PythonTextLoader), file


@pytest.mark.parametrize(
    "text",
    [
        "? [a, b]\n: 1\n",
        "? {a: 1}\n: 1\n",
        "note: !!map [a, b]\n",
        "note: !!map abc\n",
        "x: !!int [1]\n",
        "a: &s [*s]\n",
        "a: &s {b: *s}\n",
        "null: 1\n",
        "~: 1\nb: 2\n",
        "<<: {a: 1}\n",
        "a: &x 1\nb: &x 2\nc: *x\n",
    ],
    ids=lambda text: text.splitlines()[0],
)
def test_odd_yaml_gets_a_message_not_a_traceback(text):
    import yaml

    from interview.safeload import load_yaml

    with pytest.raises(yaml.YAMLError) as caught:
        load_yaml(text)
    message = str(caught.value)
    assert "line 1" in message or "line 2" in message or "tag" in message
    assert "Traceback" not in message


def test_a_merge_key_in_quotes_is_an_ordinary_key():
    from interview.safeload import load_yaml

    assert load_yaml('"<<": 1\n') == {"<<": "1"}


@pytest.mark.parametrize("reader", ["balance", "check", "import"])
def test_a_file_without_an_end_is_refused_at_its_limit(reader, capsys):
    """/dev/zero has no size to check first; the limit is counted while reading."""
    from interview.cli import main

    code = main([reader, "/dev/zero"])
    err = capsys.readouterr().err
    assert code == 2
    assert "/dev/zero: the file is over" in err and "MiB" in err


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("x: !!int abc\n", {"x": "abc"}),
        ("x: !!float 1,5\n", {"x": "1,5"}),
        ("x: !!bool maybe\n", {"x": "maybe"}),
        ("x: !!timestamp nope\n", {"x": "nope"}),
        ("x: !!binary aGVsbG8=\n", {"x": "aGVsbG8="}),
        ("x: !!int " + "9" * 5000 + "\n", {"x": "9" * 5000}),
    ],
    ids=lambda v: str(v)[:20],
)
def test_a_tagged_scalar_stays_text_like_every_scalar(text, value):
    from interview.safeload import load_yaml

    assert load_yaml(text) == value


def test_an_unreadable_cache_entry_is_made_again(tmp_path, monkeypatch):
    from interview import questionnaire as q

    monkeypatch.setenv("MASSABALANS_HOME", str(tmp_path))
    first = q.load_questionnaire()
    entries = sorted((tmp_path / "cache" / "questions").glob("*.json"))
    assert entries
    broken = [
        "garbage",
        '{"version": 1, "raw": {}, "lines": [[["steps"], 1e400]]}',
        '{"version": 1, "raw": ' + "[" * 100_000 + "]" * 100_000 + ', "lines": []}',
        "[]",
    ]
    for entry, text in zip(entries, broken * len(entries), strict=False):
        entry.write_text(text, encoding="utf-8")
    again = q.load_questionnaire()
    assert [x.id for x in again.questions] == [x.id for x in first.questions]


def test_a_question_file_with_aliases_is_not_cached(tmp_path, monkeypatch):
    from interview.questionnaire import load_questionnaire

    monkeypatch.setenv("MASSABALANS_HOME", str(tmp_path))
    path = tmp_path / "q.yaml"
    path.write_text(
        """
questionnaire: {id: a, version: "1"}
steps:
  - id: start
    title: &t {nl: Start, en: Start}
    questions:
      - {id: naam, type: text, text: *t, help: *t}
""",
        encoding="utf-8",
    )
    assert [q.id for q in load_questionnaire(path).questions] == ["naam"]
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_the_readme_gives_the_limits_the_code_applies():
    from pathlib import Path

    from interview import conditions, dataset, importer, questionnaire, safeload

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Files from others", 1)[1].split("\n## ", 1)[0]
    text = " ".join(section.split())

    def spelled(number):
        return f"{number:,}".replace(",", " ")

    assert f"at most {dataset.MAX_FILE_BYTES // 2**20} MiB" in text
    assert importer.MAX_FILE_BYTES == dataset.MAX_FILE_BYTES
    assert f"at most {questionnaire.MAX_FILE_BYTES // 2**20} MiB" in text
    assert f"at most {safeload.MAX_DEPTH} levels" in text
    assert f"at most {spelled(safeload.MAX_ALIASES)} aliases" in text
    assert f"{spelled(safeload.MAX_NODES)} values" in text
    assert f"at most {conditions.MAX_LENGTH} characters and" in text
    assert f"{conditions.MAX_DEPTH} levels deep" in text
    assert f"at most {spelled(importer.MAX_ROWS)} rows" in text
    assert f"first {importer.MAX_COLUMNS} columns" in text
    assert f"at most {importer.MAX_UNPACKED_BYTES // 2**20} MiB." in text


def test_a_json_number_of_thousands_of_digits_gets_a_message(tmp_path):
    from interview.dataset import DataFileError, read_file

    path = tmp_path / "big.json"
    path.write_text('{"format": "massabalans/1", "q": ' + "9" * 5001 + "}")
    with pytest.raises(DataFileError) as caught:
        read_file(path)
    assert "5001 digits" in caught.value.problems[0]


@pytest.mark.parametrize("word", ["electron_mass", "planck_mass"])
def test_a_unit_far_from_any_company_flow_is_refused(word):
    from interview.units import UnitError, parse_unit

    with pytest.raises(UnitError):
        parse_unit(word)
