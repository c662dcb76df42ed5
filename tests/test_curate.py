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
from tests.curation_edits import HAND_COMMENT, another_leshan, data_bytes, hand_edit

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
    # Luoyang's 2020 census is in population_census2020.csv (issue 22): 5,872 / 705.7万 = 8.32 reproduces the
    # reported 8.3 at the one decimal it is written with.
    assert curate.review_warnings(curated, "luoyang-2022", folder) == [
        "fact c234 (300多家): no period (when was it true?)"]
    # 杭州市临平区 was drawn in 2021: no census row, none typed.
    from loaders.places import place_by_slug

    linping = place_by_slug("linping")
    moved = curated.model_copy(update={"jurisdiction": curated.jurisdiction.model_copy(
        update={"slug": linping.slug, "name_zh": linping.name_zh, "level": "county"})})
    assert curate.review_warnings(moved, "linping-2022", folder) == [
        "fact c234 (300多家): no period (when was it true?)",
        "临平区: computed density not available (no population row; add one below)",
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


def test_a_reply_added_by_mistake_is_removed_and_kept_aside(folder):
    """remove_reply: the reply, its curation, record and manifest line go (copied first into data/removed/<id>-<time>/),
    the tables are rebuilt without it and `check` passes; the tables are again those of the folder before the save."""
    from loaders.tables import read_table_set

    manifest_before = (folder / "raw_manifest.csv").read_text()
    tables_before = read_table_set(folder / "tables")
    curate.save_review(luoyang_review(folder), curate.Decisions(reject_facts={"c180": "the density again"}), folder)
    curation = (folder / "curation" / "luoyang-2022.yaml").read_bytes()
    removed = curate.remove_reply(folder, "luoyang-2022")
    assert removed.record_id == "luoyang-2022"
    assert not any((folder / sub / f"luoyang-2022.{ext}").exists()
                   for sub, ext in (("raw", "txt"), ("curation", "yaml"), ("records", "yaml")))
    assert (folder / "raw_manifest.csv").read_text() == manifest_before
    assert b"luoyang-2022" not in read_table_set(folder / "tables")["documents.csv"]
    assert read_table_set(folder / "tables") == tables_before
    [kept] = list((folder / "removed").iterdir())
    assert kept.name.startswith("luoyang-2022-")
    assert (kept / "raw" / "luoyang-2022.txt").read_bytes() == LUOYANG.read_bytes()
    assert (kept / "curation" / "luoyang-2022.yaml").read_bytes() == curation
    assert (kept / "raw_manifest.csv").read_text().splitlines()[1].startswith("luoyang-2022,luoyang.txt,")
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0
    with pytest.raises(LoaderError, match="is not there; nothing removed"):
        curate.remove_reply(folder, "luoyang-2022")
    with pytest.raises(LoaderError, match="is not a record id"):
        curate.remove_reply(folder, "../raw/leshan-2021")


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


def test_a_new_place_has_a_computed_density_from_the_census_and_a_year_end_row_is_its_nearest_base(folder):
    """Issue 22: the 2020 census of every place of the gazetteer (population_census2020.csv) gives a new place its
    density with nothing typed; a year-end row a curator adds is the base nearest the count's date."""
    curate.save_review(luoyang_review(folder), curate.Decisions(), folder)
    census_source = "中国人口普查分县资料—2020 (leiii/census, census_county_2020_v1.xlsx)"
    density = (folder / "tables" / "density.csv").read_text()
    assert (f"luoyang-2022,luoyang,social_orgs_total,c165,5872.0,exact,2021-12-31,8.3,c180,census,7056699.0,2020-11-01,"
            f"\"{census_source}\",8.32") in density
    curate.save_population(folder, {"jurisdiction": "luoyang", "jurisdiction_zh": "洛阳市", "kind": "year_end_resident",
                                    "date": "2021-12-31", "population_persons": 7073000.0,
                                    "source": "洛阳市2021年统计公报"})
    assert (folder / "reference" / "population.csv").read_text().endswith(
        "luoyang,洛阳市,year_end_resident,2021-12-31,7073000,false,洛阳市2021年统计公报\n")
    density = (folder / "tables" / "density.csv").read_text()
    assert "luoyang-2022,luoyang,social_orgs_total,c165,5872.0,exact,2021-12-31,8.3,c180,nearest,7073000.0,2021-12-31" \
        in density
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


# --- issue 21: nothing a curator wrote is lost ----------------------------------------------------------------------

QUZHOU = "quzhou-2023"


def quzhou_review(folder):
    return curate.open_review(curate.read_existing(folder, QUZHOU), folder)


def page_decisions(review, edit=None, reviewer="", note="", population_row=None):
    """The decisions the workbench page makes from its table (app/page_review.py), after edit(rows) changed it."""
    rows = curate.fact_rows(review)
    if edit is not None:
        edit({r["id"]: r for r in rows})
    rejects, corrections = curate.fact_decisions(review, rows)
    accepted = curate.accept_decisions(review, rows, rejects, corrections)
    added = curate.added_facts(review)
    mark = curate.review_mark(review, accepted, corrections, added, reviewer, "2026-12-07")
    decisions = curate.Decisions(reject_facts=rejects, correct_facts=corrections, accept_facts=accepted, review=mark,
                                 add_facts=added, reviewer_note=note,
                                 reject_measures=curate.measure_decisions(review, curate.measure_rows(review)))
    if population_row is not None:
        decisions.population_row = population_row
    return decisions


def reject(fid, reason):
    def edit(rows):
        rows[fid]["reject"], rows[fid]["reason"] = True, reason
    return edit


def test_a_hand_edit_made_while_the_page_is_open_is_kept_by_its_save(folder):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    review = quzhou_review(folder)  # the page opens the record
    edited = hand_edit(path)
    curate.save_review(review, page_decisions(review, reject("c315", "page: counted twice")), folder)
    text = path.read_text(encoding="utf-8")
    assert HAND_COMMENT in text
    curation = load_curation(path)
    assert curation.reject_facts == {"c2082": load_curation(ROOT / "data" / "curation" / f"{QUZHOU}.yaml").reject_facts["c2082"],
                                     "c2089": "Repeats c1053 (参训1000余人次), stated twice in the reply.",
                                     "c299": "by hand, the 2022 figure restated", "c315": "page: counted twice"}
    assert curation.correct_facts["c307"].model_dump(exclude_unset=True) == {
        "qualifier": "approx", "note": "by hand, 1273 is rounded in the yearbook"}
    assert not {"c299", "c307", "c315"} & set(curation.accept_facts)
    # The page's one change is the only difference from the hand-edited file, line for line.
    assert [line for line in text.splitlines() if line not in edited.splitlines()] == ["  c315: 'page: counted twice'"]
    assert [line for line in edited.splitlines() if line not in text.splitlines()] == ["  c315: ''"]
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0


def test_a_rejection_removed_by_hand_does_not_come_back(folder):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    review = quzhou_review(folder)
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines(keepends=True) if x.startswith("  c2089: "))
    path.write_text(text.replace(line, "", 1), encoding="utf-8")
    curate.save_review(review, page_decisions(review, reject("c315", "page: counted twice")), folder)
    assert set(load_curation(path).reject_facts) == {"c2082", "c315"}


