"""The dialogue engine and the session: branching, hidden answers, resuming."""

from __future__ import annotations

from decimal import Decimal

import pytest

from interview.engine import Answer, Engine
from interview.questionnaire import load_questionnaire
from interview.session import AnswerError, Session
from interview.store import Store

from .conftest import DATA

SMALL = DATA / "questions_small"


@pytest.fixture
def questionnaire():
    return load_questionnaire(SMALL)


@pytest.fixture
def session(tmp_path, questionnaire):
    return Session.start(Store(tmp_path / "test.db"), questionnaire)


def give(session, **answers):
    for question_id, value in answers.items():
        session.answer(session.questionnaire.question(question_id), Answer(value))


def steel(kg="1000"):
    return [{"name": "staal", "quantity": kg, "unit": "kg"}]


def test_the_first_question_is_asked_first_and_answers_move_on(session):
    assert session.next_question().id == "company_name"
    give(session, company_name="Test BV", period="2025")
    assert session.next_question().id == "raw_materials"


def test_a_gated_question_is_skipped_until_its_condition_holds(session):
    give(session, company_name="A", period="2025", raw_materials=steel())
    give(session, buys_composite="no")
    assert session.next_question().id == "mains_water"


def test_a_composite_switched_off_is_absent_from_the_balance(session):
    give(session, company_name="A", period="2025", raw_materials=steel())
    give(session, buys_composite="yes")
    give(
        session,
        composite_materials=[{"name": "paneel", "quantity": "1.200,0", "unit": "kg"}],
    )
    assert session.balance().inputs_kg == 2200
    give(session, buys_composite="no")
    assert session.balance().inputs_kg == 1000
    assert "composite_materials" in session.inactive()
    assert all(f["name"] != "paneel" for f in session.data_file()["flows"])


def test_a_hidden_answer_comes_back_when_its_condition_holds_again(session):
    give(session, company_name="A", period="2025", raw_materials=steel())
    give(session, buys_composite="yes")
    give(
        session, composite_materials=[{"name": "paneel", "quantity": "5", "unit": "t"}]
    )
    give(session, buys_composite="no")
    assert [q.id for q in session.hidden] == ["composite_materials"]
    give(session, buys_composite="yes")
    assert session.balance().inputs_kg == 6000
    assert [q.id for q in session.restored] == ["composite_materials"]


def test_a_second_water_source_switched_off_leaves_the_mains_only(session):
    give(
        session, company_name="A", period="2025", raw_materials=[], buys_composite="no"
    )
    give(session, mains_water={"quantity": "850", "unit": "m3"}, has_well="yes")
    give(session, well_water={"quantity": "300", "unit": "m3"})
    assert session.balance().inputs_kg == 1_150_000
    give(session, has_well="no")
    assert session.balance().inputs_kg == 850_000


def test_a_deleted_flow_list_item_is_gone_from_every_total(session):
    streams = [
        {"name": "a", "quantity": "2", "unit": "t", "kind": "waste"},
        {"name": "b", "quantity": "1", "unit": "t", "kind": "waste"},
        {"name": "c", "quantity": "4", "unit": "t", "kind": "waste"},
    ]
    give(session, waste_streams=streams)
    give(session, waste_streams=[streams[0], streams[2]])
    balance = session.balance()
    assert balance.outputs_kg == 6000
    assert len([f for f in session.dataset().flows if f.flow.kind == "waste"]) == 2


def test_a_cascade_hides_what_the_hidden_answer_had_shown(session):
    give(
        session, company_name="A", period="2025", raw_materials=[], buys_composite="yes"
    )
    give(session, composite_materials=[{"name": "p", "quantity": "1", "unit": "kg"}])
    give(session, composite_known="no")
    assert "composite_known" in session.active()
    give(session, buys_composite="no")
    assert "composite_known" not in session.active()
    assert "composite_known" in session.answers


def test_a_support_cascade_of_three_levels_follows_the_first_answer(questionnaire):
    engine = Engine(questionnaire)
    answers = {
        "open_to_change": Answer("yes"),
        "staff_know": Answer("no"),
        "staff_note": Answer("cursus"),
    }
    assert "staff_note" in engine.active(answers)
    answers["open_to_change"] = Answer("no")
    active = engine.active(answers)
    assert "staff_know" not in active and "staff_note" not in active


