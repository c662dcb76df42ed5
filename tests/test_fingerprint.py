"""Build fingerprints: every input a record or a table is built from changes its fact, and a changed input voids it."""

import os
import shutil
from pathlib import Path

import pytest

from loaders import fingerprint
from loaders.fingerprint import (
    NO_CURATION, CheckPlan, digest_record_set, hash_bytes, hash_inputs, loader_fingerprint, make_fingerprints,
    plan_check,
)

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ["python 3.11.9", "PyYAML 6.0.2", "jieba 0.42.1"]
REPLY = "乐山市民政局关于社区社会组织的答复。全市登记社会组织1205家。\n"
CURATION = "record_id: leshan-2021\nreviewer_notes: [checked]\n"
MANIFEST = "record_id,collected_from,sha256\nleshan-2021,shared/replies/leshan.txt,abc\n"


@pytest.fixture
def folder(tmp_path):
    """A data folder of one reply with its curation file and manifest line."""
    data = tmp_path / "data"
    for sub in ("raw", "curation", "records"):
        (data / sub).mkdir(parents=True)
    (data / "raw" / "leshan-2021.txt").write_text(REPLY, encoding="utf-8")
    (data / "curation" / "leshan-2021.yaml").write_text(CURATION, encoding="utf-8")
    (data / "raw_manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return data


@pytest.fixture
def loader_copy(tmp_path):
    """A copy of the loader's sources and of a reference folder, to change without changing the loader."""
    src = tmp_path / "loaders"
    shutil.copytree(ROOT / "loaders", src, ignore=shutil.ignore_patterns("__pycache__"))
    ref = tmp_path / "reference"
    ref.mkdir()
    (ref / "population.csv").write_text("jurisdiction,kind,date,population\nleshan,census,2020-11-01,3160168\n")
    return src, ref


def test_inputs_name_the_reply_curation_and_manifest_line_of_each_record(folder):
    inputs = hash_inputs(folder / "raw", folder / "curation")
    assert inputs == {"leshan-2021": {
        "raw": hash_bytes(REPLY.encode("utf-8")),
        "curation": hash_bytes(CURATION.encode("utf-8")),
        "origin": hash_bytes(b"shared/replies/leshan.txt"),
    }}


def test_a_reply_without_curation_says_none_and_a_link_cannot_be_hashed(folder):
    os.unlink(folder / "curation" / "leshan-2021.yaml")
    (folder / "raw" / "other.txt").symlink_to(folder / "raw" / "leshan-2021.txt")
    inputs = hash_inputs(folder / "raw", folder / "curation")
    assert inputs["leshan-2021"]["curation"] == NO_CURATION
    assert inputs["other"]["raw"] is None  # the loader refuses a link: that reply must take the full path
    assert inputs["other"]["origin"] == hash_bytes("added to data/raw by hand".encode("utf-8"))


@pytest.mark.parametrize("edit", [
    lambda d: (d / "raw" / "leshan-2021.txt").write_text(REPLY + "另有1家。", encoding="utf-8"),
    lambda d: (d / "curation" / "leshan-2021.yaml").write_text(CURATION + "metadata_note: x\n", encoding="utf-8"),
    lambda d: (d / "raw_manifest.csv").write_text(MANIFEST.replace("leshan.txt", "leshan2.txt"), encoding="utf-8"),
], ids=["raw", "curation", "manifest"])
def test_each_input_changes_the_inputs_of_its_record(folder, edit):
    before = hash_inputs(folder / "raw", folder / "curation")
    edit(folder)
    os.utime(folder / "raw_manifest.csv", ns=(1, 1))  # the manifest is cached by mtime and size: a new key
    assert hash_inputs(folder / "raw", folder / "curation") != before


def test_the_loader_fingerprint_changes_with_a_source_file_a_reference_file_or_a_library(loader_copy):
    src, ref = loader_copy
    first = loader_fingerprint([ref], loader_dir=src, libraries=LIBRARIES)
    assert loader_fingerprint([ref], loader_dir=src, libraries=LIBRARIES) == first
    (src / "tables.py").write_text((src / "tables.py").read_text() + "\n# a comment\n")
    second = loader_fingerprint([ref], loader_dir=src, libraries=LIBRARIES)
    assert second != first
    (ref / "population.csv").write_text("jurisdiction,kind,date,population\nleshan,census,2020-11-01,3160169\n")
    third = loader_fingerprint([ref], loader_dir=src, libraries=LIBRARIES)
    assert third != second
    (ref / "new.yaml").write_text("a: 1\n")  # a new reference file counts too
    fourth = loader_fingerprint([ref], loader_dir=src, libraries=LIBRARIES)
    assert fourth != third
    assert loader_fingerprint([ref], loader_dir=src, libraries=["python 3.11.9", "PyYAML 6.0.3", "jieba 0.42.1"]) != fourth


def test_both_reference_folders_count_the_projects_and_the_data_folders(loader_copy, tmp_path):
    src, ref = loader_copy
    other = tmp_path / "other-reference"
    other.mkdir()
    (other / "national.csv").write_text("indicator,value\nsocial_orgs_total,900000\n")
    first = loader_fingerprint([ref, other], loader_dir=src, libraries=LIBRARIES)
    (other / "national.csv").write_text("indicator,value\nsocial_orgs_total,900001\n")
    assert loader_fingerprint([ref, other], loader_dir=src, libraries=LIBRARIES) != first


def test_the_installed_libraries_are_named_with_their_versions():
    lines = fingerprint.describe_libraries()
    assert any(line.startswith("jieba ") for line in lines)
    assert any(line.lower().startswith("pyyaml ") for line in lines)
    assert lines[0].startswith("python ")


INPUTS = {"a": {"raw": "r1", "curation": NO_CURATION, "origin": "o1"},
          "b": {"raw": "r2", "curation": "c2", "origin": "o2"}}


def test_a_build_vouches_for_each_record_and_for_the_tables():
    facts = make_fingerprints("L", "L", INPUTS, INPUTS, {"a": "A", "b": "B"}, {"facts.csv": "F"})
    assert facts == {"format": 1, "loader": "L",
                     "records": {"a": {"raw": "r1", "curation": NO_CURATION, "origin": "o1", "record": "A"},
                                 "b": {"raw": "r2", "curation": "c2", "origin": "o2", "record": "B"}},
                     "tables": {"records": digest_record_set({"a": "A", "b": "B"}), "files": {"facts.csv": "F"}}}


def test_an_input_edited_during_the_build_gets_no_fact_and_voids_the_tables():
    after = {**INPUTS, "b": {**INPUTS["b"], "curation": "c2-edited"}}
    facts = make_fingerprints("L", "L", INPUTS, after, {"a": "A", "b": "B"}, {"facts.csv": "F"})
    assert list(facts["records"]) == ["a"]
    assert facts["tables"] is None


def test_a_failed_reply_gets_no_fact_and_voids_the_tables():
    facts = make_fingerprints("L", "L", INPUTS, INPUTS, {"a": "A"}, {"facts.csv": "F"})
    assert list(facts["records"]) == ["a"]
    assert facts["tables"] is None


def test_a_loader_changed_during_the_build_voids_everything():
    facts = make_fingerprints("L", "L2", INPUTS, INPUTS, {"a": "A", "b": "B"}, {"facts.csv": "F"})
    assert facts["records"] == {} and facts["loader"] is None


def test_fingerprints_round_trip_and_a_damaged_file_is_none(tmp_path):
    facts = make_fingerprints("L", "L", INPUTS, INPUTS, {"a": "A", "b": "B"}, {"facts.csv": "F"})
    fingerprint.write_fingerprints(tmp_path, facts)
    assert fingerprint.load_fingerprints(tmp_path) == facts
    fingerprint.cache_path(tmp_path).write_text('{"format": 1, "records": ')
    assert fingerprint.load_fingerprints(tmp_path) is None
    fingerprint.cache_path(tmp_path).write_text('{"format": 0, "records": {}}')
    assert fingerprint.load_fingerprints(tmp_path) is None


def _plan(folder, monkeypatch, record_bytes=b"record: 1\n"):
    """Fingerprints as a build of folder would leave them (record file and all), with a stand-in loader."""
    monkeypatch.setattr(fingerprint, "loader_fingerprint", lambda dirs: "L")
    (folder / "records" / "leshan-2021.yaml").write_bytes(record_bytes)
    inputs = hash_inputs(folder / "raw", folder / "curation")
    fingerprint.write_fingerprints(folder, make_fingerprints(
        "L", "L", inputs, inputs, {"leshan-2021": hash_bytes(record_bytes)}, {"facts.csv": "F"}))


def test_plan_trusts_a_record_whose_inputs_and_file_are_as_built(folder, monkeypatch):
    _plan(folder, monkeypatch)
    plan = plan_check(folder, folder / "raw", folder / "curation", folder / "records", [])
    assert plan.recheck == [] and plan.trusted == {"leshan-2021": hash_bytes(b"record: 1\n")}


@pytest.mark.parametrize("edit", [
    lambda d: (d / "records" / "leshan-2021.yaml").write_bytes(b"record: 2\n"),
    lambda d: os.unlink(d / "records" / "leshan-2021.yaml"),
    lambda d: (d / "raw" / "leshan-2021.txt").write_text(REPLY + "另有1家。", encoding="utf-8"),
    lambda d: (d / "curation" / "leshan-2021.yaml").write_text(CURATION + "metadata_note: x\n", encoding="utf-8"),
    lambda d: os.unlink(d / "curation" / "leshan-2021.yaml"),
], ids=["record-edited", "record-removed", "raw-edited", "curation-edited", "curation-removed"])
def test_plan_rechecks_a_record_whose_input_or_file_changed(folder, monkeypatch, edit):
    _plan(folder, monkeypatch)
    edit(folder)
    plan = plan_check(folder, folder / "raw", folder / "curation", folder / "records", [])
    assert plan.recheck == [folder / "raw" / "leshan-2021.txt"] and plan.trusted == {}


def test_plan_rechecks_a_new_reply_and_forgets_a_removed_one(folder, monkeypatch):
    _plan(folder, monkeypatch)
    (folder / "raw" / "new-2024.txt").write_text(REPLY, encoding="utf-8")
    plan = plan_check(folder, folder / "raw", folder / "curation", folder / "records", [])
    assert plan.recheck == [folder / "raw" / "new-2024.txt"] and list(plan.trusted) == ["leshan-2021"]
    os.unlink(folder / "raw" / "leshan-2021.txt")
    plan = plan_check(folder, folder / "raw", folder / "curation", folder / "records", [])
    assert plan.trusted == {}


def test_another_loader_or_no_fingerprints_takes_the_full_path(folder, monkeypatch):
    assert plan_check(folder, folder / "raw", folder / "curation", folder / "records", []) is None
    _plan(folder, monkeypatch)
    monkeypatch.setattr(fingerprint, "loader_fingerprint", lambda dirs: "L2")
    assert plan_check(folder, folder / "raw", folder / "curation", folder / "records", []) is None


def test_tables_as_built_are_compared_by_hash(tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "facts.csv").write_bytes(b"id,value\nc1,1205\n")
    plan = CheckPlan(recheck=[], trusted={"a": "A"},
                     tables={"records": digest_record_set({"a": "A"}),
                             "files": {"facts.csv": hash_bytes(b"id,value\nc1,1205\n"), "documents.csv": "D"}})
    assert plan.check_tables([], set(), False, tables) == ([f"{tables / 'documents.csv'}: missing (run "
                                                            "`python -m loaders build`)"], "compared")
    (tables / "documents.csv").write_bytes(b"id\na\n")
    (tables / "facts.csv").write_bytes(b"id,value\nc1,1206\n")
    problems, needs_rebuild = plan.check_tables([], set(), False, tables)
    assert [p.split(": ", 1)[1] for p in problems] == ["out of date or edited by hand (run `python -m loaders build`)"] * 2
    assert needs_rebuild == "compared"


def test_tables_of_other_records_need_a_rebuild_unless_a_record_problem_is_named(tmp_path):
    plan = CheckPlan(recheck=[], trusted={"a": "A"}, tables={"records": digest_record_set({"a": "A", "b": "B"}),
                                                              "files": {}})
    assert plan.check_tables([], set(), False, tmp_path) == ([], "rebuild")  # b is gone, and nothing said so
    assert plan.check_tables([], set(), True, tmp_path) == ([], "not compared")  # named: build fixes both
