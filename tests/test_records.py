"""Records stage: the curation overlay is applied, validated, never rewritten, and every mistake in it is named."""

import shutil
from pathlib import Path

import pytest

from loaders.__main__ import main
from loaders.errors import LoaderError
from loaders.records import load_curation, load_record, write_atomic

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def run(data_dir, *args):
    return main(["--data", str(data_dir), *args])


def write_curation(data_dir, record_id, text):
    (data_dir / "curation" / f"{record_id}.yaml").write_text(text, encoding="utf-8")


def test_build_never_rewrites_curation(data_copy):
    before = {p.name: p.read_bytes() for p in (data_copy / "curation").glob("*.yaml")}
    assert run(data_copy, "build", "--quiet") == 0
    assert {p.name: p.read_bytes() for p in (data_copy / "curation").glob("*.yaml")} == before


def test_corrections_rejections_and_additions_land_in_the_record():
    record = load_record(DATA / "records" / "ganzhou-2022.yaml")
    by_id = {f.id: f for f in record.facts}
    assert "c990" not in by_id  # rejected
    assert (by_id["c402"].source, by_id["c402"].period_kind) == ("corrected", "as_of")
    added = [f for f in record.facts if f.source == "added"]
    assert [(f.indicator, f.value, f.scope_area) for f in added] == [("volunteer_orgs", 200, ""),
                                                                     ("volunteer_orgs", 23, "市本级")]
    assert record.reviewer_notes[0].startswith("The city's own name is overwritten")


@pytest.mark.parametrize("text, message", [
    ("record_id: leshan-2021\nreject_facts:\n  c99999: gone\n", "fact c99999 does not exist in the draft"),
    ("record_id: leshan-2021\nreject_facts: [unclosed\n", "line 3: YAML syntax error"),
    ("record_id: leshan-2021\nreject_facts: !!python/object/apply:os.system ['echo hi']\n", "only plain YAML"),
    ("record_id: leshan-2021\ncorrect_facts:\n  c310:\n    value: many\n    note: x\n",
     "correct_facts.c310.value: Input should be a valid number"),
    ("record_id: leshan-2021\nadd_facts:\n  - {indicator: funding, value: 1, unit: yuan, number_text: '1元', "
     "quote: '这句话不在原文里1元', note: x}\n", "quote is not an exact substring"),
    ("record_id: leshan-2021\nadd_facts:\n  - {indicator: funding, value: 1, unit: yuan, number_text: '99万元', "
     "quote: '全市登记在册社会组织1831个', note: x}\n", "number_text '99万元' is not in the quote"),
    ("record_id: quzhou-2023\n", "record_id is 'quzhou-2023' but the file is for 'leshan-2021'"),
])
def test_curation_mistakes_are_named_and_nothing_is_written(data_copy, capsys, text, message):
    write_curation(data_copy, "leshan-2021", text)
    record_before = (data_copy / "records" / "leshan-2021.yaml").read_bytes()
    facts_before = (data_copy / "tables" / "facts.csv").read_bytes()
    assert run(data_copy, "build", "--quiet") == 1
    err = capsys.readouterr().err
    assert "leshan-2021.yaml" in err and message in err and "Traceback" not in err
    assert (data_copy / "records" / "leshan-2021.yaml").read_bytes() == record_before
    assert (data_copy / "tables" / "facts.csv").read_bytes() == facts_before


def test_load_curation_refuses_python_tags(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("record_id: !!python/object/new:os.system [ls]\n", encoding="utf-8")
    with pytest.raises(LoaderError, match="line 1"):
        load_curation(path)


def test_write_atomic_leaves_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "facts.csv"
    target.write_text("old\n", encoding="utf-8")

    def boom(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.csv"]


# --- the record's YAML written directly, for quotes spanning lines ---------------------------------

HEADING_AND_SENTENCE = "一、基本情况\n全市共有社会组织3424家。"


def test_dump_yaml_writes_a_quote_spanning_lines_as_libyaml_does():
    from loaders.records import _dump_yaml_pyyaml, _emit_mapping, dump_yaml

    data = {"facts": [{"quote": HEADING_AND_SENTENCE, "nested": {"quote": "a'b\n\nc"}}], "title": "x\ny"}
    expected = ("facts:\n"
                "- quote: '一、基本情况\n\n    全市共有社会组织3424家。'\n"
                "  nested:\n"
                "    quote: 'a''b\n\n\n      c'\n"
                "title: 'x\n\n  y'\n")
    assert _dump_yaml_pyyaml(data) == expected
    assert dump_yaml(data) == expected
    _emit_mapping(data, 0, [], set())  # written directly, not through libyaml


def test_dump_yaml_quotes_text_opening_like_a_document_marker():
    from loaders.records import dump_yaml

    assert dump_yaml({"k": "---a", "j": "...中"}) == "k: '---a'\nj: '...中'\n"


_TEXT_PIECES = ["中", "a", " ", "\n", "\n\n", "'", ":", "#", "-", "1", "。", "\r", "\t", "...", "---"]


def _yaml_values():
    from hypothesis import strategies as st

    text = st.lists(st.sampled_from(_TEXT_PIECES), max_size=12).map("".join)
    keys = st.sampled_from(["quote", "id", "k"])
    return st.recursive(text, lambda inner: st.lists(inner, min_size=1, max_size=3)
                        | st.dictionaries(keys, inner, min_size=1, max_size=3), max_leaves=10)


def test_dump_yaml_equals_pyyaml_on_text_with_line_breaks():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from loaders.records import _dump_yaml_pyyaml, dump_yaml

    @settings(max_examples=300, deadline=None)
    @given(st.dictionaries(st.sampled_from(["quote", "title", "facts"]), _yaml_values(), min_size=1, max_size=3))
    def check(data):
        assert dump_yaml(data) == _dump_yaml_pyyaml(data)

    check()


def test_a_manifest_holding_a_line_separator_in_a_name_is_read_whole(tmp_path):
    """A name written before names were checked (issue 21): csv's lines end in \\n only, so U+2028, U+0085 and U+001C
    inside a name never split its line."""
    from loaders.records import format_manifest, read_manifest

    entries = {"a-2023": ("x\u2028y.txt", "ab" * 32), "b-2023": ("p\u0085q\u001cr.txt", "cd" * 32),
               "c-2023": ("plain.txt", "ef" * 32)}
    path = tmp_path / "raw_manifest.csv"
    path.write_text(format_manifest(entries), encoding="utf-8")
    assert read_manifest(path) == entries
