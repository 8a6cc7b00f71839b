"""The plain consultation's own words: how to answer, and what happens next.

What a question asks and why lives in ``questions/``, as for the TUI; these are only the
instructions of this way of answering (the TUI's are its keys, in ``tui/keys.md``).
"""

from __future__ import annotations

HOW_TO = (
    "This is the plain consultation: one question at a time, one line at a time. "
    "Type the number of your answer and press Enter. "
    "Type ? and Enter to hear why a question is asked, or b and Enter to go back. "
    "An empty line skips a question that is optional, "
    "or keeps the answer you gave before."
)
TOPIC = "Topic {n} of {of}: {title}"
AFTER_REVIEW = "After the review, {n} of {of}: {title}"
CHANGING = "Changing an answer: {title}"
OPTIONAL = "(optional)"
NOW = "Your answer now: {answer}. Press Enter to keep it."

ASK_CHOICE = "Type a number from 1 to {last}."
ASK_SEVERAL = "Type the numbers of all that apply, with spaces or commas between them."
ASK_WHOLE = "Type a whole number from {low} to {high}."
ASK_NUMBER = "Type a number from {low} to {high}{unit}, or u for {unknown}."
ASK_SCALE = "Type a number from {low} to {high}."
KEYS = "? why we ask, b back."
KEYS_OPTIONAL = "? why we ask, b back, Enter to skip."

NEEDED = "An answer is needed here."
NOT_A_CHOICE = "{found} is not one of the numbers shown. {ask}"
NOT_A_NUMBER = "{found} is not a number that can be used here. {ask}"
ALONE = '"{label}" cannot be chosen with other answers. {ask}'
TWICE = "Each number only once, please. {ask}"
FIRST = "This is the first question; there is nothing before it."
WHY = "Why we ask:"
REMOVED = "That answer means {names} no longer applies, so its answer was removed."
RAISED = "{level}: {text}"

REVIEW = "Your answers so far"
NOT_ANSWERED = "not answered"
REVIEW_ASK = "Type the number of an answer to change it, Enter to go on, or b to go back."
ANSWER_FIRST = 'Please answer "{short}" first.'

PART_ASK = "Press Enter to go on, or b to go back."
PARTS = "The evidence in your report, a part at a time:"
PARTS_ASK = "Type the number of a part to read it, Enter to go on, or b to go back."

REPORT_START = "The start of your report"
REPORT_REST = "The full report is in the file saved below."
SAVE_ASK = "Press Enter to save the report as {name}, type another name, or b to go back."
NAME_TAKEN = "A report with this name is already there; choose another name."
SAVED = "Saved. Only you can open these files on this computer."
SAVED_FOLDER = "Folder: {folder}"
SAVED_REPORT = "The report: {name}"
SAVED_ANSWERS = "Its answers: {name}"
NOT_SAVED = "The report was not saved: {problem}. Your answers are kept; try another name."

ENDED = (
    "Input ended before the report was saved. Your answers are kept. "
    "To go on later, run: ivig-decision-aid --plain --resume"
)
STOPPED = (
    "Stopped before the report was saved. Your answers are kept. "
    "To go on later, run: ivig-decision-aid --plain --resume"
)
ENDED_EMPTY = "Stopped before any answer was given, so there is nothing to keep."
NOT_KEPT = "{problem}. Your answers are still here, but not kept on disk."
NO_RESUME = "There was no unsaved consultation to continue, so this one is new."
EARLIER = (
    "An earlier consultation was not saved. To continue it instead, type Ctrl+D "
    "and run: ivig-decision-aid --plain --resume. Answering here replaces it."
)
EDITED_BANK = "Questions from {folder} (an edited bank)."
