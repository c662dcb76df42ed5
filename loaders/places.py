"""Places of mainland China down to the county: by name, by slug, in context, and by document-number prefix."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

KIND_WORDS = {"district": "district", "county": "county", "city": "county-level city",
              "autonomous_county": "autonomous county", "banner": "banner", "autonomous_banner": "autonomous banner",
              "forest_district": "forest district", "special_district": "special district",
              "prefecture": "prefecture", "province": "province"}
# A parent is named in running text without its suffix too (长春, 吉林, 内蒙古, 广西); 自治区 names carry a people.
_SHORT = re.compile(r"(?:省|市|地区|盟|州|(?:壮族|回族|维吾尔)?自治区)$")
# What follows an issuer's abbreviation in a document number: 民 (民政厅/局: 浙民提) or 政 (政府: 浙政办).
_DOC_NUMBER_SHAPES = (("prefecture", re.compile(r"^\s*[(（]?([\u4e00-\u9fff])市[民政]")),
                      ("province", re.compile(r"^\s*[(（]?([\u4e00-\u9fff])[民政]")))


@dataclass(frozen=True)
class Place:
    slug: str
    name_zh: str
    name_en: str
    level: str  # province, prefecture or county
    province_zh: str
    province_en: str
    prefecture_zh: str = ""  # a county's prefecture; a municipality for its districts; empty for 仙桃市
    prefecture_en: str = ""
    prefecture_slug: str = ""
    code: str = ""  # the 6-digit division code (counties only)
    kind: str = ""  # district, county, city, autonomous_county, banner... (counties); else the level


def _read_rows(file_name: str) -> list[dict]:
    # csv.reader and a dict per row: csv.DictReader took 20 ms of the 50 ms a build worker may spend here.
    lines = (REFERENCE_DIR / file_name).read_text(encoding="utf-8").splitlines()
    header, *rows = csv.reader(line for line in lines if not line.startswith("#"))
    return [dict(zip(header, row)) for row in rows]


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[Place, ...], dict[str, list[Place]], dict[str, Place], dict[str, tuple[str, ...]]]:
    """Places in file order, places by name and alias, by slug, and each slug's aliases."""
    places, aliases = [], {}
    for row in _read_rows("gazetteer_cn.csv"):
        places.append(Place(row["slug"], row["name_zh"], row["name_en"], row["level"], row["province_zh"],
                            row["province_en"], kind=row["level"]))
        aliases[row["slug"]] = tuple(filter(None, row["aliases"].split("|")))
    for row in _read_rows("gazetteer_county.csv"):
        places.append(Place(row["slug"], row["name_zh"], row["name_en"], row["level"], row["province_zh"],
                            row["province_en"], row["prefecture_zh"], row["prefecture_en"], row["prefecture_slug"],
                            row["code"], row["kind"]))
        aliases[row["slug"]] = tuple(filter(None, row["aliases"].split("|")))
    by_name: dict[str, list[Place]] = {}
    for place in places:
        for name in (place.name_zh, *aliases[place.slug]):
            by_name.setdefault(name, []).append(place)
    return tuple(places), by_name, {p.slug: p for p in places}, aliases


@lru_cache(maxsize=1)
def province_other_names() -> dict[str, dict[str, str]]:
    """kind (newspaper, literary) -> word -> province slug (data/reference/province_other_names.csv): words that
    name a province without its name (来源:大众日报 is Shandong's paper; 陇原 is Gansu)."""
    by_name = {p.name_zh: p.slug for p in load_places() if p.level == "province"}
    out: dict[str, dict[str, str]] = {}
    for row in _read_rows("province_other_names.csv"):
        out.setdefault(row["kind"], {})[row["word"]] = by_name[row["province_zh"]]
    return out


def load_places() -> tuple[Place, ...]:
    """Every province, prefecture and county (data/reference/gazetteer_cn.csv and gazetteer_county.csv)."""
    return _index()[0]


def find_places(name: str) -> list[Place]:
    """Every place with this exact name or alias: 朝阳区 gives the one in Beijing and the one in Changchun."""
    return list(_index()[1].get(name, []))


def place_names() -> dict[str, list[Place]]:
    """Every name and alias, each with the places it names (read-only: shared by every caller)."""
    return _index()[1]


def place_by_slug(slug: str) -> Place | None:
    return _index()[2].get(slug)


def _short_names(name: str, aliases: tuple[str, ...] = ()) -> set[str]:
    """A place's name, its aliases, and each without its suffix where two characters remain (长春市 -> 长春)."""
    names = {name, *aliases}
    names |= {short for n in list(names) if len(short := _SHORT.sub("", n)) >= 2}
    return names


def _parent_names(place: Place) -> tuple[set[str], set[str]]:
    """The names text may give a place's prefecture, and its province."""
    aliases = _index()[3]
    prefecture = _short_names(place.prefecture_zh, aliases.get(place.prefecture_slug, ())) if place.prefecture_zh \
        else set()
    province = _short_names(place.province_zh) if place.province_zh != place.name_zh else set()
    return prefecture, province


