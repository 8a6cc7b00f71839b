"""The question bank and answers as FHIR R4 ``Questionnaire`` and ``QuestionnaireResponse``.

How the bank maps to FHIR (``questionnaire.py`` writes it, ``response.py`` reads and
writes answers the same way):

=====================  ==================================================================
bank                   FHIR R4
=====================  ==================================================================
section                ``group`` item; ``linkId`` = section id, ``text`` = title
question id            ``linkId`` (the contract's stable ids, unchanged)
``choice``             ``choice``; ``answerOption.valueCoding`` with ``code`` = the
                       contract's value, ``display`` = the label, ``system`` = one code
                       system per question (:func:`answer_system`)
``several``            the same, with ``repeats: true``; a value that must stand alone
                       (``none``) carries ``optionExclusive`` (R4 core and SDC extensions)
``whole_number``       ``integer`` with the ``minValue``/``maxValue`` extensions
``number_or_unknown``  two items: a ``choice`` "I know the number / Not known" (linkId
                       :func:`known_link_id`) carrying the question's text and
                       ``asked_when``, and the ``decimal`` (linkId = question id, with
                       ``minValue``/``maxValue``) enabled when the number is known; see below
``scale``              ``choice`` with codes ``"0"`` … ``"4"`` and the point labels as
                       ``display``, so a form shows the words, not bare numbers
``asked_when``         ``enableWhen`` (same operators, same meaning) and
                       ``enableBehavior`` (``all``/``any``) when there are two or more
``required``           ``required``
content version        ``Questionnaire.version``; evidence review date ``lastReviewDate``
=====================  ==================================================================

"Not known" for a ``number_or_unknown`` question: FHIR R4 cannot offer a coded option on a
``decimal`` item (R5's ``answerConstraint: optionsOrType`` is the first), and a generic form
filler (NLM's LHC-Forms, tested in ``tests/fhir/test_lforms.py``) offers only what the
standard elements say. So the question is two items a filler renders as they are: a
``choice`` item (linkId ``QUESTION_ID-known``; the ``-`` keeps it apart from every bank id)
with the codes :data:`KNOWN_NUMBER` and ``unknown``, then the ``decimal`` item with the
contract's id, enabled only by :data:`KNOWN_NUMBER`. ``kidney.egfr: unknown`` is the choice
``unknown`` and no decimal; a number is the choice :data:`KNOWN_NUMBER` and the decimal.
A condition on the question maps the same way: a number compares on the decimal item,
``unknown`` and ``exists`` look at the choice item.

Responses written before this (no choice item: a ``valueDecimal`` alone, or an ``answer``
whose ``_valueDecimal`` carries the ``data-absent-reason`` extension ``asked-unknown``) are
still read, so nothing an integrator saved is lost.

A value that must stand alone (``none``) carries ``optionExclusive`` both as the R4 core
extension and as SDC's; LHC-Forms 40 honours neither, so ``run`` still refuses ``none``
with another answer and says which one to remove.

``authored`` gives the report's date as the date part written in it, in the time zone it
gives itself (``2026-12-04T23:30:00-05:00`` is 4 December; ``…Z`` is the UTC date): the
day the answers were given where they were given, never converted.

``fhir.resources`` is imported only inside this package (``validation.py``), and the CLI
imports this package only for the commands that need FHIR, so ``run`` without ``--fhir``
does not pay for it (about 0.2 s). Its R4B models validate every resource read or
written: Questionnaire and QuestionnaireResponse did not change between R4 (4.0.1) and
R4B (4.3.0), and every element written here is an R4 element.
"""

from __future__ import annotations

CANONICAL_BASE = "https://ivig-decision-aid.invalid/fhir"
"""Base of the canonical URLs. ``.invalid`` is reserved (RFC 2606) and never resolves: the
project has no web address of its own yet. A publisher replaces it with an address they
control; the linkIds and codes, which the contract fixes, do not change with it."""

QUESTIONNAIRE_ID = "ivig-decision-aid"
QUESTIONNAIRE_URL = f"{CANONICAL_BASE}/Questionnaire/{QUESTIONNAIRE_ID}"

EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
EXT_SDC_OPTION_EXCLUSIVE = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-optionExclusive"
)
EXT_DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
ASKED_UNKNOWN = "asked-unknown"
"""The data-absent-reason code for "not known" in responses written before the choice item."""

KNOWN_NUMBER = "number"
"""The code of "I know the number" in a number question's choice item."""
KNOWN_NUMBER_LABEL = "I know the number"
"""Its display. The bank has no field for it (its "not known" label is ``unknown_label``)."""
KNOWN_SUFFIX = "-known"


def known_link_id(question_id: str) -> str:
    """The linkId of a ``number_or_unknown`` question's "do you know the number" item.

    Bank ids are dotted lower-case words (``core.bank.QUESTION_ID``), never with ``-``, so
    this never names a question of the bank.
    """
    return f"{question_id}{KNOWN_SUFFIX}"


def answer_system(question_id: str) -> str:
    """The code system of one question's answer codes.

    One system per question, because the same code means different things in different
    questions (``none`` in ``nephritis.status`` and in ``treatment.prior``).
    """
    return f"{CANONICAL_BASE}/CodeSystem/{question_id}"


__all__ = [
    "ASKED_UNKNOWN",
    "CANONICAL_BASE",
    "EXT_DATA_ABSENT_REASON",
    "EXT_MAX_VALUE",
    "EXT_MIN_VALUE",
    "EXT_OPTION_EXCLUSIVE",
    "EXT_SDC_OPTION_EXCLUSIVE",
    "KNOWN_NUMBER",
    "KNOWN_NUMBER_LABEL",
    "KNOWN_SUFFIX",
    "QUESTIONNAIRE_ID",
    "QUESTIONNAIRE_URL",
    "answer_system",
    "known_link_id",
]
