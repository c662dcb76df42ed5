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
from loaders.records import load_curation, load_record

LUOYANG = ROOT / "tests" / "fixtures" / "unseen" / "11_luoyang_prefecture_npc.txt"
YUNNAN = ROOT / "tests" / "fixtures" / "unseen" / "01_yunnan_province_npc.txt"
DASHBOARD_PAGES = ["overview", "density", "funding", "measures", "compare", "sources", "data", "present"]


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
    assert "Why: jurisdiction from the issuer 洛阳市民政局" in captions
    assert "Level: prefecture; province: 河南省; prefecture: —" in captions
    assert "Why: date_written from signature 2022年6月30日" in captions
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


def test_a_pdf_upload_gets_one_line_and_nothing_is_written(folder):
    before = sorted(os.listdir(folder / "raw"))
    at = upload(workbench(), "reply.txt", b"%PDF-1.7\n%binary")
    assert [shown(e.value) for e in at.error] == [
        "reply.txt: is a PDF document, not a text reply (save the reply as plain text (.txt))"]
    assert sorted(os.listdir(folder / "raw")) == before


def test_a_stored_reply_opens_with_its_curation_applied(folder):
    at = workbench()
    at.radio(key="wb_source").set_value("existing").run()
    at.selectbox(key="wb_record").set_value("leshan-2021").run()
    assert not at.exception
    assert at.selectbox[1].value == "乐山市 (四川省) leshan"
    warnings = [shown(w.value) for w in at.warning]
    assert "density: 1,831 / 5.08 per 10,000 implies 360.4万 residents; no published population (315.1万, 315.3万, " \
           "316.0万, 345.6万, 347.0万) gives 5.08" in warnings
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
