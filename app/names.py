"""English names of Chinese places and offices, for English pages: 乐山市民政局 -> Leshan Civil Affairs Bureau.

The place's English name is the gazetteer's (data/reference/gazetteer_cn.csv, gazetteer_county.csv, read through
loaders/places.py); the office's is app/office_names.yaml's. A name neither knows gets no English name: it is shown in
Chinese alone, never with a guessed translation.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

OFFICE_FILE = Path(__file__).resolve().parent / "office_names.yaml"
MAX_NAME = 200  # longer text is no name: left as it is


@lru_cache(maxsize=1)
def _offices() -> dict:
    doc = yaml.safe_load(OFFICE_FILE.read_text(encoding="utf-8")) or {}
    return {key: {str(k): str(v) for k, v in (doc.get(key) or {}).items()}
            for key in ("after_place", "alone", "county_kind")}


@lru_cache(maxsize=1)
def _longest_place_name() -> int:
    from loaders.places import place_names

    return max(len(name) for name in place_names())


def _place_chain(text: str) -> tuple[list[str], str]:
    """The gazetteer names text starts with, one after another (吉林省长春市朝阳区 -> three), and what follows them."""
    from loaders.places import place_names

    names, pos, index, longest = [], 0, place_names(), _longest_place_name()
    while pos < len(text):
        for length in range(min(longest, len(text) - pos), 1, -1):
            if text[pos:pos + length] in index:
                names.append(text[pos:pos + length])
                pos += length
                break
        else:
            break
    return names, text[pos:]


def _place_en(names: list[str]) -> str:
    """The English name of the last of names, told apart by the ones before it; '' when it cannot be told."""
    from loaders.places import find_places

    candidates = find_places(names[-1])
    if len(candidates) > 1:
        parents = set(names[:-1])
        named = [p for p in candidates if {p.prefecture_zh, p.province_zh} & parents]
        candidates = named or candidates
    if not candidates or len({(p.name_en, p.kind) for p in candidates}) > 1:
        return ""
    place = candidates[0]
    kind = _offices()["county_kind"].get(place.kind, "") if place.level == "county" else ""
    return f"{place.name_en} {kind}".strip() if place.name_en else ""


@lru_cache(maxsize=4096)
def english_name(name: str) -> str:
    """The English name of a place or office in Chinese, '' when none is known.

    '乐山市民政局' -> 'Leshan Civil Affairs Bureau'; '江苏省民政厅' -> 'Jiangsu Department of Civil Affairs';
    '乐山市' -> 'Leshan'; '市中区' -> 'Shizhong District' (where one place bears the name); '市民政局' -> "the city's
    Civil Affairs Bureau"; '共青团界别' -> ''."""
    text = str(name or "").strip()
    if not text or len(text) > MAX_NAME:
        return ""
    offices = _offices()
    if text in offices["alone"]:
        return offices["alone"][text]
    names, rest = _place_chain(text)
    if not names:
        return ""
    place = _place_en(names)
    if not place:
        return ""
    if not rest:
        return place
    template = offices["after_place"].get(rest)
    return template.replace("{place}", place) if template else ""


def with_english(name, lang: str) -> str:
    """name as an English page shows it: 'Leshan Civil Affairs Bureau (乐山市民政局)', its English name first and the
    Chinese kept for tracing; name alone when no English name is known, and on Chinese pages."""
    text = "" if name is None else str(name)
    if lang != "en":
        return text
    english = english_name(text)
    return f"{english} ({text})" if english else text
