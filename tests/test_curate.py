"""loaders/curate.py: uploads read as import reads them, review decisions merged into curation files, saves under the lock."""

import os
import shutil
import threading

import pytest

from conftest import ROOT
from loaders import curate
from loaders.__main__ import main as loaders_main
from loaders.errors import LoaderError
from loaders.records import load_curation, load_record

LUOYANG = ROOT / "tests" / "fixtures" / "unseen" / "11_luoyang_prefecture_npc.txt"
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于第87号建议的答复</title>
<style>p { color: red }</style><script>var x = "社会组织一万家";</script></head>
<body><div class="nav">首页 &gt; 政务公开</div><p>刘建国代表：</p><p>截至2021年底，全市共登记社会组织<b>5872</b>家。<br>感谢您的支持！</p>
<table><tr><td>洛阳市民政局</td><td>2022年6月30日</td></tr></table></body></html>"""
PAGE_TEXT = "关于第87号建议的答复\n\n首页 > 政务公开\n\n刘建国代表：\n\n截至2021年底，全市共登记社会组织5872家。\n感谢您的支持！\n\n洛阳市民政局 2022年6月30日\n"


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def luoyang_review(folder):
    return curate.open_review(curate.read_upload("luoyang.txt", LUOYANG.read_bytes()), folder)


# --- reading ------------------------------------------------------------------------


def test_html_keeps_visible_text_with_line_breaks_at_blocks():
    assert curate.html_to_text(PAGE) == PAGE_TEXT


def test_an_html_upload_stores_the_extracted_text_as_utf8():
    reply = curate.read_upload("reply.html", PAGE.encode("gb18030"))
    assert reply.is_html
    assert reply.text == PAGE_TEXT
    assert reply.raw_bytes == PAGE_TEXT.encode("utf-8")


def test_a_text_upload_is_kept_byte_for_byte_whatever_its_encoding():
    data = LUOYANG.read_text(encoding="utf-8").encode("gb18030")
    reply = curate.read_upload("luoyang.txt", data)
    assert reply.raw_bytes == data
    assert reply.text == LUOYANG.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, data, problem", [
    ("reply.txt", b"%PDF-1.7 binary", "reply.txt: is a PDF document, not a text reply"),
    ("reply.pdf", b"%PDF-1.7 binary", "reply.pdf: is not a .txt or .html file"),
    ("big.txt", "社".encode() * (2 * 1024 * 1024), "big.txt: is 6.3 MB, over the limit of 5 MB"),
    ("readme.txt", b"just some English notes", "readme.txt: does not read as a reply (hardly any Chinese text)"),
    # A line or paragraph separator, a C1 or C0 control in the name would break raw_manifest.csv (issue 21).
    ("a\u2028b.txt", "答复".encode() * 20, "'a\\u2028b.txt': its name holds U+2028 (line separator); nothing was read"),
    ("a\u0085b.txt", "答复".encode() * 20, "'a\\x85b.txt': its name holds U+0085 (a control character); nothing was read"),
    ("a\u001cb.txt", "答复".encode() * 20, "'a\\x1cb.txt': its name holds U+001C (a control character); nothing was read"),
])
def test_bad_uploads_get_one_line(name, data, problem):
    with pytest.raises(LoaderError) as err:
        curate.read_upload(name, data)
    assert err.value.one_line().startswith(problem)
    assert "\n" not in err.value.one_line()


# --- decisions ----------------------------------------------------------------------


def test_nothing_is_accepted_for_the_curator(folder):
    """A new reply's numbers are all unticked: a person vouches for each by ticking it (issue 20); a seed reply's
    accepted numbers are ticked as its file says."""
    rows = curate.fact_rows(luoyang_review(folder))
    assert len(rows) == 7 and not any(r["accept"] for r in rows)
    seed = curate.open_review(curate.read_existing(folder, "quzhou-2023"), folder)
    rows = curate.fact_rows(seed)
    assert sum(r["accept"] for r in rows) == len(seed.curation.accept_facts) == 60


def test_a_rejection_needs_its_reason(folder):
    review = luoyang_review(folder)
    rows = curate.fact_rows(review)
    rows[1]["reject"] = True
    with pytest.raises(LoaderError, match=r"fact c180 \(8.3家\): is rejected without a reason"):
        curate.fact_decisions(review, rows)


def test_an_edited_row_becomes_a_correction_and_an_untouched_one_nothing(folder):
    review = luoyang_review(folder)
    rows = curate.fact_rows(review)
    rows[0]["value"] = 5873
    rows[0]["reason"] = "typo in the draft"
    rows[1]["reject"], rows[1]["reason"] = True, "the density again"
    assert curate.fact_decisions(review, rows) == (
        {"c180": "the density again"}, {"c165": {"value": 5873.0, "note": "typo in the draft"}})


@pytest.mark.parametrize("record_id", ["ganzhou-2022", "jiangsu-2021", "leshan-2021", "quzhou-2023", "xuancheng-2024"])
def test_a_review_that_changes_nothing_rewrites_the_curation_file_byte_for_byte(record_id):
    folder = ROOT / "data"
    review = curate.open_review(curate.read_existing(folder, record_id), folder)
    rejects, corrections = curate.fact_decisions(review, curate.fact_rows(review))
    decisions = curate.Decisions(reject_facts=rejects, correct_facts=corrections, add_facts=curate.added_facts(review),
                                 reject_measures=curate.measure_decisions(review, curate.measure_rows(review)))
    rid, _curated, text = curate.compose(review, decisions, folder)
    assert rid == record_id
    assert text == (folder / "curation" / f"{record_id}.yaml").read_text(encoding="utf-8")


def test_an_added_fact_takes_its_quote_and_number_from_the_text(folder):
    review = luoyang_review(folder)
    text = review.reply.text
    sentence = next(s for s in curate.sentences_with_numbers(text) if "公益创投项目" in text[s[0]:s[1]])
    number = next(n for n in curate.number_choices(text[sentence[0]:sentence[1]]) if n[2] == "142个")
    entry = curate.make_added_fact(text, sentence, number, "projects", "", period_kind="year", period_end="2021")
    assert entry == {"indicator": "projects", "value": 142.0, "unit": "count", "number_text": "142个",
                     "quote": "2021年,市县两级投入公益创投资金860万元,实施公益创投项目142个,覆盖养老服务、青少年成长、困境儿童关爱等领域。",
                     "period_kind": "year", "period_end": "2021", "note": "added in the review workbench"}


def test_a_quote_not_in_the_text_is_refused_and_nothing_is_written(folder):
    review = luoyang_review(folder)
    bad = {"indicator": "projects", "value": 9.0, "unit": "count", "number_text": "9个", "quote": "实施项目9个。",
           "note": "typed by hand"}
    before = sorted(p.name for p in (folder / "raw").iterdir())
    with pytest.raises(LoaderError, match=r"add_facts\[0\]: quote is not an exact substring of the raw reply"):
        curate.save_review(review, curate.Decisions(add_facts=[bad]), folder)
    assert sorted(p.name for p in (folder / "raw").iterdir()) == before
    assert not (folder / "curation" / "luoyang-2022.yaml").exists()


def test_a_place_not_in_the_gazetteer_is_refused(folder):
    review = luoyang_review(folder)
    with pytest.raises(LoaderError, match="atlantis: is not a place of the national gazetteer"):
        curate.jurisdiction_override(review.draft, "atlantis")
    with pytest.raises(LoaderError, match="jurisdiction 'atlantis' is not in the national gazetteer"):
        curate.compose(review, curate.Decisions(jurisdiction={"slug": "atlantis"}), folder)


def test_warnings_name_a_fact_without_period_and_a_missing_population(folder):
    review = luoyang_review(folder)
    _rid, curated, _text = curate.compose(review, curate.Decisions(), folder)
    assert curate.review_warnings(curated, "luoyang-2022", folder) == [
        "fact c234 (300多家): no period (when was it true?)",
        "洛阳市: computed density not available (no population row; add one below)",
    ]


def test_warnings_name_a_density_the_population_cannot_reproduce():
    folder = ROOT / "data"
    review = curate.open_review(curate.read_existing(folder, "leshan-2021"), folder)
    assert [w for w in curate.review_warnings(review.curated, "leshan-2021", folder) if w.startswith("density")] == [
        "density: 1,831 / 5.08 per 10,000 implies 360.4万 residents; no published population (315.1万, 315.3万, "
        "316.0万, 345.6万, 347.0万) gives 5.08"]


# --- saving -------------------------------------------------------------------------


def built_tables(folder, name):
    """Every table file a full `build` writes from a copy of folder (its replies and curation files)."""
    from loaders.fingerprint import CACHE_FOLDER
    from loaders.tables import read_table_set

    other = folder.parent / name
    shutil.copytree(folder, other, ignore=shutil.ignore_patterns(CACHE_FOLDER))
    assert loaders_main(["--data", str(other), "build", "-q"]) == 0
    return read_table_set(other / "tables")


def test_a_save_stores_the_reply_and_rebuilds_as_a_full_build_would(folder):
    from loaders.tables import read_table_set

    review = luoyang_review(folder)
    saved = curate.save_review(review, curate.Decisions(reject_facts={"c180": "the density again"}), folder)
    assert saved.record_id == "luoyang-2022"
    assert (folder / "raw" / "luoyang-2022.txt").read_bytes() == LUOYANG.read_bytes()
    assert "luoyang-2022,luoyang.txt," in (folder / "raw_manifest.csv").read_text()
    record = load_record(folder / "records" / "luoyang-2022.yaml")
    assert [f.id for f in record.facts][:2] == ["c165", "c191"]
    assert "luoyang-2022,luoyang,洛阳市" in (folder / "tables" / "documents.csv").read_text()
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0  # records and tables as `build` makes them
    # Every table byte for byte as a full build writes it: this first save read every record (no build had left what
    # a save splices from), the next ones splice (loaders/incremental.py; tests/test_incremental.py for more).
    assert read_table_set(folder / "tables") == built_tables(folder, "first")
    review = curate.open_review(curate.read_existing(folder, "luoyang-2022"), folder)
    curate.save_review(review, curate.Decisions(reject_facts={"c180": "the density again", "c293": "projects"},
                                                correct_facts={"c165": {"value": 5873.0, "note": "typo"}}), folder)
    review = curate.open_review(curate.read_existing(folder, "quzhou-2023"), folder)
    rows = curate.fact_rows(review)
    row = next(r for r in rows if r["accept"])
    row["accept"], row["reject"], row["reason"] = False, True, "a second look"
    rejects, corrections = curate.fact_decisions(review, rows)
    curate.save_review(review, curate.Decisions(reject_facts=rejects, correct_facts=corrections, accept_facts=
                                                curate.accept_decisions(review, rows, rejects, corrections)), folder)
    assert read_table_set(folder / "tables") == built_tables(folder, "third")
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0


FIRST = """\
# Curation overlay for luoyang-2022 (written by the review workbench; comments and notes typed here are kept by later saves).
record_id: luoyang-2022
reject_facts:
  c180: the density again