def test_two_sessions_on_one_reply_keep_both_rejections(folder):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    first, second = quzhou_review(folder), quzhou_review(folder)  # two pages open on one reply
    curate.save_review(first, page_decisions(first, reject("c299", "first session")), folder)
    curate.save_review(second, page_decisions(second, reject("c307", "second session")), folder)
    curation = load_curation(path)
    assert {k: v for k, v in curation.reject_facts.items() if k in ("c299", "c307")} == {
        "c299": "first session", "c307": "second session"}
    assert not {"c299", "c307"} & set(curation.accept_facts)


@pytest.mark.parametrize("first, second, named", [
    (reject("c299", "first session"), reject("c299", "second session"),
     "reject_facts.c299 was changed in the file since this page read it (now 'first session') and on this page "
     "('second session')"),
    (lambda rows: rows["c373"].update(value=19.0, reason="first"), lambda rows: rows["c373"].update(value=20.0, reason="second"),
     "correct_facts.c373.note was changed in the file since this page read it (now 'first') and on this page "
     "('second'); also correct_facts.c373.value"),
    (reject("c299", "first session"), lambda rows: rows["c299"].update(value=3425.0, reason="typo"),
     "fact c299 is now in reject_facts in the file and in correct_facts on this page"),
])
def test_a_field_changed_in_both_sessions_refuses_the_later_save_and_names_it(folder, first, second, named):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    a, b = quzhou_review(folder), quzhou_review(folder)
    curate.save_review(a, page_decisions(a, first), folder)
    after_first = data_bytes(folder)
    with pytest.raises(LoaderError) as err:
        curate.save_review(b, page_decisions(b, second), folder)
    assert err.value.one_line().startswith(f"{path}: {named}")
    assert "nothing written" in err.value.one_line() and "\n" not in err.value.one_line()
    assert data_bytes(folder) == after_first


