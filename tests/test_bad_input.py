"""Bad input: every odd file gives the same facts as the clean original, or one line naming the file."""

import shutil
from pathlib import Path

import opencc
import pytest

from loaders.__main__ import main
from loaders.clean import clean_text
from loaders.facts import extract_facts
from loaders.metadata import extract_document, identify_jurisdiction
from loaders.read import decode_reply
from loaders.records import build_draft

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
NO_NUMBERS = "李四委员:\n您提出的提案收悉。我们将认真研究,积极培育社会组织。\n湖州市民政局\n2024年3月1日\n"
SIMPLIFIED = ("张三代表:\n您提出的建议收悉。\n截至2022年底,全市共有社会组织2560家,社区社会组织超过4000个,"
              "近三年累计投入福彩公益金约300万元,实施项目35个。\n台州市民政局\n2023年6月1日\n")


def fact_keys(raw: str) -> list[tuple]:
    draft, _ = build_draft(raw)
    return [(f.indicator, f.value, f.unit, f.qualifier, f.status, f.channel, f.scope_kind, f.period_kind)
            for f in draft.facts]


QUZHOU = (RAW / "quzhou-2023.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("gb18030"),
    lambda t: t.encode("gbk", errors="strict"),
    lambda t: t.encode("utf-8-sig"),
    lambda t: t.encode("utf-16"),
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(t.split("\n"))).encode("utf-8"),
], ids=["gb18030", "gbk", "utf-8-bom", "utf-16-bom", "crlf", "mixed-line-endings"])
def test_encodings_and_line_endings_give_the_same_facts(encode):
    assert fact_keys(decode_reply(encode(QUZHOU), "quzhou.txt")) == fact_keys(QUZHOU)


def test_big5_traditional_without_pinyin_gives_the_same_facts():
    traditional = opencc.OpenCC("s2t").convert(SIMPLIFIED)
    assert traditional != SIMPLIFIED
    raw = decode_reply(traditional.encode("big5"), "taizhou.txt")
    assert fact_keys(raw) == fact_keys(SIMPLIFIED)
    assert fact_keys(SIMPLIFIED)[0] == ("social_orgs_total", 2560, "count", "exact", "achievement", "", "whole", "as_of")


def test_reply_with_no_numbers_has_no_facts():
    clean = clean_text(NO_NUMBERS)
    j = identify_jurisdiction(clean)
    assert (j.slug, extract_facts(clean, j, extract_document(clean, j))) == ("huzhou", [])


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.mark.parametrize("name, content, message", [
    ("empty-2024.txt", b"", "is empty (copy the reply's text into it)"),
    ("blank-2024.txt", b" \n\t\r\n ", "is empty"),
    ("scan-2024.txt", b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n", "is a PDF document, not a text reply"),
    ("photo-2024.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), "is a PNG image, not a text reply"),
    ("nul-2024.txt", "社会组织3424家".encode() + b"\x00" * 8, "contains NUL bytes"),
    ("huge-2024.txt", "全市共有社会组织3424家。\n".encode() * 700_000, "far larger than any reply"),
])
def test_each_bad_file_is_one_line_and_the_rest_is_built(data_copy, capsys, name, content, message):
    (data_copy / "raw" / name).write_bytes(content)
    before = {p.name: p.read_bytes() for p in (data_copy / "records").iterdir()}
    tables_before = {p.name: p.read_bytes() for p in (data_copy / "tables").iterdir()}
    assert main(["--data", str(data_copy), "build", "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert "built 5 records" in out and "; 1 failed" in out
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0] and message in lines[0]
    assert {p.name: p.read_bytes() for p in (data_copy / "records").iterdir()} == before
    assert {p.name: p.read_bytes() for p in (data_copy / "tables").iterdir()} == tables_before


def test_extract_of_a_pdf_exits_non_zero_with_one_line(tmp_path, capsys):
    bad = tmp_path / "reply.txt"
    bad.write_bytes(b"%PDF-1.5\n")
    code = main(["extract", str(bad)])
    proc = capsys.readouterr()
    assert (code, proc.out) == (2, "")
    assert proc.err == f"error: {bad}: is a PDF document, not a text reply (save the reply as plain text (.txt))\n"


def test_two_replies_with_the_same_record_id_are_refused(data_copy, tmp_path, capsys):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "a.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (incoming / "b.txt").write_text(SIMPLIFIED.replace("2560家", "2561家"), encoding="utf-8")
    assert main(["--data", str(data_copy), "import", str(incoming)]) == 1
    err = capsys.readouterr().err
    assert "b.txt: maps to record id taizhou-zhejiang-2023, like" in err
    assert (data_copy / "raw" / "taizhou-zhejiang-2023.txt").read_text(encoding="utf-8") == SIMPLIFIED


def test_import_never_overwrites_a_different_raw_file(data_copy, tmp_path, capsys):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "other.txt").write_text(QUZHOU.replace("3424家", "3500家"), encoding="utf-8")
    assert main(["--data", str(data_copy), "import", str(incoming)]) == 1
    assert "already holds a different reply with the same id; not overwritten" in capsys.readouterr().err
    assert (data_copy / "raw" / "quzhou-2023.txt").read_text(encoding="utf-8") == QUZHOU
