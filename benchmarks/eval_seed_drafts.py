"""How much of the curated record of each seed reply the extractor alone gives (issue 20: the draft keeps >= 97%).

A curated fact is kept when the draft has a fact with its id, indicator, value, unit, qualifier and status: the
curation only vouched for it. A corrected fact the draft gets wrong, or an added one it misses, is not kept.

    .venv/bin/python benchmarks/eval_seed_drafts.py [--details]
"""
from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from loaders.read import load_reply  # noqa: E402
from loaders.records import build_draft, load_record  # noqa: E402


def key(f) -> tuple:
    return (f.id, f.indicator, round(f.value, 6), f.unit, f.qualifier, f.status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every curated fact the draft does not keep")
    args = parser.parse_args()
    kept_all = total_all = 0
    for path in sorted((ROOT / "data" / "records").glob("*.yaml")):
        record = load_record(path)
        draft, _ = build_draft(load_reply(ROOT / record.origin.source_file))
        drafted = {key(f) for f in draft.facts}
        missing = [f for f in record.facts if key(f) not in drafted]
        kept = len(record.facts) - len(missing)
        kept_all, total_all = kept_all + kept, total_all + len(record.facts)
        print(f"{record.id:16} {kept:3}/{len(record.facts):3} curated facts kept by the draft; "
              f"{len(draft.facts) - kept} drafted facts the curation changed or rejected")
        if args.details:
            for f in missing:
                print(f"    not kept: {f.id} {f.indicator} {f.value:g} {f.qualifier} {f.status} ({f.source}: {f.note[:60]})")
    print(f"all              {kept_all:3}/{total_all:3} = {kept_all / max(1, total_all):.1%}")


if __name__ == "__main__":
    main()
