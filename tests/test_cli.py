"""Command line: build reproduces the committed outputs, extract writes nothing, check catches drift, bad files are named."""

import shutil
from pathlib import Path

import pytest
import yaml

import loaders.__main__ as cli
from loaders import fingerprint
from loaders.__main__ import main
from tests.curation_edits import reject_fact

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
UNSEEN_REPLY = ("王五代表:\n您提出的《关于支持社区社会组织发展的建议》收悉。现答复如下:\n"
                "目前,全市登记社会组织1,205家,社区社会组织2300余个,每万人拥有社会组织6.1个。"
                "2021年以来,市本级投入福彩公益金120万元,实施项目35个。\n"
                "下一步,我局计划投入公益创投资金50万元。\n联系电话:0572-2233445\n绍兴市民政局\n2024年5月8日\n")


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def snapshot(folder: Path) -> dict:
    """Every file under folder but the build's fingerprints (a git-ignored cache: the committed data has none)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and fingerprint.CACHE_FOLDER not in p.relative_to(folder).parts}


def test_build_reproduces_committed_records_and_tables_byte_for_byte(data_copy):
    before = snapshot(data_copy)
    for sub in ("records", "tables"):
        shutil.rmtree(data_copy / sub)
    assert main(["--data", str(data_copy), "build", "--quiet", "--jobs", "2"]) == 0
    assert snapshot(data_copy) == before


def test_check_passes_on_the_committed_data_and_fails_on_a_hand_edit(data_copy, capsys):
    assert main(["--data", str(data_copy), "check"]) == 0
    facts = data_copy / "tables" / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace("3424", "3425"), encoding="utf-8")
    assert main(["--data", str(data_copy), "check"]) == 1
    assert "facts.csv: out of date or edited by hand" in capsys.readouterr().err


@pytest.fixture
def fresh_cli(monkeypatch):
    """The command line's data-folder globals as in a fresh process (an earlier main(--data copy) moved them),
    so a stray write by extract would land in data/, where the snapshot sees it."""
    for name in ("DATA_DIR", "RAW_DIR", "CURATION_DIR", "RECORDS_DIR", "TABLES_DIR", "REFERENCE_DIR"):
        monkeypatch.setattr(cli, name, getattr(cli, name))
    cli._use_data_dir(DATA)


def test_extract_prints_a_draft_of_an_unseen_reply_and_writes_nothing(tmp_path, capsys, fresh_cli):
    reply = tmp_path / "shaoxing.txt"
    reply.write_text(UNSEEN_REPLY, encoding="gb18030")
    before = snapshot(DATA)
    assert main(["extract", str(reply)]) == 0  # in this process: test_hostile runs the real command line
    out = capsys.readouterr().out
    assert snapshot(DATA) == before
    draft = yaml.safe_load(out)
    assert list(draft)[:3] == ["jurisdiction", "document", "facts"]
    assert (draft["jurisdiction"]["slug"], draft["jurisdiction"]["name_zh"]) == ("shaoxing", "绍兴市")
    assert draft["document"]["date_written"] == "2024-05-08"
    got = [(f["indicator"], f["value"], f["qualifier"], f["status"], f["channel"], f["scope_kind"])
           for f in draft["facts"]]
    assert got == [
        ("social_orgs_total", 1205, "exact", "achievement", "", "whole"),
        ("community_social_orgs", 2300, "more_than", "achievement", "", "whole"),
        ("social_orgs_per_10k", 6.1, "exact", "achievement", "", "whole"),
        ("funding", 1200000, "exact", "achievement", "lottery_welfare_fund", "level_only"),
        ("projects", 35, "exact", "achievement", "lottery_welfare_fund", "level_only"),
        ("funding", 500000, "exact", "target", "venture_philanthropy", "level_only"),  # 我局: its own budget
    ]


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"%PDF-1.4\n1 0 obj", "is a PDF document"),
])
def test_build_goes_on_past_a_bad_file_and_summarises(data_copy, capsys, content, message):
    (data_copy / "raw" / "broken-2024.txt").write_bytes(content)
    before = snapshot(data_copy / "records")
    assert main(["--data", str(data_copy), "build", "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "built 5 records" in captured.out and "1 failed" in captured.out
    assert f"broken-2024.txt: {message}" in captured.err and "Traceback" not in captured.err
    assert snapshot(data_copy / "records") == before


def test_extract_of_a_missing_file_is_one_line(tmp_path, capsys, fresh_cli):
    assert main(["extract", str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err
    assert err.strip().endswith("nope.txt: does not exist") and err.count("\n") == 1


def test_a_reply_that_fails_keeps_its_previous_record_and_its_rows_in_the_tables(data_copy, capsys):
    # quzhou-2023's curation file is broken: its reply fails, its record from the last build is carried over,
    # and the tables (joined from the workers' rows, the carried-over record at its place) stay as they were.
    before = snapshot(data_copy / "tables"), snapshot(data_copy / "records")
    (data_copy / "curation" / "quzhou-2023.yaml").write_text("record_id: [unclosed\n", encoding="utf-8")
    assert main(["--data", str(data_copy), "build", "--quiet", "--jobs", "2"]) == 1
    captured = capsys.readouterr()
    assert "built 4 records" in captured.out and "1 failed" in captured.out
    assert "quzhou-2023.yaml" in captured.err
    assert (snapshot(data_copy / "tables"), snapshot(data_copy / "records")) == before
    assert "\nquzhou-2023,quzhou,衢州市,prefecture,c299,social_orgs_total,".encode() in before[0]["facts.csv"]


# --- check's fast path (loaders/fingerprint.py) -------------------------------------------------------------
# Each test starts from a folder just built (so it holds the build's fingerprints), changes one thing, and
# asserts both that check took the fast path (the "fast path:" line and how many replies it re-extracted) and
# that it names the problem the change makes: had the fast path trusted what changed, it would say 0 problems.

FAST_ALL_TRUSTED = "fast path: 5 record(s) as the last build wrote them, 0 to re-extract"
FAST_ONE_CHANGED = "fast path: 4 record(s) as the last build wrote them, 1 to re-extract"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    target = tmp_path_factory.mktemp("fast") / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns(fingerprint.CACHE_FOLDER))
    assert main(["--data", str(target), "build", "--quiet"]) == 0
    assert fingerprint.cache_path(target).is_file()
    return target


@pytest.fixture
def built(built_once, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(built_once, target)
    return target


@pytest.fixture
def extractions(monkeypatch):
    """The ids of the replies check re-extracts (it runs in this process with --jobs 1)."""
    import loaders.records

    done, real = [], loaders.records.build_record_and_text
    monkeypatch.setattr(loaders.records, "build_record_and_text",
                        lambda raw_path, *a, **k: (done.append(Path(raw_path).stem), real(raw_path, *a, **k))[1])
    return done


def check(data: Path, capsys, *extra) -> tuple[int, str]:
    code = main(["--data", str(data), "check", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_check_after_a_build_re_extracts_nothing_and_passes(built, capsys, extractions, monkeypatch):
    import loaders.records

    def refuse(path):
        raise AssertionError(f"{path} was read: the build that wrote its record read it already")

    monkeypatch.setattr(loaders.records, "load_curation", refuse)
    code, out = check(built, capsys)
    assert (code, extractions) == (0, [])
    assert FAST_ALL_TRUSTED in out and "checked 5 records and 5 curation files: 0 problem(s)" in out


def test_check_full_re_extracts_every_reply(built, capsys, extractions):
    code, out = check(built, capsys, "--full")
    assert code == 0 and "fast path" not in out
    assert sorted(extractions) == ["ganzhou-2022", "jiangsu-2021", "leshan-2021", "quzhou-2023", "xuancheng-2024"]


def test_check_fast_path_catches_an_edited_record_file(built, capsys, extractions):
    path = built / "records" / "quzhou-2023.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: ", "value: 1", 1), encoding="utf-8")
    code, out = check(built, capsys)
    assert code == 1 and FAST_ONE_CHANGED in out and extractions == ["quzhou-2023"]
    assert "records/quzhou-2023.yaml: out of date with data/raw and data/curation" in out
    assert "tables not compared" not in out  # the record a build writes is unchanged: so are the tables


def test_check_fast_path_catches_an_edited_raw_reply(built, capsys, extractions):
    path = built / "raw" / "leshan-2021.txt"
    path.write_bytes(path.read_bytes() + "\n另据统计,全市社会组织共计1000家。\n".encode("utf-8"))
    code, out = check(built, capsys)
    assert code == 1 and FAST_ONE_CHANGED in out and extractions == ["leshan-2021"]
    assert "records/leshan-2021.yaml: out of date with data/raw and data/curation" in out
    assert "tables not compared" in out


def test_check_fast_path_catches_an_edited_curation_file(built, capsys, extractions):
    path = built / "curation" / "quzhou-2023.yaml"
    path.write_text(reject_fact(path.read_text(encoding="utf-8"), "c299", "test"), encoding="utf-8")
    code, out = check(built, capsys)
    assert code == 1 and FAST_ONE_CHANGED in out and extractions == ["quzhou-2023"]
    assert "records/quzhou-2023.yaml: out of date with data/raw and data/curation" in out


def test_check_fast_path_catches_an_edited_manifest_line(built, capsys, extractions):
    path = built / "raw_manifest.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\nquzhou-2023,", "\nquzhou-2023,x", 1), encoding="utf-8")
    code, out = check(built, capsys)
    assert code == 1 and FAST_ONE_CHANGED in out and extractions == ["quzhou-2023"]
    assert "records/quzhou-2023.yaml: out of date with data/raw and data/curation" in out


def test_check_fast_path_catches_an_edited_table(built, capsys, extractions):
    facts = built / "tables" / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace("3424", "3425"), encoding="utf-8")
    code, out = check(built, capsys)
    assert code == 1 and FAST_ALL_TRUSTED in out and extractions == []
    assert "facts.csv: out of date or edited by hand" in out


@pytest.mark.parametrize("change, words", [
    (lambda d: (d / "raw" / "jiangsu-2021.txt").unlink(), "records/jiangsu-2021.yaml: no raw reply"),
    (lambda d: (d / "records" / "jiangsu-2021.yaml").unlink(), "records/jiangsu-2021.yaml: missing"),
    (lambda d: shutil.copy(d / "raw" / "jiangsu-2021.txt", d / "raw" / "jiangsu-2021-copy.txt"),
     "records/jiangsu-2021-copy.yaml: missing"),
], ids=["reply-removed", "record-removed", "reply-added"])
def test_check_fast_path_catches_a_removed_or_added_reply_or_record(built, capsys, change, words):
    change(built)
    code, out = check(built, capsys)
    assert code == 1 and "fast path:" in out and words in out


def test_check_fast_path_catches_a_changed_reference_file(built, capsys, extractions):
    path = built / "reference" / "population.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2276184", "2276185"), encoding="utf-8")
    code, out = check(built, capsys)
    assert code == 1 and "fast path" not in out and len(extractions) == 5
    assert "tables/population.csv: out of date" in out and "tables/density.csv: out of date" in out


def test_check_fast_path_catches_a_changed_loader(built, capsys, extractions, monkeypatch, tmp_path):
    import loaders.records

    # The loader now writes other titles; as a build would. Its sources changing is what check can see of that.
    monkeypatch.setattr(loaders.records, "make_title", lambda *a: "another title")
    code, out = check(built, capsys)
    assert (code, extractions) == (0, [])  # the fast path trusts the sources it fingerprinted...
    sources = tmp_path / "loaders"
    shutil.copytree(fingerprint.LOADER_DIR, sources, ignore=shutil.ignore_patterns("__pycache__"))
    (sources / "records.py").write_text((sources / "records.py").read_text(encoding="utf-8") + "\n# titles\n",
                                        encoding="utf-8")
    monkeypatch.setattr(fingerprint, "LOADER_DIR", sources)
    code, out = check(built, capsys)  # ...so a change to them voids every fingerprint
    assert code == 1 and "fast path" not in out and len(extractions) == 5
    assert "records/quzhou-2023.yaml: out of date" in out


def test_check_after_a_workbench_save_takes_the_fast_path(built, capsys, extractions):
    """A save vouches for the record it built and for the tables it wrote (loaders/incremental.py), so check trusts
    every record and compares the tables by hash; without those facts (fingerprints of before the save) it re-extracts
    the record saved, then the others to compare the tables, and passes too."""
    from loaders.curate import rebuild

    before = fingerprint.cache_path(built).read_bytes()
    path = built / "curation" / "quzhou-2023.yaml"
    path.write_text(reject_fact(path.read_text(encoding="utf-8"), "c299", "test"), encoding="utf-8")
    rebuild(built, "quzhou-2023")  # the record and the tables, as the workbench's Save does
    extractions.clear()
    code, out = check(built, capsys)
    assert code == 0 and "fast path: 5 record(s) as the last build wrote them, 0 to re-extract" in out
    assert extractions == []
    fingerprint.cache_path(built).write_bytes(before)
    code, out = check(built, capsys)
    assert code == 0 and FAST_ONE_CHANGED in out and "re-extracting the other 4 to compare the tables" in out
    assert len(extractions) == 5


def test_check_names_a_table_edited_after_a_workbench_save(built, capsys):
    from loaders.curate import rebuild

    path = built / "curation" / "quzhou-2023.yaml"
    path.write_text(reject_fact(path.read_text(encoding="utf-8"), "c299", "test"), encoding="utf-8")
    rebuild(built, "quzhou-2023")
    facts = built / "tables" / "facts.csv"
    facts.write_bytes(facts.read_bytes().replace(b"3424", b"3425"))
    code, out = check(built, capsys)
    assert code == 1 and "tables/facts.csv: out of date or edited by hand" in out


def test_check_catches_stale_tables_beside_a_record_rebuilt_alone(built, capsys, extractions):
    from loaders.records import build_record, write_record

    path = built / "curation" / "quzhou-2023.yaml"
    path.write_text(reject_fact(path.read_text(encoding="utf-8"), "c299", "test"), encoding="utf-8")
    write_record(build_record(built / "raw" / "quzhou-2023.txt", built / "curation"),
                 built / "records" / "quzhou-2023.yaml")
    extractions.clear()
    code, out = check(built, capsys)
    assert code == 1 and FAST_ONE_CHANGED in out and "records/quzhou-2023.yaml" not in out
    assert "tables/facts.csv: out of date or edited by hand" in out


def test_a_build_that_changes_nothing_leaves_the_fingerprints_as_they_were(built):
    before = fingerprint.cache_path(built).read_bytes()
    assert main(["--data", str(built), "build", "--quiet"]) == 0
    assert fingerprint.cache_path(built).read_bytes() == before


# --- check reads the tables as the dashboard reads them (issue 21, item 5) -------------------------------------------

def _with_note(data: Path, note_yaml: str) -> None:
    """quzhou's correction of c2320 with its note replaced (a double-quoted YAML scalar, escapes allowed)."""
    path = data / "curation" / "quzhou-2023.yaml"
    text = path.read_text(encoding="utf-8")
    old = '    note: "A one-off reward per person who passed (一次性奖励), not an amount spent."\n'
    assert old in text
    path.write_text(text.replace(old, f"    note: {note_yaml}\n", 1), encoding="utf-8")


