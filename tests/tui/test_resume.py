"""The resumable file (decision_aid.core.resume): where it lives, its bytes, forgiving reads."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from decision_aid.core.bank import QuestionBank
from decision_aid.core.resume import (
    RESUME_FORMAT,
    ResumeState,
    clear_resume,
    data_folder,
    dump_resume,
    load_resume,
    parse_resume,
    resume_path,
    save_resume,
)
from decision_aid.errors import OutputError


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"XDG_DATA_HOME": "/data", "HOME": "/home/a"}, "/data/ivig-decision-aid"),
        ({"XDG_DATA_HOME": "", "HOME": "/home/a"}, "/home/a/.local/share/ivig-decision-aid"),
        (
            {"XDG_DATA_HOME": "relative", "HOME": "/home/a"},
            "/home/a/.local/share/ivig-decision-aid",
        ),
        ({"HOME": "/home/a"}, "/home/a/.local/share/ivig-decision-aid"),
    ],
)
def test_data_folder_follows_xdg(environ: dict[str, str], expected: str) -> None:
    """XDG_DATA_HOME counts only when absolute; otherwise ~/.local/share."""
    assert data_folder(environ) == Path(expected)


def test_save_and_load_round_trip_privately(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """The file is 0600 in a 0700 folder, and reads back to the same state."""
    path = tmp_path / "data" / "ivig-decision-aid" / "consultation.json"
    state = ResumeState("kidney.egfr", {"kidney.egfr": 45, "nephritis.status": "none"})
    save_resume(path, state, tiny_bank)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    loaded, notices = load_resume(path, tiny_bank)
    assert notices == []
    assert loaded == ResumeState("kidney.egfr", {"nephritis.status": "none", "kidney.egfr": 45})


def test_dump_is_in_bank_order_and_names_its_format(tiny_bank: QuestionBank) -> None:
    """The same state gives the same bytes: answers in bank order, the format first."""
    text = dump_resume(
        ResumeState("review", {"kidney.egfr": 45, "nephritis.status": "none"}), tiny_bank
    )
    data = json.loads(text)
    assert list(data) == ["format", "position", "answers"]
    assert data["format"] == RESUME_FORMAT
    assert list(data["answers"]) == ["nephritis.status", "kidney.egfr"]


def test_load_without_a_file_is_none(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    assert load_resume(tmp_path / "none.json", tiny_bank) == (None, [])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "could not be read"),
        ('{"format": "something/else", "answers": {}}', "format"),
        ("[1, 2]", "format"),
        (
            json.dumps({"format": RESUME_FORMAT, "position": "review", "answers": [1]}),
            "answers could not be read",
        ),
    ],
)
def test_unreadable_files_start_afresh_with_a_notice(
    tiny_bank: QuestionBank, text: str, words: str
) -> None:
    """Damage gives an empty consultation and one plain notice, never an exception."""
    state, notices = parse_resume(text, tiny_bank)
    assert state.answers == {}
    assert len(notices) == 1 and words in notices[0]


def test_invalid_entries_are_dropped_one_notice_each(tiny_bank: QuestionBank) -> None:
    """Unknown ids, values out of range and answers the others hide go; the rest stays."""
    text = json.dumps(
        {
            "format": RESUME_FORMAT,
            "position": "nowhere.at_all",
            "answers": {
                "nephritis.status": "none",
                "nephritis.class": "V",  # hidden by "none"
                "kidney.egfr": 900,  # out of range
                "old.question": 1,  # not in this bank
                "pregnancy.losses": 2,
            },
        }
    )
    state, notices = parse_resume(text, tiny_bank)
    assert state.answers == {"nephritis.status": "none", "pregnancy.losses": 2}
    assert state.position == "welcome"
    assert len(notices) == 4
    joined = " ".join(notices)
    for words in ("old.question", "Kidney function", "Biopsy class", "not clear"):
        assert words in joined


def test_unreadable_bytes_are_a_notice(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    path = tmp_path / "consultation.json"
    path.write_bytes(b"\xff\xfe not utf-8")
    state, notices = load_resume(path, tiny_bank)
    assert state == ResumeState() and notices


def test_clear_removes_the_file_and_tolerates_none(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    path = tmp_path / "a" / "consultation.json"
    save_resume(path, ResumeState(), tiny_bank)
    clear_resume(path)
    clear_resume(path)
    assert not path.exists()


def test_a_file_where_the_folder_should_be_is_an_output_error(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    (tmp_path / "blocked").write_text("", encoding="utf-8")
    with pytest.raises(OutputError):
        save_resume(tmp_path / "blocked" / "consultation.json", ResumeState(), tiny_bank)


def test_resume_path_uses_the_environment(data_folder: Path) -> None:
    """The autouse fixture points the data folder at a temporary one."""
    assert resume_path() == data_folder / "ivig-decision-aid" / "consultation.json"
