"""Rendering a :class:`Summary` to the Markdown report with Jinja2.

Templates live in the package and are the only templates: text from ``questions/`` and
from answers is passed in as data and is never itself rendered as a template, so
``{{ }}`` in content stays plain text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import jinja2

from decision_aid.core.memo import ByIdentity
from decision_aid.core.summary import SourceOut, Summary
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


def _source_entry(source: SourceOut) -> str:
    return markdown.bullet(cite_source(source), f"{source.number}.")


source_entry = ByIdentity(_source_entry)
"""A numbered Sources entry, as the report lists it."""


@dataclass(frozen=True)
class _Section:
    """A section rendered on its own, once, and its lines as the report shows them."""

    key: tuple[object, ...]
    text: str
    """As rendered."""
    lines: str | None
    """Its lines as :func:`render_markdown` leaves them (no trailing spaces, runs of blank
    lines as one), without blank lines first or last; None if it cannot stand for the
    text (all blank, or not ending with a line break)."""
    blank_before: bool
    blank_after: bool


_last_options: _Section | None = None


def options_section(summary: Summary) -> _Section:
    """The options table and each row's points (``options.md.j2``), rendered once per bank.

    They depend on the bank alone (build_summary builds the rows once per bank), and were
    0.17 of the 0.39 ms the report template took per report in `run` over many answers
    files (bench/run.py figure 2). The template sees only the rows and three names, so
    nothing else can change its text; the rows are kept by identity (frozen records,
    never changed after build_summary), the names compared by value.
    """
    global _last_options
    rows, how_sure = summary.rows, summary.labels.how_sure
    key = (summary.ivig_name, summary.standard_name, how_sure, *rows)
    if _last_options is not None and _same(_last_options.key, key):
        return _last_options
    text = _template("options.md.j2").render(
        rows=rows,
        ivig_name=summary.ivig_name,
        standard_name=summary.standard_name,
        how_sure=how_sure,
    )
    _last_options = _section(key, text)
    return _last_options


def _section(key: tuple[object, ...], text: str) -> _Section:
    raw = [line.rstrip() for line in text.splitlines()]
    lines = _tidy(text)
    while lines and lines[-1] == "":
        lines.pop()
    return _Section(
        key,
        text,
        "\n".join(lines) if lines and text.endswith("\n") else None,
        blank_before=bool(raw) and raw[0] == "",
        blank_after=bool(raw) and raw[-1] == "",
    )


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
    env.globals.update(table=markdown.table, widths=TABLE_WIDTHS)
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


_MARK = "\ud800 options"
"""Stands for the options section in the report while it is tidied: a lone surrogate,
which no text of a bank or of answers can hold (the readers refuse it)."""


def render_markdown(summary: Summary) -> str:
    """The report as Markdown: LF line ends, no trailing spaces, one final newline."""
    template = _template("report.md.j2")
    return _tidied(
        lambda options: template.render(s=summary, options=options), options_section(summary)
    )


def _tidied(render: Callable[[str], str], section: _Section) -> str:
    """``render(section.text)`` tidied: lines without trailing spaces, each run of blank
    lines as one, no blank line first or last, one final newline.

    The section's lines were tidied once, when it was rendered; here they are put in
    after the rest of the text is tidied: tidying its 500 lines again for every report
    was half of the tidying. The result is the same as tidying the whole text (tested
    on generated texts) when the section starts a line and ends one, and is put in as
    its own lines with a blank line before and after it where it has one; otherwise,
    or if the mark standing for it is found anywhere else, the whole text is tidied.
    """
    if section.lines is not None:
        before = "\n" if section.blank_before else ""
        mark = f"{before}{_MARK}\n" + ("\n" if section.blank_after else "")
        text = render(mark)
        at = text.find(mark)
        if at >= 0 and (at == 0 or text[at - 1] == "\n") and text.count(_MARK) == 1:
            lines = _tidy(text)
            lines[lines.index(_MARK)] = section.lines
            return _finish(lines)
    return _finish(_tidy(render(section.text)))


def _tidy(text: str) -> list[str]:
    """The lines of ``text`` without trailing spaces, each run of blank lines as one, and
    no blank line first."""
    collapsed: list[str] = []
    for line in [line.rstrip() for line in text.splitlines()]:
        if line == "" and (not collapsed or collapsed[-1] == ""):
            continue
        collapsed.append(line)
    return collapsed


def _finish(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n") + "\n"
