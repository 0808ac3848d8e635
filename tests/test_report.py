"""The advice report: goldens of every case in both languages, escaping, the picture.

Regenerate the goldens with `UPDATE_GOLDEN=1 uv run pytest tests/test_report.py`
and read the diff before committing it.
"""

from __future__ import annotations

import csv
import difflib
import html
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from interview import sankey
from interview.balance import compute
from interview.dataset import parse_dataset, read_file
from interview.engine import Answer
from interview.mapping import Replay
from interview.questionnaire import load_questionnaire
from interview.report import (
    ReportSource,
    build_context,
    md,
    md_code,
    mermaid_label,
    render_html,
    render_markdown,
    sankey_svg,
    write_report,
)
from interview.session import Session, replay_into
from interview.store import Store

from .conftest import DATA
from .markdown_tables import assert_rectangular, tables

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
FIXED_DATE = "2026-01-31"
CASES = sorted(
    p.name.removesuffix(".expected.json") for p in DATA.glob("*.expected.json")
)
SVG = "{http://www.w3.org/2000/svg}"
NASTY = [
    "plaat | 2_mm *zwart*",
    "# kop",
    "<script>alert(1)</script>",
    "`code` en ``meer``",
    "[link](http://example.org) & &amp; co",
    "1. niet een lijst",
    "- ook niet",
    "regel een\nregel twee",
    'komma, "aanhalingstekens"',
    "ctrl\x00\x1bteken",
]


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire()


def replayed(case: str, language: str, questionnaire, tmp_path: Path) -> ReportSource:
    """A case's whole interview replayed into a fresh store, dated FIXED_DATE."""
    raw = read_file(DATA / f"{case}.answers.yaml")
    store = Store(tmp_path / f"{case}-{language}.db")
    session = Session.start(store, questionnaire, language)
    assert replay_into(session, Replay(questionnaire, raw)) is None
    session.finish()
    return replace(ReportSource.from_session(session), date=FIXED_DATE)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"golden/{name}",
                "rendered",
            )
        )
        pytest.fail(f"the report differs from its golden file:\n{diff}")


def dataset_of(*flows, **extra):
    raw = {
        "format": "massabalans/1",
        "company": extra.pop("company", {"name": "Test BV", "sector": "metal"}),
        "period": "2025",
        "flows": list(flows),
        **extra,
    }
    return parse_dataset(raw)


def source_of(*flows, questionnaire, **extra) -> ReportSource:
    return ReportSource.from_dataset(dataset_of(*flows, **extra), questionnaire)


