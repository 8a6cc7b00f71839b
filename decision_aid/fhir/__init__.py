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
                       (``none``) carries the ``questionnaire-optionExclusive`` extension
``whole_number``       ``integer`` with the ``minValue``/``maxValue`` extensions
``number_or_unknown``  ``decimal`` with ``minValue``/``maxValue``; see below for unknown
``scale``              ``choice`` with codes ``"0"`` … ``"4"`` and the point labels as
                       ``display``, so a form shows the words, not bare numbers
``asked_when``         ``enableWhen`` (same operators, same meaning) and
                       ``enableBehavior`` (``all``/``any``) when there are two or more
``required``           ``required``
content version        ``Questionnaire.version``; evidence review date ``lastReviewDate``
=====================  ==================================================================

"Not known" for a ``number_or_unknown`` question: FHIR R4 has no way to offer a coded
option on a ``decimal`` item (R5's ``answerConstraint: optionsOrType`` is the first). The
answer is still an answer (it satisfies ``required`` and is reported), so it is written as
an ``answer`` whose ``valueDecimal`` is absent and whose ``_valueDecimal`` carries the core
``data-absent-reason`` extension with code ``asked-unknown`` ("the source was asked but
does not know the value"). Every R4 parser keeps it; a generic form filler cannot offer
it, and an integrator reading answers must look for it (``response.py`` does).

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
EXT_DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
ASKED_UNKNOWN = "asked-unknown"
"""The data-absent-reason code for "not known": asked, and the person does not know."""


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
    "QUESTIONNAIRE_ID",
    "QUESTIONNAIRE_URL",
    "answer_system",
]