def test_going_back_names_the_previous_visible_question(session):
    give(
        session, company_name="A", period="2025", raw_materials=[], buys_composite="no"
    )
    assert session.previous("mains_water").id == "buys_composite"
    assert session.previous("company_name") is None


def test_a_choice_that_is_not_offered_is_refused(session):
    with pytest.raises(AnswerError, match="geen van de keuzes"):
        give(session, buys_composite="perhaps")


def test_a_flow_with_a_bad_quantity_is_refused_and_nothing_is_saved(session, tmp_path):
    with pytest.raises(AnswerError, match="kan 1.2 of 1200 betekenen"):
        give(session, raw_materials=[{"name": "x", "quantity": "1.200", "unit": "kg"}])
    assert "raw_materials" not in Store(tmp_path / "test.db").answers(
        session.interview_id
    )


def test_dont_know_is_kept_as_a_data_gap(session):
    session.answer(session.questionnaire.question("mains_water"), Answer(unknown=True))
    balance = session.balance()
    assert [u["flow"] for u in balance.unknown] == ["leidingwater"]


def test_a_resumed_session_has_every_answer_and_the_next_question(
    tmp_path, questionnaire
):
    first = Session.start(Store(tmp_path / "r.db"), questionnaire)
    give(first, company_name="A", period="2025", raw_materials=steel("12,5"))
    first.store.close()
    store = Store(tmp_path / "r.db")
    again = Session(store, questionnaire, store.latest_open().id)
    assert again.answers["raw_materials"].value[0]["quantity"] == "12.5"
    assert again.next_question().id == "buys_composite"


def test_the_store_keeps_the_history_of_a_changed_answer(session):
    give(session, buys_composite="yes")
    give(session, buys_composite="no")
    history = session.store.history(session.interview_id, "buys_composite")
    assert [a.value for a in history] == ["yes", "no"]


def test_two_branches_asking_one_figure_count_the_answered_one_once(session):
    give(session, steam_metered_known="yes", steam_metered={"quantity": "500"})
    assert session.balance().by_kind_kg["emission"] == 500
    give(session, steam_metered_known="no")
    assert session.balance().by_kind_kg["emission"] == 0
    assert "steam_estimate" in [
        q.id for q in session.engine.unanswered(session.answers)
    ]
    give(session, steam_estimate={"quantity": "450"})
    give(session, steam_metered_known="both")
    assert session.balance().by_kind_kg["emission"] == 500
    give(session, steam_metered_known="yes")
    assert session.balance().by_kind_kg["emission"] == 500


def test_answers_to_questions_a_newer_questionnaire_dropped_are_kept_and_listed(
    tmp_path, questionnaire
):
    from interview.report import ReportSource, render_markdown

    old = Session.start(Store(tmp_path / "v.db"), questionnaire)
    give(old, company_name="A", period="2025", raw_materials=steel())
    give(old, buys_composite="no", mains_water={"quantity": "1", "unit": "m3"})
    give(old, has_well="no", waste_streams=[], products=[], open_to_change="yes")
    give(old, staff_know="yes")
    newer_dir = tmp_path / "newer"
    newer_dir.mkdir()
    text = (SMALL / "small.yaml").read_text(encoding="utf-8")
    text = text.replace("id: has_well", "id: has_own_well").replace(
        'has_well == "yes"', 'has_own_well == "yes"'
    )
    (newer_dir / "small.yaml").write_text(text, encoding="utf-8")
    newer = load_questionnaire(newer_dir)

    resumed = Session(Store(tmp_path / "v.db"), newer, old.interview_id)
    assert "has_well" in resumed.orphaned()
    assert resumed.next_question().id == "has_own_well"
    report = render_markdown(ReportSource.from_session(resumed))
    assert "`has_well`: no" in report


def test_a_dutch_ton_in_the_interview_is_a_thousand_kg(session):
    give(session, raw_materials=[{"name": "staal", "quantity": "1,5", "unit": "ton"}])
    assert session.balance().inputs_kg == 1500
    assert session.answers["raw_materials"].value[0]["unit"] == "t"