def as_html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def mermaid_blocks(markdown: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)\n```", markdown, flags=re.S)


def sankey_rows(markdown: str) -> list[list[str]]:
    block = next(b for b in mermaid_blocks(markdown) if b.startswith("sankey-beta"))
    lines = block.splitlines()[2:]
    return list(csv.reader(lines))


# Goldens


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("case", CASES)
def test_the_report_of_each_case_matches_its_golden_file(
    case, language, questionnaire, tmp_path
):
    source = replayed(case, language, questionnaire, tmp_path)
    text = render_markdown(source, language, f"{case}.svg")
    assert_rectangular(text)
    check_golden(f"{case}.{language}.md", text)


@pytest.mark.parametrize("case", CASES)
def test_the_picture_of_each_case_matches_its_golden_file(
    case, questionnaire, tmp_path
):
    source = replayed(case, "nl", questionnaire, tmp_path)
    check_golden(f"{case}.nl.svg", sankey_svg(source, "nl"))


def test_a_report_from_a_data_file_matches_its_golden_file(questionnaire):
    from interview.dataset import load_dataset

    source = ReportSource.from_dataset(load_dataset(DATA / "bread.yaml"), questionnaire)
    text = render_markdown(replace(source, date=FIXED_DATE), "nl")
    assert "## Open vragen" in text
    check_golden("bread.data-file.nl.md", text)


# Structure


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_section_says_something_even_with_no_data(language, questionnaire):
    text = render_markdown(source_of(questionnaire=questionnaire), language)
    assert_rectangular(text)
    lines = text.splitlines()
    headings = [
        (i, len(line) - len(line.lstrip("#")))
        for i, line in enumerate(lines)
        if line.startswith("#")
    ]
    for n, (start, level) in enumerate(headings):
        end = next((i for i, lv in headings[n + 1 :] if lv <= level), len(lines))
        assert "".join(lines[start + 1 : end]).strip(), lines[start]
    assert ("nog niet" if language == "nl" else "not") in text


def test_the_summary_gives_the_five_key_figures_first(questionnaire, tmp_path):
    text = render_markdown(replayed("sawmill", "en", questionnaire, tmp_path), "en")
    summary = text.split("## Summary")[1].split("\n## ")[0]
    rows = tables(summary)[0]
    assert [row[0] for row in rows[1:]] == [
        "Inputs",
        "Outputs",
        "Unexplained gap",
        "Material efficiency",
        "Residual streams treated circularly",
    ]
    assert rows[1][1] == "56,000 kg"
    assert rows[4][1] == "35.7 %"
    assert text.index("## Summary") < text.index("## The mass balance")


def test_the_interview_date_is_written_for_the_reader(questionnaire, tmp_path):
    source = replayed("bread", "nl", questionnaire, tmp_path)
    assert "| Datum interview | 31 januari 2026 |" in render_markdown(source, "nl")
    assert "| Interview date | 31 January 2026 |" in render_markdown(source, "en")


def test_an_answer_and_its_advice_are_separate_paragraphs(questionnaire, tmp_path):
    text = render_markdown(replayed("sawmill", "nl", questionnaire, tmp_path), "nl")
    page = as_html(text)
    item = next(
        li
        for li in re.findall(r"<li>(.*?)</li>", page, flags=re.S)
        if "open voor een kritische blik" in li
    )
    paragraphs = re.findall(r"<p>(.*?)</p>", item, flags=re.S)
    assert len(paragraphs) == 2, item
    assert visible_text(paragraphs[0]).endswith("Ja (owner and staff agree)")
    assert visible_text(paragraphs[1]).startswith("→ Dan kunt u meteen aan de slag")


def test_the_gap_is_explained_as_causes_when_outside_the_tolerance(questionnaire):
    source = source_of(
        {"name": "meel", "kind": "raw_material", "quantity": "100", "unit": "kg"},
        {"name": "water", "kind": "raw_material", "quantity": "60", "unit": "l"},
        {"name": "brood", "kind": "product", "quantity": "130", "unit": "kg"},
        company={"name": "Bakker", "sector": "food"},
        questionnaire=questionnaire,
    )
    text = render_markdown(source, "en")
    part = text.split("### The gap explained")[1].split("\n## ")[0]
    assert "Possible causes, the largest first:" in part
    assert "1. water comes in but little leaves" in part
    assert "could explain up to 30 kg" in part
    assert "organic waste" in part  # the sector's usual waste, in the reader's words


def test_the_gap_causes_are_a_note_when_within_the_tolerance(questionnaire):
    source = source_of(
        {"name": "meel", "kind": "raw_material", "quantity": "100", "unit": "kg"},
        {"name": "brood", "kind": "product", "quantity": "99", "unit": "kg"},
        company={"name": "Bakker", "sector": "food"},
        questionnaire=questionnaire,
    )
    part = render_markdown(source, "en").split("### The gap explained")[1]
    assert part.lstrip().startswith("The balance closes. Still worth checking:")


def test_waste_streams_come_worst_first_with_processor_and_rung(questionnaire):
    source = source_of(
        {"name": "in", "kind": "raw_material", "quantity": "100", "unit": "kg"},
        {"name": "p", "kind": "product", "quantity": "70", "unit": "kg"},
        {
            "name": "metaal",
            "kind": "waste",
            "quantity": "20",
            "unit": "kg",
            "treatment": "recycling",
            "processor": "Schroot BV",
        },
        {
            "name": "rest",
            "kind": "waste",
            "quantity": "10",
            "unit": "kg",
            "treatment": "landfill",
        },
        questionnaire=questionnaire,
    )
    text = render_markdown(source, "en")
    part = text.split("## Residual streams on the waste hierarchy")[1]
    rows = tables(part)[0]
    assert [r[0] for r in rows[1:]] == ["rest", "metaal"]
    assert rows[1][4] == "6. landfill" and rows[2][4] == "3. material reuse"
    assert rows[2][2] == "Schroot BV"


def test_the_cost_of_waste_is_given_per_stream_and_in_total(questionnaire):
    source = source_of(
        {
            "name": "staal",
            "kind": "raw_material",
            "quantity": "100",
            "unit": "kg",
            "cost_eur": "200",
        },
        {"name": "frame", "kind": "product", "quantity": "80", "unit": "kg"},
        {
            "name": "spanen",
            "kind": "waste",
            "material": "staal",
            "quantity": "20",
            "unit": "kg",
            "cost_eur": "15",
        },
        questionnaire=questionnaire,
    )
    text = render_markdown(source, "nl")
    part = text.split("## Wat afval kost")[1].split("\n## ")[0]
    rows = tables(part)[0]
    assert rows[1][:3] == ["spanen", "20 kg", "€\xa040,00"]
    assert rows[-1][-1] == "€\xa055,00"


def test_every_indicator_has_a_line_that_explains_it(questionnaire, tmp_path):
    text = render_markdown(replayed("marinade", "en", questionnaire, tmp_path), "en")
    rows = tables(text.split("## Indicators")[1])[0][1:]
    assert len(rows) == 7
    assert all(row[2].endswith(".") for row in rows)


def test_the_appendix_lists_hidden_and_dropped_answers(questionnaire, tmp_path):
    store = Store(tmp_path / "a.db")
    session = Session.start(store, questionnaire, "nl")
    give = {
        "company_name": "Verborgen BV",
        "sector": "wood",
        "contact": "Piet",
        "period": "2025",
        "who_answers": "owner",
        "raw_materials": [{"name": "eik", "quantity": "10", "unit": "kg"}],
        "buys_composite": "yes",
        "composite_materials": [{"name": "paneel", "quantity": "5", "unit": "kg"}],
    }
    for qid, value in give.items():
        session.answer(questionnaire.question(qid), Answer(value, note=None))
    session.answer(questionnaire.question("buys_composite"), Answer("no"))
    store.save_answer(session.interview_id, "old_question", Answer("oud | antwoord"))
    session = Session(store, questionnaire, session.interview_id)
    text = render_markdown(ReportSource.from_session(session), "nl")
    appendix = text.split("## Bijlage")[1]
    assert "Bewaarde antwoorden die niet meetellen" in appendix
    assert "- `old_question`: oud \\| antwoord" in appendix
    assert "paneel" not in text.split("## Bijlage")[0]


def test_the_next_steps_give_a_process_diagram_to_fill_in(questionnaire, tmp_path):
    text = render_markdown(replayed("bread", "en", questionnaire, tmp_path), "en")
    flowchart = next(b for b in mermaid_blocks(text) if b.startswith("flowchart"))
    assert '"volkorenmeel"] --> step1' in flowchart
    assert "step3 --> product1[" in flowchart
    assert "Step 2: processing" in flowchart
    assert "### 2. Chain analysis" in text and "LCA" in text


# Escaping


@pytest.mark.parametrize("language", ["nl", "en"])
def test_names_with_markdown_characters_render_literally(language, questionnaire):
    flows = [
        {
            "name": name,
            "kind": "raw_material",
            "quantity": "10",
            "unit": "kg",
            "supplier": name,
        }
        for name in NASTY
    ] + [
        {
            "name": name + " uit",
            "kind": "waste",
            "quantity": "1",
            "unit": "kg",
            "processor": name,
            "treatment": "landfill",
        }
        for name in NASTY
    ]
    source = source_of(
        *flows,
        company={"name": "Bedrijf | *ster* _x_ #1 <b>"},
        answers={"open_to_change": {"value": "yes", "note": "a | b\n*c* <d>"}},
        questionnaire=questionnaire,
    )
    text = render_markdown(source, language)
    assert_rectangular(text)
    cells = {cell for table in tables(text) for row in table for cell in row}
    for name in NASTY:
        shown = sankey.clean(name)
        assert shown in cells, shown
        assert f"{shown} uit" in cells
    page = as_html(text)
    assert "<script>" not in page and "<em>" not in page and "<a " not in page
    assert page.count("<h1>") == 1 and "<ol start" not in page
    title = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert visible_text(title).endswith("Bedrijf | *ster* _x_ #1 <b>")
    assert "a | b *c* <d>" in visible_text(page)


def test_every_table_row_has_as_many_cells_as_its_header(questionnaire, tmp_path):
    for case in CASES:
        for language in ("nl", "en"):
            source = replayed(case, language, questionnaire, tmp_path / language)
            assert_rectangular(render_markdown(source, language))


def test_the_md_filter_escapes_what_markdown_would_read():
    assert md("a|b") == "a\\|b"
    assert md("1. item") == "1\\. item"
    assert md("1.200 kg") == "1.200 kg"
    assert md("- a") == "\\- a"
    assert md("two\nlines") == "two lines"
    assert md("&amp;") == "\\&amp;"
    assert md_code("a`b") == "``a`b``"
    assert mermaid_label('a "b" <c> #d') == '"a #quot;b#quot; #lt;c#gt; #35;d"'


# The picture


def picture_of(*flows, language="nl", **extra) -> tuple[ET.Element, sankey.Sankey]:
    dataset = dataset_of(*flows, **extra)
    balance = compute(dataset)
    drawing = sankey.build(dataset, balance, language)
    return ET.fromstring(sankey.to_svg(drawing)), drawing


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def groups(root: ET.Element, *classes: str) -> list[ET.Element]:
    return [
        g
        for g in root.iter(f"{SVG}g")
        if set(classes) <= set((g.get("class") or "").split())
    ]


def flow(name, kind, kg, **more):
    return {"name": name, "kind": kind, "quantity": str(kg), "unit": "kg", **more}


@pytest.mark.parametrize("case", CASES)
def test_the_picture_of_each_case_is_well_formed_svg_with_its_labels(
    case, questionnaire, tmp_path
):
    source = replayed(case, "en", questionnaire, tmp_path)
    root = ET.fromstring(sankey_svg(source, "en"))
    assert root.tag == f"{SVG}svg"
    labels = texts(root)
    drawing = sankey.build(source.dataset, source.balance, "en")
    assert drawing.inputs and drawing.outputs
    for band in drawing.inputs + drawing.outputs:
        assert any(label.startswith(band.label[:20]) for label in labels)


def test_a_positive_gap_is_a_labelled_band_on_the_output_side():
    root, drawing = picture_of(
        flow("meel", "raw_material", 100), flow("brood", "product", 80)
    )
    bands = groups(root, "band", "gap")
    assert len(bands) == 1 and "out" in bands[0].get("class").split()
    assert "Onverklaard verschil" in texts(root)
    assert drawing.outputs[-1].kg == 20


def test_a_negative_gap_is_a_band_on_the_input_side():
    root, _ = picture_of(
        flow("meel", "raw_material", 100), flow("brood", "product", 130), language="en"
    )
    bands = groups(root, "band", "gap")
    assert len(bands) == 1 and "in" in bands[0].get("class").split()
    assert "Unexplained gap" in texts(root)


def test_a_closed_balance_has_no_gap_band():
    root, _ = picture_of(flow("a", "raw_material", 10), flow("b", "product", 10))
    assert groups(root, "gap") == []


def test_the_largest_flows_are_drawn_and_the_rest_grouped_as_other():
    inputs = [flow(f"grondstof {i}", "raw_material", 100 - i) for i in range(12)]
    root, drawing = picture_of(*inputs, flow("product", "product", sum(range(89, 101))))
    assert len(drawing.inputs) == 9
    other = drawing.inputs[-1]
    assert other.role == "other" and other.count == 4
    assert other.kg == 92 + 91 + 90 + 89
    assert "overig (4 stromen)" in texts(root)
    assert "grondstof 11" not in texts(root)


def test_a_band_is_as_wide_as_its_mass():
    root, _ = picture_of(
        flow("groot", "raw_material", 300),
        flow("klein", "raw_material", 100),
        flow("p", "product", 400),
    )
    heights = {
        "".join(g.find(f"{SVG}text").itertext()): float(
            g.find(f"{SVG}rect").get("height")
        )
        for g in groups(root, "band", "in")
    }
    assert heights["groot"] == pytest.approx(3 * heights["klein"], rel=0.01)


def test_flows_without_a_mass_are_listed_in_a_note_not_left_out():
    root, drawing = picture_of(
        flow("a", "raw_material", 10),
        {"name": "pallets", "kind": "auxiliary", "quantity": "5", "unit": "st"},
        {"name": "olie", "kind": "auxiliary", "quantity": "unknown", "unit": "l"},
        flow("b", "product", 10),
    )
    (notes,) = groups(root, "notes")
    lines = texts(notes)
    assert lines[0].startswith("Niet getekend")
    assert any(line.startswith("• pallets: ") for line in lines)
    assert "• olie: hoeveelheid onbekend" in lines


def test_labels_are_escaped_for_xml():
    names = [*NASTY, "a & b < c > d \"e\" 'f'"]
    flows = [flow(name, "raw_material", 1 + i) for i, name in enumerate(names)]
    root, _ = picture_of(
        *flows,
        flow("p", "product", 100),
        company={"name": "<Bedrijf & Zn>"},
    )
    shown = texts(root)
    assert "<Bedrijf & Zn>" in shown
    for name in names[-8:]:  # the largest eight have a band of their own
        label = sankey.clean(name)
        assert any(text.startswith(label[:20]) for text in shown), label


def test_a_picture_with_no_flows_still_says_something():
    root, _ = picture_of()
    assert "Nog geen stromen met een bekende massa" in texts(root)


def test_a_stock_decrease_is_drawn_as_an_input():
    _, drawing = picture_of(
        flow("a", "raw_material", 100),
        flow("b", "product", 120),
        stock=[{"name": "voorraad", "opening": "50", "closing": "30", "unit": "kg"}],
    )
    roles = [b.role for b in drawing.inputs]
    assert roles == ["raw_material", "stock"]
    assert sum(b.kg for b in drawing.inputs) == sum(b.kg for b in drawing.outputs)


# The Mermaid block


def test_the_mermaid_sankey_quotes_names_and_uses_dot_decimals(questionnaire):
    source = source_of(
        flow('komma, "quote"', "raw_material", "1234,5"),
        flow("water", "raw_material", "0,25"),
        flow("water", "waste", "0,25"),
        flow("Test BV", "product", 1000),
        questionnaire=questionnaire,
    )
    text = render_markdown(source, "nl")
    rows = sankey_rows(text)
    assert ['komma, "quote"', "Test BV", "1234.5"] in rows
    assert ["water", "Test BV", "0.25"] in rows
    assert all(re.fullmatch(r"\d+(\.\d+)?", row[2]) for row in rows)
    sources = {row[0] for row in rows}
    targets = {row[1] for row in rows}
    assert sources & targets == {"Test BV"}, "one name on both sides is a cycle"
    assert {"water (uit)", "Test BV (uit)"} <= targets
    left = sum(Decimal(r[2]) for r in rows if r[1] == "Test BV")
    right = sum(Decimal(r[2]) for r in rows if r[0] == "Test BV")
    assert left == right


def test_the_mermaid_sankey_groups_like_the_picture(questionnaire):
    flows = [flow(f"in {i}", "raw_material", 20 - i) for i in range(10)]
    source = source_of(*flows, flow("uit", "product", 100), questionnaire=questionnaire)
    rows = sankey_rows(render_markdown(source, "en"))
    assert ["other (2 flows)", "Test BV", "23"] in rows
    assert ["Test BV", "Unexplained gap", "55"] in rows


# HTML and files


def test_the_html_report_is_self_contained(questionnaire, tmp_path):
    source = replayed("sawmill", "nl", questionnaire, tmp_path)
    page = render_html(source, "nl")
    assert page.startswith("<!DOCTYPE html>")
    for remote in ("<script", "<link", "src=", "@import", "url(http"):
        assert remote not in page
    assert page.count("<svg") == 1 and "sankey-picture-" not in page
    assert page.count("<table>") == len(tables(render_markdown(source, "nl")))
    assert '<code class="language-mermaid">' in page
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    ET.fromstring(svg)


def test_the_html_title_escapes_the_company_name(questionnaire):
    source = source_of(
        flow("a", "raw_material", 1),
        company={"name": "<b>Vet</b> & Zn"},
        questionnaire=questionnaire,
    )
    page = render_html(source, "en")
    assert (
        "<title>Mass balance and advice: &lt;b&gt;Vet&lt;/b&gt; &amp; Zn</title>"
        in page
    )
    assert "<b>Vet</b>" not in page


def test_write_report_writes_the_markdown_and_its_picture_beside_it(
    questionnaire, tmp_path
):
    store = Store(tmp_path / "w.db")
    session = Session.start(store, questionnaire, "en")
    raw = read_file(DATA / "composite.answers.yaml")
    replay_into(session, Replay(questionnaire, raw))
    path = write_report(session, tmp_path / "out")
    svg = path.with_suffix(".svg")
    assert svg.exists()
    ET.parse(svg)
    assert f"]({svg.name})" in path.read_text(encoding="utf-8")


def test_the_report_command_writes_the_picture_beside_the_file(tmp_path):
    out = tmp_path / "my report.md"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "interview.cli",
            "report",
            "--data",
            str(DATA / "sawmill.yaml"),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "my report.svg").exists()
    assert "](my%20report.svg)" in out.read_text(encoding="utf-8")


def test_the_context_keeps_numbers_as_numbers_for_the_filters(questionnaire):
    source = source_of(flow("a", "raw_material", 1), questionnaire=questionnaire)
    context = build_context(source, "nl")
    assert context["inputs"] == Decimal(1)
    assert context["flow_groups"][0]["rows"][0]["kg"] == Decimal(1)


@pytest.mark.parametrize("language, locale", [("nl", "nl_NL"), ("en", "en_GB")])
def test_the_fast_number_formats_agree_with_babel(language, locale):
    import random

    from babel.numbers import format_currency, format_decimal

    from interview.report import formats

    f = formats(language)
    rng = random.Random(2026)
    for _ in range(2000):
        value = Decimal(str(round(rng.uniform(-1e7, 1e7), rng.randint(0, 6))))
        for digits in range(4):
            pattern = "#,##0" + ("." + "#" * digits if digits else "")
            expected = format_decimal(value, format=pattern, locale=locale)
            assert f.number(value, digits) == ("0" if expected == "-0" else expected)
        assert f.eur(value) == format_currency(round(value, 2), "EUR", locale=locale)


def test_the_balance_warnings_are_in_the_readers_language(questionnaire):
    source = source_of(
        flow("staal", "raw_material", 10),
        flow("spanen", "waste", 12, material="staal"),
        questionnaire=questionnaire,
    )
    text = render_markdown(source, "nl")
    assert "- Er gaat meer staal uit dan erin (2 kg): controleer" in text
    assert "more staal leaves" not in text


def test_a_comparison_with_an_earlier_period_shows_the_change_per_flow_and_total(
    tmp_path,
):
    from interview.dataset import parse_dataset

    from .markdown_tables import assert_rectangular, tables

    def source(flows, period):
        raw = {
            "format": "massabalans/1",
            "company": {"name": "Vergelijk BV"},
            "period": period,
            "flows": flows,
        }
        return ReportSource.from_dataset(parse_dataset(raw), load_questionnaire())

    earlier = source(
        [
            {"name": "staal", "kind": "raw_material", "quantity": "100", "unit": "kg"},
            {"name": "spanen", "kind": "waste", "quantity": "10", "unit": "kg"},
        ],
        "2024",
    )
    now = source(
        [
            {"name": "staal", "kind": "raw_material", "quantity": "120", "unit": "kg"},
            {"name": "lijm", "kind": "auxiliary", "quantity": "5", "unit": "kg"},
        ],
        "2025",
    )
    now.previous = earlier
    report = render_markdown(now, "en")
    assert "## Compared with 2024" in report
    assert_rectangular(report)
    section = report.split("## Compared with 2024")[1].split("\n## ")[0]
    totals, _, flows, materials = tables(section)
    by_flow = {row[0]: row[2:] for row in flows[1:]}
    assert by_flow["staal"] == ["100 kg", "120 kg", "20 kg"]
    assert by_flow["spanen"] == ["10 kg", "–", "-10 kg"]
    assert by_flow["lijm"] == ["–", "5 kg", "5 kg"]
    assert totals[1][1:] == ["100 kg", "125 kg", "25 kg"]
    assert {row[0]: row[1:] for row in materials[1:]}["staal"] == [
        "100 kg",
        "120 kg",
        "20 kg",
    ]


@pytest.mark.parametrize(
    ("kind", "asked"),
    [
        ("emission", "the environmental permit"),
        ("wastewater", "the discharge permit"),
        ("waste", "the waste processor"),
        ("raw_material", "purchasing"),
    ],
)
def test_an_unknown_quantity_is_asked_of_who_knows_that_kind_of_flow(
    questionnaire, kind, asked
):
    source = source_of(
        {"name": "meel", "kind": "raw_material", "quantity": "100", "unit": "kg"},
        {"name": "brood", "kind": "product", "quantity": "90", "unit": "kg"},
        {"name": "onbekend", "kind": kind, "quantity": "unknown", "unit": "kg"},
        questionnaire=questionnaire,
    )
    text = render_markdown(source, "en")
    row = next(line for line in text.splitlines() if "Quantity of onbekend" in line)
    assert asked in row


def test_a_flow_a_question_names_is_named_in_the_reports_language(tmp_path):
    questionnaire = load_questionnaire()
    session = Session.start(Store(tmp_path / "l.db"), questionnaire, "en")
    session.answer(
        questionnaire.question("mains_water"), Answer({"quantity": "5", "unit": "m3"})
    )
    dutch = render_markdown(ReportSource.from_session(session, None, "nl"), "nl")
    english = render_markdown(ReportSource.from_session(session, None, "en"), "en")
    name = questionnaire.question("mains_water").flow.name
    assert name("nl") in dutch and name("en") not in dutch
    assert name("en") in english


@pytest.mark.parametrize(
    ("used", "language", "shown"),
    [
        ({"density": "0.84 kg/l", "kg_per_l": Decimal("0.84")}, "nl", "0,84 kg/l"),
        ({"density": "500 kg/m3", "kg_per_l": Decimal("0.5")}, "en", "500 kg/m3"),
        (
            {"density": "0,92 kilo per liter", "kg_per_l": Decimal("0.92")},
            "en",
            "0.92 kg/l (0,92 kilo per liter)",
        ),
        (
            {"density": "1.25 kg/Nm3", "kg_per_l": Decimal("0.00125")},
            "nl",
            "1,25 kg/Nm3",
        ),
        ({"mass_per_piece": "600 g", "kg_per_piece": Decimal("0.6")}, "nl", "600 g"),
    ],
)
def test_a_density_or_piece_mass_is_written_in_the_reports_numbers(
    used, language, shown
):
    from interview.report import _conversion_value, formats

    assert _conversion_value(used, formats(language)) == shown