def test_a_bare_carriage_return_in_a_note_leaves_every_table_readable(data_copy, capsys):
    from app.data import read_tables

    _with_note(data_copy, '"first line\\rsecond line"')
    assert main(["--data", str(data_copy), "build", "--quiet"]) == 0
    assert main(["--data", str(data_copy), "check", "--quiet"]) == 0
    tables = read_tables(data_copy)
    assert tables["problems"] == {}
    facts = tables["facts"]
    assert facts.loc[(facts["record_id"] == "quzhou-2023") & (facts["id"] == "c2320"), "note"].tolist() == [
        "first line\rsecond line"]
    assert len(facts) == 132


def test_check_names_a_table_the_dashboard_cannot_read(data_copy, capsys):
    _with_note(data_copy, '"a NUL \\0 inside"')
    assert main(["--data", str(data_copy), "build", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["--data", str(data_copy), "check", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "tables/facts.csv: the dashboard cannot read it: holds NUL bytes" in err


@pytest.mark.parametrize("row, problem", [
    ("luoyang,洛阳市,census,2020-13-01,7056699,false,公报", "line 33 (luoyang census 2020-13-01): date: '2020-13-01' "
                                                          "is not a date (write YYYY-MM-DD, e.g. 2020-11-01)"),
    ("luoyang,洛阳市,census,,7056699,false,公报", "line 33 (luoyang census ): date: is empty"),
    ("luoyang,洛阳市,census,2020-11-01,,false,公报", "line 33 (luoyang census 2020-11-01): population_persons: Input "
                                                   "should be a finite number"),
    ("luoyang,洛阳市,census,2020-11-01,inf,false,公报", "line 33 (luoyang census 2020-11-01): population_persons: "
                                                      "Input should be a finite number"),
    ("luoyang,洛阳市,census,2020-11-01,9007199254740991,false,公报", "line 33 (luoyang census 2020-11-01): "
                                                                   "population_persons: 9007199254740991 persons is "
                                                                   "more than any country has"),
    ("luoyang,洛阳市,census,2020-11-01,7056699,false,", "line 33 (luoyang census 2020-11-01): source: is empty"),
    ("luoyang,洛阳市,census,2020-11-01,7056699,false,公报,extra", "cannot be read as CSV: Error tokenizing data. C error: "
                                                               "Expected 7 fields in line 33, saw 8"),
])
def test_a_bad_row_of_population_csv_is_named_in_one_line_by_build_and_check(data_copy, capsys, row, problem):
    path = data_copy / "reference" / "population.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + row + "\n", encoding="utf-8")  # a blank line between
    before = snapshot(data_copy)
    for command in ("build", "check"):
        assert main(["--data", str(data_copy), command, "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {path}: {problem}") and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(data_copy) == before  # the previous records and tables stay