def test_a_review_changed_by_hand_and_by_the_page_is_a_conflict_and_notes_merge(folder):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    review = quzhou_review(folder)
    text = path.read_text(encoding="utf-8")
    text = text.replace("  c299: ''\n", "  c299: 'checked against the yearbook'  # by hand\n", 1)
    path.write_text(text.replace("by: 项目维护者 (project maintainers)", "by: 王审核"), encoding="utf-8")
    held = path.read_bytes()
    # The page accepts c2082 instead of rejecting it: a new acceptance records its reviewer in review:.
    with pytest.raises(LoaderError, match=r"review was changed in the file since this page read it \(now \{'by': "
                                          r"'王审核', 'date': '2026-11-22'\}\) and on this page"):
        curate.save_review(review, page_decisions(review, lambda rows: rows["c2082"].update(
            reject=False, accept=True, reason=""), reviewer="李审核"), folder)
    assert path.read_bytes() == held
    # Without a new acceptance the page leaves review: as the file has it; the hand-written note stays.
    curate.save_review(review, page_decisions(review, reject("c315", "page")), folder)
    curation = load_curation(path)
    assert curation.review.by == "王审核" and curation.accept_facts["c299"] == "checked against the yearbook"
    assert "c299: 'checked against the yearbook'  # by hand" in path.read_text(encoding="utf-8")


def test_facts_added_and_notes_written_in_two_sessions_are_all_kept(folder):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    a, b = quzhou_review(folder), quzhou_review(folder)
    text = a.reply.text
    for review, wanted, note in ((a, "3个", "note of the first session"), (b, "7项", "note of the second session")):
        span = next(s for s in curate.sentences_with_numbers(text) if "清廉社会组织建设实施方案" in text[s[0]:s[1]])
        number = next(n for n in curate.number_choices(text[span[0]:span[1]]) if n[2] == wanted)
        decisions = page_decisions(review, note=note)
        decisions.add_facts = [*decisions.add_facts, curate.make_added_fact(text, span, number, "projects", wanted)]
        curate.save_review(review, decisions, folder)
    curation = load_curation(path)
    assert [(x.number_text, x.note) for x in curation.add_facts] == [("3个", "3个"), ("7项", "7项")]
    assert curation.reviewer_notes[-2:] == ["note of the first session", "note of the second session"]
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0


# A stored reply uploaded again as new (issue 21, item 2).

def test_a_stored_reply_uploaded_as_new_opens_as_that_record_and_a_save_keeps_its_curation(folder):
    path = folder / "curation" / "leshan-2021.yaml"
    before = data_bytes(folder)
    review = curate.open_review(curate.read_upload("leshan-2021.txt", (folder / "raw" / "leshan-2021.txt").read_bytes()),
                                folder)
    assert review.reply.record_id == "leshan-2021" and not review.is_new
    assert review.curation == load_curation(path)
    assert [r["id"] for r in curate.fact_rows(review) if r["reject"]] == list(review.curation.reject_facts)
    saved = curate.save_review(review, page_decisions(review), folder)
    assert saved.record_id == "leshan-2021" and "data/curation/leshan-2021.yaml" not in saved.written
    assert data_bytes(folder) == before  # nothing to change: every byte as it was (records and tables rebuilt alike)


def test_a_stored_reply_renamed_and_uploaded_is_found_by_its_bytes(folder):
    review = curate.open_review(curate.read_upload("乐山答复(1).txt", (folder / "raw" / "leshan-2021.txt").read_bytes()),
                                folder)
    assert review.reply.record_id == "leshan-2021" and review.curation.reject_facts


def test_a_different_reply_with_a_stored_replys_id_is_refused_before_anything_is_written(folder):
    before = data_bytes(folder)
    changed = another_leshan(folder / "raw" / "leshan-2021.txt")
    review = curate.open_review(curate.read_upload("leshan-new.txt", changed), folder)
    assert review.is_new and review.curation is None
    message = ("data/raw/leshan-2021.txt: already holds a different reply with the same id; nothing written (set the "
               "jurisdiction or the date this reply really has)")
    with pytest.raises(LoaderError) as err:
        curate.compose(review, page_decisions(review), folder)  # the page says so before Save
    assert err.value.one_line() == message
    with pytest.raises(LoaderError) as err:
        curate.save_review(review, page_decisions(review), folder)
    assert err.value.one_line() == message
    assert data_bytes(folder) == before


