"""The shipped sources and statements match the checked evidence registry.

The registry is copied into the repository at ``evidence/`` (``scripts/refresh-evidence``
copies ``../shared/evidence``), so a clone alone can be checked; where ``../shared/evidence``
exists beside the clone, the copy must be the same, byte for byte.

Every source shown to people must be in the registry's ``sources.yaml`` with the same
identifiers (without the registry's working notes), every statement must restate facts
that exist in ``facts.yaml``, and an address is shown only for a source with no PMID and
no DOI, and only when it is the publisher's, regulator's or institution's own page (never a
mirror); a source with none of these is cited by its authors, title, journal and year.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from decision_aid.core.bank import QuestionBank
from decision_aid.core.citations import cited_ids
from decision_aid.core.loading import default_questions_dir, load_bank
from decision_aid.core.traceability import (
    REGISTRY_FILES,
    check_fact_texts,
    default_registry_dir,
    fact_texts,
    load_registry,
)

REPOSITORY = Path(__file__).resolve().parents[1]
REGISTRY = REPOSITORY / "evidence"
"""The registry's copy in the repository, which `check` reads too."""
SHARED = REPOSITORY.parent / "shared" / "evidence"
"""The checked registry itself, beside the repository where it is cloned."""
COPIED_FILES = ("facts.yaml", "sources.yaml", "unverified.md", "README.md")
"""What scripts/refresh-evidence copies."""

NOTE_WORDS = r"not displayed|not confirmed|not recorded|probably|as displayed|from the journal URL"
"""Words that mark a working note of the registry (what was seen, not the reference)."""


def without_notes(value: Any) -> Any:
    """A registry detail as a reader sees it: its working notes left out.

    A name list that the registry says is not in byline order is left out whole, since
    shown as authors it would misstate who wrote the paper.
    """
    if not isinstance(value, str):
        return value
    if value.startswith("Names shown by a library catalogue, not in byline order"):
        return None
    cleaned = re.sub(rf"\s*\([^()]*(?:{NOTE_WORDS})[^()]*\)", "", value)
    cleaned = re.sub(rf";\s*[^;]*(?:{NOTE_WORDS})[^;]*$", "", cleaned)
    return re.sub(r"\s*;\s*", "; ", cleaned).strip()


COPIED_FIELDS = (
    "authors",
    "title",
    "journal",
    "year",
    "volume_pages",
    "pmid",
    "doi",
    "pmcid",
    "design",
    "participants",
)
"""Copied from the registry unchanged; a null there is absent here."""

OWN_PAGES = {
    "pmc.ncbi.nlm.nih.gov": "PubMed Central (US National Library of Medicine)",
    "pubmed.ncbi.nlm.nih.gov": "PubMed (US National Library of Medicine)",
    "www.ncbi.nlm.nih.gov": "PubMed (US National Library of Medicine)",
    "dailymed.nlm.nih.gov": "DailyMed, the US label database",
    "www.fda.gov": "US Food and Drug Administration",
    "api.fda.gov": "openFDA, the FDA's own label data",
    "nctr-crs.fda.gov": "FDA label database",
    "www.accessdata.fda.gov": "FDA publications database",
    "www.ima.org.il": "Israel Medical Association Journal (publisher)",
    "research.unipg.it": "University of Perugia research repository",
    "experts.umn.edu": "University of Minnesota research repository",
    "www.jbclinpharm.org": "Journal of Basic and Clinical Pharmacy (publisher)",
    "www.privigen.com": "CSL Behring, maker and label holder of Privigen",
    # The makers' own sites of two more IVIG brands (the registry did not record the
    # company names), and an NHS hospital trust's own leaflet page.
    "gammagard.com": "maker's own site of Gammagard Liquid",
    "octagamusa.com": "maker's own site of octagam 10%",
    "www.bsuh.nhs.uk": "an NHS hospital trust's own page",
    "jasn.asnjournals.org": "Journal of the American Society of Nephrology (publisher)",
    "ard.bmj.com": "Annals of the Rheumatic Diseases (publisher)",
    # The Korean Association of Medical Journal Editors' own full-text platform, where the
    # Journal of Korean Medical Science publishes its articles.
    "synapse.koreamed.org": "KoreaMed Synapse (publishing platform of Korean journals)",
}
"""Hosts whose pages may be shown to people, each with whose page it is."""

STRENGTH_ORDER = ("very low", "low", "moderate", "high")


