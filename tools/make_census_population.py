"""Write data/reference/population_census2020.csv: the 2020 census's resident population of every province, prefecture
and county-level division of the gazetteer, from a dated, licensed public dataset.

Run once by a maintainer, never at run time (nothing is downloaded by the project):
  1. bring the two public repositories here (the search tool's fetch, or `git clone`):
       leiii/census            commit 0ba0f1efae092f4aa6569ef38e53b3bb4d2f0087 (2023-07-13), MIT licence
       thebamboogrove/tudigong commit 4db2f145527695bab2b72d1cce02d30924b6ac95 (2026-02-26), MIT licence
  2. git -C <census> show 0ba0f1e:data/census/census_county_2020_v1.xlsx > /tmp/census_county_2020_v1.xlsx
     git -C <tudigong> show 4db2f14:input/population.csv > /tmp/tudigong_population.csv
  3. .venv/bin/python tools/make_census_population.py /tmp/census_county_2020_v1.xlsx /tmp/tudigong_population.csv

The source is the county yearbook 中国人口普查分县资料—2020 as the leiii/census repository typed it (3,358 rows: the
country, 31 provinces, 338 prefecture-level rows, the county units). Each prefecture and province takes its own row
(its counties do not always add up to it); a county is joined on its 6-digit division code, and a county renamed or
re-coded since 2020 on the county of the same prefecture whose name keeps the old stem (祁阳县 431121 -> 祁阳市 431181).
A division with no clear predecessor in 2020 (a district drawn anew, as Hangzhou's of 2021) gets no row. tudigong's
county table (the same yearbook, typed independently) is the cross-check: the rows that differ are counted in the
file's header.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "data" / "reference"
OUT = REFERENCE_DIR / "population_census2020.csv"
CENSUS_DATE = "2020-11-01"
SOURCE = "中国人口普查分县资料—2020 (leiii/census, census_county_2020_v1.xlsx)"
SUFFIX = re.compile(r"(?:(?:[\u4e00-\u9fff]{1,12}?族)+)?(?:自治县|自治旗|林区|特区|新区|区|县|市|旗)$")


def read_rows(path: Path, tab: str | None = None) -> list[dict]:
    """A CSV of the project's reference folder (comment lines start with #)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def stem(name: str) -> str:
    """A county's name without its suffix (and the peoples of an autonomous county): 祁阳县 and 祁阳市 -> 祁阳."""
    return SUFFIX.sub("", name) or name


