"""curate.py through AppTest: upload, add a fact from its sentence, save; and the dashboard never shows it or writes."""

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from loaders import curate
from loaders.records import load_curation, load_record
from tests.curation_edits import HAND_COMMENT, another_leshan, data_bytes, hand_edit

LUOYANG = ROOT / "tests" / "fixtures" / "unseen" / "11_luoyang_prefecture_npc.txt"
YUNNAN = ROOT / "tests" / "fixtures" / "unseen" / "01_yunnan_province_npc.txt"
DASHBOARD_PAGES = ["overview", "density", "trends", "funding", "measures", "compare", "sources", "data", "present",
                   "about"]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(target))
    return target


def shown(markdown) -> str:
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("\u2060", "")


def workbench() -> AppTest:
    at = AppTest.from_file(str(ROOT / "curate.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    return at.run()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="wb_upload").set_value((name, data, "text/plain")).run()
    return at.button(key="wb_read").click().run()


def test_an_uploaded_reply_is_drafted_with_its_place_and_the_reasons(folder):
    at = upload(workbench(), "luoyang.txt", LUOYANG.read_bytes())
    assert not at.exception
    place = at.selectbox[0]
    assert place.label == "Jurisdiction (national gazetteer)"
    assert place.value == "洛阳市 (河南省) luoyang"
    captions = [shown(c.value) for c in at.caption]
    assert "Why: jurisdiction from the issuer Luoyang Civil Affairs Bureau (洛阳市民政局)" in captions
    assert "Level: Prefecture-level city; province: 河南省; prefecture: —" in captions
    assert "Why: date written from the signature: 2022年6月30日" in captions
    html = at.get("html")[0].proto.body
    assert '<mark title="c165 social_orgs_total">5872家</mark>' in html
    assert [shown(w.value) for w in at.warning] == [
        "fact c234 (300多家): no period (when was it true?)"]  # its density comes from the 2020 census (issue 22)
    assert not (folder / "raw" / "luoyang-2022.txt").exists()  # nothing is written before Save


def test_a_fact_added_from_its_sentence_is_saved_and_the_record_rebuilt(folder):
    at = upload(workbench(), "yunnan.txt", YUNNAN.read_bytes())
    sentence = next(s for s in at.selectbox if s.label == "Sentence")
    sentence.select_index(next(i for i, o in enumerate(sentence.options) if "1862个" in o)).run()
    number = next(s for s in at.selectbox if s.label == "Number in it")
    assert number.options == ["1862个", "5410个", "18044个", "1200家以上"]
    number.select_index(0).run()
    indicator = next(s for s in at.selectbox if s.label == "Indicator")
    indicator.select_index(next(i for i, o in enumerate(indicator.options) if o.endswith("(social_orgs_total)"))).run()
    next(s for s in at.selectbox if s.label == "Period kind").set_value("as_of").run()
    next(t for t in at.text_input if t.label == "As of (date or year)").input("2020-12-31").run()
    next(t for t in at.text_input if t.label == "Note").input("registered at the provincial level").run()
    next(b for b in at.button if b.label == "Add this fact").click().run()
    assert not at.error, [e.value for e in at.error]
    at.text_input(key="wb_reviewer").input("测试员").run()
    at.button(key="wb_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert shown(at.success[0].value) == (
        "Saved yunnan-2021: data/raw/yunnan-2021.txt, data/raw_manifest.csv, data/curation/yunnan-2021.yaml, "
        "data/records/yunnan-2021.yaml, data/tables/. The dashboard picks it up.")
    assert at.radio(key="wb_source").value == "existing" and at.selectbox(key="wb_record").value == "yunnan-2021"
    assert (folder / "raw" / "yunnan-2021.txt").read_bytes() == YUNNAN.read_bytes()
    added = load_curation(folder / "curation" / "yunnan-2021.yaml").add_facts
    assert [(a.indicator, a.value, a.number_text, a.period_kind, a.period_end, a.note) for a in added] == [
        ("social_orgs_total", 1862.0, "1862个", "as_of", "2020-12-31", "registered at the provincial level")]
    record = load_record(folder / "records" / "yunnan-2021.yaml")
    assert [(f.id, f.source) for f in record.facts if f.number_text == "1862个"] == [("c385", "added")]
    assert "yunnan-2021,yunnan,云南省" in (folder / "tables" / "documents.csv").read_text()


# A sentence of our own: a count with 余 (more than), after a "since" year.
SINCE_MORE = "2019年以来,全市新增社区社会组织1000余家,其中今年计划培育200家。"


def test_the_add_a_number_form_chooses_no_indicator_and_suggests_what_the_text_says(folder):
    """Nothing chosen for the curator: no indicator until one is picked (Add refuses without it, nothing added), the
    qualifier of 1000余家 suggested as more than, its "since" period with a start field holding 2019, and the
    sentence listed as it reads (no offset before it)."""
    at = upload(workbench(), "since.txt", f"某某代表:\n{SINCE_MORE}\n某市民政局\n2022年6月30日\n".encode("utf-8"))
    sentence = next(s for s in at.selectbox if s.label == "Sentence")
    assert SINCE_MORE in sentence.options and not any(re.match(r"\d+: ", o) for o in sentence.options)
    sentence.set_value(SINCE_MORE).run()
    next(s for s in at.selectbox if s.label == "Number in it").set_value("1000余家").run()
    assert next(s for s in at.selectbox if s.label == "Indicator").value is None
    assert next(s for s in at.selectbox if s.label == "Qualifier").value == "more_than"
    assert next(s for s in at.selectbox if s.label == "Status").value == "achievement"
    assert next(s for s in at.selectbox if s.label == "Period kind").value == "since"
    assert next(t for t in at.text_input if t.label == "Start (date or year)").value == "2019"
    assert any("Suggested from the text: qualifier \u201cmore than (lower bound)\u201d" in shown(c.value)
               for c in at.caption)
    next(b for b in at.button if b.label == "Add this fact").click().run()
    assert "Choose what the number counts (its indicator) first." in [shown(e.value) for e in at.error]
    assert "Added facts" not in [shown(c.value) for c in at.caption]  # nothing was added
    # The planned 200家 of the same sentence: a target.
    next(s for s in at.selectbox if s.label == "Number in it").set_value("200家").run()
    assert next(s for s in at.selectbox if s.label == "Status").value == "target"
    assert next(s for s in at.selectbox if s.label == "Qualifier").value == "exact"


def test_codes_read_as_words_and_each_number_is_marked_in_its_sentence():
    from app import workbench as wb

    assert [wb.code_label("qualifier", "more_than", lang) for lang in ("zh", "en")] == ["超过（下限）",
                                                                                     "more than (lower bound)"]
    assert wb.code_label("period_kind", "as_of", "zh") == "截至某日"
    assert wb.code_label("scope_kind", "level_only", "zh") == "仅本级"
    assert wb.code_label("doc_type", "news_item", "zh") == "新闻稿（非答复）"
    assert wb.code_label("qualifier", "a_code_nobody_wrote", "zh") == "a_code_nobody_wrote"
    assert wb.column_label("accept", "zh") == "确认" and wb.column_label("period_kind", "zh") == "时段类型"
    # The number where it stands (offsets), not the first 13 of the sentence.
    assert wb.marked_sentence("市本级13家,县级13家", 100, 109, "13家") == "市本级13家,县级【13家】"
    assert wb.marked_sentence("共13家", 0, 99, "13家") == "共【13家】"  # offsets that do not fit: the first one
    assert list(wb.sentence_options("共5家。共5家。", [(0, 4), (4, 8)])) == ["共5家。", "共5家。（2）"]
    # A long sentence: the number and the words around it, cut with … (the cell shows the number).
    long = "甲" * 30 + "共120余家" + "乙" * 50
    assert wb.marked_sentence(long, 0, 31, "120余家") == "…" + "甲" * 13 + "共【120余家】" + "乙" * 40 + "…"


def test_a_pdf_upload_gets_one_line_and_nothing_is_written(folder):
    before = sorted(os.listdir(folder / "raw"))
    at = upload(workbench(), "reply.txt", b"%PDF-1.7\n%binary")
    assert [shown(e.value) for e in at.error] == [
        "reply.txt: is a PDF document, not a text reply (save the reply as plain text (.txt))"]
    assert sorted(os.listdir(folder / "raw")) == before


@pytest.mark.parametrize("record_id", ["ganzhou-2022", "leshan-2021"])
def test_a_chinese_curator_reads_the_reasons_and_warnings_in_chinese(folder, record_id):
    """zh: every "依据" line and every warning in Chinese (no English sentence of the loader), the choices in words, and
    a way to the dashboard; the language switch takes the page to English."""
    at = AppTest.from_file(str(ROOT / "curate.py"), default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.radio(key="wb_source").set_value("existing").run()
    at.selectbox(key="wb_record").set_value(record_id).run()
    assert not at.exception
    english = re.compile(r"\b(?:from|the|of|no|period|density|jurisdiction|level|type|signature|fact)\b")
    why = [shown(c.value) for c in at.caption if shown(c.value).startswith("依据")]
    assert len(why) >= 4 and not [w for w in why if english.search(w)], why
    warnings = [shown(w.value) for w in at.warning]
    assert warnings and not [w for w in warnings if english.search(w)], warnings
    doc_type = next(s for s in at.selectbox if s.label == "文件类型")
    assert doc_type.format_func(doc_type.value) in ("政协提案答复", "人大代表建议答复")
    assert [b.label for b in at.get("link_button")] == ["在看板中查看这份答复"]
    at.sidebar.radio(key="wb_lang").set_value("en").run()
    assert at.query_params["lang"] in ("en", ["en"]) and at.title[0].value == "Review workbench"


def test_a_reply_is_removed_only_once_its_id_is_typed_and_is_kept_aside(folder):
    at = workbench()
    at.radio(key="wb_source").set_value("existing").run()
    at.selectbox(key="wb_record").set_value("xuancheng-2024").run()
    button = at.button(key="wb_remove-xuancheng-2024")
    assert button.disabled  # nothing typed yet
    at.text_input(key="wb_remove_typed-xuancheng-2024").input("xuancheng").run()
    assert at.button(key="wb_remove-xuancheng-2024").disabled
    at.text_input(key="wb_remove_typed-xuancheng-2024").input("xuancheng-2024").run()
    at.button(key="wb_remove-xuancheng-2024").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert shown(at.success[0].value).startswith("Removed xuancheng-2024: data/removed/xuancheng-2024-")
    assert "xuancheng-2024" not in at.selectbox(key="wb_record").options
    assert not (folder / "raw" / "xuancheng-2024.txt").exists()
    [kept] = list((folder / "removed").iterdir())
    assert (kept / "raw" / "xuancheng-2024.txt").read_bytes() == (ROOT / "data" / "raw" / "xuancheng-2024.txt").read_bytes()
    assert b"xuancheng-2024" not in (folder / "tables" / "documents.csv").read_bytes()


def test_a_stored_reply_opens_with_its_curation_applied(folder):
    at = workbench()
    at.radio(key="wb_source").set_value("existing").run()
    at.selectbox(key="wb_record").set_value("leshan-2021").run()
    assert not at.exception
    assert at.selectbox[1].value == "乐山市 (四川省) leshan"
    warnings = [shown(w.value) for w in at.warning]
    # In the page's language: English in millions, never 万 (issue 23).
    assert "density: 1,831 ÷ 5.08 × 10,000 implies 3.604 million residents; no published population (3.151 million, " \
           "3.153 million, 3.16 million, 3.456 million, 3.47 million) gives 5.08" in warnings
    # Nothing changed in the review: the curation file it would write is the file as it is.
    assert at.code[0].value == (folder / "curation" / "leshan-2021.yaml").read_text(encoding="utf-8").rstrip("\n")


def test_a_reply_added_or_changed_while_the_workbench_is_open_is_read_on_the_next_rerun(folder):
    # The listing and the reply are kept between reruns (a third of a rerun at 10,000 replies): by the folder's and
    # the file's time, so what changed on disk is never served from the session.
    at = workbench()
    at.radio(key="wb_source").set_value("existing").run()
    at.selectbox(key="wb_record").set_value("leshan-2021").run()
    assert "yunnan-2021" not in at.selectbox(key="wb_record").options
    shutil.copyfile(YUNNAN, folder / "raw" / "yunnan-2021.txt")
    raw = folder / "raw" / "leshan-2021.txt"
    raw.write_bytes(raw.read_bytes() + "\n追加一句：全市另有社区社会组织4321个。\n".encode("utf-8"))
    at.run()
    assert "yunnan-2021" in at.selectbox(key="wb_record").options
    assert '全市另有社区社会组织<mark title="c2485 community_social_orgs">4321个</mark>。' in at.get("html")[0].proto.body


def test_a_new_place_has_its_density_from_the_census_right_after_saving(folder):
    """Issue 22: no population row to type for a place of the gazetteer; its 2020 census gives the density."""
    at = upload(workbench(), "luoyang.txt", LUOYANG.read_bytes())
    at.text_input(key="wb_reviewer").input("测试员").run()
    at.button(key="wb_save").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "computed density not available" not in " ".join(shown(w.value) for w in at.warning)
    assert "luoyang-2022,luoyang,social_orgs_total,c165,5872.0,exact,2021-12-31,8.3,c180,census,7056699.0" in (
        folder / "tables" / "density.csv").read_text()


def test_a_place_with_a_census_row_keeps_the_form_folded_for_year_end_figures(folder):
    at = upload(workbench(), "luoyang.txt", LUOYANG.read_bytes())
    assert [shown(e.label) for e in at.expander if "population" in e.label] == [
        "洛阳市 has a population (census 2020-11-01 (population_census2020.csv)). Add a year-end figure, with its source"]
    assert next(s for s in at.selectbox if s.label == "Kind").value == "year_end_resident"
    assert not any("has no population row" in i for i in infos(at))


def population_form(at: AppTest, date: str, persons: int, source: str) -> AppTest:
    next(t for t in at.text_input if t.label == "Date (YYYY-MM-DD)").input(date)
    next(n for n in at.number_input if n.label == "Population (persons)").set_value(persons)
    next(t for t in at.text_input if t.label == "Source").input(source)
    return next(b for b in at.button if b.label == "Add the population row (saved with the reply)").click().run()


def infos(at: AppTest) -> list[str]:
    return [shown(i.value) for i in at.info]


def test_a_population_row_is_checked_on_the_page_and_saved_with_the_reply(folder):
    (folder / "reference" / "population_census2020.csv").unlink()  # a place that no population row covers
    population = folder / "reference" / "population.csv"
    before = population.read_bytes()
    at = upload(workbench(), "luoyang.txt", LUOYANG.read_bytes())
    missing = "洛阳市 has no population row: computed density not available. Add one here, with its source."
    assert missing in infos(at)
    at = population_form(at, "2020-13-01", 7056699, "洛阳市第七次全国人口普查公报")
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        "population row: date: '2020-13-01' is not a date (write YYYY-MM-DD, e.g. 2020-11-01)"]
    assert population.read_bytes() == before
    at = population_form(at, "2020-11-01", 7056699, "洛阳市第七次全国人口普查公报")
    assert not at.error and missing not in infos(at)
    assert ("Population row to be saved: 洛阳市 census 2020-11-01: 7,056,699 (洛阳市第七次全国人口普查公报). Save writes it to "
            "population.csv with the reply.") in infos(at)
    assert not any("computed density not available" in shown(w.value) for w in at.warning)  # the row counts already
    assert population.read_bytes() == before and not (folder / "raw" / "luoyang-2022.txt").exists()  # nothing written
    at.button(key="wb_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "data/reference/population.csv" in shown(at.success[0].value)
    assert population.read_bytes() == before + "luoyang,洛阳市,census,2020-11-01,7056699,false,洛阳市第七次全国人口普查公报\n".encode()
    assert not any("population" in i for i in infos(at))  # neither "has no population row" nor "to be saved"
    assert "luoyang-2022,luoyang,social_orgs_total" in (folder / "tables" / "density.csv").read_text()


def test_a_population_csv_broken_by_hand_is_named_on_the_page_and_nothing_is_saved(folder):
    population = folder / "reference" / "population.csv"
    population.write_text(population.read_text(encoding="utf-8") + "leshan,乐山市,census,,3160168,false,x\n",
                          encoding="utf-8")
    before = data_bytes(folder)
    at = workbench()
    at.radio(key="wb_source").set_value("existing").run()
    at.selectbox(key="wb_record").set_value("leshan-2021").run()
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        f"{population}: line 32 (leshan census ): date: is empty (write YYYY-MM-DD, e.g. 2020-11-01) (fix or remove "
        "the row)"]
    assert not [b for b in at.button if b.key == "wb_save"]
    assert data_bytes(folder) == before


def open_record(at: AppTest, record_id: str) -> AppTest:
    at.radio(key="wb_source").set_value("existing").run()
    return at.selectbox(key="wb_record").set_value(record_id).run()


def edit_facts(at: AppTest, folder, record_id: str, edits: dict[str, dict]) -> AppTest:
    """Cell edits of the facts table (fact id -> column -> value), as the data editor sends them."""
    review = curate.open_review(curate.read_existing(folder, record_id), folder)
    order = [r["id"] for r in curate.fact_rows(review)]
    key = f"{record_id}-{hashlib.sha256(review.reply.raw_bytes).hexdigest()[:12]}"
    at.session_state[f"wb_facts-{key}"] = {"edited_rows": {order.index(fid): cells for fid, cells in edits.items()},
                                           "added_rows": [], "deleted_rows": []}
    return at.run()


def test_a_stored_reply_uploaded_as_new_opens_as_that_record(folder):
    before = data_bytes(folder)
    at = upload(workbench(), "乐山答复.txt", (folder / "raw" / "leshan-2021.txt").read_bytes())
    assert not at.exception
    assert infos(at)[0] == "乐山答复.txt is the reply already stored as leshan-2021: it is open for review with its curation."
    assert at.radio(key="wb_source").value == "existing" and at.selectbox(key="wb_record").value == "leshan-2021"
    table = at.dataframe[0].value
    assert table.loc[table["reject"], "id"].tolist() == ["c383"]  # its rejection, as the file has it
    at.button(key="wb_save").click().run()
    assert not at.exception and not at.error
    assert data_bytes(folder) == before  # curation/leshan-2021.yaml and everything else as it was


def test_a_different_reply_with_a_stored_replys_id_is_refused_on_the_page(folder):
    before = data_bytes(folder)
    at = upload(workbench(), "leshan-new.txt", another_leshan(folder / "raw" / "leshan-2021.txt"))
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        "data/raw/leshan-2021.txt: already holds a different reply with the same id; nothing written (set the "
        "jurisdiction or the date this reply really has)"]
    assert not [b for b in at.button if b.key == "wb_save"]
    assert data_bytes(folder) == before


def test_a_record_removed_while_its_page_is_open_is_not_saved_as_another(folder):
    at = open_record(workbench(), "quzhou-2023")
    (folder / "raw" / "quzhou-2023.txt").unlink()
    before = data_bytes(folder)
    at.button(key="wb_save").click().run()
    assert not at.exception and not at.success
    assert [shown(e.value) for e in at.error] == [
        "quzhou-2023 was removed from data/raw while this page showed it: nothing was saved. Choose a record from the list."]
    assert data_bytes(folder) == before
    at.run()  # the next run shows the record the list fell back to, as any choice
    assert not at.error and at.selectbox(key="wb_record").value == "ganzhou-2022"


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_saves_a_hand_edit_two_sessions_a_stored_reply_and_a_bad_population_row_lose_nothing(folder):
    """The workbench driven through all of issue 21 on one data folder, then every byte of it compared: what changed is
    what the curators did (by hand and on the pages), nothing else; no temporary file; build and check pass."""
    from loaders.__main__ import main as loaders_main

    before = data_bytes(folder)
    path = folder / "curation" / "quzhou-2023.yaml"
    first, second = open_record(workbench(), "quzhou-2023"), open_record(workbench(), "quzhou-2023")
    edited = hand_edit(path)  # typed into the file in an editor while both pages are open

    # The first page rejects c315: it says the file changed, its preview holds the hand edits, and Save keeps them.
    first = edit_facts(first, folder, "quzhou-2023", {"c315": {"reject": True, "reason": "first page: counted twice"}})
    assert ("The curation file was changed since this page opened it: Save merges this page's changes into it as it "
            "is now (the preview shows what will be written).") in infos(first)
    assert HAND_COMMENT.strip() in first.code[0].value and "c299: by hand, the 2022 figure restated" in first.code[0].value
    first.button(key="wb_save").click().run()
    assert not first.exception and not first.error, [e.value for e in first.error]
    assert shown(first.success[0].value).startswith("Saved quzhou-2023: data/curation/quzhou-2023.yaml, ")

    # The second page, opened before both, rejects c315 for another reason: refused on the page, naming the field.
    second = edit_facts(second, folder, "quzhou-2023", {"c315": {"reject": True, "reason": "second page"}})
    assert [shown(e.value) for e in second.error] == [
        f"{path}: reject_facts.c315 was changed in the file since this page read it (now 'first page: counted twice') "
        "and on this page ('second page'); nothing written (reload the page to review the file as it is now, or set "
        "that field back as it was)"]
    assert not [b for b in second.button if b.key == "wb_save"]
    # It rejects c324 instead and writes a note: saved beside the first page's rejection and the hand edits.
    second = edit_facts(second, folder, "quzhou-2023", {"c324": {"reject": True, "reason": "second page: a target"}})
    next(t for t in second.text_input if t.label == "Reviewer note (optional)").input("Second page: checked c324.").run()
    second.button(key="wb_save").click().run()
    assert not second.exception and not second.error, [e.value for e in second.error]
    text = path.read_text(encoding="utf-8")
    assert sorted(set(lines(text)) - set(lines(edited))) == [
        "  - 'Second page: checked c324.'", "  c315: 'first page: counted twice'", "  c324: 'second page: a target'"]
    assert sorted(set(lines(edited)) - set(lines(text))) == ["  c315: ''", "  c324: ''"]

    # Leshan's reply uploaded again as new: it opens as leshan-2021 with its curation; saving changes nothing.
    at = upload(workbench(), "leshan-2021.txt", (folder / "raw" / "leshan-2021.txt").read_bytes())
    assert at.selectbox(key="wb_record").value == "leshan-2021"
    at.button(key="wb_save").click().run()
    assert not at.exception and not at.error
    # Another reply with Leshan's id: refused before Save.
    at = upload(workbench(), "leshan-new.txt", another_leshan(folder / "raw" / "leshan-2021.txt"))
    assert "already holds a different reply with the same id" in shown(at.error[0].value)

    # Luoyang, new, with the 2020 census as its base: a bad year-end row first (refused, nothing written), then a good
    # one, saved with the reply.
    at = upload(workbench(), "luoyang.txt", LUOYANG.read_bytes())
    at = population_form(at, "", 7056700, "洛阳市2021年国民经济和社会发展统计公报")
    assert [shown(e.value) for e in at.error] == ["population row: date: is empty (write YYYY-MM-DD, e.g. 2020-11-01)"]
    at = population_form(at, "2021-12-31", 7056700, "洛阳市2021年国民经济和社会发展统计公报")
    at.button(key="wb_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    open_record(workbench(), "luoyang-2022")  # reopens without a problem

    after = data_bytes(folder)
    assert not [p for p in after if any(part.startswith(".") for part in p.split("/"))]  # no temporary file anywhere
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert [p for p in changed if not p.startswith(("records/", "tables/"))] == [
        "curation/luoyang-2022.yaml", "curation/quzhou-2023.yaml", "raw/luoyang-2022.txt", "raw_manifest.csv",
        "reference/population.csv"]
    assert [p for p in changed if p.startswith("records/")] == ["records/luoyang-2022.yaml", "records/quzhou-2023.yaml"]
    assert after["raw/luoyang-2022.txt"] == LUOYANG.read_bytes()
    added = set(after["raw_manifest.csv"].decode().splitlines()) - set(before["raw_manifest.csv"].decode().splitlines())
    assert sorted(after["raw_manifest.csv"].decode().splitlines()) == sorted(
        [*before["raw_manifest.csv"].decode().splitlines(), *added])
    assert added == {f"luoyang-2022,luoyang.txt,{hashlib.sha256(LUOYANG.read_bytes()).hexdigest()}"}
    assert after["reference/population.csv"] == before["reference/population.csv"] + \
        "luoyang,洛阳市,year_end_resident,2021-12-31,7056700,false,洛阳市2021年国民经济和社会发展统计公报\n".encode()
    # The workbench's rebuilds are what a full build makes, byte for byte; check agrees.
    assert loaders_main(["--data", str(folder), "build", "-q"]) == 0
    assert data_bytes(folder) == after
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0


def test_the_workbench_lists_none_of_the_dashboards_pages(folder, monkeypatch):
    pages = []
    real = st.navigation
    monkeypatch.setattr(st, "navigation", lambda entries, *a, **k: pages.extend(entries) or real(entries, *a, **k))
    at = workbench()
    assert not at.exception
    assert [(p.title, getattr(p._page, "__name__", p._page)) for p in pages] == [("Review workbench", "review_page")]


# --- the dashboard: no workbench, no writes -------------------------------------------------


def snapshot(folder) -> dict[str, tuple]:
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, folder)] = (hashlib.sha256(fh.read()).hexdigest(), info.st_mtime_ns)
    return out


