"""Command line: build reproduces the committed outputs, extract writes nothing, check catches drift, bad files are named."""

import shutil
from pathlib import Path

import pytest
import yaml

import loaders.__main__ as cli
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
