"""Rendering a :class:`Summary` to the Markdown report with Jinja2.

Templates live in the package and are the only templates: text from ``questions/`` and
from answers is passed in as data and is never itself rendered as a template, so
``{{ }}`` in content stays plain text.
"""

from __future__ import annotations

import contextlib
import functools
from functools import cache

import jinja2

from decision_aid.core.summary import SourceOut, Summary
from decision_aid.report import markdown

TABLE_WIDTHS = [14, 28, 28]
"""Label and two option columns: 80 characters with the pipes."""


# Memoised like the Markdown helpers: every report lists the same sources (SourceOut is
# frozen and hashable, so the same entry is the same text).
@functools.lru_cache(maxsize=1024)
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
        cite_source=cite_source,
        table_row=lambda r: [r.label, r.ivig_summary, r.standard_summary],
    )
    env.globals.update(table=markdown.table, widths=TABLE_WIDTHS)
    return env


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
    text = environment().get_template("report.md.j2").render(s=summary)
    lines = [line.rstrip() for line in text.splitlines()]
    collapsed: list[str] = []
    for line in lines:
        if line == "" and (not collapsed or collapsed[-1] == ""):
            continue
        collapsed.append(line)
    return "\n".join(collapsed).strip("\n") + "\n"
