"""Blind held-out evaluation (issue 10): the extractor alone on 30 pages from places it was not built on."""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

from loaders.read import load_reply  # noqa: E402
from loaders.records import build_draft  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "unseen"

# Targets of issue 10, printed beside the measured figures.
TARGETS = {"place_and_dates": 95.0, "fully_right": 90.0, "forbidden": 0}

# Number texts that are never a fact whatever a page says: dates and times, phone numbers, 第N号 and
# session numbers (十三届, 四次会议). The per-page forbidden_numbers list names the rest.
GENERIC_FORBIDDEN = [
    re.compile(r"^(19|20)\d{2}\s*(年|[-/.])"),
    re.compile(r"^\d{1,2}\s*[.:/-]\s*\d{1,2}\s*[.:/-]\s*(19|20)\d{2}"),
    re.compile(r"^\d{1,2}\s*(月|时|時|:)"),
    re.compile(r"\d{3,4}-\d{7,8}"),
    re.compile(r"号$|號$"),
    re.compile(r"^[〇零一二三四五六七八九十百\d]+\s*(届|屆)$"),
]
NUMBER_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)?|[〇○零一二三四五六七八九十百千万萬亿億两兩]+")


def load_expected(folder: Path) -> dict:
    with open(folder / "expected.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["files"]


def is_same_value(got: float, want: float) -> bool:
    return abs(float(got) - float(want)) <= 1e-6 * max(1.0, abs(float(want)))


def check_jurisdiction(jurisdiction, want: dict) -> dict:
    """Each part of the place right or not; a field today's schema lacks (prefecture_zh) counts as wrong."""
    got = {
        "slug": getattr(jurisdiction, "slug", ""),
        "name_zh": getattr(jurisdiction, "name_zh", ""),
        "level": getattr(jurisdiction, "level", ""),
        "province_zh": getattr(jurisdiction, "province_zh", None),
        "prefecture_zh": getattr(jurisdiction, "prefecture_zh", None),
    }
    if want["level"] == "unknown":
        parts = {"unknown": got["slug"] == "unknown"}
    else:
        names = {want["name_zh"], *want.get("also", [])}
        parts = {"name_zh": got["name_zh"] in names, "level": got["level"] == want["level"]}
        for key in ("province_zh", "prefecture_zh"):
            if want.get(key):
                parts[key] = got[key] == want[key]
    return {"got": got, "parts": parts, "right": all(parts.values())}


def _matches(fact, want: dict, level: int) -> bool:
    if fact.unit != want["unit"] or not is_same_value(fact.value, want["value"]):
        return False
    if level >= 1 and fact.indicator != want["indicator"]:
        return False
    if level >= 2:
        if fact.qualifier != want["qualifier"] or fact.status != want["status"]:
            return False
        if want.get("value_max") is not None and (
                fact.value_max is None or not is_same_value(fact.value_max, want["value_max"])):
            return False
    return True


def match_facts(facts: list, wanted: list[dict]) -> list[tuple[dict, object | None]]:
    """Pair each stated fact with at most one draft fact: fully right pairs first, then same indicator, then value."""
    pairs: dict[int, object] = {}
    used: set[int] = set()
    for level in (2, 1, 0):
        for index, want in enumerate(wanted):
            if index in pairs:
                continue
            for position, fact in enumerate(facts):
                if position not in used and _matches(fact, want, level):
                    pairs[index] = fact
                    used.add(position)
                    break
    return [(want, pairs.get(index)) for index, want in enumerate(wanted)]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def is_forbidden(number_text: str, forbidden: list[str], quote: str = "") -> bool:
    """A fact is forbidden when its number is a date, phone or session number, or is the number of a forbidden
    string that stands in the fact's own sentence around it (the same digits elsewhere on the page, 10期 beside a
    forbidden 10%, are another number)."""
    text = _normalise(number_text)
    if any(pattern.search(text) for pattern in GENERIC_FORBIDDEN[:-1]):
        return True
    if GENERIC_FORBIDDEN[-1].search(text) and (not quote or re.search(
            re.escape(number_text) + r"\s*(?:人大|政协|人民代表大会|会议|委员会)", quote)):
        return True  # 十三届人大 is a session; 连续举办五届大赛 counts events
    runs = NUMBER_RUN.findall(text)
    core = runs[0] if runs else ""
    for item in forbidden:
        norm = _normalise(item)
        if norm and norm in text:
            return True
        if core and core in NUMBER_RUN.findall(norm) and (not quote or _overlaps(quote, number_text, item)):
            return True
    return False


def _overlaps(quote: str, number_text: str, item: str) -> bool:
    """Whether an occurrence of item in the quote covers an occurrence of number_text."""
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(number_text), quote)]
    for m in re.finditer(re.escape(item), quote):
        if any(a < m.end() and m.start() < b for a, b in spans):
            return True
    return False


