"""Edits a test makes to a seed reply's curation file, as a curator would make them by hand; what a test compares."""

from pathlib import Path


def reject_fact(curation: str, fact_id: str, reason: str) -> str:
    """The curation text with fact_id moved from accept_facts (where a reviewed reply lists it) to reject_facts."""
    accepted = f"  {fact_id}: ''\n"
    assert accepted in curation, f"{fact_id} is not accepted in this curation file"
    curation = curation.replace(accepted, "", 1)
    return curation.replace("reject_facts:\n", f"reject_facts:\n  {fact_id}: {reason}\n", 1)


def data_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder (hidden ones too: a temporary file left behind shows) but the build's fingerprint
    cache, by path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "build-cache" not in p.relative_to(folder).parts}


def correct_by_hand(text: str, fid: str, fields: str) -> str:
    """The curation text with fid taken out of accept_facts and corrected (fields: the YAML lines under its key)."""
    accepted = f"  {fid}: ''\n"
    assert accepted in text
    return text.replace(accepted, "", 1).replace("correct_facts:\n", f"correct_facts:\n  {fid}:\n{fields}", 1)


HAND_COMMENT = "# Checked by hand against the 2023 yearbook while the page was open.\n"


def hand_edit(path: Path) -> str:
    """What a curator types into quzhou-2023.yaml in an editor: a rejection, a correction and a comment."""
    text = reject_fact(path.read_text(encoding="utf-8"), "c299", "by hand, the 2022 figure restated")
    text = correct_by_hand(text, "c307", "    qualifier: approx\n    note: by hand, 1273 is rounded in the yearbook\n")
    text = text.replace("reject_facts:\n", HAND_COMMENT + "reject_facts:\n", 1)
    path.write_text(text, encoding="utf-8")
    return text


def another_leshan(path: Path) -> bytes:
    """Leshan's reply with one more sentence in its body: another reply, whose draft has the same id."""
    raw = path.read_bytes()
    cut = raw.index("。".encode()) + len("。".encode())
    return raw[:cut] + "全市新增社区社会组织12个。".encode() + raw[cut:]
