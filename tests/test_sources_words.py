"""The Sources page speaks one language: in Chinese no English sentence of the loader's provenance, the curator's note
once; the Data page shows counts in 万 (zh) and thousands (en). AppTest, the seed replies in data/."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT

SEEDS = sorted(p.stem for p in (ROOT / "data" / "raw").glob("*.txt"))
HEADING = {"zh": "**元数据从何而来**", "en": "**Where the metadata came from**"}


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=30)
    at.query_params.update(query)
    return at.run()


def provenance(at: AppTest, lang: str) -> list[str]:
    """The provenance list's lines, as shown (backslash escapes and word joiners dropped)."""
    values = [str(m.value) for m in at.markdown]
    text = values[values.index(HEADING[lang]) + 1]
    return [re.sub(r"\\(.)", r"\1", line).replace("\u2060", "") for line in text.splitlines()]


@pytest.mark.parametrize("rid", SEEDS)
def test_chinese_sources_page_has_no_english_provenance_sentence(rid):
    lines = provenance(page("sources", r=rid), "zh")
    assert lines and not any("*未记录*" in line for line in lines)
    for line in lines:
        if line.startswith("- **人工校订说明**："):
            continue  # the curator's own words, as written
        # file names (ganzhou-2022.yaml) and the reply's own words aside, not a word of English
        words = re.findall(r"[A-Za-z]{3,}", re.sub(r"[\w./<>-]+\.yaml", "", line))
        assert not words, (line, words)


def test_curator_note_is_shown_once():
    lines = provenance(page("sources", r="ganzhou-2022"), "zh")
    notes = [line for line in lines if line.startswith("- **人工校订说明**：")]
    assert len(notes) == 1 and notes[0].startswith("- **人工校订说明**：The city's own name is overwritten")
    assert sum("gambling-site string" in line for line in lines) == 1
    assert "- 地区：赣州市（依据人工校订） — 地区由人工校订设定（ganzhou-2022.yaml）" in lines


def test_english_sources_page_names_the_issuer_in_english():
    at = page("sources", r="leshan-2021", lang="en")
    md = "\n".join(str(m.value) for m in at.markdown)
    assert "- **Issuer:** Leshan Civil Affairs Bureau \\(乐山市民政局\\)" in md
    lines = provenance(at, "en")
    assert "- level: prefecture-level city (from the gazetteer) — level of Leshan (乐山市) in the gazetteer" in lines
    assert not any("cppcc_proposal_reply" in line for line in lines)


@pytest.mark.parametrize("lang, count, population, note", [
    ("zh", "9.78万", "8,474.8016万", "意味着常住人口 360.4万；已公布的人口（315.1万、"),
    ("en", "97,800", "84,748,016", "implies 3.604 million residents; no published population (3.151 million, "),
])
def test_data_page_numbers_in_the_readers_language(lang, count, population, note):
    at = page("data", tbl="density", lang=lang)
    table = at.dataframe[0].value
    columns = {"zh": ("数量", "人口", "复现说明"), "en": ("Count", "Population", "Reproduction note")}[lang]
    assert count in set(table[columns[0]]) and population in set(table[columns[1]])
    assert any(note in str(v) for v in table[columns[2]])
