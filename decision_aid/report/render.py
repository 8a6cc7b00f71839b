"""Rendering a :class:`Summary` to the Markdown report with Jinja2.

Templates live in the package and are the only templates: text from ``questions/`` and
from answers is passed in as data and is never itself rendered as a template, so
``{{ }}`` in content stays plain text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import cache
from typing import Any, Generic, TypeVar

import jinja2

from decision_aid.core.summary import OptionRowOut, SourceOut, Summary
from decision_aid.report import markdown

TABLE_WIDTHS = [14, 28, 28]
"""Label and two option columns: 80 characters with the pipes."""


def cite_source(source: SourceOut) -> str:
    """One Sources entry: authors, title, journal, year, then PMID, DOI or address."""
    parts = []
    if source.authors:
        parts.append(source.authors.rstrip(".") + ".")
    if source.title:
        parts.append(source.title.rstrip(".") + ".")
    where = " ".join(p for p in (source.journal, str(source.year) if source.year else None) if p)
    if where:
        where += f";{source.volume_pages}" if source.volume_pages else ""
        parts.append(where + ".")
    if source.pmid:
        parts.append(f"PMID {source.pmid}.")
    if source.doi:
        parts.append(f"doi:{source.doi}")
    if source.url:
        parts.append(f"<{source.url}>")
    return " ".join(parts)


_T = TypeVar("_T")


class _ByIdentity(Generic[_T]):
    """A function of one frozen object, memoised by the object's identity.

    The summary's records are frozen and the same sources come back as the same objects
    in every report (core/summary.py), so their identity says all that their hash would:
    hashing a record hashes every field, which was 0.12 of 0.84 ms of a report. Each
    object is kept with its result, so its id cannot be reused while it is in the memo.
    """

    def __init__(self, function: Callable[[Any], _T], size: int = 1024) -> None:
        self._function = function
        self._size = size
        self._memo: dict[int, tuple[object, _T]] = {}

    def __call__(self, item: object) -> _T:
        kept = self._memo.get(id(item))
        if kept is not None and kept[0] is item:
            return kept[1]
        result = self._function(item)
        if len(self._memo) >= self._size:
            self._memo.clear()
        self._memo[id(item)] = (item, result)
        return result


def _source_entry(source: SourceOut) -> str:
    return markdown.bullet(cite_source(source), f"{source.number}.")


source_entry = _ByIdentity(_source_entry)
"""A numbered Sources entry, as the report lists it."""


_last_options: tuple[tuple[object, ...], str] | None = None


def options_section(
    rows: list[OptionRowOut], ivig_name: str, standard_name: str, how_sure: str
) -> str:
    """The options table and each row's points (``options.md.j2``), rendered once per bank.

    They depend on the bank alone (build_summary builds the rows once per bank), and were
    0.17 of the 0.39 ms the report template took per report in `run` over many answers
    files (bench/run.py figure 2). The template sees these arguments only, so nothing
    else can change its text; the rows are kept by identity (frozen records, never
    changed after build_summary), the names compared by value.
    """
    global _last_options
    key = (ivig_name, standard_name, how_sure, *rows)
    if _last_options is not None and _same(_last_options[0], key):
        return _last_options[1]
    text = _template("options.md.j2").render(
        rows=rows, ivig_name=ivig_name, standard_name=standard_name, how_sure=how_sure
    )
    _last_options = (key, text)
    return text


def _same(kept: tuple[object, ...], key: tuple[object, ...]) -> bool:
    return (
        len(kept) == len(key)
        and kept[:3] == key[:3]
        and all(a is b for a, b in zip(kept[3:], key[3:], strict=True))
    )


@cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: strict about undefined names, Markdown helpers as filters."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("decision_aid.report", "templates"),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        # Markdown, not HTML: answers are escaped for Markdown with the `md` filter.
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=markdown.escape,
        wrap=markdown.wrap,
        bullet=markdown.bullet,
        icons=markdown.icon_array,
        source_entry=source_entry,
        table_row=lambda r: [r.label, r.ivig_summary, r.standard_summary],
    )
    env.globals.update(table=markdown.table, widths=TABLE_WIDTHS, options_section=options_section)
    return env


@cache
def _template(name: str) -> jinja2.Template:
    # Kept once loaded: Environment.get_template looks at the template's file on disk
    # (two stat calls) on every call, to reload one that changed; these never change.
    return environment().get_template(name)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """The compiled template, kept in the private cache folder (see ``core/cache.py``).

    Compiling the report template cost 16 ms of every ``run`` and consultation; loading
    it compiled takes under 1 ms. Jinja2 recompiles when the template's text changes; the
    folder's name holds what else shapes the compiled code (this module, which sets the
    environment's options, and the Jinja2 and Python versions), so nothing stale is used.
    """
    import hashlib
    import sys
    from pathlib import Path

    from decision_aid.core import cache

    shape = hashlib.sha256(f"{jinja2.__version__}\0{sys.version}\0".encode())
    shape.update(Path(__file__).read_bytes())
    folder = cache.private_folder(f"templates-{shape.hexdigest()[:16]}")
    return _QuietBytecodeCache(str(folder)) if folder is not None else None


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's file cache, except that a cache it cannot read or write (a full disk, a
    file-size limit, a removed folder) costs only the time to compile: Jinja2's own
    raises, which turned a full disk into an internal error before any report."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def render_markdown(summary: Summary) -> str:
    """The report as Markdown: LF line ends, no trailing spaces, one final newline."""
    text = _template("report.md.j2").render(s=summary)
    lines = [line.rstrip() for line in text.splitlines()]
    collapsed: list[str] = []
    for line in lines:
        if line == "" and (not collapsed or collapsed[-1] == ""):
            continue
        collapsed.append(line)
    return "\n".join(collapsed).strip("\n") + "\n"
