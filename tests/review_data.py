"""A data folder for the review-state tests (issue 20): the five reviewed seed replies and one reply nobody has
reviewed (Luoyang 2021), whose loader is sure of one headline number (a draft, shown marked) and unsure of another
(held back for a person).

The extractor of this branch is sure of every number; the extractor that holds numbers back is being written on
another branch. Until it lands, `holding_back()` stands in for it: it makes loaders.records.build_draft unsure of
one number of any reply (HELD), as the new extractor marks a number it cannot place (confidence low, a reason code of
data/reference/frames.yaml and the words behind it). Everything else is the loader's own: `import` stores the reply,
`loaders.curate.rebuild` builds its record and the tables.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNREVIEWED_RAW = ROOT / "tests" / "fixtures" / "unseen" / "11_luoyang_prefecture_npc.txt"
UNREVIEWED_ID = "luoyang-2022"
UNREVIEWED_SLUG = "luoyang"
# The draft: the registered count the loader is sure of (截至2021年底,全市共登记社会组织5872家), nobody vouched for it.
DRAFT_TEXT, DRAFT_SHOWN = "5872家", "5,872"
# Held back: the loader is unsure what 860万元 is (2021年,市县两级投入公益创投资金860万元).
HELD_TEXT, HELD_REASON, HELD_WORDS = "860万元", "money_role", "市县两级投入公益创投资金"
HELD_SHOWN = ("860万", "8.6 million", "860")  # how a page or slide would write it (zh, en, a bar's number)
# Luoyang's 2020 census population (洛阳市第七次全国人口普查公报): its computed density is a draft too.
POPULATION_ROW = "luoyang,洛阳市,census,2020-11-01,7056699,false,洛阳市第七次全国人口普查公报\n"


def hold_back(draft):
    """The draft with HELD_TEXT's fact made unsure, as the new extractor would mark it."""
    facts = [f.model_copy(update={"confidence": "low", "hold_reason": HELD_REASON, "hold_words": HELD_WORDS})
             if f.number_text == HELD_TEXT else f for f in draft.facts]
    return draft.model_copy(update={"facts": facts})


def install_hold_back() -> None:
    """loaders.records.build_draft holds HELD_TEXT back from now on in this process (idempotent)."""
    from loaders import records

    if getattr(records.build_draft, "holds_back", False):
        return
    original = records.build_draft

    def build_draft(raw: str):
        draft, clean = original(raw)
        return hold_back(draft), clean

    build_draft.holds_back = True
    build_draft.original = original
    records.build_draft = build_draft


@contextlib.contextmanager
def holding_back():
    """install_hold_back() for the duration of a with block."""
    from loaders import records

    before = records.build_draft
    install_hold_back()
    try:
        yield
    finally:
        records.build_draft = before


def make_review_data(target: Path) -> Path:
    """A copy of data/ with Luoyang's reply imported (nobody has reviewed it) and its record and the tables rebuilt
    with the loader's own functions, HELD_TEXT held back. Returns target."""
    from loaders.__main__ import main
    from loaders.curate import rebuild

    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("build-cache"))
    with (target / "reference" / "population.csv").open("a", encoding="utf-8") as fh:
        fh.write(POPULATION_ROW)
    incoming = target.parent / f"{target.name}-incoming"
    incoming.mkdir()
    shutil.copy(UNREVIEWED_RAW, incoming / "luoyang.txt")
    assert main(["--data", str(target), "import", str(incoming), "--quiet"]) == 0
    assert (target / "raw" / f"{UNREVIEWED_ID}.txt").exists()
    with holding_back():
        rebuild(target, UNREVIEWED_ID)
    return target
