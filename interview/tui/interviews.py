"""What the interviews screen does to stored interviews: copy and export.

Plain Python, no Textual, so that the screen only chooses and shows.
"""

from __future__ import annotations

from pathlib import Path

from ..locations import data_dir
from ..questionnaire import Questionnaire
from ..session import Session
from ..store import Store


def period_questions(questionnaire: Questionnaire) -> set[str]:
    return {q.id for q in questionnaire.questions if q.maps_to == "period"}


def copy_for_next_period(
    store: Store, questionnaire: Questionnaire, interview_id: int
) -> int:
    """A new interview with the same answers as `interview_id`, except the period.

    Every current answer is copied as stored, including those that do not count
    at the moment, so a branch taken differently next period finds them again.
    All of it is one transaction: a copy is whole or not there.
    """
    row = store.interview(interview_id)
    skip = period_questions(questionnaire)
    with store._transaction():
        new_id = store.create_interview(
            language=row.language,
            questionnaire=questionnaire.label,
            interviewer=row.interviewer,
        )
        for question_id, answer in store.answers(interview_id).items():
            if question_id not in skip:
                store.save_answer(new_id, question_id, answer)
        store.update_interview(new_id, company=row.company, ton=row.ton)
    return new_id


def exports_dir() -> Path:
    path = data_dir() / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_data_file(
    store: Store,
    questionnaire: Questionnaire,
    interview_id: int,
    directory: Path | None = None,
) -> Path:
    """Write the interview as a massabalans/1 data file (YAML); return its path.

    The file is what `massabalans export ID` writes, so `run --answers` can
    replay it.
    """
    import yaml

    data = Session(store, questionnaire, interview_id).data_file()
    folder = directory if directory is not None else exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"massabalans-{interview_id}.yaml"
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path