def test_an_id_the_manifest_gives_another_reply_is_refused_even_when_its_file_is_gone(folder):
    (folder / "raw" / "leshan-2021.txt").rename(folder.parent / "leshan-2021.txt")
    before = data_bytes(folder)
    changed = another_leshan(folder.parent / "leshan-2021.txt")
    review = curate.open_review(curate.read_upload("leshan-new.txt", changed), folder)
    with pytest.raises(LoaderError, match=r"raw_manifest.csv: already names leshan-2021 for a different reply, whose "
                                          r"file is not in data/raw; nothing written"):
        curate.save_review(review, page_decisions(review), folder)
    assert data_bytes(folder) == before


# Smaller (issue 21, item 6).

def test_a_curation_file_of_comments_only_keeps_them(folder):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    comments = "# Quzhou 2023: to be reviewed again after the 2024 yearbook.\n\n# Ask 张三 about 5020 social workers.\n"
    path.write_text(comments, encoding="utf-8")
    review = quzhou_review(folder)
    assert review.curation is None
    curate.save_review(review, page_decisions(review, reject("c315", "page: counted twice")), folder)
    assert path.read_text(encoding="utf-8") == comments + "record_id: quzhou-2023\nreject_facts:\n  c315: 'page: counted twice'\n"


@pytest.mark.parametrize("line, written", [
    ("  c2082: \"Repeats c1046: the reply states 2022年以来…培训20场次 twice (sections 一.2 and 二.3).\"",
     "  c2082: \"the same count twice\\n\""),  # a rejection's reason
    ("  c299: ''", "  c299: \"checked against the 2022 yearbook\\n\""),  # an acceptance's note
    ("    note: \"Label names the urban average.\"", "    note: \"Label names the urban average.\\n\""),  # a correction's
    ("  supervision_enforcement@510: \"整改 is a phase (调查摸底、整改攻坚、巩固提升) of the party 双覆盖 campaign, not "
     "supervision of organisations\"", "  supervision_enforcement@510: \"a phase, not supervision  \""),  # a measure's
])
def test_a_save_that_changes_nothing_keeps_a_notes_trailing_newline_and_spaces(folder, line, written):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    text = path.read_text(encoding="utf-8")
    assert line + "\n" in text
    path.write_text(text.replace(line + "\n", written + "\n", 1), encoding="utf-8")
    held = path.read_bytes()
    review = quzhou_review(folder)
    rid, _curated, composed = curate.compose(review, page_decisions(review), folder)
    assert composed.encode("utf-8") == held
    curate.save_review(review, page_decisions(review), folder)
    assert path.read_bytes() == held


def test_a_temporary_file_left_by_a_killed_save_is_removed_by_the_next_save_or_build(folder):
    curation = folder / "curation"
    left = [curation / ".quzhou-2023.yaml.k3j_x9q2.tmp", folder / "reference" / ".population.csv.a1b2c3d4.tmp"]
    for tmp in left:
        tmp.write_text("record_id: quzhou-2023\nreject_facts: {c299: half", encoding="utf-8")
    mine = curation / ".my-notes.tmp"  # not a name the loader makes: a curator's, kept
    mine.write_text("notes", encoding="utf-8")
    review = quzhou_review(folder)
    curate.save_review(review, page_decisions(review), folder)
    assert not any(p.exists() for p in left) and mine.read_text() == "notes"
    left[0].write_text("half", encoding="utf-8")
    assert loaders_main(["--data", str(folder), "build", "-q"]) == 0
    assert not left[0].exists() and mine.exists()