def test_an_english_ton_is_asked_about_once_and_then_kept(tmp_path, questionnaire):
    from interview.session import TonUnsettled

    store = Store(tmp_path / "en.db")
    english = Session.start(store, questionnaire, "en")
    steel_ton = [{"name": "steel", "quantity": "2", "unit": "ton"}]
    with pytest.raises(TonUnsettled):
        give(english, raw_materials=steel_ton)
    english.set_ton("short")
    give(english, raw_materials=steel_ton)
    assert english.balance().inputs_kg == Decimal("1814.36948")
    again = Session(Store(tmp_path / "en.db"), questionnaire, english.interview_id)
    assert again.ton == "short"


def test_every_flow_field_of_a_list_item_reaches_the_data_file(session):
    from interview.dataset import Flow
    from interview.mapping import FLOW_KEYS

    assert set(FLOW_KEYS) == set(Flow.model_fields) - {"question"}
    give(
        session,
        products=[
            {
                "name": "tafel",
                "kind": "product",
                "quantity": "10",
                "unit": "kg",
                "eol_recycling_pct": "40",
                "units": "2",
            }
        ],
    )
    flow = session.data_file()["flows"][0]
    assert flow["eol_recycling_pct"] == "40" and flow["units"] == "2"


def test_a_condition_compares_a_number_answer_as_a_number(tmp_path):
    from interview.questionnaire import load_questionnaire

    path = tmp_path / "q.yaml"
    path.write_text(
        """
questionnaire: {id: n, version: "1"}
steps:
  - id: start
    title: {nl: Start, en: Start}
    questions:
      - id: employees
        type: number
        text: {nl: Medewerkers?, en: Employees?}
        help: {nl: Loonlijst, en: Payroll}
      - id: large
        type: text
        when: employees > 50
        text: {nl: Groot?, en: Large?}
        help: {nl: Hulp, en: Help}
      - id: exactly
        type: text
        when: employees == 12
        text: {nl: Twaalf?, en: Twelve?}
        help: {nl: Hulp, en: Help}
""",
        encoding="utf-8",
    )
    questionnaire = load_questionnaire(path)
    engine = Engine(questionnaire)
    employees = questionnaire.question("employees")

    def visible(typed):
        session = Session.start(Store(tmp_path / f"{typed}.db"), questionnaire)
        session.answer(employees, Answer(typed))
        return [q.id for q in engine.visible(session.answers)]

    assert visible("120") == ["employees", "large"]
    assert visible("12") == ["employees", "exactly"]
    assert visible("1.200,0") == ["employees", "large"]  # Dutch notation


BAD_ITEMS = {
    "unknown unit": {"name": "staal", "quantity": "5", "unit": "furlong"},
    "no unit": {"name": "staal", "quantity": "5"},
    "bad cost": {"name": "staal", "quantity": "5", "unit": "kg", "cost_eur": "veel"},
    "bad density": {"name": "olie", "quantity": "5", "unit": "l", "density": "zwaar"},
    "bad treatment": {"name": "staal", "quantity": "5", "unit": "kg", "treatment": "x"},
    "no name": {"name": "", "quantity": "5", "unit": "kg"},
    "bad number": {"name": "staal", "quantity": "vijf", "unit": "kg"},
    "ambiguous piece mass": {
        "name": "bout",
        "quantity": "5",
        "unit": "st",
        "mass_per_piece": "1.000",
    },
}


@pytest.mark.parametrize("item", BAD_ITEMS.values(), ids=BAD_ITEMS.keys())
def test_a_wrong_flow_is_told_once_in_the_language_of_the_interview(
    tmp_path, questionnaire, item
):
    from interview.i18n import catalogue

    told = {}
    for language in ("nl", "en"):
        session = Session.start(
            Store(tmp_path / f"{language}.db"), questionnaire, language
        )
        with pytest.raises(AnswerError) as caught:
            give(session, raw_materials=[item])
        told[language] = caught.value.problems
    assert len(told["nl"]) == 1 and len(told["en"]) == 1
    dutch, english = told["nl"][0], told["en"][0]
    assert dutch.startswith("regel 1") and english.startswith("item 1")
    for told_in in (dutch, english):
        fields = [part.strip() for part in told_in.split(":")[1:-1]]
        assert len(fields) == len(set(fields)), told_in  # no field named twice
    english_only = {
        entry["en"].split("{")[0].strip()
        for key, entry in catalogue().items()
        if key.startswith(("field.", "error.")) and entry["en"] != entry["nl"]
    } - {""}
    leaked = [words for words in english_only if len(words) > 4 and words in dutch]
    assert not leaked, dutch