correct_facts:
  c165:
    value: 5873.0
    note: typo in the draft
"""
HAND_EDITED = """\
# Curation overlay for luoyang-2022 (written by the review workbench; comments and notes typed here are kept by later saves).
record_id: luoyang-2022
# Checked against the 2021 statistical yearbook by hand.
reject_facts:
  c180: the density again  # stated twice in the reply
correct_facts:
  c165:
    value: 5873.0
    note: typo in the draft
reviewer_notes:
  - "Called the bureau on 2026-11-30: 5873 is right."
"""
SECOND = """\
# Curation overlay for luoyang-2022 (written by the review workbench; comments and notes typed here are kept by later saves).
record_id: luoyang-2022
# Checked against the 2021 statistical yearbook by hand.
reject_facts:
  c180: the density again  # stated twice in the reply
  c293: projects, not organisations
correct_facts:
  c165:
    value: 5873.0
    note: typo in the draft
  c234:
    period_kind: as_of
    period_end: '2021-12-31'
    note: the paragraph's 截至2021年底
reviewer_notes:
  - "Called the bureau on 2026-11-30: 5873 is right."
"""


def test_a_second_save_keeps_what_a_curator_typed_into_the_file(folder):
    curate.save_review(luoyang_review(folder), curate.Decisions(
        reject_facts={"c180": "the density again"},
        correct_facts={"c165": {"value": 5873.0, "note": "typo in the draft"}}), folder)
    path = folder / "curation" / "luoyang-2022.yaml"
    assert path.read_text(encoding="utf-8") == FIRST
    path.write_text(HAND_EDITED, encoding="utf-8")
    review = curate.open_review(curate.read_existing(folder, "luoyang-2022"), folder)
    rows = curate.fact_rows(review)
    for row in rows:
        if row["id"] == "c293":
            row["reject"], row["reason"] = True, "projects, not organisations"
        if row["id"] == "c234":
            row["period_kind"], row["period_end"], row["reason"] = "as_of", "2021-12-31", "the paragraph's 截至2021年底"
    rejects, corrections = curate.fact_decisions(review, rows)
    curate.save_review(review, curate.Decisions(reject_facts=rejects, correct_facts=corrections,
                                                add_facts=curate.added_facts(review)), folder)
    assert path.read_text(encoding="utf-8") == SECOND
    assert load_curation(path).reviewer_notes == ["Called the bureau on 2026-11-30: 5873 is right."]


def test_two_saves_at_once_one_wins_and_the_other_is_told(folder, monkeypatch):
    monkeypatch.setenv("LOADERS_TEST_SLOW_WRITES", "0.3")  # each file write waits, so the two saves overlap
    review = luoyang_review(folder)
    decisions = [curate.Decisions(reject_facts={"c180": "first"}), curate.Decisions(reject_facts={"c180": "second"})]
    start = threading.Barrier(2)
    outcome: dict[int, object] = {}

    def run(i):
        start.wait()
        try:
            outcome[i] = curate.save_review(review, decisions[i], folder)
        except LoaderError as exc:
            outcome[i] = exc.one_line()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    told = [v for v in outcome.values() if isinstance(v, str)]
    won = [v for v in outcome.values() if isinstance(v, curate.Saved)]
    assert len(won) == 1 and len(told) == 1
    assert told[0] == (f"{folder}: another save, build or import is writing this data folder right now; nothing was "
                       "written (save again in a moment)")
    winner = [i for i, v in outcome.items() if isinstance(v, curate.Saved)][0]
    assert load_curation(folder / "curation" / "luoyang-2022.yaml").reject_facts == {"c180": ["first", "second"][winner]}
    monkeypatch.delenv("LOADERS_TEST_SLOW_WRITES")
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0


def test_a_population_row_makes_the_density_computable(folder):
    curate.save_review(luoyang_review(folder), curate.Decisions(), folder)
    assert "luoyang-2022" not in (folder / "tables" / "density.csv").read_text()
    curate.save_population(folder, {"jurisdiction": "luoyang", "jurisdiction_zh": "洛阳市", "kind": "census",
                                    "date": "2020-11-01", "population_persons": 7056699.0,
                                    "source": "洛阳市第七次全国人口普查公报"})
    assert (folder / "reference" / "population.csv").read_text().endswith(
        "luoyang,洛阳市,census,2020-11-01,7056699,false,洛阳市第七次全国人口普查公报\n")
    density = (folder / "tables" / "density.csv").read_text()
    assert "luoyang-2022,luoyang,social_orgs_total,c165,5872.0,exact,2021-12-31,8.3,c180,census,7056699.0" in density
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0


def test_a_population_row_without_source_is_refused(folder):
    before = (folder / "reference" / "population.csv").read_bytes()
    with pytest.raises(LoaderError, match="population row: has no source"):
        curate.save_population(folder, {"jurisdiction": "luoyang", "jurisdiction_zh": "洛阳市", "kind": "census",
                                        "date": "2020-11-01", "population_persons": 7056699.0, "source": " "})
    assert (folder / "reference" / "population.csv").read_bytes() == before


def test_the_data_folder_comes_from_the_dashboards_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    assert curate.data_dir() == tmp_path
    monkeypatch.delenv("DASHBOARD_DATA_DIR")
    assert curate.data_dir() == ROOT / "data"
    assert os.path.isdir(curate.data_dir())


def test_a_sentence_of_twenty_thousand_numbers_offers_its_first_five_hundred():
    """number_choices was quadratic: a sentence of 100,000 numbers never finished drafting in the workbench (issue 21,
    item 11). Now it reads each number once and offers the first MAX_NUMBER_CHOICES."""
    sentence = "全市共有" + ",".join(f"社会组织{i}家" for i in range(1, 20001)) + ",总量突破3万。"
    choices = curate.number_choices(sentence)
    assert len(choices) == curate.MAX_NUMBER_CHOICES == 500
    assert [c[2] for c in choices[:3]] == ["1家", "2家", "3家"] and choices[-1][2] == "500家"
    assert curate.number_choices("社会团体近1.5万,民非超过23.5万,基金会200家。") == [
        (5, 9, "1.5万", 15000.0), (14, 19, "23.5万", 235000.0), (23, 27, "200家", 200.0)]
    assert curate.sentences_with_numbers("第一句没有数字。" + sentence) == [(8, 8 + len(sentence))]