def evaluate_file(path: Path, want: dict) -> dict:
    row: dict = {"file": path.name, "traits": want.get("traits", ""), "off_topic": bool(want.get("off_topic"))}
    wanted = want.get("facts") or []
    try:
        draft, _clean = build_draft(load_reply(path))
    except Exception as exc:  # a crash is a result here: every field of the page counts as wrong
        row.update(error=f"{type(exc).__name__}: {exc}", jurisdiction={"right": False, "parts": {}, "got": {}},
                   date_written={"want": want["date_written"], "got": "", "right": False},
                   date_published={"want": want["date_published"], "got": "", "right": False},
                   dates_right=False, prints_date=bool(want["date_written"] or want["date_published"]),
                   doc_type={"want": want["doc_type"], "got": "", "right": False},
                   facts_expected=len(wanted), facts_found=0, facts_indicator=0, facts_fully_right=0,
                   missed=[f"{f['number_text']} {f['indicator']}" for f in wanted], wrong=[],
                   fact_rows=[{"indicator": f["indicator"], "number_text": f["number_text"], "found": False,
                               "indicator_right": False, "qualifier_status_right": False,
                               "fully_right": False} for f in wanted],
                   forbidden_facts=[], off_topic_facts=[], extra_facts=[], draft_facts=0)
        return row
    document = draft.document
    row["jurisdiction"] = check_jurisdiction(draft.jurisdiction, want["jurisdiction"])
    for key in ("date_written", "date_published"):
        got = getattr(document, key, "") or ""
        row[key] = {"want": want[key], "got": got, "right": got == want[key]}
    row["prints_date"] = bool(want["date_written"] or want["date_published"])
    row["dates_right"] = row["date_written"]["right"] and row["date_published"]["right"]
    got_type = getattr(document, "type", "")
    row["doc_type"] = {"want": want["doc_type"], "got": got_type, "right": got_type == want["doc_type"]}

    pairs = match_facts(list(draft.facts), wanted)
    matched_ids = {id(fact) for _, fact in pairs if fact is not None}
    row["draft_facts"] = len(draft.facts)
    row["facts_expected"] = len(wanted)
    row["facts_found"] = sum(fact is not None for _, fact in pairs)
    row["facts_indicator"] = sum(fact is not None and _matches(fact, w, 1) for w, fact in pairs)
    row["facts_fully_right"] = sum(fact is not None and _matches(fact, w, 2) for w, fact in pairs)
    row["fact_rows"] = [{"indicator": w["indicator"], "number_text": w["number_text"], "found": fact is not None,
                         "indicator_right": fact is not None and _matches(fact, w, 1),
                         "qualifier_status_right": fact is not None and fact.qualifier == w["qualifier"]
                         and fact.status == w["status"],
                         "fully_right": fact is not None and _matches(fact, w, 2)} for w, fact in pairs]
    row["missed"] = [f"{w['number_text']} {w['indicator']}" for w, fact in pairs if fact is None]
    row["wrong"] = [
        f"{w['number_text']} want {w['indicator']}/{w['qualifier']}/{w['status']}"
        f" got {fact.indicator}/{fact.qualifier}/{fact.status}"
        for w, fact in pairs if fact is not None and not _matches(fact, w, 2)]
    unmatched = [fact for fact in draft.facts if id(fact) not in matched_ids]
    forbidden = want.get("forbidden_numbers") or []
    row["forbidden_facts"] = [f"{f.number_text} {f.indicator}" for f in unmatched
                              if is_forbidden(f.number_text, forbidden, f.quote)]
    row["off_topic_facts"] = [f"{f.number_text} {f.indicator}" for f in draft.facts] if row["off_topic"] else []
    row["extra_facts"] = [f"{f.number_text} {f.indicator}" for f in unmatched
                          if not row["off_topic"] and not is_forbidden(f.number_text, forbidden, f.quote)]
    return row


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def summarise(rows: list[dict], expected: dict) -> dict:
    n = len(rows)
    printing = [r for r in rows if r["prints_date"]]
    place = sum(r["jurisdiction"]["right"] for r in rows)
    name_level = sum(all(r["jurisdiction"]["parts"].get(k, False) for k in ("name_zh", "level"))
                     or r["jurisdiction"]["parts"].get("unknown", False) for r in rows)
    place_and_dates = sum(r["jurisdiction"]["right"] and (r["dates_right"] or not r["prints_date"]) for r in rows)
    facts = sum(r["facts_expected"] for r in rows)
    by_level: dict[str, list[int]] = {}
    for r in rows:
        level = expected[r["file"]]["jurisdiction"]["level"]
        tally = by_level.setdefault(level, [0, 0])
        tally[0] += r["jurisdiction"]["right"]
        tally[1] += 1
    parts = Counter()
    part_totals = Counter()
    for r in rows:
        for key, ok in r["jurisdiction"]["parts"].items():
            parts[key] += ok
            part_totals[key] += 1
    by_indicator: dict[str, list[int]] = {}
    for r in rows:
        for item in r["fact_rows"]:
            tally = by_indicator.setdefault(item["indicator"], [0, 0, 0])
            tally[0] += item["found"]
            tally[1] += item["fully_right"]
            tally[2] += 1
    return {
        "documents": n,
        "errors": sum("error" in r for r in rows),
        "jurisdiction_right": place, "jurisdiction_right_pct": _percent(place, n),
        "name_and_level_right": name_level, "name_and_level_right_pct": _percent(name_level, n),
        "jurisdiction_parts": {k: f"{parts[k]}/{part_totals[k]}" for k in part_totals},
        "jurisdiction_by_level": {k: f"{v[0]}/{v[1]}" for k, v in by_level.items()},
        "documents_printing_a_date": len(printing),
        "dates_right": sum(r["dates_right"] for r in printing),
        "dates_right_pct": _percent(sum(r["dates_right"] for r in printing), len(printing)),
        "date_written_right": f"{sum(r['date_written']['right'] for r in rows)}/{n}",
        "date_published_right": f"{sum(r['date_published']['right'] for r in rows)}/{n}",
        "place_and_dates_right": place_and_dates, "place_and_dates_right_pct": _percent(place_and_dates, n),
        "doc_type_right": sum(r["doc_type"]["right"] for r in rows),
        "doc_type_right_pct": _percent(sum(r["doc_type"]["right"] for r in rows), n),
        "facts_expected": facts,
        "facts_found": sum(r["facts_found"] for r in rows),
        "fact_recall_pct": _percent(sum(r["facts_found"] for r in rows), facts),
        "facts_indicator_right": sum(r["facts_indicator"] for r in rows),
        "indicator_right_pct": _percent(sum(r["facts_indicator"] for r in rows), facts),
        "facts_qualifier_status_right": sum(item["qualifier_status_right"] for r in rows for item in r["fact_rows"]),
        "qualifier_status_right_pct": _percent(
            sum(item["qualifier_status_right"] for r in rows for item in r["fact_rows"]), facts),
        "facts_fully_right": sum(r["facts_fully_right"] for r in rows),
        "fully_right_pct": _percent(sum(r["facts_fully_right"] for r in rows), facts),
        "forbidden_facts": sum(len(r["forbidden_facts"]) for r in rows),
        "off_topic_facts": sum(len(r["off_topic_facts"]) for r in rows),
        "extra_facts": sum(len(r["extra_facts"]) for r in rows),
        "by_indicator": {k: f"{v[0]}/{v[2]} found, {v[1]}/{v[2]} fully right" for k, v in sorted(by_indicator.items())},
        "targets": TARGETS,
    }