def read_census(path: Path) -> list[tuple[str, str, str, str, int]]:
    """(code, province, prefecture, name, population) of every row of the yearbook's table but the country's."""
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    out = []
    for row in list(sheet.iter_rows(values_only=True))[1:]:
        code, province, prefecture, name, population = (str(row[0]), row[1], row[2], row[3], row[4])
        if code == "NA" or not isinstance(population, int):
            continue
        out.append((code, province, prefecture, name, population))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("census_xlsx", type=Path, help="leiii/census data/census/census_county_2020_v1.xlsx")
    parser.add_argument("tudigong_csv", type=Path, help="thebamboogrove/tudigong input/population.csv")
    args = parser.parse_args()

    census = read_census(args.census_xlsx)
    upper = read_rows(REFERENCE_DIR / "gazetteer_cn.csv")
    counties = read_rows(REFERENCE_DIR / "gazetteer_county.csv")

    provinces = {r["name_zh"]: r for r in upper if r["level"] == "province"}
    prefectures: dict[tuple[str, str], dict] = {}
    for r in upper:
        if r["level"] == "prefecture":
            for name in (r["name_zh"], *filter(None, r["aliases"].split("|"))):
                prefectures[(r["province_zh"], name)] = r
    by_code = {r["code"]: r for r in counties}

    rows: dict[str, tuple[dict, int, str]] = {}  # slug -> (gazetteer row, population, note)
    census_counties: dict[str, tuple[str, str, int]] = {}  # code -> (prefecture code, name, population)
    for code, province, prefecture, name, population in census:
        if code.endswith("0000"):
            place = provinces.get(name)
            if place is not None:
                rows[place["slug"]] = (place, population, "")
        elif code.endswith("00"):
            place = prefectures.get((province, name))
            if place is not None:
                rows[place["slug"]] = (place, population, "")
        else:
            census_counties[code] = (code[:4], name, population)

    renamed, no_row = [], []
    matched_codes = set()
    for place in counties:
        hit = census_counties.get(place["code"])
        if hit is not None and stem(hit[1]) == stem(place["name_zh"]):
            rows[place["slug"]] = (place, hit[2], "")
            matched_codes.add(place["code"])
            continue
        # Renamed or re-coded since 2020: the county of the same prefecture whose name keeps the stem.
        same = [(code, name, pop) for code, (pref, name, pop) in census_counties.items()
                if pref == place["code"][:4] and stem(name) == stem(place["name_zh"]) and code not in by_code]
        if len(same) == 1:
            code, name, pop = same[0]
            rows[place["slug"]] = (place, pop, f"as {name} ({code}) in 2020")
            renamed.append(f"{place['name_zh']} {place['code']} <- {name} {code}")
            matched_codes.add(code)
        else:
            no_row.append(f"{place['prefecture_zh'] or place['province_zh']}{place['name_zh']} {place['code']}")

    # The cross-check: tudigong's county table, the same yearbook typed by other hands.
    other = {}
    with args.tudigong_csv.open(encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            if r["POPU"].strip():
                other[r["CODE"]] = int(float(r["POPU"]))
    compared = differ = 0
    differing = []
    for code, (_pref, name, pop) in sorted(census_counties.items()):
        if code in other:
            compared += 1
            if other[code] != pop:
                differ += 1
                differing.append(f"{name} {code}: {pop} / {other[code]}")

    n_prov = sum(1 for p, _, _ in rows.values() if p["level"] == "province")
    n_pref = sum(1 for p, _, _ in rows.values() if p["level"] == "prefecture")
    n_county = sum(1 for p, _, _ in rows.values() if p["level"] == "county")
    header = [
        "# The resident population of the 7th national census (2020-11-01) of every province, prefecture and",
        "# county-level division of the gazetteer (gazetteer_cn.csv, gazetteer_county.csv) that the source lets us join.",
        f"# Source: {SOURCE}, from the GitHub repository leiii/census, commit 0ba0f1efae09 (2023-07-13);",
        "# licence: MIT. Each province and prefecture takes its own row of the yearbook; a county is joined on its",
        "# 6-digit code, or, renamed or re-coded since 2020, on the county of its prefecture whose name keeps the stem",
        f"# (source column says so). Joined: {n_prov} provinces, {n_pref} prefectures, {n_county} counties.",
        f"# Renamed or re-coded since 2020 ({len(renamed)}): " + "; ".join(renamed[:40]) + (" …" if len(renamed) > 40 else ""),
        f"# Divisions with no clear 2020 predecessor, no row ({len(no_row)}): " + "; ".join(no_row),
        f"# Cross-check: thebamboogrove/tudigong input/population.csv (commit 4db2f145, MIT), the same yearbook typed",
        f"# independently: {compared} counties compared by code, {differ} differ"
        + (": " + "; ".join(differing[:20]) if differing else "") + ".",
        "# Generated, do not edit by hand; data/reference/population.csv (curated, with year-end figures) comes first.",
        "# Regenerate: see tools/make_census_population.py.",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["jurisdiction", "jurisdiction_zh", "kind", "date", "population_persons", "is_derived", "source"])
    for slug in sorted(rows):
        place, pop, note = rows[slug]
        writer.writerow([slug, place["name_zh"], "census", CENSUS_DATE, pop, "false",
                         f"{SOURCE}{'; ' + note if note else ''}"])
    OUT.write_text("\n".join(header) + "\n" + buf.getvalue(), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} places ({n_prov} provinces, {n_pref} prefectures, {n_county} "
          f"counties); {len(renamed)} renamed since 2020, {len(no_row)} without a 2020 row; tudigong: {differ} of "
          f"{compared} counties differ", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
