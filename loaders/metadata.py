"""Metadata stage: who wrote the reply, to whom, about what, when, and which jurisdiction it speaks for."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

from loaders.clean import CleanText
from loaders.schema import Document, Jurisdiction

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

_PLACE = r"[\u4e00-\u9fff]{2,10}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗)"
_ISSUER = re.compile(rf"({_PLACE})民政(?:局|厅)")
_DATE_ZH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SALUTATION = re.compile(r"^\s*([^\n::。,,]{2,40})[::]\s*$", re.M)
_REFERENCE = re.compile(r"[(（]([\u4e00-\u9fff]{2,10}〔\d{4}〕\s*\d+\s*号)[)）]")
_PROPOSAL_NUMBER = re.compile(r"第\s*(\d+)\s*号")
_SESSION = re.compile(r"([省市区县]?[一二三四五六七八九十]+届(?:人大|政协)?[一二三四五六七八九十]+次(?:会议)?)")
_TITLE_BOOK = re.compile(r"《([^》]{4,80})》")
_TITLE_QUOTED = re.compile(r"[“\"]([^”\"]{4,80})[”\"]\s*(?:提案|建议)")


@lru_cache(maxsize=1)
def load_jurisdictions() -> dict:
    return yaml.safe_load((REFERENCE_DIR / "jurisdictions.yaml").read_text(encoding="utf-8"))


def _iso(y: str, m: str, d: str) -> str:
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def _furniture_lines(clean: CleanText) -> list[str]:
    """Removed furniture lines, converted like the text (so 發布機構 reads 发布机构)."""
    from loaders.clean import convert_to_simplified, strip_pinyin

    lines = []
    for r in clean.repairs:
        if r.kind == "furniture":
            tmp = CleanText(r.removed, r.removed, tuple(range(len(r.removed))))
            lines.append(convert_to_simplified(strip_pinyin(tmp)).text)
    return lines


def _field(lines: list[str], names: str) -> str:
    pat = re.compile(rf"(?:{names})\s*[::]?\s*([^\s]+(?:\s\d{{1,2}}:\d{{2}})?)")
    for line in lines:
        m = pat.search(line)
        if m:
            return m.group(1).strip()
    return ""


def pinyin_name(name_zh: str) -> str:
    """English name of a place not in the gazetteer: pinyin of the name without its 市/省/县 suffix."""
    from pypinyin import lazy_pinyin

    core = re.sub(r"(省|自治区|市|自治州|州|盟|地区|县|区|旗)$", "", name_zh) or name_zh
    return "".join(lazy_pinyin(core)).capitalize()


def _level_of(name_zh: str) -> str:
    """Level of a place the gazetteer does not list. It lists every province and prefecture, so an unlisted
    X市 is a county-level city (广德市, 峨眉山市), and an unlisted 州/地区/盟 a new or misspelt prefecture."""
    if re.search(r"(省|自治区)$", name_zh):
        return "province"
    if re.search(r"(自治州|州|盟|地区)$", name_zh):
        return "prefecture"
    if re.search(r"(市|县|区|旗)$", name_zh):
        return "county"
    return "unknown"


def identify_jurisdiction(clean: CleanText) -> Jurisdiction:
    """Name the jurisdiction from the issuer (X市民政局), else from the sub-areas the text mentions."""
    gaz = load_jurisdictions()["jurisdictions"]
    text = clean.text
    # Only the title, the signature and the index block name the issuer; elsewhere "X市民政局" is often
    # a verb phrase running into 市民政局 (Ganzhou 2022: 充分发挥市民政局).
    places = [text[:300], text[-300:], *_furniture_lines(clean)]
    issuers = [m.group(1) for part in places for m in _ISSUER.finditer(part)]
    resolved = [place for place in map(resolve_place, issuers) if place is not None]
    if resolved:
        slug = Counter(p.slug for p in resolved).most_common(1)[0][0]
        return next(p for p in resolved if p.slug == slug)
    # No named issuer: the name may have been overwritten (Ganzhou 2022). Count known names and sub-areas.
    scores = {}
    for j in gaz:
        short = j["name_zh"][:-1]
        score = 3 * text.count(j["name_zh"]) + text.count(short)
        score += sum(text.count(a) for a in j.get("sub_areas", []))
        scores[j["slug"]] = score
    best = max(scores, key=scores.get) if scores else None
    if best and scores[best] >= 3:
        return _from_gazetteer(next(j for j in gaz if j["slug"] == best))
    return Jurisdiction(slug="unknown", name_zh="", name_en="Unknown", level="unknown")


@lru_cache(maxsize=1)
def load_gazetteer() -> dict[str, Jurisdiction]:
    """Every province and prefecture of China by name and alias (data/reference/gazetteer_cn.csv)."""
    import csv

    lines = (REFERENCE_DIR / "gazetteer_cn.csv").read_text(encoding="utf-8").splitlines()
    by_name: dict[str, Jurisdiction] = {}
    for row in csv.DictReader(line for line in lines if not line.startswith("#")):
        place = Jurisdiction(**{k: row[k] for k in ("slug", "name_zh", "name_en", "level", "province_zh", "province_en")})
        for name in [row["name_zh"], *filter(None, row["aliases"].split("|"))]:
            by_name[name] = place
    # The curated places keep their own entries (the same slugs and names).
    for j in load_jurisdictions()["jurisdictions"]:
        by_name[j["name_zh"]] = _from_gazetteer(j)
    return by_name


def resolve_place(name: str) -> Jurisdiction | None:
    """The jurisdiction an issuer's place name stands for, or None if it is running text, not a name.

    A name the gazetteer knows is taken as it is, whatever its characters (合肥市, 呼和浩特市 and 本溪市 hold 合,
    和 and 本, which in running text are words). A known name at the end of running text (发挥合肥市民政局) or after
    its province (安徽省合肥市) is that name. Anything else must look like a name (no verbs or function words) and is
    taken as a place outside the gazetteer, a county say, named in pinyin."""
    known = load_gazetteer()
    if name in known:
        return known[name]
    for cut in range(1, len(name) - 1):
        head, tail = name[:cut], name[cut:]
        if tail in known and (head in known or _NOT_IN_NAMES.search(head)):
            return known[tail]
    if not _is_place_name(name):
        return None
    from pypinyin import lazy_pinyin

    slug = pinyin_name(name).lower()
    if slug in {p.slug for p in known.values()}:
        slug = "".join(lazy_pinyin(name)).lower()  # a county sharing a prefecture's pinyin keeps its suffix: jizhouqu
    return Jurisdiction(slug=slug, name_zh=name, name_en=pinyin_name(name), level=_level_of(name))


_NOT_IN_NAMES = re.compile(r"[发挥推动加强联合经由与和及向对在是将为了的我本全该各]")


def _is_place_name(name: str) -> bool:
    return len(name) <= 8 and not _NOT_IN_NAMES.search(name[:-1])


def _from_gazetteer(j: dict) -> Jurisdiction:
    return Jurisdiction(**{k: j[k] for k in ("slug", "name_zh", "name_en", "level", "province_zh", "province_en")})


def extract_document(clean: CleanText, jurisdiction: Jurisdiction) -> Document:
    """Document type, issuer, addressee, proposal title and number, reference and dates."""
    text = clean.text
    furniture = _furniture_lines(clean)
    head = text[:600]

    salutation = next((m.group(1).strip() for m in _SALUTATION.finditer(head)), "")
    if re.search(r"代表$", salutation):
        doc_type = "npc_suggestion_reply"
    elif re.search(r"(委员|界别|政协|党派|民盟|民建|民进|农工|九三|致公|台盟|民革)", salutation):
        doc_type = "cppcc_proposal_reply"
    elif re.search(r"(人大代表建议|政协提案|答复)", text[:1500] + " ".join(furniture)):
        doc_type = "cppcc_proposal_reply" if "提案" in text[:1500] else "npc_suggestion_reply"
    elif salutation:
        doc_type = "other"
    else:
        doc_type = "news_item"
    if doc_type == "other" and "提案" in text[:800]:
        doc_type = "cppcc_proposal_reply"
    if doc_type == "other" and "建议" in text[:800]:
        doc_type = "npc_suggestion_reply"

    title_match = _TITLE_BOOK.search(text[:1500]) or _TITLE_QUOTED.search(text[:1500])
    proposal_title = title_match.group(1).strip() if title_match and doc_type != "news_item" else ""

    tail = text[-300:]
    issuer = ""
    for line in reversed(tail.splitlines()):
        m = _ISSUER.search(line)
        if m and len(line.strip()) <= 20:
            issuer = m.group(0)
            break
    if not issuer:
        m = _ISSUER.search(text[:300]) or _ISSUER.search(" ".join(furniture))
        issuer = m.group(0) if m else ""
    if not issuer and jurisdiction.name_zh:
        bureau = "民政厅" if jurisdiction.level == "province" else "民政局"
        if re.search(r"(我局|我厅|市民政局|省民政厅|本局)", text):
            issuer = jurisdiction.name_zh + bureau

    dates_zh = list(_DATE_ZH.finditer(tail))
    date_written = _iso(*dates_zh[-1].groups()) if dates_zh else ""
    published = _field(furniture, "发布日期|发文日期")
    m = _DATE_ISO.search(published)
    date_published = _iso(*m.groups()) if m else ""
    if not date_written:
        written = _field(furniture, "成文日期")
        m = _DATE_ISO.search(written)
        date_written = _iso(*m.groups()) if m else (date_published if doc_type == "news_item" else "")

    # The reply's own number stands in brackets in its title line; numbers later in the text cite
    # other documents (Jiangsu 2021 cites 苏办发〔2017〕51号).
    ref = _REFERENCE.search("\n".join(text.splitlines()[:3]))
    reference_number = ref.group(1) if ref else _field(furniture, "发布文号|发文字号")
    if reference_number and not re.search(r"\d", reference_number):
        reference_number = ""
    num = _PROPOSAL_NUMBER.search(text[:800])
    session = _SESSION.search(text[:800])
    return Document(
        type=doc_type,
        issuer=issuer,
        addressee=salutation if doc_type != "news_item" else "",
        proposal_title=proposal_title,
        proposal_number=f"第{num.group(1)}号" if num else "",
        reference_number=reference_number,
        session=session.group(1) if session else "",
        date_written=date_written,
        date_published=date_published,
        index_number=_field(furniture, "索引号"),
    )


def make_title(clean: CleanText, document: Document) -> str:
    """The page's own title line if the reply has one, else a description built from its parts."""
    for line in clean.text.splitlines()[:6]:
        line = line.strip()
        if document.issuer and line.startswith(document.issuer) and 8 <= len(line) <= 120:
            return line
    if document.proposal_title:
        return f"{document.issuer or '民政部门'}对《{document.proposal_title}》的答复"
    return clean.text.splitlines()[0][:80]


def make_record_id(jurisdiction: Jurisdiction, document: Document) -> str:
    year = (document.date_written or document.date_published or "0000")[:4]
    return f"{jurisdiction.slug}-{year}"
