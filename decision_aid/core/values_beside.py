"""What each option offers on a value the person rates, from the options table's rows."""

from __future__ import annotations

from decision_aid.core.bank import QuestionBank
from decision_aid.core.citations import strip_markers


def options_beside(bank: QuestionBank) -> dict[str, list[str]]:
    """For each value question, what each option offers on the rows it bears on.

    The lines are the options table's own short cells (without citation markers), so a
    person weighs a value against the options in the report's words.
    """
    rows = {row.id: row for row in bank.options.rows}
    names = (bank.options.ivig_name, bank.options.standard_name)
    beside: dict[str, list[str]] = {}
    for question in bank.questions:
        for row_id in getattr(question, "rows", []):
            row = rows[row_id]
            cells = (row.ivig.summary, row.standard.summary)
            beside.setdefault(question.id, []).append(f"{bank.labels.bears_on}: {row.label}")
            beside[question.id] += [
                f"  {name}: {strip_markers(cell)}" for name, cell in zip(names, cells, strict=True)
            ]
    return beside