def _registry(name: str) -> dict[str, dict[str, Any]]:
    path = REGISTRY / name
    if not path.is_file():
        pytest.fail(
            f"expected the checked evidence registry at {path} (clone shared/ beside the "
            "repository), found nothing"
        )
    return {item["id"]: item for item in yaml.safe_load(path.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def sources() -> dict[str, dict[str, Any]]:
    return _registry("sources.yaml")


@pytest.fixture(scope="module")
def facts() -> dict[str, dict[str, Any]]:
    return _registry("facts.yaml")


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_bank()


def test_every_source_is_in_the_registry_with_the_same_identifiers(
    bank: QuestionBank, sources: dict[str, dict[str, Any]]
) -> None:
    """Same id, and pmid, doi, title, year and the other details exactly as checked."""
    for source in bank.sources:
        assert source.id in sources, f"{source.id}: not in {REGISTRY / 'sources.yaml'}"
        checked = sources[source.id]
        for field in COPIED_FIELDS:
            expected = without_notes(checked.get(field))
            found = getattr(source, field)
            if expected is not None and field in ("pmid", "year"):
                expected = type(found)(expected) if found is not None else expected
            assert found == expected, f"{source.id}.{field}: expected {expected!r}, found {found!r}"


def test_addresses_only_where_there_is_no_pmid_or_doi(
    bank: QuestionBank, sources: dict[str, dict[str, Any]]
) -> None:
    """An address is shown only for a source with neither identifier, and it was seen there."""
    for source in bank.sources:
        if source.pmid or source.doi:
            assert source.url is None, f"{source.id}: has a PMID or DOI, so no address"
            continue
        if source.url is None:
            # Cited by authors, title, journal and year, as the contract allows.
            missing = [f for f in ("authors", "title", "journal", "year") if not getattr(source, f)]
            assert not missing, f"{source.id}: no PMID, DOI or address, and no {missing}"
            continue
        assert source.url in sources[source.id]["verified_at"], (
            f"{source.id}: the address must be one the registry saw the source at"
        )


def test_no_address_is_a_mirror(bank: QuestionBank) -> None:
    """Every address is https on the publisher's, regulator's or institution's own host."""
    for source in bank.sources:
        if source.url is None:
            continue
        parts = urlsplit(source.url)
        assert parts.scheme == "https", f"{source.id}: expected https, found {parts.scheme}"
        host = parts.hostname or ""
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            pytest.fail(f"{source.id}: a raw IP address is never shown ({host})")
        assert host in OWN_PAGES, f"{source.id}: {host} is not a known publisher's own host"


def test_the_registry_copy_is_the_shared_registry() -> None:
    """evidence/ holds the checked registry; where ../shared/evidence exists, the same bytes."""
    for name in COPIED_FILES:
        assert (REGISTRY / name).is_file(), (
            f"expected {REGISTRY / name}: run scripts/refresh-evidence"
        )
    if not SHARED.is_dir():
        return  # a clone alone: the copy is the registry
    stale = [
        name
        for name in COPIED_FILES
        if (SHARED / name).read_bytes() != (REGISTRY / name).read_bytes()
    ]
    assert not stale, f"evidence/{stale} differ from {SHARED}: run scripts/refresh-evidence"


def test_check_reads_the_copy_in_the_repository() -> None:
    """`check` finds the registry beside the bank folder, in the repository itself."""
    assert default_registry_dir(default_questions_dir()) == REGISTRY
    assert set(REGISTRY_FILES) <= set(COPIED_FILES)


def test_no_working_note_of_the_registry_is_shown(bank: QuestionBank) -> None:
    """No shipped source detail carries a note about what was or was not seen."""
    pattern = re.compile(NOTE_WORDS + r"|library catalogue", re.IGNORECASE)
    for source in bank.sources:
        for field in COPIED_FIELDS:
            value = getattr(source, field)
            assert not (isinstance(value, str) and pattern.search(value)), (
                f"{source.id}.{field}: a working note is shown: {value!r}"
            )


def test_every_text_that_states_a_fact_traces_to_the_registry(bank: QuestionBank) -> None:
    """Considerations and "why we ask" name their facts, and `check`'s rules hold for them."""
    registry, problems = load_registry(REGISTRY)
    assert registry is not None, problems
    items = fact_texts(bank)
    assert check_fact_texts(items, registry) == []
    for rule in bank.considerations:
        assert rule.facts, f"{rule.id}: names no registry facts"


def test_every_statement_restates_checked_facts(
    bank: QuestionBank, facts: dict[str, dict[str, Any]]
) -> None:
    """Facts exist, carry no caution, and the statement cites only their sources."""
    for statement in bank.statements:
        for fact_id in statement.facts:
            assert fact_id in facts, f"{statement.id}: fact {fact_id!r} is not in facts.yaml"
            assert not facts[fact_id].get("caution"), (
                f"{statement.id}: fact {fact_id!r} carries a caution: {facts[fact_id]['caution']}"
            )
        allowed = {s for fact_id in statement.facts for s in facts[fact_id]["sources"]}
        extra = set(cited_ids(statement.text)) - allowed
        assert not extra, f"{statement.id}: cites {sorted(extra)}, not a source of its facts"


def test_statement_strength_is_the_lowest_of_its_facts(
    bank: QuestionBank, facts: dict[str, dict[str, Any]]
) -> None:
    """A statement is never stated more surely than the weakest fact it restates."""
    for statement in bank.statements:
        lowest = min((facts[f]["strength"] for f in statement.facts), key=STRENGTH_ORDER.index)
        assert statement.strength == lowest, (
            f"{statement.id}: expected strength {lowest!r}, found {statement.strength!r}"
        )
