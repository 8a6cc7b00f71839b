"""Errors a user can cause, each with the exit code the contract gives it.

    DecisionAidError            one message for a person; never a traceback
    ├── UsageError        (2)   wrong command-line usage
    ├── InputMissingError (66)  an input file is missing or unreadable
    ├── InvalidInputError (65)  an answers file or the question bank is not valid
    │   ├── AnswerFileError     ... an answers file
    │   └── ContentError        ... the question bank (``questions/``)
    └── OutputError       (73)  the output cannot be created

Exit codes follow sysexits.h, as ``../shared/contract.md`` fixes them.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DATAERR = 65
EXIT_NOINPUT = 66
EXIT_CANTCREAT = 73


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, said so a person can find and fix it."""

    file: str
    """The file, as the user named it (or as found under the bank folder)."""
    where: str
    """The place inside the file: a question id, or a path like ``questions[4].text``."""
    message: str
    """What was expected and what was found, as a sentence fragment."""
    line: int | None = None
    """Line number, only when the YAML parser supplied one: a guessed number misleads."""

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"
        )


class DecisionAidError(Exception):
    """Base of every error the program reports as a message and an exit code."""

    exit_code = EXIT_DATAERR

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    def lines(self) -> list[str]:
        """The message lines to show: the problems, or the message itself."""
        if self.problems:
            return [str(p) for p in self.problems]
        return [self.message]


class UsageError(DecisionAidError):
    """The command line asks for something the program does not do."""

    exit_code = EXIT_USAGE


class InputMissingError(DecisionAidError):
    """An input file does not exist, is not a file, or cannot be read."""

    exit_code = EXIT_NOINPUT


class InvalidInputError(DecisionAidError):
    """An input was read but is not valid."""

    exit_code = EXIT_DATAERR


class AnswerFileError(InvalidInputError):
    """An answers file does not fit the bank or the answers format."""


class ContentError(InvalidInputError):
    """The question bank in ``questions/`` is not valid."""


class OutputError(DecisionAidError):
    """The report or another output cannot be written."""

    exit_code = EXIT_CANTCREAT