def _parent_label(place: Place) -> str:
    return place.prefecture_zh or place.province_zh


def _join(items: list[str], word: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _choose(name: str, candidates: list[Place], context: str) -> tuple[Place | None, str]:
    """The one candidate whose parent the context names; its prefecture counts above its province."""
    if len(candidates) == 1:
        return candidates[0], ""
    scores = []
    for place in candidates:
        prefecture, province = _parent_names(place)
        scores.append(2 if any(n in context for n in prefecture) else 1 if any(n in context for n in province) else 0)
    best = max(scores)
    if best and scores.count(best) == 1:
        return candidates[scores.index(best)], ""
    kinds = {p.kind for p in candidates}
    kind = KIND_WORDS.get(kinds.pop(), "place") if len(kinds) == 1 else "place"
    parents = [_parent_label(p) for p in candidates]
    where = f"{name} is a {kind} in " + _join(parents, "and in" if len(parents) == 2 else "and")
    if not best:
        return None, f"{where}; the text names {'neither' if len(parents) == 2 else 'none of them'}"
    named = sorted({n for p, s in zip(candidates, scores) if s == best
                    for n in _parent_names(p)[0 if best == 2 else 1] if n in context}, key=context.find)
    named = [n for n in named if not any(n != other and n in other for other in named)]  # 江苏 within 江苏省
    return None, f"{where}; the text names {_join(named)}, which does not tell them apart"


def _is_made_of(head: str, names: set[str]) -> bool:
    """Whether head is a sequence of these names (吉林省长春市 from 吉林省 and 长春市)."""
    if not head:
        return True
    return any(head.startswith(n) and _is_made_of(head[len(n):], names) for n in names)


def resolve_place_name(name: str, context: str = "") -> tuple[Place | None, str]:
    """The one place a name stands for, and why not when it does not (an unknown or ambiguous name).

    Among places of one name (朝阳区 in 北京市 and in 长春市) the one whose prefecture or province the context
    names wins. A qualified name (吉林省长春市朝阳区, 长春市朝阳区) carries its own context."""
    name = name.strip()
    if not name:
        return None, "no place name given"
    candidates = find_places(name)
    if candidates:
        return _choose(name, candidates, context)
    mismatch = ""
    for cut in range(1, len(name) - 1):
        head, tail = name[:cut], name[cut:]
        candidates = find_places(tail)
        fitting = [p for p in candidates if _is_made_of(head, set().union(*_parent_names(p)))]
        if fitting:
            return _choose(tail, fitting, head + context)
        if candidates and not mismatch:
            parents = _join(sorted({_parent_label(p) for p in candidates}))
            mismatch = f"{name}: {tail} is in {parents}, which {head} does not name"
    return None, mismatch or f"{name} is not a place in the gazetteers"


@lru_cache(maxsize=1)
def _doc_number_prefixes() -> dict[str, list[dict]]:
    by_prefix: dict[str, list[dict]] = {}
    for row in _read_rows("doc_number_prefixes.csv"):
        by_prefix.setdefault(row["prefix"], []).append(row)
    return by_prefix


def find_doc_number_prefix(reference_number: str) -> tuple[Place | None, str]:
    """The place a document number's opening abbreviation stands for (浙民提〔2021〕8号: Zhejiang).

    X市民… is a prefecture (衢市民议函: Quzhou); X民… and X政… a province (苏民函: Jiangsu), else a city whose
    abbreviation or first character X is (穗民, 杭民). An ambiguous X gives (None, reason); an unknown one (None, "")."""
    text = reference_number.strip()
    head = re.match(r"^\s*[(（]?([\u4e00-\u9fff]{2,8}?)[民政]", text)
    if head and len(head.group(1)) >= 2 and len(found := find_places(head.group(1))) == 1:
        return found[0], ""  # a full name or alias: 恩施州民发
    for shape, pattern in _DOC_NUMBER_SHAPES:
        m = pattern.match(text)
        if not m:
            continue
        rows = _doc_number_prefixes().get(m.group(1), [])
        if shape == "province":
            # 苏民 is Jiangsu's bureau, not Suzhou's; a first character counts only when no province has it.
            rows = [r for r in rows if r["rule"] != "first_character"] or rows
        else:
            rows = [r for r in rows if r["rule"] == "first_character"]
        if not rows:
            return None, ""
        if len(rows) == 1 and rows[0]["is_unambiguous"] == "true":
            return place_by_slug(rows[0]["slug"]), ""
        prefix, others = m.group(1), [r for r in _doc_number_prefixes()[m.group(1)] if r not in rows]
        reason = f"{prefix} in {text} may stand for {_join([r['name_zh'] for r in rows], 'or')}"
        if abbreviated := [r["name_zh"] for r in others if r["rule"] != "first_character"]:
            reason += f"; {prefix} is also the abbreviation of {_join(abbreviated, 'and')}"
        if begun := [r["name_zh"] for r in others if r["rule"] == "first_character"]:
            reason += f"; {prefix} also begins {_join(begun, 'and')}"
        return None, reason
    return None, ""