def test_a_save_killed_while_writing_the_curation_file_leaves_it_whole_and_its_temporary_file_goes(folder):
    """kill -9 in the middle of the write (LOADERS_TEST_SLOW_WRITES holds the written temporary file before its
    rename): the file is the one before the save, and the next build removes what the kill left."""
    import signal
    import time

    path = folder / "curation" / f"{QUZHOU}.yaml"
    before = path.read_bytes()
    pid = os.fork()
    if pid == 0:
        try:
            os.environ["LOADERS_TEST_SLOW_WRITES"] = "30"
            review = quzhou_review(folder)
            curate.save_review(review, page_decisions(review, reject("c315", "killed")), folder)
        finally:
            os._exit(0)
    deadline = time.monotonic() + 60
    while not list((folder / "curation").glob(".*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    tmp = list((folder / "curation").glob(".*.tmp"))
    assert len(tmp) == 1 and b"killed" in tmp[0].read_bytes()  # the whole new text, never renamed into place
    assert path.read_bytes() == before
    assert loaders_main(["--data", str(folder), "build", "-q"]) == 0
    assert not list((folder / "curation").glob(".*.tmp")) and path.read_bytes() == before
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0


@pytest.mark.parametrize("change", ["removed", "changed"])
def test_a_raw_file_removed_or_changed_while_its_page_is_open_is_not_saved_over(folder, change):
    raw = folder / "raw" / f"{QUZHOU}.txt"
    review = quzhou_review(folder)
    if change == "removed":
        raw.unlink()
    else:
        raw.write_bytes(raw.read_bytes() + "\n追加一句。\n".encode())
    before = data_bytes(folder)
    with pytest.raises(LoaderError) as err:
        curate.save_review(review, page_decisions(review, reject("c315", "page")), folder)
    assert err.value.one_line().startswith(f"data/raw/{QUZHOU}.txt: {change} since this page opened it; nothing written"
                                           if change == "changed" else
                                           f"data/raw/{QUZHOU}.txt: was removed since this page opened it; nothing written")
    assert data_bytes(folder) == before


@pytest.mark.parametrize("edit, named", [
    (reject("c315", "bad \ud800 half"), "reject_facts.c315"),
    (lambda rows: rows["c373"].update(value=19.0, reason="half \udfff"), "correct_facts.c373.note"),
    (None, "reviewer_notes[a note \ud83d]"),
])
def test_a_lone_surrogate_is_refused_by_name_and_nothing_is_written(folder, edit, named):
    before = data_bytes(folder)
    review = quzhou_review(folder)
    decisions = page_decisions(review, edit, note="a note \ud83d" if edit is None else "")
    with pytest.raises(LoaderError) as err:
        curate.save_review(review, decisions, folder)
    line = err.value.one_line()
    assert named.encode("utf-8", "backslashreplace").decode() in line
    assert "holds a lone surrogate" in line and "nothing written" in line
    assert data_bytes(folder) == before
    assert load_curation(folder / "curation" / f"{QUZHOU}.yaml") is not None


# Beyond the examples.

def test_a_file_broken_by_hand_while_the_page_is_open_is_named_and_left_alone(folder):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    review = quzhou_review(folder)
    path.write_text(path.read_text(encoding="utf-8") + "reject_facts:\n  c315: again\n", encoding="utf-8")
    before = data_bytes(folder)
    with pytest.raises(LoaderError, match=r"key 'reject_facts' appears twice"):
        curate.save_review(review, page_decisions(review, reject("c324", "page")), folder)
    assert data_bytes(folder) == before


def test_a_file_removed_by_hand_while_the_page_is_open_gets_only_the_pages_changes(folder):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    review = quzhou_review(folder)
    path.unlink()
    curate.save_review(review, page_decisions(review, reject("c315", "page: counted twice")), folder)
    curation = load_curation(path)
    assert curation.reject_facts == {"c315": "page: counted twice"} and not curation.accept_facts


def test_an_edit_saved_between_the_merge_and_the_write_is_merged_in_too(folder, monkeypatch):
    path = folder / "curation" / f"{QUZHOU}.yaml"
    review = quzhou_review(folder)
    real, calls = curate._compose, []

    def compose_then_an_editor_saves(*args):
        made = real(*args)
        calls.append(1)
        if len(calls) == 1:  # the editor's save lands after the merge read the file, before the write
            path.write_text(path.read_text(encoding="utf-8").replace("  c324: ''\n", "  c324: 'by hand'\n"),
                            encoding="utf-8")
        return made

    monkeypatch.setattr(curate, "_compose", compose_then_an_editor_saves)
    curate.save_review(review, page_decisions(review, reject("c315", "page")), folder)
    curation = load_curation(path)
    assert len(calls) == 2 and curation.accept_facts["c324"] == "by hand" and curation.reject_facts["c315"] == "page"


# A bad population row (issue 21, item 1).

LUOYANG_ROW = {"jurisdiction": "luoyang", "jurisdiction_zh": "洛阳市", "kind": "census", "date": "2020-11-01",
               "population_persons": 7056699.0, "source": "洛阳市第七次全国人口普查公报"}


@pytest.mark.parametrize("change, problem", [
    ({"date": "2020-13-01"}, "population row: date: '2020-13-01' is not a date (write YYYY-MM-DD, e.g. 2020-11-01)"),
    ({"date": ""}, "population row: date: is empty (write YYYY-MM-DD, e.g. 2020-11-01)"),
    ({"date": "2020-02-30"}, "population row: date: '2020-02-30' is not a date"),
    ({"date": "2020"}, "population row: date: '2020' is not a date (write YYYY-MM-DD, e.g. 2020-11-01)"),
    ({"date": "1900-01-01"}, "population row: date: '1900-01-01': year 1900 is outside 1949-2100"),
    ({"population_persons": float(2 ** 53 - 1)}, "population row: population_persons: 9007199254740991 persons is "
                                                 "more than any country has (at most 2,000,000,000)"),
    ({"population_persons": float("nan")}, "population row: population_persons: Input should be a finite number"),
    ({"population_persons": float("inf")}, "population row: population_persons: Input should be a finite number"),
    ({"population_persons": 0.0}, "population row: population_persons: 0 persons: a population is above zero"),
    ({"population_persons": 7056699.5}, "population row: population_persons: 7.0567e+06 persons is not a whole number"),
    ({"source": "  "}, "population row: has no source (say where the figure was published)"),
    ({"source": "公报 \ud800"}, "population row: holds a lone surrogate"),
    ({"jurisdiction": "atlantis"}, "atlantis: is not a place of the national gazetteer"),
])
def test_a_bad_population_row_is_refused_before_anything_is_written(folder, change, problem):
    before = data_bytes(folder)
    for save in (lambda row: curate.save_population(folder, row),
                 lambda row: curate.save_review(luoyang_review(folder), curate.Decisions(population_row=row), folder)):
        with pytest.raises(LoaderError) as err:
            save({**LUOYANG_ROW, **change})
        assert err.value.one_line().startswith(problem) and "\n" not in err.value.one_line()
        assert data_bytes(folder) == before  # population.csv as it was: the build reads it as before


def test_a_population_row_is_written_with_the_reply_it_was_added_for(folder):
    review = luoyang_review(folder)
    _rid, curated, _text = curate.compose(review, curate.Decisions(population_row=LUOYANG_ROW), folder)
    assert not (folder / "raw" / "luoyang-2022.txt").exists()  # composing writes nothing
    warnings = curate.review_warnings(curated, "luoyang-2022", folder, LUOYANG_ROW)
    assert not any("no population row" in w for w in warnings)  # the row to be saved already counts
    saved = curate.save_review(review, curate.Decisions(population_row=LUOYANG_ROW), folder)
    assert saved.written == ["data/raw/luoyang-2022.txt", "data/raw_manifest.csv", "data/curation/luoyang-2022.yaml",
                             "data/reference/population.csv", "data/records/luoyang-2022.yaml", "data/tables/"]
    assert (folder / "reference" / "population.csv").read_text().endswith(
        "luoyang,洛阳市,census,2020-11-01,7056699,false,洛阳市第七次全国人口普查公报\n")
    assert "luoyang-2022,luoyang,social_orgs_total,c165" in (folder / "tables" / "density.csv").read_text()
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0


def test_a_population_row_already_in_the_file_is_refused(folder):
    curate.save_population(folder, LUOYANG_ROW)
    before = data_bytes(folder)
    with pytest.raises(LoaderError, match="population row: population.csv already has a census row of luoyang dated "
                                          "2020-11-01"):
        curate.save_review(luoyang_review(folder), curate.Decisions(population_row={**LUOYANG_ROW, "source": "again"}),
                           folder)
    assert data_bytes(folder) == before


def test_a_population_row_for_another_place_than_the_records_is_refused(folder):
    before = data_bytes(folder)
    row = {**LUOYANG_ROW, "jurisdiction": "kaifeng", "jurisdiction_zh": "开封市"}
    with pytest.raises(LoaderError, match="population row: is for kaifeng, but the record's place is now luoyang"):
        curate.save_review(luoyang_review(folder), curate.Decisions(population_row=row), folder)
    assert data_bytes(folder) == before
