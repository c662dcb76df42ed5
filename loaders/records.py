"""Records stage: the draft of one reply merged with its human curation overlay, validated and written as YAML."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from loaders.clean import CleanText, clean_text, summarize_repairs
from loaders.errors import LoaderError
from loaders.facts import extract_facts, load_indicators
from loaders.measures import extract_measures, load_codebook
from loaders.metadata import find_document, find_headline, find_jurisdiction, make_record_id, make_title
from loaders.schema import Curation, Draft, Fact, FieldSource, Measure, Origin, Record, RepairSummary

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"


def build_draft(raw: str) -> tuple[Draft, CleanText]:
    """Raw text of one reply to its uncurated draft (metadata, facts, measures)."""
    clean = clean_text(raw)
    jurisdiction, place_sources = find_jurisdiction(clean)
    document, document_sources, _title = find_document(clean, jurisdiction)
    facts = extract_facts(clean, jurisdiction, document)
    measures = extract_measures(clean)
    return Draft(jurisdiction=jurisdiction, document=document, facts=facts, measures=measures,
                 provenance=place_sources + document_sources), clean


def draft_record_id(draft: Draft) -> str:
    return make_record_id(draft.jurisdiction, draft.document)


# --- curation ---------------------------------------------------------------


def _safe_load_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LoaderError(str(path), "is not UTF-8 text", "save it as UTF-8") from None
    try:
        return yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise LoaderError(str(path), f"line {line}: {exc.problem} (only plain YAML is allowed, no tags)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LoaderError(str(path), f"line {line}: YAML syntax error: {problem}", "fix the YAML") from None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")


def load_curation(path: Path) -> Curation | None:
    """The curation overlay of one record, or None if there is none; safe YAML only."""
    if not path.exists():
        return None
    data = _safe_load_yaml(path)
    if data is None:
        return None
    if not isinstance(data, dict):
        raise LoaderError(str(path), "must be a YAML mapping (record_id:, reject_facts:, ...)")
    try:
        return Curation.model_validate(data)
    except ValidationError as exc:
        raise LoaderError(str(path), _first_error(exc), "see README, section Curation") from None


def _locate(raw: str, quote: str, path: Path, key: str) -> int:
    pos = raw.find(quote)
    if pos < 0:
        raise LoaderError(str(path), f"{key}: quote is not an exact substring of the raw reply",
                          "copy the sentence from data/raw/ unchanged")
    return pos


def apply_curation(draft: Draft, curation: Curation | None, raw: str, path: Path) -> tuple[Draft, list[str]]:
    """Apply rejections, corrections, additions and metadata overrides; any key that no longer exists is an error."""
    if curation is None:
        return draft, []
    codes = set(load_indicators()["indicators"])
    facts = {f.id: f for f in draft.facts}
    for key in list(curation.reject_facts) + list(curation.correct_facts):
        if key not in facts:
            raise LoaderError(str(path), f"fact {key} does not exist in the draft",
                              "run `python -m loaders extract` on the raw file to see the current fact ids")
    for key, fix in curation.correct_facts.items():
        changes = {k: v for k, v in fix.model_dump(exclude_unset=True).items() if k != "note"}
        if "indicator" in changes and changes["indicator"] not in codes:
            raise LoaderError(str(path), f"correct_facts.{key}.indicator: unknown indicator {changes['indicator']}")
        facts[key] = facts[key].model_copy(update={**changes, "source": "corrected", "note": fix.note})
    for key in curation.reject_facts:
        del facts[key]
    for i, add in enumerate(curation.add_facts):
        key = f"add_facts[{i}]"
        if add.indicator not in codes:
            raise LoaderError(str(path), f"{key}.indicator: unknown indicator {add.indicator}")
        q_start = _locate(raw, add.quote, path, key)
        n_rel = add.quote.find(add.number_text)
        if n_rel < 0:
            raise LoaderError(str(path), f"{key}: number_text {add.number_text!r} is not in the quote",
                              "every added number needs its sentence")
        fid = f"c{q_start + n_rel}"
        if fid in facts:
            raise LoaderError(str(path), f"{key}: fact {fid} already exists; correct it instead of adding it")
        fields = add.model_dump()
        facts[fid] = Fact(id=fid, quote_start=q_start, quote_end=q_start + len(add.quote),
                          quote_clean=clean_text(add.quote).text, source="added", **fields)
    measures = {m.id: m for m in draft.measures}
    for key in curation.reject_measures:
        if key not in measures:
            raise LoaderError(str(path), f"measure {key} does not exist in the draft",
                              "run `python -m loaders extract` to see the current measure ids")
        del measures[key]
    if curation.add_measures:
        categories = load_codebook()["categories"]
        for i, add in enumerate(curation.add_measures):
            key = f"add_measures[{i}]"
            spec = next((c for c in categories if c["id"] == add.category), None)
            if spec is None:
                raise LoaderError(str(path), f"{key}.category: unknown category {add.category}")
            q_start = _locate(raw, add.quote, path, key)
            mid = f"{add.category}@{q_start}"
            measures[mid] = Measure(id=mid, category=add.category, instrument_type=spec["instrument_type"],
                                    status=add.status, matched="", quote=add.quote, quote_start=q_start,
                                    quote_end=q_start + len(add.quote), quote_clean=clean_text(add.quote).text,
                                    source="added", note=add.note)
    try:
        jurisdiction = draft.jurisdiction.model_copy(update=curation.jurisdiction or {})
        document = draft.document.model_copy(update=curation.document or {})
        jurisdiction = type(jurisdiction).model_validate(jurisdiction.model_dump())
        document = type(document).model_validate(document.model_dump())
    except ValidationError as exc:
        raise LoaderError(str(path), _first_error(exc)) from None
    provenance = list(draft.provenance)
    overridden = set(curation.jurisdiction or {}) | set(curation.document or {})
    if overridden:
        # A curator's override replaces what the extractor found for those fields, and says so.
        renamed = {"slug": "jurisdiction", "level": "level"}
        fields = {renamed.get(k, k) for k in overridden}
        provenance = [s for s in provenance if s.field not in fields]
        for key in sorted(overridden):
            value = (curation.jurisdiction or {}).get(key, (curation.document or {}).get(key, ""))
            provenance.append(FieldSource(field=renamed.get(key, key), value=str(value), signal="curation",
                                          note=f"{key} set by the curator in {path.name}"
                                               + (f": {curation.metadata_note}" if curation.metadata_note else "")))
    curated = Draft(
        provenance=provenance,
        jurisdiction=jurisdiction,
        document=document,
        facts=sorted(facts.values(), key=lambda f: (f.quote_start, int(f.id[1:]))),
        measures=sorted(measures.values(), key=lambda m: (m.quote_start, m.category)),
    )
    notes = list(curation.reviewer_notes)
    if curation.metadata_note:
        notes.insert(0, curation.metadata_note)
    return curated, notes


def build_record(raw_path: Path, curation_dir: Path, raw_bytes: bytes | None = None) -> Record:
    """One raw reply file to its curated record."""
    return build_record_and_text(raw_path, curation_dir, raw_bytes)[0]


def build_record_and_text(raw_path: Path, curation_dir: Path, raw_bytes: bytes | None = None) -> tuple[Record, CleanText]:
    """The curated record of one reply and its cleaned text (which the distinctive-terms table tokenises)."""
    from loaders.read import decode_reply, load_reply

    raw = decode_reply(raw_bytes, str(raw_path)) if raw_bytes is not None else load_reply(raw_path)
    draft, clean = build_draft(raw)
    record_id = raw_path.stem
    curation_path = curation_dir / f"{record_id}.yaml"
    curation = load_curation(curation_path)
    if curation is not None and curation.record_id != record_id:
        raise LoaderError(str(curation_path), f"record_id is {curation.record_id!r} but the file is for {record_id!r}")
    curated, notes = apply_curation(draft, curation, raw, curation_path)
    data = raw_bytes if raw_bytes is not None else raw_path.read_bytes()
    origin = Origin(
        title=make_title(clean, curated.document, find_headline(clean)[0]),
        issuer=curated.document.issuer,
        reference=curated.document.reference_number,
        date_published=curated.document.date_published,
        source_file=f"data/raw/{raw_path.name}",
        collected_from=_collected_from(raw_path.parent.parent / "raw_manifest.csv", record_id),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    record = Record(
        id=record_id,
        jurisdiction=curated.jurisdiction,
        document=curated.document,
        origin=origin,
        facts=curated.facts,
        measures=curated.measures,
        repairs=[RepairSummary(**r) for r in summarize_repairs(clean.repairs)],
        reviewer_notes=notes,
        provenance=curated.provenance,
    )
    return record, clean


def _collected_from(manifest: Path, record_id: str) -> str:
    stat = manifest.stat() if manifest.exists() else None
    origins = _read_manifest(str(manifest), stat.st_mtime_ns if stat else None, stat.st_size if stat else None)
    return origins.get(record_id, "added to data/raw by hand")


@lru_cache(maxsize=4)
def _read_manifest(path: str, mtime_ns: int | None, size: int | None) -> dict[str, str]:
    """record id -> where the reply came from. Read once per build, not once per record (a national corpus
    has a manifest of ten thousand lines); the file's mtime and size in the key pick up an import in between."""
    if mtime_ns is None:
        return {}
    origins = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split(",")
        if len(parts) >= 2:
            origins.setdefault(parts[0], parts[1])
    return origins


# --- files --------------------------------------------------------------------


# libyaml's emitter writes the same bytes as PyYAML's pure-Python one, about 4.5 times faster; emitting the
# records was 70 % of a build of 1,000 replies (benchmarks/RESULTS.md). Pure Python where libyaml is missing.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside the target and rename it, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_record(record: Record, path: Path) -> None:
    Record.model_validate(record.model_dump())
    write_atomic(path, dump_yaml(record.model_dump(mode="json")))


def load_record(path: Path) -> Record:
    """Read and validate one record YAML."""
    data = _safe_load_yaml(path)
    try:
        return Record.model_validate(data)
    except ValidationError as exc:
        raise LoaderError(str(path), _first_error(exc), "rebuild it with `python -m loaders build`") from None
