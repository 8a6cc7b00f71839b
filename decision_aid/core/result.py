"""The JSON result of the contract (format 1), one object per answers file."""

from __future__ import annotations

from typing import Any

from decision_aid.core.summary import Summary

RESULT_FORMAT = "ivig-decision-aid/result/1"


def build_result(
    summary: Summary, answers: dict[str, Any], report_path: str, sha256: str
) -> dict[str, Any]:
    """The contract's JSON object for one report (keys in the contract's order)."""
    return {
        "format": RESULT_FORMAT,
        "content_version": summary.content_version,
        "date": summary.date.isoformat(),
        "answers": answers,
        "unanswered": [item.id for item in summary.unanswered],
        "considerations": [
            {"topic": c.topic, "level": c.level, "text": c.plain_text, "sources": c.sources}
            for c in summary.considerations
        ],
        "sources": [
            {"id": s.id, "pmid": s.pmid, "doi": s.doi, "url": s.url} for s in summary.sources
        ],
        "report": {"path": report_path, "sha256": sha256},
    }


def error_result(input_path: str, exit_code: int, messages: list[str]) -> dict[str, Any]:
    """A JSON line for an answers file that gave no report, so lines match inputs."""
    return {
        "format": RESULT_FORMAT,
        "input": input_path,
        "error": {"exit_code": exit_code, "messages": messages},
    }
