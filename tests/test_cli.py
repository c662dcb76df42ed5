"""Command line: build reproduces the committed outputs, extract writes nothing, check catches drift, bad files are named."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from loaders.__main__ import main

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
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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


def test_extract_prints_a_draft_of_an_unseen_reply_and_writes_nothing(tmp_path):
    reply = tmp_path / "shaoxing.txt"
    reply.write_text(UNSEEN_REPLY, encoding="gb18030")
    before = snapshot(DATA)
    out = subprocess.run([sys.executable, "-m", "loaders", "extract", str(reply)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
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


def test_extract_of_a_missing_file_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "loaders", "extract", str(tmp_path / "nope.txt")], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("nope.txt: does not exist") and proc.stderr.count("\n") == 1


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