def _mark(ok: bool) -> str:
    return "ok" if ok else "--"


def print_report(rows: list[dict], totals: dict, expected: dict, details: bool) -> None:
    header = f"{'file':44} {'place (got)':30} {'pl':2} {'written':10} {'published':10} {'dt':2} " \
             f"{'type':12} {'facts':>11} {'forb':>4} {'xtra':>4}"
    print(header)
    print("-" * len(header))
    for r in rows:
        got = r["jurisdiction"].get("got") or {}
        place = f"{got.get('name_zh', '')}/{got.get('level', '')}" if got else "ERROR"
        written = r["date_written"]["got"] or "-"
        published = r["date_published"]["got"] or "-"
        facts = f"{r['facts_fully_right']}/{r['facts_found']}/{r['facts_expected']}"
        forbidden = len(r["forbidden_facts"]) + len(r["off_topic_facts"])
        print(f"{r['file'][:44]:44} {place[:30]:30} {_mark(r['jurisdiction']['right']):2} {written:10} "
              f"{published:10} {_mark(r['dates_right'] or not r['prints_date']):2} "
              f"{r['doc_type']['got'][:12]:12} {facts:>11} {forbidden:>4} {len(r['extra_facts']):>4}")
        if details:
            want = expected[r["file"]]
            if not r["jurisdiction"]["right"]:
                wrong_parts = [k for k, ok in r["jurisdiction"]["parts"].items() if not ok]
                print(f"    place: want {want['jurisdiction']}, wrong {wrong_parts}")
            for key in ("date_written", "date_published"):
                if not r[key]["right"]:
                    print(f"    {key}: want {r[key]['want'] or '-'} got {r[key]['got'] or '-'}")
            if not r["doc_type"]["right"]:
                print(f"    type: want {r['doc_type']['want']} got {r['doc_type']['got']}")
            for label in ("missed", "wrong", "forbidden_facts", "off_topic_facts"):
                if r[label]:
                    print(f"    {label}: {'; '.join(r[label])}")
            if r.get("error"):
                print(f"    error: {r['error']}")
    t = totals
    print()
    print("facts column: fully right / value found / stated; forb: forbidden or off-topic facts; "
          "xtra: other facts not in the expected list (not scored)")
    print(f"documents                          {t['documents']} (errors: {t['errors']})")
    print(f"jurisdiction + level right         {t['jurisdiction_right']}/{t['documents']} = "
          f"{t['jurisdiction_right_pct']}%   by level {t['jurisdiction_by_level']}   parts {t['jurisdiction_parts']}")
    print(f"  name + level only (no parents)   {t['name_and_level_right']}/{t['documents']} = "
          f"{t['name_and_level_right_pct']}%")
    print(f"dates right (of pages with a date) {t['dates_right']}/{t['documents_printing_a_date']} = "
          f"{t['dates_right_pct']}%   written {t['date_written_right']}, published {t['date_published_right']}")
    print(f"place + level + dates right        {t['place_and_dates_right']}/{t['documents']} = "
          f"{t['place_and_dates_right_pct']}%   (target >= {TARGETS['place_and_dates']}%)")
    print(f"document type right                {t['doc_type_right']}/{t['documents']} = {t['doc_type_right_pct']}%")
    print(f"fact recall (value + unit)         {t['facts_found']}/{t['facts_expected']} = {t['fact_recall_pct']}%")
    print(f"  + indicator                      {t['facts_indicator_right']}/{t['facts_expected']} = "
          f"{t['indicator_right_pct']}%")
    print(f"  + qualifier, status (any code)   {t['facts_qualifier_status_right']}/{t['facts_expected']} = "
          f"{t['qualifier_status_right_pct']}%")
    print(f"  + indicator, qualifier, status   {t['facts_fully_right']}/{t['facts_expected']} = "
          f"{t['fully_right_pct']}%   (target >= {TARGETS['fully_right']}%)")
    print(f"forbidden facts (doc no., date, phone, session)  {t['forbidden_facts']}   (target {TARGETS['forbidden']})")
    print(f"facts on off-topic pages           {t['off_topic_facts']}   (target 0)")
    print(f"other facts, not scored            {t['extra_facts']}")
    if details:
        print("by indicator:")
        for indicator, text in t["by_indicator"].items():
            print(f"  {indicator:36} {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="folder with the pages and expected.yaml")
    parser.add_argument("--json", action="store_true", help="print the per-file rows and totals as JSON")
    parser.add_argument("--details", action="store_true", help="list what each page got wrong")
    args = parser.parse_args(argv)
    expected = load_expected(args.fixtures)
    rows = [evaluate_file(args.fixtures / name, want) for name, want in expected.items()]
    totals = summarise(rows, expected)
    if args.json:
        print(json.dumps({"totals": totals, "files": rows}, ensure_ascii=False, indent=1))
    else:
        print_report(rows, totals, expected, args.details)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
