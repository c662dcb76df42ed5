"""A data folder where Quzhou has three replies (tests/fixtures/over_time: our own 2021 and 2022 replies, written from
the real 2023 one with other figures and dates) beside the five seeds, built by the loader (issue 22)."""

from __future__ import annotations

import shutil
from pathlib import Path

from loaders.__main__ import main as loaders_main
from loaders.fingerprint import CACHE_FOLDER

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "over_time"
QUZHOU_REPLIES = ["quzhou-2023", "quzhou-2022", "quzhou-2021"]  # newest first
# What each reply states of Quzhou's registered organisations and their density, as of its own date.
QUZHOU_TOTALS = {"quzhou-2023": (3424.0, "2023-05-31"), "quzhou-2022": (3085.0, "2021-12-31"),
                 "quzhou-2021": (2876.0, "2020-12-31")}


def make_over_time_data(target: Path) -> Path:
    """Copy data/ to target, import the two fixtures as a curator would and build; returns target."""
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns(CACHE_FOLDER))
    assert loaders_main(["--data", str(target), "import", "--quiet", str(FIXTURES)]) == 0
    assert loaders_main(["--data", str(target), "build", "--quiet"]) == 0
    assert sorted(p.stem for p in (target / "raw").glob("quzhou-*.txt")) == sorted(QUZHOU_REPLIES)
    return target
