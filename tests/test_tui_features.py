"""The terminal interface beyond answering: summaries, correcting, the balance
panel, the interviews screen and the report, driven through Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.widgets import DataTable, Input, Markdown, OptionList

from interview.balance import compute
from interview.dataset import parse_dataset
from interview.densities import lookup
from interview.engine import Answer
from interview.questionnaire import load_questionnaire
from interview.session import Session
from interview.store import Store
from interview.tui.app import MassabalansApp
from interview.tui.panel import BalancePanel
from interview.tui.parsing import flow_mass
from interview.tui.screens import (
    ConfirmScreen,
    InterviewsScreen,
    ReportScreen,
    ReviewScreen,
)
from interview.tui.steplog import StepLog
from interview.tui.summary import summarise_step
from interview.tui.widgets import AnswerRow, Bubble, stored_density

from .test_tui import SIZE, SMALL, answer_start, transcript, type_line


@pytest.fixture
def questionnaire():
    return load_questionnaire(SMALL)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "interviews.db"


def summaries(app: MassabalansApp) -> list[str]:
    return [log.summary for log in app.query(StepLog) if log.summary]


def notes(app: MassabalansApp) -> str:
    return "\n".join(str(b.content) for b in app.query(Bubble) if "branch" in b.classes)


def _answered(db: Path, questionnaire, upto: str, composite: bool = True) -> int:
    """An interview answered up to (not including) question `upto`."""
    session = Session.start(Store(db), questionnaire, "nl")
    answers = {
        "company_name": Answer("Acme BV"),
        "period": Answer("2024"),
        "raw_materials": Answer([{"name": "eiken", "quantity": "10", "unit": "t"}]),
        "buys_composite": Answer("yes" if composite else "no"),
        "composite_materials": Answer(
            [{"name": "GVK-plaat", "quantity": "2", "unit": "t"}]
        ),
        "composite_known": Answer("no"),
        "mains_water": Answer({"quantity": "5", "unit": "m3"}),
        "has_well": Answer("no"),
        "waste_streams": Answer([{"name": "zaagsel", "quantity": "3", "unit": "t"}]),
    }
    while (question := session.next_question()) is not None:
        if question.id == upto:
            break
        session.answer(question, answers[question.id])
    return session.interview_id


# The conversation: summaries and observations


async def test_a_finished_step_is_summed_up_with_its_kilograms(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        assert summaries(app) == [
            "Samenvatting · Start\n2 vragen beantwoord; geen stromen in deze stap."
        ]
        await type_line(pilot, "12,5 t eikenhout", "enter")
        await type_line(pilot, "? beuken", "enter", "enter")
        await type_line(pilot, "", "enter")  # composites: yes
        await type_line(pilot, "2 t GVK-plaat", "enter", "enter")
        await type_line(pilot, "", "down", "enter")  # composition known: no
        assert app.current.id == "mains_water"
        purchases = summaries(app)[-1]
        assert purchases.startswith("Samenvatting · Inkoop")
        assert (
            "In: 14\u00a0500 kg (grondstof 12\u00a0500 kg, samengesteld 2\u00a0000 kg)"
            in (purchases)
        )
        assert "Hoeveelheid nog onbekend: beuken" in purchases
        assert "Opvallend: van 'GVK-plaat' is de samenstelling onbekend" in purchases


async def test_water_in_without_wastewater_out_is_remarked_once_the_outputs_are_in(
    db, questionnaire
):
    _answered(db, questionnaire, "waste_streams", composite=False)
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "enter")  # continue
        assert "water binnen" not in "\n".join(summaries(app))
        await type_line(pilot, "1 t zaagsel", "enter", "enter")  # residuals
        await type_line(pilot, "", "enter")  # no products
        assert "water binnen" not in "\n".join(summaries(app))
        await type_line(pilot, "", "enter", "enter")  # open to change, staff know
        await type_line(pilot, "", "down", "enter")  # steam not metered
        await type_line(pilot, "200", "enter")  # estimated steam, kg
        assert app.current is None
        assert (
            "5\u00a0000 kg water binnen, maar er gaat geen afvalwater uit"
            in (summaries(app)[-1])
        )


def test_step_summaries_are_in_english_too(questionnaire, db):
    session = Session.start(Store(db), questionnaire, "en")
    for question, answer in (
        ("company_name", Answer("Acme")),
        ("period", Answer("2024")),
        (
            "raw_materials",
            Answer(
                [
                    {"name": "oak", "quantity": "9", "unit": "t"},
                    {"name": "paint", "quantity": "40", "unit": "l"},
                ]
            ),
        ),
    ):
        session.answer(questionnaire.question(question), answer)
    summary = summarise_step(
        questionnaire,
        "purchases",
        session.active(),
        session.dataset(),
        session.balance(),
        "en",
        set(),
    )
    text = summary.text("en")
    assert "In: 9\u00a0000 kg" in text
    assert "Not in kg yet: paint" in text
    assert "Worth noting: 'paint' does not count in the balance yet" in text


def _dataset(flows):
    data = {"format": "massabalans/1", "company": {"name": "X"}, "period": "2024"}
    return parse_dataset(data | {"flows": flows}, "test")


def test_a_large_packaging_share_is_remarked(questionnaire):
    questionnaire = load_questionnaire()
    flows = [
        {
            "name": "meel",
            "kind": "raw_material",
            "quantity": 800,
            "unit": "kg",
            "question": "raw_materials",
        },
        {
            "name": "karton dozen",
            "kind": "auxiliary",
            "quantity": 200,
            "unit": "kg",
            "question": "packaging",
        },
    ]
    dataset = _dataset(flows)
    step = questionnaire.step_of["packaging"]
    summary = summarise_step(
        questionnaire, step, {}, dataset, compute(dataset), "nl", set()
    )
    assert summary.observation.code == "packaging"
    assert "verpakking is 20 % van alles wat binnenkomt (200 kg)" in summary.text("nl")


def test_an_observation_is_not_made_twice(questionnaire):
    flows = [
        {
            "name": "verf",
            "kind": "raw_material",
            "quantity": 5,
            "unit": "l",
            "question": "raw_materials",
        }
    ]
    dataset = _dataset(flows)
    said: set[str] = set()
    first = summarise_step(
        questionnaire, "purchases", {}, dataset, compute(dataset), "nl", said
    )
    again = summarise_step(
        questionnaire, "purchases", {}, dataset, compute(dataset), "nl", said
    )
    assert first.observation is not None
    assert again.observation is None


# Flow lists: the density table


async def test_a_liquid_in_the_table_is_offered_its_density(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "200 l diesel", "enter")
        prompt = str(app.query_one(".follow-up.-shown").content)
        assert "Volgens de tabel is de dichtheid 0,84 kg/l" in prompt
        assert "EN 590" in prompt
        assert app.query_one("#line", Input).value == "0,84 kg/l"
        await type_line(pilot, "", "enter")  # accept
        await type_line(pilot, "100 l smeerolie", "enter")
        await type_line(pilot, "0,9 kg/l", "enter")  # typing replaces the offer
        interview_id = app.session.interview_id
        cells = app.query_one("#items", DataTable).get_row_at(0)
        assert cells[:3] == ["diesel", "200 l", "168"]
    items = Store(db).answers(interview_id)["raw_materials"].value
    assert items[0]["density"] == "0.84 kg/l"
    assert items[0]["density_source"] == "table"
    assert items[1]["density"] == "0,9 kg/l"
    assert "density_source" not in items[1]
    session = Session(Store(db), questionnaire, interview_id)
    used = session.balance().conversions
    assert [c["source"] for c in used] == ["table", "given"]


def test_every_table_density_reads_one_way_as_stored():
    from interview.densities import TABLE

    for entry in TABLE:
        unit = "Nm3" if entry.unit == "kg/Nm3" else "l"
        flow = {
            "name": entry.key,
            "kind": "auxiliary",
            "quantity": "1",
            "unit": unit,
            "density": stored_density(entry),
        }
        assert flow_mass(flow).kg == entry.value, entry.key
    assert stored_density(lookup("perslucht", gas=True)) == "1.2930 kg/Nm3"


# Correcting


async def test_clicking_an_answer_of_a_finished_step_asks_it_again(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        step_log = app.query_one(StepLog)
        assert step_log.question_ids == ["company_name", "period"]
        app.transcript.scroll_to_widget(step_log, animate=False)
        await pilot.pause()
        where = _clickable(app, step_log, "app.pick('company_name')")
        await pilot.click(offset=where)
        await pilot.pause()
        assert app.current.id == "company_name"
        entry = app.query_one("#entry", Input)
        assert entry.value == "Acme BV"
        entry.value = ""
        await type_line(pilot, "Acme Houtbouw", "enter")
        assert app.current.id == "raw_materials"
        assert "Acme Houtbouw" in transcript(app)
    assert Store(db).answers(app.session.interview_id)["company_name"].value == (
        "Acme Houtbouw"
    )


def _clickable(app, widget, action: str) -> tuple[int, int]:
    """A screen cell of `widget` whose click runs `action`."""
    region = widget.region
    for y in range(region.y, region.bottom):
        for x in range(region.x, region.right):
            style = app.screen.get_style_at(x, y)
            if style.meta.get("@click") == action:
                return x, y
    raise AssertionError(f"no cell of {widget} runs {action}")


async def test_clicking_an_answer_of_the_open_step_asks_it_again(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "", "enter")  # no raw materials
        assert app.current.id == "buys_composite"
        row = app.query(AnswerRow).last()
        assert row.question_id == "raw_materials"
        await pilot.click(row)
        await pilot.pause()
        assert app.current.id == "raw_materials"
        await type_line(pilot, "4 t beuken", "enter", "enter")
        assert app.current.id == "buys_composite"
    items = Store(db).answers(app.session.interview_id)["raw_materials"].value
    assert [i["name"] for i in items] == ["beuken"]


async def test_the_review_lists_every_answer_by_step_and_opens_one(db, questionnaire):
    interview_id = _answered(db, questionnaire, "has_well")
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "enter")  # continue
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        options = screen.query_one(OptionList)
        prompts = [
            str(options.get_option_at_index(i).prompt)
            for i in range(options.option_count)
        ]
        assert prompts[0] == "── Start ──"
        assert "── Inkoop ──" in prompts
        assert any(p.startswith("Samengestelde materialen?\n  Ja") for p in prompts)

        # Changing a choice that opened a list hides that list's answers.
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("buys_composite")
        await type_line(pilot, "", "enter")
        assert app.current.id == "buys_composite"
        await type_line(pilot, "", "down", "enter")  # Nee
        shown = notes(app)
        assert "tellen deze antwoorden niet meer mee" in shown
        assert "Welke? → • 2 t GVK-plaat" in shown
        assert app.current.id == "has_well"

        # And changing it back makes them count again.
        await pilot.press("f4")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "hidden:composite_materials" in ids
        options.highlighted = ids.index("buys_composite")
        await type_line(pilot, "", "enter")
        await type_line(pilot, "", "up", "enter")  # Ja
        assert "tellen deze eerdere antwoorden weer mee" in notes(app)
        assert app.current.id == "has_well"
    active = Session(Store(db), questionnaire, interview_id).active()
    assert active["composite_materials"].value[0]["name"] == "GVK-plaat"


async def test_escape_closes_the_review_without_changes(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        assert app.current.id == "raw_materials"


# Orientation: balance panel, footer, palette


async def test_the_balance_panel_follows_each_answer_and_can_be_hidden(
    db, questionnaire
):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        panel = app.query_one(BalancePanel)
        assert app.screen.region.contains_region(panel.region)
        assert "Nog geen stromen" in str(panel.content)
        await type_line(pilot, "2 t eiken", "enter")
        await type_line(pilot, "5 l verf", "enter", "enter")  # no density
        text = _rendered(panel)
        assert "In" in text and "2\u00a0000 kg" in text
        assert "Niet in kg" in text
        await pilot.press("f7")
        await pilot.pause()
        assert not panel.display
        # Hidden, its figures move to the header line.
        assert "In 2\u00a0000 kg" in str(app.query_one("#balance").content)
        await pilot.press("f7")
        await pilot.pause()
        assert panel.display


def _rendered(widget) -> str:
    from rich.console import Console

    console = Console(width=40, record=True)
    console.print(widget.content)
    return console.export_text()


async def test_the_footer_names_the_keys_in_the_interview_language(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = {
            b.binding.description
            for b in app.active_bindings.values()
            if b.enabled and b.binding.show
        }
        assert {
            "Hulp",
            "Terug",
            "Antwoorden",
            "Rapport",
            "Interviews",
            "English",
            "Stop",
        } <= shown
        await pilot.press("f2")
        await pilot.pause()
        shown = {
            b.binding.description
            for b in app.active_bindings.values()
            if b.enabled and b.binding.show
        }
        assert {
            "Help",
            "Back",
            "Answers",
            "Report",
            "Interviews",
            "Nederlands",
            "Quit",
        } <= shown


async def test_the_command_palette_opens_the_report(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await pilot.press("ctrl+p")
        await type_line(pilot, "Rapport")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert isinstance(app.screen, ReportScreen)


# The report preview


async def test_the_report_can_be_read_at_any_time_with_its_path(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "3 t eiken", "enter")
        await pilot.press("f5")
        await pilot.pause(0.5)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert screen.draft
        assert screen.path.exists()
        head = str(screen.query_one("#report-path").content)
        assert str(screen.path) in head
        assert "Concept" in head
        assert "eiken" in screen.path.read_text(encoding="utf-8")
        assert screen.query_one(Markdown)
        await pilot.press("escape")
        await pilot.pause()
        assert app.current.id == "raw_materials"


# The interviews screen


async def _open_list(pilot, app) -> InterviewsScreen:
    await pilot.press("f6")
    await pilot.pause()
    assert isinstance(app.screen, InterviewsScreen)
    return app.screen


async def test_the_interviews_screen_lists_and_continues_an_interview(
    db, questionnaire
):
    older = _answered(db, questionnaire, "has_well")
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "down", "enter")  # start a new one
        await type_line(pilot, "Bakkerij Brood", "enter")
        screen = await _open_list(pilot, app)
        table = screen.query_one(DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert rows[0][1:4] == ["Bakkerij Brood", "-", "open"]
        assert rows[1][1:4] == ["Acme BV", "2024", "open"]
        table.move_cursor(row=1)
        await type_line(pilot, "", "enter")
        assert app.session.interview_id == older
        assert app.current.id == "has_well"


async def test_an_interview_is_copied_for_the_next_period(db, questionnaire):
    older = _answered(db, questionnaire, "has_well")
    Session(Store(db), questionnaire, older).answer(
        questionnaire.question("has_well"), Answer("no")
    )
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "enter")  # continue
        screen = await _open_list(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        copy = app.session.interview_id
        assert copy != older
        assert "kopie van Acme BV (2024)" in transcript(app)
        # The copy is gone through from the start, earlier answers filled in.
        assert app.current.id == "company_name"
        assert app.query_one("#entry", Input).value == "Acme BV"
        await type_line(pilot, "", "enter")
        assert app.current.id == "period"
        assert app.query_one("#entry", Input).value == ""
        await type_line(pilot, "2025", "enter")
        assert app.current.id == "raw_materials"
        del screen
    old, new = Store(db).answers(older), Store(db).answers(copy)
    assert new["period"].value == "2025"
    assert {k: v for k, v in new.items() if k != "period"} == {
        k: v for k, v in old.items() if k != "period"
    }
    assert Store(db).interview(copy).company == "Acme BV"


async def test_an_interview_is_exported_as_a_data_file_in_the_data_dir(
    db, questionnaire, _own_home
):
    interview_id = _answered(db, questionnaire, "has_well")
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "enter")
        screen = await _open_list(pilot, app)
        await pilot.click("#list-export")
        await pilot.pause()
        status = str(screen.query_one("#list-status").content)
    path = _own_home / "exports" / f"massabalans-{interview_id}.yaml"
    assert str(path) in status
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["format"] == "massabalans/1"
    assert data["company"]["name"] == "Acme BV"
    assert {f["name"] for f in data["flows"]} >= {"eiken", "GVK-plaat"}


async def test_deleting_an_interview_asks_first(db, questionnaire):
    older = _answered(db, questionnaire, "has_well")
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "down", "enter")  # a new one, so older is not open
        current = app.session.interview_id
        screen = await _open_list(pilot, app)
        table = screen.query_one(DataTable)
        table.move_cursor(row=[r.id for r in screen.rows].index(older))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert [r.id for r in Store(db).interviews()].count(older) == 1

        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert older not in [r.id for r in Store(db).interviews()]
        assert "is verwijderd" in str(screen.query_one("#list-status").content)

        # The interview that is open cannot be deleted from under the app.
        table.move_cursor(row=0)
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert current in [r.id for r in Store(db).interviews()]


async def test_the_offer_to_continue_can_open_the_list(db, questionnaire):
    _answered(db, questionnaire, "has_well")
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "down", "down", "enter")
        assert isinstance(app.screen, InterviewsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.session is None
        assert app.mode == "offer"


FUEL = """
questionnaire: {id: fuel, version: "1"}
steps:
  - id: fuel
    title: {nl: Brandstof, en: Fuel}
    questions:
      - id: diesel
        type: quantity
        default_unit: l
        flow: {name: {nl: diesel, en: diesel}, kind: auxiliary}
        text: {nl: "Hoeveel diesel?", en: "How much diesel?"}
        help: {nl: Tankbonnen., en: Fuel receipts.}
"""


async def test_a_quantity_of_a_liquid_in_the_table_is_offered_its_density(db, tmp_path):
    (tmp_path / "fuel.yaml").write_text(FUEL, encoding="utf-8")
    fuel = load_questionnaire(tmp_path / "fuel.yaml")
    app = MassabalansApp(Store(db), fuel, "en")
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "500", "enter")
        prompt = str(app.query_one(".follow-up.-shown").content)
        assert "The table gives a density of 0.84 kg/l" in prompt
        assert app.query_one("#entry", Input).value == "0.84 kg/l"
        await type_line(pilot, "", "enter")  # accept
        assert app.current is None
        assert "500 l = 420 kg" in transcript(app)
        assert "(from the table)" in transcript(app)
        interview_id = app.session.interview_id
    stored = Store(db).answers(interview_id)["diesel"].value
    assert stored == {
        "quantity": "500",
        "unit": "l",
        "density": "0.84 kg/l",
        "density_source": "table",
    }
