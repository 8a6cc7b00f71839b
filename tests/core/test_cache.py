"""The private cache of the checked bank: used when valid, never stale, never trusted blindly."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from decision_aid.core import cache, loading
from decision_aid.core.loading import inspect_bank, load_bank
from decision_aid.errors import ContentError
from tests.helpers import TINY


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """An editable copy of the tiny bank."""
    return Path(shutil.copytree(TINY, tmp_path / "bank"))


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any parse of a bank file fail the test: the bank must come from the cache."""

    def refuse(text: str, shown_as: str) -> None:
        raise AssertionError(f"{shown_as} was parsed again")

    monkeypatch.setattr(loading, "parse_yaml", refuse)


def stored() -> list[Path]:
    where = cache.folder()
    assert where is not None
    return sorted(where.glob("bank-*.pickle"))


def test_second_load_comes_from_the_cache(bank_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first load stores the checked bank; the next one reads it, equal, unparsed."""
    first = load_bank(bank_copy)
    assert len(stored()) == 1
    monkeypatch.setattr(loading, "parse_yaml", lambda *a: pytest.fail("parsed again"))
    second = load_bank(bank_copy)
    assert second == first
    assert second.question("kidney.egfr") == first.question("kidney.egfr")


def test_an_edit_is_never_served_stale(bank_copy: Path) -> None:
    """Change one word of a file: the next load reads the new text."""
    load_bank(bank_copy)
    bank_file = bank_copy / "bank.yaml"
    text = bank_file.read_text(encoding="utf-8")
    assert 'content_version: "test.1"' in text
    bank_file.write_text(text.replace('"test.1"', '"test.2"'), encoding="utf-8")
    assert load_bank(bank_copy).content_version == "test.2"
    assert len(stored()) == 2


def test_a_broken_edit_is_reported_every_time(bank_copy: Path) -> None:
    """A bank with problems is not cached: each load reports them again."""
    load_bank(bank_copy)
    (bank_copy / "labels.yaml").write_text("report_date: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError) as caught:
            load_bank(bank_copy)
        assert caught.value.problems[0].file.endswith("labels.yaml")
    assert len(stored()) == 1


def test_check_reads_every_file(bank_copy: Path, no_parsing: None) -> None:
    """inspect_bank (the `check` command) never takes the bank from the cache."""
    with pytest.raises(AssertionError, match="parsed again"):
        inspect_bank(bank_copy)


def test_files_are_private(bank_copy: Path) -> None:
    """The folder is the owner's alone (0700) and each file is 0600."""
    load_bank(bank_copy)
    where = cache.folder()
    assert where is not None
    assert stat.S_IMODE(where.stat().st_mode) == 0o700
    assert [stat.S_IMODE(p.stat().st_mode) for p in stored()] == [0o600]
    assert not list(where.glob(".*.tmp"))


def test_a_damaged_file_is_a_miss(bank_copy: Path) -> None:
    """A truncated or foreign cache file is ignored and replaced."""
    expected = load_bank(bank_copy)
    [path] = stored()
    path.write_bytes(path.read_bytes()[:100])
    assert load_bank(bank_copy) == expected
    path.write_bytes(b"not a pickle")
    assert load_bank(bank_copy) == expected


def test_a_file_others_may_write_is_not_trusted(
    bank_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unpickling runs code, so a cache file anyone else could have written is ignored."""
    load_bank(bank_copy)
    [path] = stored()
    path.chmod(0o666)
    calls: list[str] = []
    real = loading.parse_yaml
    monkeypatch.setattr(loading, "parse_yaml", lambda t, s: calls.append(s) or real(t, s))
    load_bank(bank_copy)
    assert calls  # read and checked again
    assert stat.S_IMODE(stored()[0].stat().st_mode) == 0o600  # and stored afresh


def test_turned_off_or_unwritable_it_only_costs_time(
    bank_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IVIG_DECISION_AID_CACHE=off stores nothing; a cache folder that cannot be made is no
    error."""
    monkeypatch.setenv(cache.ENVIRONMENT, "off")
    assert load_bank(bank_copy).content_version == "test.1"
    assert cache.folder() is None
    monkeypatch.delenv(cache.ENVIRONMENT)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_bank(bank_copy).content_version == "test.1"


def test_only_the_latest_banks_are_kept(bank_copy: Path) -> None:
    """Edited copies come and go; the cache keeps a few, not all."""
    bank_file = bank_copy / "bank.yaml"
    text = bank_file.read_text(encoding="utf-8")
    for n in range(cache.KEEP + 3):
        bank_file.write_text(text.replace('"test.1"', f'"v{n}"'), encoding="utf-8")
        load_bank(bank_copy)
    assert len(stored()) == cache.KEEP


def test_reports_are_the_same_from_a_cold_or_warm_cache(tmp_path: Path) -> None:
    """`run` writes the same bytes with an empty cache, a full one, and none at all."""
    answers = tmp_path / "a.answers.yaml"
    answers.write_text(
        "format: ivig-decision-aid/answers/1\ndate: 2026-11-25\nanswers:\n"
        "  nephritis.status: none\n  kidney.egfr: unknown\n  pregnancy.losses: 0\n"
        "  treatment.prior: [none]\n",
        encoding="utf-8",
    )
    reports = []
    for name, extra in [("cold", {}), ("warm", {}), ("off", {cache.ENVIRONMENT: "off"})]:
        out = tmp_path / f"{name}.md"
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), **extra}
        subprocess.run(
            [sys.executable, "-m", "decision_aid", "run", str(answers), "--out", str(out)]
            + ["--questions", str(TINY)],
            env=env,
            check=True,
        )
        reports.append(out.read_bytes())
    assert reports[0] == reports[1] == reports[2]
    assert list((tmp_path / "cache" / "ivig-decision-aid").glob("bank-*.pickle"))
    assert list((tmp_path / "cache" / "ivig-decision-aid").glob("templates-*/*"))
