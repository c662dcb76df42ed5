"""Tests of the measures stage: codebook, sentence coding, done/planned status, tokens and distinctive terms."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from loaders.clean import CleanText, clean_text
from loaders.measures import (
    compute_distinctive_terms,
    extract_measures,
    load_codebook,
    split_sentences,
    tokenize,
)
from loaders.read import load_reply
from loaders.schema import Measure

RAW_DIR = Path(__file__).parent.parent / "data/raw"
REPLIES = {
    "ganzhou": "ganzhou-2022.txt",
    "quzhou": "quzhou-2023.txt",
    "jiangsu": "jiangsu-2021.txt",
    "xuancheng": "xuancheng-2024.txt",
    "leshan": "leshan-2021.txt",
}


@lru_cache(maxsize=None)
def cleaned(slug: str) -> CleanText:
    return clean_text(load_reply(RAW_DIR / REPLIES[slug]))


@lru_cache(maxsize=None)
def measures(slug: str) -> tuple[Measure, ...]:
    return tuple(extract_measures(cleaned(slug)))


def find(slug: str, category: str, *fragments: str) -> list[Measure]:
    """Measures of a category whose cleaned sentence contains every fragment."""
    return [m for m in measures(slug) if m.category == category and all(f in m.quote_clean for f in fragments)]


# --- codebook ----------------------------------------------------------------------

REQUIRED_CATEGORIES = [
    "party_building", "registration_reform", "direct_funding", "government_purchase",
    "venture_philanthropy", "tax_incentives", "incubation_platform", "training_capacity",
    "social_work_talent", "supervision_enforcement", "recognition_awards", "volunteer_services",
    "digital_platform", "publicity", "community_governance", "rural_revitalisation", "charity_resources",
]


def test_codebook_covers_required_categories_with_complete_entries():
    book = load_codebook()
    ids = [c["id"] for c in book["categories"]]
    assert len(ids) == len(set(ids))
    for cid in REQUIRED_CATEGORIES:
        assert cid in ids
    for cat in book["categories"]:
        assert cat["id"].replace("_", "").isalpha() and cat["id"] == cat["id"].lower()
        for key in ("label_zh", "label_en", "definition", "instrument_type", "terms"):
            assert cat[key], f"{cat['id']} lacks {key}"
        assert cat["instrument_type"] in ("supply", "demand", "environment")


def test_codebook_settles_venture_philanthropy_and_has_status_rules():
    book = load_codebook()
    vp = next(c for c in book["categories"] if c["id"] == "venture_philanthropy")
    assert vp["instrument_type"] == "supply"
    assert "公益创投" in vp["decision"]
    types = {c["id"]: c["instrument_type"] for c in book["categories"]}
    assert types["government_purchase"] == "demand"
    assert types["tax_incentives"] == "environment"
    rules = book["status_rules"]
    for key in ("planned_section", "planned_markers", "planned_start", "done_markers"):
        assert rules[key]


# --- sentences -----------------------------------------------------------------------

HEADING_AND_BODY = "一、基本情况\n我市已建成孵化基地3个。下一步将加大投入;力争全覆盖！"


def test_split_sentences_keeps_headings_and_splits_on_all_enders():
    clean = clean_text(HEADING_AND_BODY)
    sentences = [clean.text[a:b] for a, b in split_sentences(clean)]
    assert sentences == ["一、基本情况", "我市已建成孵化基地3个。", "下一步将加大投入;", "力争全覆盖！"]


# --- per-reply expectations -------------------------------------------------------------
# (category, status, fragments of the cleaned sentence it must come from)

QZ_VENTURE = "公益创投项目"
QZ_VENTURE_MONEY = "累计投入资金1100余万元"
QZ_PURCHASE_CATALOGUE = "购买服务推荐性目录"
QZ_TAX = "公益性捐赠税前免除资格"
QZ_CREDIT = "失信名单52家"
QZ_PARTY_SUBHEADING = "二是进一步推进“两个覆盖”"
QZ_PARTY_TARGET = "到2024年底"
QZ_DIGITAL = "统衢助"
QZ_FIVE_SOCIAL = "邻礼通"
QZ_SANCTION = "不予委托政府购买服务"
QZ_RURAL = "乡村结对帮扶项目"
QZ_INVESTMENT_REWARD = "招商引资中介人奖励办法"
QZ_STATISTICS = "基金会18家"
QZ_AWARD = "集中表彰"

GZ_LOTTERY_PLAN = "2022年,市民政局计划投入福彩公益金108万元"
GZ_LOTTERY_DONE = "市本级共投入福彩公益金"
GZ_DIRECT_REGISTRATION = "实行直接登记"
GZ_INCUBATOR = "12个社会组织孵化基地"
GZ_TRAINING = "志愿服务记录与证明培训15次"
GZ_PARTY_PLAN = "单独设立党的组织"
GZ_PROPAGANDA_DEPT = "市委宣传部根据中央及省有关文件精神"
GZ_PURPOSES = "扶贫、济困、扶老"
GZ_SERVICE_FIELDS = "技能培训"
GZ_PROJECT_REWARD = "项目奖励"

JS_VENTURE = "社区公益创投活动"
JS_LOTTERY = "福彩公益金1.8亿余元"
JS_EXAM = "社会工作者职业水平考试"
JS_ONLINE_CLASS = "网上课堂"
JS_POSTS = "社会工作专业岗位开发工程"
JS_PURCHASE_PLAN = "健全政府购买社区服务机制"
JS_RESERVED_COSTS = "预留行政管理成本"
JS_ROLE_FIELDS = "在服务脱贫攻坚、乡村振兴等国家战略"
JS_VOLUNTEER_COUNT = "志愿组织数超过4500个"
JS_DONORS = "提供捐赠和资助"
JS_NEW_MEDIA = "新媒体教学"
JS_UNREGISTERED = "未达到登记条件的社区社会组织,由所在乡镇人民政府"

XC_GRID = "社会组织+网格"
XC_VENTURE = "连续开展七届公益创投"
XC_LOTTERY = "从福彩公益金中安排专项资金"
XC_PARTY = "将坚持党的全面领导的要求载入社会组织章程"
XC_FILING = "社区社会组织备案管理办法"
XC_RATING = "评估等级作为社会组织承接政府购买服务的重要条件"
XC_RURAL = "万企兴万村"
XC_GOVERNANCE_CAPACITY = "积极推动基层治理能力提升"

LS_FIVE_SOCIAL = "不断推进“五社联动”"
LS_THRESHOLD = "零门槛"
LS_DIRECT_REGISTRATION = "推进直接登记"
LS_PURCHASE = "3200余万元用于购买社会组织服务"
LS_VENTURE = "沙湾区投入55万元试点公益创投"
LS_COMMUNITY_FUND = "社区专项基金9个"
LS_INCUBATOR_PLAN = "加快建设培育孵化平台"
LS_CREDIT_PLAN = "纳入异常活动名录或失信名单"
LS_MICRO_VENTURE = "获得“微创投”资助"

MUST_FIND = {
    "quzhou": [
        ("venture_philanthropy", "done", (QZ_VENTURE,)),
        ("direct_funding", "done", (QZ_VENTURE_MONEY,)),
        ("government_purchase", "done", (QZ_PURCHASE_CATALOGUE,)),
        ("tax_incentives", "done", (QZ_TAX,)),
        ("supervision_enforcement", "done", (QZ_CREDIT,)),
        ("party_building", "done", (QZ_PARTY_SUBHEADING,)),
        ("party_building", "planned", (QZ_PARTY_TARGET,)),
        ("digital_platform", "done", (QZ_DIGITAL, "平台")),
        ("community_governance", "done", (QZ_FIVE_SOCIAL, "五社联动")),
        ("rural_revitalisation", "done", (QZ_RURAL,)),
        ("recognition_awards", "done", (QZ_AWARD,)),
        ("supervision_enforcement", "done", (QZ_SANCTION,)),
    ],
    "ganzhou": [
        ("direct_funding", "planned", (GZ_LOTTERY_PLAN,)),
        ("direct_funding", "done", (GZ_LOTTERY_DONE,)),
        ("government_purchase", "done", (GZ_LOTTERY_DONE,)),
        ("registration_reform", "done", (GZ_DIRECT_REGISTRATION,)),
        ("incubation_platform", "done", (GZ_INCUBATOR,)),
        ("training_capacity", "done", (GZ_TRAINING,)),
        ("volunteer_services", "done", (GZ_TRAINING,)),
        ("party_building", "planned", (GZ_PARTY_PLAN,)),
        ("venture_philanthropy", "done", (GZ_PROJECT_REWARD, "公益创投")),
        ("tax_incentives", "done", (GZ_PROJECT_REWARD, "税收优惠")),
    ],
    "jiangsu": [
        ("venture_philanthropy", "done", (JS_VENTURE,)),
        ("direct_funding", "done", (JS_LOTTERY,)),
        ("social_work_talent", "done", (JS_EXAM,)),
        ("training_capacity", "planned", (JS_ONLINE_CLASS, "计划开设")),
        ("social_work_talent", "planned", (JS_POSTS,)),
        ("government_purchase", "planned", (JS_PURCHASE_PLAN,)),
        ("direct_funding", "planned", (JS_RESERVED_COSTS,)),
        ("charity_resources", "planned", (JS_DONORS,)),
        ("registration_reform", "planned", (JS_UNREGISTERED,)),
    ],
    "xuancheng": [
        ("community_governance", "done", (XC_GRID, "常态化工作机制")),
        ("venture_philanthropy", "done", (XC_VENTURE,)),
        ("direct_funding", "done", (XC_LOTTERY,)),
        ("government_purchase", "done", (XC_LOTTERY,)),
        ("party_building", "done", (XC_PARTY,)),
        ("registration_reform", "done", (XC_FILING,)),
        ("supervision_enforcement", "done", (XC_RATING,)),
        ("government_purchase", "done", (XC_RATING,)),
        ("rural_revitalisation", "done", (XC_RURAL,)),
    ],
    "leshan": [
        ("community_governance", "done", (LS_FIVE_SOCIAL,)),
        ("registration_reform", "done", (LS_THRESHOLD,)),
        ("registration_reform", "done", (LS_DIRECT_REGISTRATION,)),
        ("government_purchase", "done", (LS_PURCHASE,)),
        ("venture_philanthropy", "done", (LS_VENTURE,)),
        ("pilot_demonstration", "done", (LS_VENTURE,)),
        ("charity_resources", "done", (LS_COMMUNITY_FUND,)),
        ("incubation_platform", "planned", (LS_INCUBATOR_PLAN,)),
        ("supervision_enforcement", "planned", (LS_CREDIT_PLAN,)),
    ],
}

# Negatives found by reading every coded sentence of the five replies (precision review, 2026-11-22).
GZ_HEAD_COUNT = "含志愿服务组织4家"
GZ_ASSOCIATIONS = "扶持了爱心志愿者协会、公益志愿者协会"
GZ_CONTRIBUTIONS = "爱心捐助、疫情防控等多方面作出的贡献"
GZ_LINK_HEADING = "二是加强资源链接"
JS_SERVICE_TYPES = "专业社会工作服务及其他社区公益服务项目"
JS_TOPIC_HEADING = "(四)社会工作发展情况"
JS_TRAINEES = "统筹社区、社会组织、社会工作力量,制定培训计划"
JS_VOLUNTEER_MATCHING = "推动“社工+志愿者”联动机制"
LS_PURCHASE_BUDGET = "整合各类资金3200余万元用于购买社会组织服务"
LS_METHOD = "会同社会组织运用社会工作方法"
QZ_EMBEDDED = "将党建工作嵌入社会组织审批、年检、评估"
QZ_PARTY_INFO = "年检年报均按要求完善党建工作信息"
QZ_FIELDS = "招商引资、社区治理、志愿服务等积极谋划实施服务项目"
XC_EMBEDDED = "将社会组织党建工作渗入成立、年检、评估、信用建设、章程核准"
XC_ACTORS = "统筹社工、志愿者、社会组织参与基层治理"
XC_ASSESSMENT_HEADING = "一是在考核机制上寻突破"

# Known negatives: (category, fragment of a sentence that must not be coded with it)
MUST_NOT_FIND = {
    "quzhou": [
        ("supervision_enforcement", QZ_EMBEDDED),    # the procedures party work enters
        ("supervision_enforcement", QZ_PARTY_INFO),  # inspection forms carrying party information
        ("community_governance", QZ_FIELDS),         # items of a list of fields
        ("volunteer_services", QZ_FIELDS),
        ("government_purchase", QZ_SANCTION),        # a sanction, masked as a negation
        ("venture_philanthropy", QZ_SANCTION),
        ("pilot_demonstration", QZ_SANCTION),
        ("recognition_awards", QZ_SANCTION),
        ("social_work_talent", QZ_FIVE_SOCIAL),      # the 五社联动 enumeration
        ("volunteer_services", QZ_FIVE_SOCIAL),
        ("charity_resources", QZ_FIVE_SOCIAL),
        ("recognition_awards", QZ_INVESTMENT_REWARD),
        ("charity_resources", QZ_STATISTICS),
        ("pilot_demonstration", "共同富裕示范区"),
        ("direct_funding", QZ_VENTURE),
    ],
    "ganzhou": [
        ("volunteer_services", GZ_HEAD_COUNT),       # a head count
        ("volunteer_services", GZ_ASSOCIATIONS),     # existing associations named as recipients
        ("charity_resources", GZ_CONTRIBUTIONS),     # what organisations contributed, not resources raised
        ("charity_resources", GZ_LINK_HEADING),      # linking volunteers to needs, no charitable resources
        ("publicity", GZ_PROPAGANDA_DEPT),           # 宣传部 is an actor
        ("rural_revitalisation", GZ_PURPOSES),       # 扶贫济困 is a charitable purpose
        ("training_capacity", GZ_SERVICE_FIELDS),    # a list of fields the groups serve
        ("recognition_awards", GZ_PROJECT_REWARD),
    ],
    "jiangsu": [
        ("social_work_talent", JS_SERVICE_TYPES),    # one item of a list of service types
        ("social_work_talent", JS_TOPIC_HEADING),    # a topic heading
        ("social_work_talent", JS_TRAINEES),         # the 三社 enumeration and a list of trainees
        ("volunteer_services", JS_TRAINEES),
        ("community_governance", JS_VOLUNTEER_MATCHING),
        ("rural_revitalisation", JS_ROLE_FIELDS),
        ("volunteer_services", JS_VOLUNTEER_COUNT),
        ("direct_funding", JS_DONORS),               # donors' money is charity_resources
        ("publicity", JS_NEW_MEDIA),
        ("pilot_demonstration", "示范培训班"),
        ("recognition_awards", "帮扶激励"),           # cash help for exam takers
    ],
    "xuancheng": [
        ("supervision_enforcement", XC_EMBEDDED),
        ("registration_reform", XC_EMBEDDED),
        ("social_work_talent", XC_ACTORS),           # actors listed side by side
        ("volunteer_services", XC_ACTORS),
        ("policy_planning", XC_ASSESSMENT_HEADING),  # the inspection of organisations, not an assessment of the work
        ("training_capacity", XC_GOVERNANCE_CAPACITY),
        ("direct_funding", XC_VENTURE),
    ],
    "leshan": [
        ("direct_funding", LS_PURCHASE_BUDGET),      # a purchase budget is government_purchase
        ("social_work_talent", LS_METHOD),           # a working method, not the profession developed
        ("social_work_talent", LS_FIVE_SOCIAL),
        ("volunteer_services", LS_FIVE_SOCIAL),
        ("charity_resources", LS_FIVE_SOCIAL),
        ("digital_platform", LS_INCUBATOR_PLAN),
        ("direct_funding", LS_MICRO_VENTURE),
    ],
}

# Categories a reply does not report at all.
ABSENT = {
    "quzhou": ["registration_reform"],
    "ganzhou": ["social_work_talent"],
    "jiangsu": ["supervision_enforcement", "tax_incentives"],
    "xuancheng": ["tax_incentives", "publicity"],
    "leshan": ["party_building", "tax_incentives"],
}


@pytest.mark.parametrize(
    "slug,category,status,fragments",
    [(slug, c, s, f) for slug, rows in MUST_FIND.items() for c, s, f in rows],
)
def test_must_find(slug, category, status, fragments):
    found = find(slug, category, *fragments)
    assert found, f"{slug}: no {category} in a sentence with {fragments}"
    assert all(m.status == status for m in found), [(m.status, m.quote_clean) for m in found]


@pytest.mark.parametrize(
    "slug,category,fragment",
    [(slug, c, f) for slug, rows in MUST_NOT_FIND.items() for c, f in rows],
)
def test_must_not_find(slug, category, fragment):
    assert fragment in cleaned(slug).text  # guards against a typo making the test vacuous
    assert not find(slug, category, fragment)


@pytest.mark.parametrize("slug,category", [(s, c) for s, cats in ABSENT.items() for c in cats])
def test_absent_categories(slug, category):
    assert not [m.quote_clean for m in measures(slug) if m.category == category]


def test_quzhou_venture_money_is_the_sentence_after_the_venture_sentence():
    # The brief's example pairs 公益创投 with 1100余万元; the reply puts them in consecutive sentences.
    venture = find("quzhou", "venture_philanthropy", QZ_VENTURE)[0]
    money = find("quzhou", "direct_funding", QZ_VENTURE_MONEY)[0]
    assert venture.quote_end <= money.quote_start


# --- status ------------------------------------------------------------------------------

PLANNED_HEADINGS = {
    "ganzhou": "下一步,我局将",
    "jiangsu": "二、下一步工作安排",
    "leshan": "三、下一步工作",
}
CLOSING_THANKS = {
    "ganzhou": "再次感谢",
    "jiangsu": "再次向您表示感谢",
    "leshan": "谢谢您们",
}


@pytest.mark.parametrize("slug", sorted(PLANNED_HEADINGS))
def test_next_steps_section_is_planned_and_earlier_sections_done(slug):
    raw = cleaned(slug).raw
    start = raw.index(PLANNED_HEADINGS[slug])
    end = raw.index(CLOSING_THANKS[slug])
    inside = [m for m in measures(slug) if start <= m.quote_start < end]
    before = [m for m in measures(slug) if m.quote_start < start]
    assert inside and before
    assert all(m.status == "planned" for m in inside)
    assert all(m.status == "done" for m in before), [m.quote_clean for m in before if m.status != "done"]


def test_quzhou_has_no_next_steps_section_so_only_targets_are_planned():
    planned = [m.quote_clean for m in measures("quzhou") if m.status == "planned"]
    assert planned and all(QZ_PARTY_TARGET in q for q in planned)


# --- quotes and ids ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(REPLIES))
def test_quotes_are_exact_raw_substrings_and_ids_unique(slug):
    clean = cleaned(slug)
    ms = measures(slug)
    assert ms
    for m in ms:
        assert clean.raw[m.quote_start:m.quote_end] == m.quote
        assert m.id == f"{m.category}@{m.quote_start}"
        assert m.source == "extracted" and m.matched
    assert len({m.id for m in ms}) == len(ms)
    assert list(ms) == sorted(ms, key=lambda m: (m.quote_start, m.category))


def test_xuancheng_quote_keeps_traditional_and_pinyin_of_the_raw_text():
    m = find("xuancheng", "rural_revitalisation", XC_RURAL)[0]
    assert "鄉(xiāng)村" in m.quote and "乡村" in m.quote_clean


GZ_SPAM = "beat365"


def test_ganzhou_quote_keeps_the_spam_string_that_cleaning_removed():
    m = find("ganzhou", "policy_planning", "志愿服务记录与证明抽查工作实施方案")[0]
    assert GZ_SPAM in m.quote and GZ_SPAM not in m.quote_clean


def test_extraction_is_deterministic():
    again = extract_measures(clean_text(load_reply(RAW_DIR / REPLIES["leshan"])))
    assert [m.model_dump() for m in again] == [m.model_dump() for m in measures("leshan")]


# --- another city, coded without code changes ---------------------------------------------------

OTHER_CITY = (
    "张三代表:\n"
    "您提出的《关于扶持社会组织发展的建议》收悉。现答复如下:\n"
    "一、工作开展情况\n"
    "近年来,我市设立社会组织发展专项资金,通过政府购买服务支持社区社会组织参与社区治理。"
    "目前已建成市级社会组织孵化基地1个,对符合条件的社区社会组织实行备案管理。\n"
    "二、下一步工作打算\n"
    "一是开展社会组织等级评估。二是组织社会组织负责人培训。\n"
    "感谢您对民政工作的关心!\n"
)


def test_a_reply_from_another_city_is_coded():
    ms = extract_measures(clean_text(OTHER_CITY))
    coded = {(m.category, m.status) for m in ms}
    assert coded == {
        ("direct_funding", "done"),
        ("government_purchase", "done"),
        ("community_governance", "done"),
        ("incubation_platform", "done"),
        ("registration_reform", "done"),
        ("supervision_enforcement", "planned"),
        ("training_capacity", "planned"),
    }


# --- tokens and distinctive terms ------------------------------------------------------------------

TOKEN_SAMPLE = "各地通过公益创投和福彩公益金支持五社联动,2023年投入1100万元。"


def test_tokenize_keeps_domain_terms_whole_and_drops_noise():
    tokens = tokenize(TOKEN_SAMPLE)
    for term in ("公益创投", "福彩公益金", "五社联动"):
        assert term in tokens
    assert not [t for t in tokens if len(t) < 2 or t.isdigit()]
    assert "2023" not in tokens and "通过" not in tokens


@lru_cache(maxsize=1)
def distinctive() -> dict[str, list[tuple[str, float]]]:
    return compute_distinctive_terms({slug: cleaned(slug).text for slug in REPLIES})


def test_distinctive_terms_are_specific_to_the_reply():
    terms = distinctive()
    quzhou = [t for t, _ in terms["quzhou"]]
    assert "清廉" in quzhou
    assert "社会组织" not in quzhou
    for slug, rows in terms.items():
        assert 0 < len(rows) <= 15
        assert rows == sorted(rows, key=lambda ts: (-ts[1], ts[0]))
        assert all(score > 0 for _, score in rows)


def test_distinctive_terms_are_deterministic():
    again = compute_distinctive_terms({slug: cleaned(slug).text for slug in reversed(list(REPLIES))})
    assert again == distinctive()


# --- one alternation per category finds what its terms searched one by one find ------------------

def _code_term_by_term(sentence: str) -> list[tuple[str, str]]:
    """code_sentence as it was: every term searched on its own, the earliest match kept (codebook order on a tie)."""
    import re

    from loaders.measures import _blank, _rules

    r = _rules()
    if r["skip"].search(sentence):
        return []
    base = _blank(sentence, r["masks"])
    found = []
    for cat in load_codebook()["categories"]:
        masked = _blank(base, [re.compile(x) for x in cat.get("exclude", [])])
        hits = [m for t in cat["terms"] for m in [re.compile(t).search(masked)] if m]
        if hits:
            first = min(hits, key=lambda m: m.start())
            found.append((cat["id"], sentence[first.start():first.end()]))
    return found


def _term_examples() -> list[str]:
    """Sentences built from the codebook's own literal words: each alone, two side by side (a tie or an
    overlap between terms of one category), and each inside an exclude of its category."""
    import re

    words = []
    for cat in load_codebook()["categories"]:
        for pattern in cat["terms"] + cat.get("exclude", []):
            words += [w for w in re.split(r"[|()?\[\]{}.^$\\*+]+", pattern) if len(w) >= 2 and w.isalnum()]
    words = sorted(set(words))
    sentences = [f"我们{w}工作" for w in words]
    sentences += [f"{a}{b}" for a, b in zip(words, words[1:])]
    sentences += [f"全市{b}和{a}" for a, b in zip(words, words[3:])]
    return sentences


def test_code_sentence_matches_term_by_term_search_on_codebook_words():
    from loaders.measures import code_sentence

    sentences = _term_examples()
    assert len(sentences) > 300
    for s in sentences:
        assert [(c["id"], m) for c, m in code_sentence(s)] == _code_term_by_term(s), s


@pytest.mark.parametrize("slug", sorted(REPLIES))
def test_code_sentence_matches_term_by_term_search_on_replies(slug):
    from loaders.measures import code_sentence

    clean = cleaned(slug)
    for a, b in split_sentences(clean):
        s = clean.text[a:b]
        assert [(c["id"], m) for c, m in code_sentence(s)] == _code_term_by_term(s), s


@pytest.mark.parametrize("pattern, expected", [
    ("孵化|培育基地", True),
    ("(社会组织|公益组织)(服务|发展)?(中心|基地)", True),
    ("^[(（]?[一二三]+[)）、]", True),
    ("购买[^,，。;；]{0,10}服务", False),   # a negated class matches a blank
    ("五社联动.{0,40}?慈善资源", False),     # so does .
    ("(?<!成立)志愿者协会", False),          # a blanked 成立 would let it match
    ("示范(?!园)", False),
    ("社区[、和]\\s*社会工作", False),
    ("a b", False),
])
def test_is_blind_to_blanks(pattern, expected):
    from loaders.measures import is_blind_to_blanks

    assert is_blind_to_blanks(pattern) is expected
