"""The terminal interface, driven through Textual's Pilot against a real store."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList

from interview.engine import Answer
from interview.questionnaire import load_questionnaire
from interview.session import Session
from interview.store import Store
from interview.tui.app import MassabalansApp
from interview.tui.parsing import (
    Ambiguous,
    EntryError,
    is_dont_know,
    parse_amount,
    parse_composition,
    parse_item_line,
)
from interview.tui.steplog import StepLog
from interview.tui.widgets import AnswerBox, AskBack, Bubble

from .conftest import DATA

SMALL = DATA / "questions_small"
SIZE = (80, 24)


@pytest.fixture
def questionnaire():
    return load_questionnaire(SMALL)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "interviews.db"


def transcript(app: MassabalansApp) -> str:
    """Every turn on the screen: open bubbles, and the turns of finished steps."""
    parts = []
    for widget in app.query("#transcript > *"):
        if isinstance(widget, StepLog):
            parts.append(widget.title)
            for turn in widget.turns:
                parts += [turn.question, turn.answer]
            if widget.summary:
                parts.append(widget.summary)
        else:
            bubbles = [widget] if isinstance(widget, Bubble) else widget.query(Bubble)
            parts += [str(b.content) for b in bubbles]
    parts += [str(b.content) for b in app.query("#answer Bubble")]
    return "\n".join(parts)


def box(app: MassabalansApp) -> AnswerBox:
    return app.query_one(AnswerBox)


def problems(app: MassabalansApp) -> str:
    shown = app.query(".problems.-shown")
    return "\n".join(str(p.content) for p in shown)


async def type_line(pilot, text: str, *keys: str) -> None:
    await pilot.press(*text, *keys)
    await pilot.pause()


async def answer_start(pilot) -> None:
    await type_line(pilot, "Acme BV", "enter")
    await type_line(pilot, "2024", "enter")


# Answering a whole interview


async def test_an_interview_typed_into_the_app_is_stored_and_reported(
    db, questionnaire
):
    store = Store(db)
    app = MassabalansApp(store, questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        assert app.current.id == "company_name"
        await answer_start(pilot)

        assert app.current.id == "raw_materials"
        await type_line(pilot, "12,5 t eikenhout", "tab", *"Houthandel Jansen")
        await type_line(pilot, "", "enter")
        assert app.query_one("#items", DataTable).row_count == 1
        await type_line(pilot, "", "enter")  # an empty line ends the list

        assert app.current.id == "buys_composite"
        await type_line(pilot, "", "down", "enter")  # Nee

        assert app.current.id == "mains_water"
        await type_line(pilot, "850", "enter")  # the default unit, m3
        assert "850 m3 = 850\u00a0000 kg" in transcript(app)

        await type_line(pilot, "", "down", "enter")  # no well
        assert app.current.id == "waste_streams"
        await type_line(pilot, "3 t zaagsel", "enter", "enter")
        assert app.current.id == "products"
        await type_line(pilot, "", "enter")  # no products
        await type_line(pilot, "", "enter")  # open to change: Ja
        await type_line(pilot, "", "down", "enter")  # staff know: Nee
        assert app.current.id == "staff_note"
        await type_line(pilot, "Basiscursus", "enter")
        assert app.current.id == "steam_metered_known"
        await type_line(pilot, "", "down", "enter")  # not metered
        assert app.current.id == "steam_estimate"
        await type_line(pilot, "200", "enter")  # the default unit, kg

        assert app.current is None
        assert app.report_path is not None
        assert str(app.report_path) in transcript(app)
        interview_id = app.session.interview_id

    stored = Store(db).answers(interview_id)
    assert stored["company_name"].value == "Acme BV"
    assert stored["period"].value == "2024"
    assert stored["raw_materials"].value == [
        {
            "name": "eikenhout",
            "kind": "raw_material",
            "quantity": "12.5",
            "unit": "t",
            "supplier": "Houthandel Jansen",
        }
    ]
    assert stored["buys_composite"].value == "no"
    assert stored["mains_water"].value == {"quantity": "850", "unit": "m3"}
    assert stored["has_well"].value == "no"
    assert [i["name"] for i in stored["waste_streams"].value] == ["zaagsel"]
    assert stored["products"].value == []
    assert stored["staff_know"].value == "no"
    assert Store(db).interview(interview_id).status == "finished"

    report = app.report_path.read_text(encoding="utf-8")
    assert "Acme BV" in report
    assert "eikenhout" in report
    assert "2024" in report


async def test_every_answer_is_in_the_database_before_the_app_ends(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "5 t beuken", "enter")
        # Read with a connection of its own, while the app still runs.
        stored = Store(db).answers(app.session.interview_id)
        assert stored["period"].value == "2024"
        assert stored["raw_materials"].value[0]["name"] == "beuken"


# Resuming


def _open_interview(db: Path, questionnaire) -> int:
    session = Session.start(Store(db), questionnaire, "nl")
    session.answer(questionnaire.question("company_name"), Answer("Bakkerij Brood"))
    session.answer(questionnaire.question("period"), Answer("2023"))
    session.answer(
        questionnaire.question("raw_materials"),
        Answer([{"name": "meel", "quantity": "40", "unit": "t"}]),
    )
    return session.interview_id


async def test_a_resumed_app_offers_to_continue_and_asks_the_next_open_question(
    db, questionnaire
):
    interview_id = _open_interview(db, questionnaire)
    before = Store(db).answers(interview_id)
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        offer = transcript(app)
        assert "Bakkerij Brood" in offer
        assert "2023" in offer
        assert app.session is None

        await type_line(pilot, "", "enter")  # continue
        assert app.session.interview_id == interview_id
        assert app.current.id == "buys_composite"
        shown = transcript(app)
        assert "Bakkerij Brood" in shown
        assert "40 t meel = 40\u00a0000 kg" in shown

        await type_line(pilot, "", "down", "enter")
        assert app.current.id == "mains_water"

    after = Store(db).answers(interview_id)
    assert {k: after[k] for k in before} == before
    assert after["buys_composite"].value == "no"
    assert len(Store(db).interviews()) == 1


async def test_a_resumed_interview_names_the_flows_not_yet_in_kg(db, questionnaire):
    interview_id = _open_interview(db, questionnaire)
    session = Session(Store(db), questionnaire, interview_id)
    session.answer(
        questionnaire.question("raw_materials"),
        Answer([{"name": "melk", "quantity": "400", "unit": "l"}]),  # no density
    )
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "enter")  # continue
        shown = transcript(app)
    assert "Nog niet om te rekenen naar kg, en dus nog niet in de balans: melk" in shown


async def test_a_resumed_interview_with_every_flow_in_kg_says_nothing_of_it(
    db, questionnaire
):
    _open_interview(db, questionnaire)
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "enter")
        assert "Nog niet om te rekenen" not in transcript(app)


async def test_starting_anew_from_the_offer_leaves_the_open_interview_as_it_was(
    db, questionnaire
):
    interview_id = _open_interview(db, questionnaire)
    before = Store(db).answers(interview_id)
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "down", "enter")  # start a new one
        assert app.session.interview_id != interview_id
        assert app.current.id == "company_name"
        assert "Bakkerij Brood" not in transcript(app)
    assert Store(db).answers(interview_id) == before
    assert len(Store(db).interviews()) == 2


# Numbers, units and lists


async def test_an_ambiguous_number_is_asked_back_with_both_readings(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "1.200 kg lijm", "enter")
        choice = app.query_one(AskBack)
        readings = choice.query_one(OptionList)
        prompts = [str(readings.get_option_at_index(i).prompt) for i in range(2)]
        assert prompts == ["1\u00a0200", "1,2"]
        assert Store(db).answers(app.session.interview_id).get("raw_materials") is None

        await type_line(pilot, "", "down", "enter")  # 1,2
        item = Store(db).answers(app.session.interview_id)["raw_materials"].value[0]
        assert (item["name"], item["quantity"], item["unit"]) == ("lijm", "1.2", "kg")
        assert not app.query(AskBack)


async def test_a_volume_that_is_not_water_asks_for_a_density(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "200 l olie", "enter")
        assert "dichtheid" in str(app.query_one(".follow-up.-shown").content)
        await type_line(pilot, "0,9 kg/l", "enter")
        item = Store(db).answers(app.session.interview_id)["raw_materials"].value[0]
        assert item["density"] == "0,9 kg/l"
        table = app.query_one("#items", DataTable)
        assert table.get_row_at(0)[2] == "180"

        await type_line(pilot, "50 l verdunner", "enter")
        await pilot.click("#retype")
        await pilot.pause()
        assert app.query_one("#line", Input).value == "50 l verdunner"
        assert (
            len(Store(db).answers(app.session.interview_id)["raw_materials"].value) == 1
        )


async def test_water_in_cubic_metres_is_not_asked_a_density(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "", "enter", "down", "enter")
        assert app.current.id == "mains_water"
        await type_line(pilot, "1,5 m3", "enter")
        assert app.current.id == "has_well"
        assert "1,5 m3 = 1\u00a0500 kg" in transcript(app)


async def test_pieces_ask_a_mass_per_piece_and_the_amount_can_be_typed_again(
    db, questionnaire
):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "", "enter", "down", "enter")
        assert app.current.id == "mains_water"
        await type_line(pilot, "40 st", "enter")
        assert "weegt" in str(app.query_one(".follow-up.-shown").content)
        await pilot.click("#retype")
        await pilot.pause()
        entry = app.query_one("#entry", Input)
        assert entry.value == "40 st"
        assert not app.query(".follow-up.-shown")
        entry.value = ""
        await type_line(pilot, "40 m3", "enter")
        assert app.current.id == "has_well"
    stored = Store(db).answers(app.session.interview_id)
    assert stored["mains_water"].value == {"quantity": "40", "unit": "m3"}


async def test_an_empty_required_answer_is_refused_in_the_interview_language(
    db, questionnaire
):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "enter")
        assert "Het antwoord is leeg" in problems(app)
        assert app.current.id == "company_name"
        assert Store(db).answers(app.session.interview_id) == {}


async def test_a_refused_answer_is_explained_and_can_be_tried_again(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "", "enter", "enter")  # no raw materials; composites
        assert app.current.id == "composite_materials"
        await type_line(pilot, "2 t plaat", "tab", *"glasvezel 30; hars 60", "enter")
        assert "100 %" in problems(app)
        assert "Traceback" not in problems(app)
        assert "composite_materials" not in Store(db).answers(app.session.interview_id)

        field = app.query_one("#f-composition", Input)
        field.value = ""
        await type_line(pilot, "glasvezel 33,33; hars 33,33; vulstof 33,34", "enter")
        assert problems(app) == ""
        stored = Store(db).answers(app.session.interview_id)["composite_materials"]
        shares = stored.value[0]["composition"]
        assert [s["material"] for s in shares] == ["glasvezel", "hars", "vulstof"]
        assert sum(Decimal(s["share_pct"]) for s in shares) == 100


async def test_a_failure_inside_the_core_is_a_message_not_a_crash(
    db, questionnaire, monkeypatch
):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def broken(question, answer):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(app.session, "answer", broken)
        await type_line(pilot, "Acme BV", "enter")
        assert "RuntimeError" in problems(app)
        assert app.current.id == "company_name"
        assert app.is_running


async def test_an_item_can_be_changed_and_deleted_in_the_list(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "5 t beuken", "enter")
        await type_line(pilot, "7 t eiken", "enter")
        table = app.query_one("#items", DataTable)
        table.focus()
        await type_line(pilot, "", "enter")  # change the first item
        line = app.query_one("#line", Input)
        assert line.value == "5 t beuken"
        line.value = ""
        await type_line(pilot, "6 t beuken", "enter")
        table.focus()
        await type_line(pilot, "", "down", "delete")
        items = Store(db).answers(app.session.interview_id)["raw_materials"].value
        assert [(i["name"], i["quantity"]) for i in items] == [("beuken", "6")]


async def test_an_empty_list_is_an_answer(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "", "enter")
        assert app.current.id == "buys_composite"
    stored = Store(db).answers(app.session.interview_id)
    assert stored["raw_materials"] == Answer([])


async def test_dont_know_can_be_typed_or_clicked(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "", "enter", "down", "enter")
        await type_line(pilot, "?", "enter")  # mains water
        assert app.current.id == "has_well"
        await type_line(pilot, "", "enter")  # a well: yes
        assert app.current.id == "well_water"
        await pilot.click("#dont-know")
        await pilot.pause()
        assert app.current.id == "waste_streams"
    stored = Store(db).answers(app.session.interview_id)
    assert stored["mains_water"].unknown
    assert stored["well_water"].unknown


# Help, going back, language


async def test_f1_shows_where_to_find_the_figure(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "KvK-inschrijving" not in transcript(app)
        await pilot.press("f1")
        assert "Op de KvK-inschrijving." in transcript(app)
        await pilot.press("f1")
        assert "KvK-inschrijving" not in transcript(app)


async def test_the_command_palette_offers_the_interview_actions(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await type_line(pilot, "Hulp")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert "Op de KvK-inschrijving." in transcript(app)


async def test_going_back_shows_the_earlier_answer_and_saves_the_change(
    db, questionnaire
):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        assert app.current.id == "raw_materials"
        await pilot.press("f3")
        assert app.current.id == "period"
        entry = app.query_one("#entry", Input)
        assert entry.value == "2024"
        entry.value = ""
        await type_line(pilot, "2025", "enter")
        assert app.current.id == "raw_materials"
        shown = transcript(app)
        assert "2025" in shown
        assert "2024" not in shown
    assert Store(db).answers(app.session.interview_id)["period"].value == "2025"


async def test_escape_leaves_an_earlier_question_unchanged(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await pilot.press("f3", "ctrl+b")
        assert app.current.id == "company_name"
        await pilot.press("escape")
        await pilot.pause()
        assert app.current.id == "raw_materials"
        assert transcript(app).count("Terug naar een eerdere vraag") == 0
    assert Store(db).answers(app.session.interview_id)["period"].value == "2024"


async def test_f2_switches_the_interview_to_english(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "Acme BV", "enter")
        assert "Periode?" in transcript(app)
        await pilot.press("f2")
        await pilot.pause()
        shown = transcript(app)
        assert "Company name?" in shown
        assert "Period?" in shown
        assert "Periode?" not in shown
        assert app.query_one("#entry", Input).placeholder == "Your answer"
    assert Store(db).interview(app.session.interview_id).language == "en"


async def test_an_english_interview_reads_numbers_the_english_way(db, questionnaire):
    app = MassabalansApp(Store(db), questionnaire, "en")
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "1.5 t oak", "enter")
        item = Store(db).answers(app.session.interview_id)["raw_materials"].value[0]
        assert item["quantity"] == "1.5"


# Small screens


async def test_the_busiest_list_fits_a_terminal_of_80_by_24(db):
    """The flow list of the shipped questionnaire that asks the most per item."""
    questionnaire = load_questionnaire()
    lists = [q for q in questionnaire.questions if q.type == "flow_list"]
    busiest = max(lists, key=lambda q: len(q.fields) + len(q.kinds or ()))
    session = Session.start(Store(db), questionnaire, "nl")
    while (question := session.next_question()) not in (None, busiest):
        session.answer(question, _filler(question))
    assert question is busiest

    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "", "enter")  # continue
        assert app.current is busiest
        screen = app.screen.region
        last_field = f"#f-{busiest.fields[-1]}"
        for selector in ("#line", "#done", last_field, "#step", "#progress"):
            region = app.query_one(selector).region
            assert screen.contains_region(region), selector
        asked = [b for b in app.query(Bubble) if "question" in b.classes][-1]
        transcript_region = app.query_one("#transcript").region
        assert transcript_region.contains_region(asked.region)


def _filler(question):
    """An answer that opens what it can: yes, every kind of waste, nothing listed."""
    if question.type == "choice":
        values = [c.value for c in question.choices]
        return Answer("yes" if "yes" in values else values[0])
    if question.type == "multi_choice":
        return Answer([c.value for c in question.choices])
    if question.type in ("flow_list", "stock_list"):
        return Answer([])
    if question.type == "quantity":
        return Answer({"quantity": "1"})
    return Answer("Acme")


# Reading what is typed


@pytest.mark.parametrize(
    ("line", "name", "quantity", "unit"),
    [
        ("12,5 t eikenhout", "eikenhout", "12.5", "t"),
        ("eikenhout 12,5 t", "eikenhout", "12.5", "t"),
        ("PE 100 buis; 5 t", "PE 100 buis", "5", "t"),
        ("1 200 kg lijm", "lijm", "1200", "kg"),
        ("3 cubic metres zand", "zand", "3", "cubic metres"),
        ("? eikenhout", "eikenhout", None, None),
    ],
)
def test_an_item_line_is_read_as_amount_unit_and_name(line, name, quantity, unit):
    item = parse_item_line(line, "nl", None)
    assert item.name == name
    assert item.quantity == (None if quantity is None else Decimal(quantity))
    assert item.unit == unit


def test_a_number_alone_takes_the_default_unit():
    assert parse_item_line("40 tafels", "nl", "st").unit == "st"
    assert parse_amount("850", "nl", "m3").unit == "m3"


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("40 kgg roomboter", '"kg"'),
        ("40 lirer melk", '"litre"'),
        ("40 dozen koekjes", "twaalf stuks"),
        ("3 pond boter", "500 g"),
    ],
)
def test_a_word_after_the_number_that_is_nearly_a_unit_is_asked_about(line, said):
    """With a default unit, "40 kgg roomboter" must not become 40 kg of "kgg ..."."""
    with pytest.raises(EntryError) as caught:
        parse_item_line(line, "nl", "kg")
    message = str(caught.value)
    assert said in message
    name = line.split(" ", 2)[2]
    word = line.split()[1]
    assert f"'{word} {name} {line.split()[0]} kg'" in message  # how to write it instead


@pytest.mark.parametrize(
    "line", ["40 roomboter", "40 pvc buizen", "40 blok hout", "40 grain", "5 stal"]
)
def test_a_name_after_the_number_takes_the_default_unit(line):
    item = parse_item_line(line, "nl", "kg")
    assert (item.name, item.unit) == (line.split(" ", 1)[1], "kg")


@pytest.mark.parametrize(
    ("line", "kg"), [("2 ons gist", "0.2"), ("3 tonnen zand", "3000")]
)
def test_dutch_mass_words_are_units(line, kg):
    from interview.units import parse_unit

    item = parse_item_line(line, "nl", "kg")
    assert item.quantity * parse_unit(item.unit).factor == Decimal(kg)


def test_an_item_line_without_an_amount_or_unit_is_refused():
    with pytest.raises(EntryError, match="hoeveelheid"):
        parse_item_line("eikenhout", "nl", None)
    with pytest.raises(EntryError, match="eenheid"):
        parse_item_line("12 tt eik", "nl", None)


def test_a_thousands_or_decimal_number_is_ambiguous_in_both_languages():
    with pytest.raises(Ambiguous) as dutch:
        parse_amount("1.200 kg", "nl", None)
    assert dutch.value.readings == (Decimal(1200), Decimal("1.2"))
    with pytest.raises(Ambiguous) as english:
        parse_amount("1.200 kg", "en", None)
    assert english.value.readings == (Decimal("1.2"), Decimal(1200))
    assert dutch.value.replaced("1.200 kg", Decimal("1.2")) == "1,2 kg"


async def test_a_bare_ton_in_english_is_asked_about_once(db, questionnaire):
    if not hasattr(Session, "set_ton"):
        pytest.skip("this core takes a bare ton as a metric tonne")
    app = MassabalansApp(Store(db), questionnaire, "en")
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        await type_line(pilot, "5 ton oak", "enter")
        assert "short ton" in str(app.query_one(AskBack).query_one(".ask").content)
        assert "raw_materials" not in Store(db).answers(app.session.interview_id)
        await type_line(pilot, "", "enter")  # metric
        await type_line(pilot, "2 ton beech", "enter")
        assert not app.query(AskBack)
        interview_id = app.session.interview_id
    items = Store(db).answers(interview_id)["raw_materials"].value
    assert [(i["name"], i["unit"]) for i in items] == [("oak", "t"), ("beech", "t")]
    assert Store(db).interview(interview_id).ton == "metric"


def test_a_bare_ton_reads_as_a_unit_in_both_languages():
    assert parse_amount("5 ton", "nl", None).unit == "ton"
    assert parse_amount("5 ton", "en", None).unit == "ton"


def test_a_composition_is_read_as_material_shares():
    shares = parse_composition("glasvezel 33,33; hars 33,33; vulstof 33,34", "nl")
    assert shares == [
        {"material": "glasvezel", "share_pct": "33.33"},
        {"material": "hars", "share_pct": "33.33"},
        {"material": "vulstof", "share_pct": "33.34"},
    ]
    assert parse_composition("40% glas; hars: 60 %", "nl")[1]["material"] == "hars"


@pytest.mark.parametrize("text", ["?", "weet niet", "Weet ik niet.", "don't know"])
def test_dont_know_is_recognised_in_both_languages(text):
    assert is_dont_know(text)


def test_a_real_answer_is_not_taken_for_dont_know():
    assert not is_dont_know("weet ik veel BV")


async def _at_a_list_of_choices(app, pilot) -> OptionList:
    """The first yes/no question of the interview, and its list of choices."""
    await answer_start(pilot)
    await type_line(pilot, "", "enter")  # no raw materials
    assert app.current.id == "buys_composite"
    return app.query_one("#choices", OptionList)


async def test_a_letter_or_a_number_moves_to_a_choice_and_enter_takes_it(
    db, questionnaire
):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        choices = await _at_a_list_of_choices(app, pilot)
        await type_line(pilot, "n")  # Nee
        assert choices.highlighted == 1
        await type_line(pilot, "1")  # the first: Ja
        assert choices.highlighted == 0
        await type_line(pilot, "N", "enter")
        assert app.current.id == "mains_water"
        assert (
            Store(db).answers(app.session.interview_id)["buys_composite"].value == "no"
        )


async def test_a_question_mark_in_a_list_of_choices_moves_to_dont_know(
    db, questionnaire
):
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        choices = await _at_a_list_of_choices(app, pilot)
        last = choices.option_count - 1
        assert choices.get_option_at_index(last).id == "dont-know"
        await pilot.press("question_mark")
        await pilot.pause()
        assert choices.highlighted == last
        await type_line(pilot, "", "enter")
        stored = Store(db).answers(app.session.interview_id)["buys_composite"]
    assert stored.unknown


async def test_f8_adds_a_note_that_is_saved_with_the_answer(db, questionnaire):
    from interview.tui.screens import NoteScreen

    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await type_line(pilot, "volgens de KvK", "enter")
        assert not isinstance(app.screen, NoteScreen)
        assert "volgens de KvK" in str(app.query_one(".note-shown").content)
        await type_line(pilot, "Acme BV", "enter")
        assert app.current.id == "period"
        # Esc leaves the next answer without a note.
        await pilot.press("f8")
        await pilot.pause()
        await type_line(pilot, "weggooien", "escape")
        await type_line(pilot, "2024", "enter")
        stored = Store(db).answers(app.session.interview_id)
    assert stored["company_name"].value == "Acme BV"
    assert stored["company_name"].note == "volgens de KvK"
    assert stored["period"].note is None


async def test_a_note_to_a_list_is_saved_at_once_and_kept_when_the_list_ends(
    db, questionnaire
):
    from interview.tui.screens import NoteScreen

    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=SIZE) as pilot:
        await answer_start(pilot)
        assert app.current.id == "raw_materials"
        await type_line(pilot, "5 t beuken", "enter")
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await type_line(pilot, "volgens de inkoopfacturen", "enter")
        # Saved with the items already, before the list is ended.
        stored = Store(db).answers(app.session.interview_id)
        assert stored["raw_materials"].note == "volgens de inkoopfacturen"
        await type_line(pilot, "", "enter")  # end the list
        assert app.current.id != "raw_materials"
        stored = Store(db).answers(app.session.interview_id)
    assert stored["raw_materials"].value[0]["name"] == "beuken"
    assert stored["raw_materials"].note == "volgens de inkoopfacturen"


def test_a_typed_key_moves_to_the_next_choice_starting_with_it():
    from interview.tui.widgets import jump_target

    labels = ["Ja", "Nee", "Niet van toepassing", "Weet ik niet"]
    assert jump_target(labels, 0, "n") == 1
    assert jump_target(labels, 1, "N") == 2  # the next one, case aside
    assert jump_target(labels, 2, "n") == 1  # and round again
    assert jump_target(labels, 0, "4") == 3
    assert jump_target(labels, 0, "5") is None  # no fifth choice
    assert jump_target(labels, 0, "²") is None  # a digit, but not a number key
    assert jump_target(labels, None, "x") is None


@pytest.mark.parametrize(
    ("unit", "language", "one"),
    [
        ("st", "nl", "stuk"),
        ("zakken", "nl", "zak"),
        ("pcs", "en", "piece"),
        ("doos", "nl", "doos"),
    ],
)
def test_the_piece_question_names_one_piece_in_words(unit, language, one):
    from interview.tui.strings import one_piece, tr

    assert one_piece(unit, language) == one
    asked = tr("ask.mass_per_piece", language, name="x", unit=unit, one=one, example="")
    assert (f"één {one}?" if language == "nl" else f"one {one} weigh") in asked


@pytest.mark.parametrize(
    "line", ["1e5 kg suiker", "0x10 kg hars", "1_000 kg lijm", "2-3 kg verf"]
)
def test_a_number_run_on_into_other_characters_is_refused_not_shortened(line):
    with pytest.raises(EntryError, match="geen getal"):
        parse_item_line(line, "nl", "kg")


def test_a_unit_may_follow_the_number_without_a_space():
    item = parse_item_line("12,5t eikenhout", "nl", None)
    assert (item.quantity, item.unit, item.name) == (Decimal("12.5"), "t", "eikenhout")


@pytest.mark.parametrize(
    ("text", "needs", "unit", "stored"),
    [
        ("1,05", "density", "l", "1,05 kg/l"),
        ("840", "density", "l", "840 kg/m3"),
        ("1,25", "density", "Nm3", "1,25 kg/Nm3"),
        ("0,6", "mass_per_piece", "st", "0,6 kg"),
        ("0,84 kg/l", "density", "l", "0,84 kg/l"),
        ("600 g", "mass_per_piece", "st", "600 g"),
    ],
)
def test_a_bare_density_or_piece_mass_is_read_in_the_unit_the_prompt_gives(
    text, needs, unit, stored
):
    from interview.tui.parsing import completed_follow_up

    assert completed_follow_up(text, needs, unit) == stored


def test_a_date_is_day_first_in_dutch_and_year_first_in_english():
    from interview.tui.display import local_time

    stamp = "2026-12-03T12:00:00+00:00"
    assert local_time(stamp, "nl").startswith("03-12-2026")
    assert local_time(stamp, "en").startswith("2026-12-03")
