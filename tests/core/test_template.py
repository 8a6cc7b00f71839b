"""The template: a format 2 answers file with every question, the new ones included."""

from __future__ import annotations

import yaml

from decision_aid.core.answers import ANSWERS_FORMAT
from decision_aid.core.loading import load_bank
from decision_aid.core.template import answers_template


def test_the_template_is_a_format_2_file_with_every_question() -> None:
    bank = load_bank()
    text = answers_template(bank)
    assert text.startswith("# ivig-decision-aid answers file (format 2).\n")
    document = yaml.safe_load(text)
    assert document["format"] == ANSWERS_FORMAT == "ivig-decision-aid/answers/2"
    assert list(document["answers"]) == bank.question_ids
    assert "allergy.past_reaction" in document["answers"]
    assert "iga.past_reaction" not in text
    assert "  # Optional. Asked when: always.\n  # One of:\n  #   ivig " in text
    assert "#   clotting_disorder" in text
