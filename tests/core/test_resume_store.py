"""The resumable consultation keeps an answer saved under the allergy question's old id."""

from __future__ import annotations

import json

from decision_aid.core.loading import load_bank
from decision_aid.core.resume import RESUME_FORMAT, parse_resume


def test_an_old_resume_file_keeps_the_past_reaction_answer() -> None:
    """iga.past_reaction, saved before answers format 2, comes back as allergy.past_reaction."""
    bank = load_bank()
    text = json.dumps(
        {
            "format": RESUME_FORMAT,
            "position": "iga.status",
            "answers": {"iga.status": "deficient", "iga.past_reaction": "yes"},
        }
    )
    state, notices = parse_resume(text, bank)
    assert notices == []
    assert state.answers == {"iga.status": "deficient", "allergy.past_reaction": "yes"}


def test_the_new_id_wins_over_the_old_one() -> None:
    """Both ids saved: the new one is kept and the old one is dropped with a notice."""
    bank = load_bank()
    text = json.dumps(
        {
            "format": RESUME_FORMAT,
            "position": "welcome",
            "answers": {"iga.past_reaction": "yes", "allergy.past_reaction": "no"},
        }
    )
    state, notices = parse_resume(text, bank)
    assert state.answers == {"allergy.past_reaction": "no"}
    assert notices == [
        "An answer to a question this bank does not have (iga.past_reaction) was dropped."
    ]
