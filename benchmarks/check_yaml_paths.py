"""The records' fast YAML paths against PyYAML's own, on a folder of records (byte for byte, object for object).

    .venv/bin/python benchmarks/check_yaml_paths.py data/records benchmarks/out/corpus-1000/records

For every *.yaml: loaders.records.dump_yaml(data) must equal yaml.dump through SafeRepresenter + libyaml
(_dump_yaml_pyyaml), and _safe_load_yaml must return what the event check + yaml.load returned before;
prints how many records took the directly written path and the time of each path per record.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


import yaml  # noqa: E402

from loaders import records as R  # noqa: E402


def main(folders: list[str]) -> int:
    files = [p for f in folders for p in sorted(Path(f).glob("*.yaml"))]
    if not files:
        print("no records found", file=sys.stderr)
        return 2
    wrong, direct = [], 0
    t = {"dump": 0.0, "dump_pyyaml": 0.0, "load": 0.0, "load_before": 0.0}
    for path in files:
        text = path.read_text(encoding="utf-8")
        t0 = time.perf_counter(); data = R._safe_load_yaml(path); t["load"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        R._check_yaml_events(yaml.parse(text, Loader=R._SAFE_LOADER), path)
        before = yaml.load(text, Loader=R._SAFE_LOADER)
        t["load_before"] += time.perf_counter() - t0
        t0 = time.perf_counter(); mine = R.dump_yaml(data); t["dump"] += time.perf_counter() - t0
        t0 = time.perf_counter(); theirs = R._dump_yaml_pyyaml(data); t["dump_pyyaml"] += time.perf_counter() - t0
        try:
            R._emit_mapping(data, 0, [], set())
            direct += 1
        except R._NotPlain:
            pass
        if data != before or mine != theirs or mine != text:
            wrong.append(path)
    n = len(files)
    print(f"{n} records, {len(wrong)} differ; {direct} written directly, {n - direct} through libyaml")
    print("ms per record: " + ", ".join(f"{k} {1000 * v / n:.2f}" for k, v in t.items()))
    for path in wrong[:10]:
        print(f"differs: {path}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["data/records"]))
