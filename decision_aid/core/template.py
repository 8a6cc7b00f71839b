"""The blank answers file `template` prints: each question, its values, when it is asked."""

from __future__ import annotations

from decision_aid.core.answers import ANSWERS_FORMAT, expected_text
from decision_aid.core.bank import ChoiceQuestion, QuestionBank, ScaleQuestion, SeveralQuestion
from decision_aid.core.branching import describe_asked_when


def answers_template(bank: QuestionBank) -> str:
    """A complete answers file with every question left empty and explained in comments.

    An empty answer counts as not answered, so a person fills in what applies and
    leaves the rest; ``run`` names any required answer still missing.
    """
    lines = [
        "# ivig-decision-aid answers file (format 2).",
        "# Fill in each answer after its colon. Leave a line empty when the question is",
        "# not asked for your answers (see 'Asked when') or is optional and you skip it.",
        "# Then run:  ivig-decision-aid run THIS-FILE.yaml",
        f"# Question bank content version {bank.content_version}.",
        f"format: {ANSWERS_FORMAT}",
        "# date: YYYY-MM-DD   (optional: the report's date; without it, today)",
        "answers:",
    ]
    section = None
    for question in bank.questions:
        if question.section != section:
            section = question.section
            lines += ["", f"  # --- {bank.section(section).title} ---"]
        lines.append(f"  # {question.text}")
        need = "Required" if question.required else "Optional"
        lines.append(f"  # {need}. Asked when: {describe_asked_when(bank, question)}.")
        if isinstance(question, ChoiceQuestion | SeveralQuestion):
            many = (
                "One or more, as a list like [a, b]"
                if isinstance(question, SeveralQuestion)
                else "One"
            )
            lines.append(f"  # {many} of:")
            lines += [f"  #   {o.value:<24} {o.label}" for o in question.options]
            if isinstance(question, SeveralQuestion) and question.exclusive:
                lines.append(f"  #   ({', '.join(question.exclusive)} only on its own)")
        elif isinstance(question, ScaleQuestion):
            lines.append(f"  # A whole number from {question.minimum} to {question.maximum}:")
            lines += [f"  #   {k}  {v}" for k, v in sorted(question.labels.items())]
        else:
            lines.append(f"  # Expected: {expected_text(question)}.")
        lines.append(f"  {question.id}:")
    return "\n".join(lines) + "\n"
