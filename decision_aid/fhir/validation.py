"""Validating FHIR resources with the ``fhir.resources`` R4B models, errors in file words.

The models check structure and types (every element known, every value of the right
type, one ``value[x]`` at a time). Whether the answers fit the question bank is checked
afterwards, by the same code that checks answers files.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from decision_aid.errors import InvalidInputError, Problem

RESOURCE_TYPES = ("Questionnaire", "QuestionnaireResponse")


def _model(resource_type: str) -> Any:
    # Deferred: fhir.resources costs about 0.2 s to import, paid only when FHIR is used.
    if resource_type == "Questionnaire":
        from fhir.resources.R4B.questionnaire import Questionnaire

        return Questionnaire
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    return QuestionnaireResponse


def fhir_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a FHIR path: ``item[0].answer[1].valueCoding``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + part
    return path


def link_id_at(resource: Any, loc: tuple[int | str, ...]) -> str | None:
    """The ``linkId`` of the innermost item on the way to ``loc``, if there is one."""
    found: str | None = None
    node = resource
    for part in loc:
        if isinstance(node, dict):
            if isinstance(node.get("linkId"), str):
                found = node["linkId"]
            if not isinstance(part, str) or part not in node:
                break
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
    if isinstance(node, dict) and isinstance(node.get("linkId"), str):
        found = node["linkId"]
    return found


def validation_problems(resource: Any, shown: str) -> list[Problem]:
    """Every problem the FHIR R4 models find in ``resource`` (empty when it is valid)."""
    if not isinstance(resource, dict):
        return [
            Problem(shown, "", "expected a FHIR resource (a JSON object), found something else")
        ]
    resource_type = resource.get("resourceType")
    if resource_type not in RESOURCE_TYPES:
        return [
            Problem(
                shown,
                "resourceType",
                f"expected one of {', '.join(RESOURCE_TYPES)}, found {resource_type!r}",
            )
        ]
    try:
        _model(resource_type).model_validate(resource)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            path = fhir_path(loc) or resource_type
            link_id = link_id_at(resource, loc)
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "expected no such element in FHIR R4"
            found = error.get("input")
            shown_input = f" (found {found!r})" if isinstance(found, str | int | float) else ""
            problems.append(
                Problem(
                    shown,
                    link_id or path,
                    f"{path}: {message}{shown_input}" if link_id else f"{message}{shown_input}",
                )
            )
        return problems
    return []


def check_resource(resource: Any, shown: str) -> None:
    """Raise :class:`InvalidInputError` (exit 65) listing every problem, if there is one."""
    problems = validation_problems(resource, shown)
    if problems:
        raise InvalidInputError(f"{shown}: not a valid FHIR R4 resource", problems)