def test_the_dashboard_never_shows_the_workbench_and_writes_nothing(folder, monkeypatch):
    pages = []
    real = st.navigation

    def spy(entries, *args, **kwargs):
        pages.extend(entries)
        return real(entries, *args, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    before = snapshot(folder)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    scripts = [Path(str(p._page)) for p in pages]
    assert sorted(s.stem for s in scripts) == sorted(DASHBOARD_PAGES)
    assert {s.parent.name for s in scripts} == {"pages"}
    for name in DASHBOARD_PAGES:
        page = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60).run()
        assert not page.exception, name
    assert snapshot(folder) == before
    # No dashboard module reaches the workbench's writing code.
    for path in [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "app").glob("*.py")]:
        if path.name not in ("workbench.py", "page_review.py"):  # the workbench's own modules (curate.py's page)
            assert not re.search(r"loaders\.curate|app\.workbench|import workbench|page_review", path.read_text()), path


@pytest.mark.parametrize("make, problem", [
    (lambda tmp: tmp / "nowhere", "does not exist"),
    (lambda tmp: (tmp / "file.txt").write_text("x") and tmp / "file.txt", "is not a folder"),
    (lambda tmp: (tmp / "data" / "reference").mkdir(parents=True) or tmp / "data", "has no reference/population.csv"),
])
def test_a_misconfigured_data_folder_is_one_line_and_nothing_is_read(tmp_path, monkeypatch, make, problem):
    """Issue 21, item 10: the page crashed after an upload; now it says what to fix before anything is read."""
    folder = make(tmp_path)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = workbench()
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        f"DASHBOARD_DATA_DIR={folder}: {problem} (set DASHBOARD_DATA_DIR to the project's data folder (it holds raw/, "
        "curation/ and reference/)" + (", or restore the file from version control)" if "population" in problem else ")")]
    assert not at.file_uploader and not at.button
