"""Hidden answers through the real app: a branch switched off counts nowhere."""

from __future__ import annotations

import json

from textual.widgets import OptionList

from interview.questionnaire import load_questionnaire
from interview.report import ReportSource, render_markdown
from interview.store import Store
from interview.tui.app import MassabalansApp

from .conftest import DATA


async def choose(pilot, app, label: str) -> None:
    options = app.query_one("#answer OptionList", OptionList)
    for index in range(options.option_count):
        if str(options.get_option_at_index(index).prompt).startswith(label):
            options.highlighted = index
            break
    else:
        raise AssertionError(f"no option {label!r}")
    await pilot.press("enter")
    await pilot.pause()


async def line(pilot, text: str) -> None:
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_a_composite_switched_off_in_the_app_is_absent_from_json_and_report(
    tmp_path,
):
    questionnaire = load_questionnaire(DATA / "questions_small")
    db = tmp_path / "hidden.db"
    app = MassabalansApp(Store(db), questionnaire, None)
    async with app.run_test(size=(100, 40)) as pilot:
        await line(pilot, "Verborgen BV")
        await line(pilot, "2025")
        assert app.current.id == "raw_materials"
        await line(pilot, "1000 kg staal")
        await pilot.press("enter")  # an empty line finishes the list
        await pilot.pause()
        assert app.current.id == "buys_composite"
        await choose(pilot, app, "Ja")
        assert app.current.id == "composite_materials"
        await line(pilot, "1200 kg geheimpaneel")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.balance().inputs_kg == 2200

        while app.current.id != "buys_composite":
            await pilot.press("f3")
            await pilot.pause()
        await choose(pilot, app, "Nee")
        assert app.current.id == "mains_water"

    session = app.session
    data = session.balance().to_json()
    assert data["inputs_kg"] == 1000
    assert "geheimpaneel" not in json.dumps(data)
    report = render_markdown(ReportSource.from_session(session))
    body = report.split("## Bijlage")[0]
    assert "geheimpaneel" not in body
    # The answer is kept in the store, as the policy says, but inactive.
    stored = Store(db).answers(session.interview_id)
    assert stored["composite_materials"].value[0]["name"] == "geheimpaneel"
    assert "composite_materials" in session.inactive()
