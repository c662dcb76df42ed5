"""loaders/curation_merge.py: what a review changed, from the file as it read it, applied to the file as it is now."""

import pytest

from loaders import curate
from loaders.curation_merge import MISSING, MergeConflict, merge, same, units
from loaders.records import _to_plain

BASE = """\
record_id: r
reject_facts:
  c1: one
correct_facts:
  c2:
    value: 5
    note: five  # by hand
document: {date_written: '2021-05-01'}
reviewer_notes:
  - first
"""


def load(text):
    return curate._round_trip().load(text)


def merged(base: str, ours: dict, theirs: str) -> tuple[str, int]:
    doc = load(theirs)
    n = merge(_to_plain(load(base)), ours, doc, _to_plain(doc))
    return curate.dump_curation(doc), n


def test_what_only_the_page_changed_is_written_and_what_only_the_file_changed_stays():
    ours = _to_plain(load(BASE))
    ours["reject_facts"]["c3"] = "page"
    ours["document"]["date_written"] = "2021-05-02"
    theirs = BASE.replace("  c1: one\n", "  c1: one, said by hand\n").replace("  - first\n", "  - first\n  - by hand\n")
    text, n = merged(BASE, ours, theirs)
    assert n == 2
    assert _to_plain(load(text)) == {
        "record_id": "r", "reject_facts": {"c1": "one, said by hand", "c3": "page"},
        "correct_facts": {"c2": {"value": 5, "note": "five"}}, "document": {"date_written": "2021-05-02"},
        "reviewer_notes": ["first", "by hand"]}
    assert "note: five  # by hand" in text


def test_the_same_change_on_both_sides_is_no_conflict_and_is_not_written_twice():
    ours = _to_plain(load(BASE))
    ours["reject_facts"]["c3"] = "same"
    ours["reviewer_notes"].append("same note")
    theirs = BASE.replace("  c1: one\n", "  c1: one\n  c3: same\n") + "  - same note\n"
    text, n = merged(BASE, ours, theirs)
    assert n == 0 and text == theirs


def test_a_correction_the_page_removed_whole_while_the_file_added_to_it_is_a_conflict():
    ours = _to_plain(load(BASE))
    del ours["correct_facts"]
    ours["reject_facts"]["c2"] = "rejected on the page"
    theirs = BASE.replace("    note: five  # by hand\n", "    note: five  # by hand\n    qualifier: approx\n")
    with pytest.raises(MergeConflict) as err:
        merged(BASE, ours, theirs)
    assert [c.field for c in err.value.conflicts] == ["correct_facts.c2"]
    assert err.value.conflicts[0].theirs == {"qualifier": "approx"} and err.value.conflicts[0].ours is MISSING


def test_the_last_entry_removed_removes_its_key_and_a_hand_removed_key_stays_removed():
    ours = _to_plain(load(BASE))
    del ours["reject_facts"]
    theirs = BASE.replace("reviewer_notes:\n  - first\n", "")  # removed by hand
    text, _ = merged(BASE, ours, theirs)
    assert "reject_facts" not in text and "reviewer_notes" not in text and "correct_facts" in text


def test_values_compare_as_curation_values():
    assert same(5, 5.0) and same(None, "") and same({"a": [1]}, {"a": [1.0]})
    assert not same("note\n", "note") and not same(True, 1)  # a trailing newline counts; a bool is no number
    assert not same(MISSING, None) and same(MISSING, MISSING)
    assert units({"correct_facts": {"c2": {"value": 5, "note": "x"}}}) == {
        ("correct_facts", "c2", "value"): 5, ("correct_facts", "c2", "note"): "x"}
