"""Records stage: the draft of one reply merged with its human curation overlay, validated and written as YAML."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from loaders.clean import CleanText, clean_text, summarize_repairs
from loaders.errors import LoaderError, describe_write_error
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

# Deeper than any curation file or record needs; YAML nested 2,000 deep would exhaust Python's stack
# in the composer (RecursionError), so the depth is checked on the event stream, which is iterative.
MAX_YAML_DEPTH = 32
MAX_YAML_BYTES = 5 * 1024 * 1024


def _check_yaml_events(events, path: Path) -> None:
    """Refuse what plain YAML data never needs: duplicate keys (at any depth, naming both lines), tags,
    anchors and aliases, keys that are not plain text, nesting deeper than MAX_YAML_DEPTH, and strings
    holding lone surrogates (which no file can store and every later write would fail on)."""
    # One frame per open collection: [is_mapping, keys seen -> line, next event is a key].
    stack: list[list] = []
    for ev in events:
        kind = type(ev).__name__
        line = ev.start_mark.line + 1 if getattr(ev, "start_mark", None) is not None else "?"
        if kind == "AliasEvent":
            raise LoaderError(str(path), f"line {line}: aliases (*{ev.anchor}) are not allowed",
                              "write the value out in full; only plain YAML is allowed")
        if kind not in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent", "MappingEndEvent",
                        "SequenceEndEvent"):
            continue
        if kind in ("MappingEndEvent", "SequenceEndEvent"):
            stack.pop()
            if stack and stack[-1][0]:
                stack[-1][2] = True
            continue
        if getattr(ev, "anchor", None):
            raise LoaderError(str(path), f"line {line}: anchors (&{ev.anchor}) are not allowed",
                              "write the value out in full; only plain YAML is allowed")
        tag = getattr(ev, "tag", None)
        if tag is not None and tag != "!":  # "!" is the non-specific tag of a quoted scalar in some parsers
            raise LoaderError(str(path), f"line {line}: tag {tag} is not allowed (only plain YAML is allowed, no tags)",
                              "remove the tag")
        frame = stack[-1] if stack else None
        is_key = frame is not None and frame[0] and frame[2]
        if kind == "ScalarEvent":
            value = ev.value
            if any("\ud800" <= ch <= "\udfff" for ch in value):
                raise LoaderError(str(path), f"line {line}: a string holds a lone surrogate (such as \\ud800), "
                                  "which is not a character", "remove the escape")
            if is_key:
                if value in frame[1]:
                    raise LoaderError(str(path), f"key {value!r} appears twice, on line {frame[1][value]} and "
                                      f"line {line}; the second would silently replace the first",
                                      "merge the two into one")
                frame[1][value] = line
                frame[2] = False
            elif frame is not None and frame[0]:
                frame[2] = True
            continue
        # The start of a mapping or sequence.
        if is_key:
            raise LoaderError(str(path), f"line {line}: a key must be plain text, not a list or mapping")
        if len(stack) >= MAX_YAML_DEPTH:
            raise LoaderError(str(path), f"line {line}: nested more than {MAX_YAML_DEPTH} levels deep",
                              "no curation file or record needs that; remove the nesting")
        stack.append([kind == "MappingStartEvent", {}, True])


def _read_yaml_text(path: Path) -> str:
    from loaders.read import read_regular_file

    data = read_regular_file(path, MAX_YAML_BYTES)
    if len(data) > MAX_YAML_BYTES:
        raise LoaderError(str(path), f"is more than {MAX_YAML_BYTES / 1e6:.0f} MB, far larger than any YAML file here")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise LoaderError(str(path), "is not UTF-8 text", "save it as UTF-8") from None


def _yaml_problem(path: Path, exc: Exception) -> LoaderError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else "?"
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return LoaderError(str(path), f"line {line}: YAML syntax error: {problem}", "fix the YAML")


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_LEADING_BLOCK = re.compile(r"^[ ?-]*", re.M)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_plain_and_shallow(text: str) -> bool:
    """Cheap proof that text holds no tag, anchor or alias (each needs a "!", "&" or "*", anywhere) and nests at
    most MAX_YAML_DEPTH deep: a flow collection needs a bracket, and each two levels of block nesting need one
    more column of indentation or of "- " / "? " before a line's text. Records, as written, always pass."""
    if "!" in text or "&" in text or "*" in text:
        return False
    brackets = text.count("[") + text.count("{")
    indent = max(map(len, _LEADING_BLOCK.findall(text)), default=0)
    return brackets + 2 * (indent + 1) < MAX_YAML_DEPTH


def _check_yaml_nodes(root: yaml.Node | None, path: Path) -> None:
    """What _check_yaml_events refuses, for a composed node tree without tags, anchors or aliases (see
    _is_plain_and_shallow): duplicate keys, keys that are not plain text, nesting, lone surrogates. Same
    messages, same order (the tree is walked depth first, in document order, keys before their values)."""
    # (node, depth, keys seen -> line of the mapping it is a key of, or None for a value or an item)
    stack: list[tuple[yaml.Node, int, dict | None]] = [(root, 0, None)] if root is not None else []
    while stack:
        node, depth, keys = stack.pop()
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            if _SURROGATE.search(node.value):
                raise LoaderError(str(path), f"line {line}: a string holds a lone surrogate (such as \\ud800), "
                                  "which is not a character", "remove the escape")
            if keys is not None:
                if node.value in keys:
                    raise LoaderError(str(path), f"key {node.value!r} appears twice, on line {keys[node.value]} and "
                                      f"line {line}; the second would silently replace the first",
                                      "merge the two into one")
                keys[node.value] = line
            continue
        if keys is not None:
            raise LoaderError(str(path), f"line {line}: a key must be plain text, not a list or mapping")
        if depth >= MAX_YAML_DEPTH:
            raise LoaderError(str(path), f"line {line}: nested more than {MAX_YAML_DEPTH} levels deep",
                              "no curation file or record needs that; remove the nesting")
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in reversed(node.value):
                stack.append((value, depth + 1, None))
                stack.append((key, depth + 1, seen))
        else:
            stack.extend((child, depth + 1, None) for child in reversed(node.value))


_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


def _construct_plain(root: yaml.Node, loader) -> object:
    """SafeConstructor's objects for a checked tree (no anchors, no duplicate keys), without its per-node
    dispatch: strings, lists and dicts are made here, every other scalar (numbers, dates, null) and a
    mapping with a merge key (<<) by the loader's own constructor."""
    def build(node):
        kind = type(node)
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
        if kind is yaml.SequenceNode and node.tag == _SEQ:
            return [build(child) for child in node.value]
        if kind is yaml.MappingNode and node.tag == _MAP and not any(k.tag == _MERGE for k, _ in node.value):
            out = {}
            for key, value in node.value:
                k = build(key)
                try:
                    out[k] = build(value)
                except TypeError:  # an unhashable key
                    return loader.construct_object(node, deep=True)
            return out
        return loader.construct_object(node, deep=True)

    return build(root)


def _safe_load_yaml(path: Path) -> object:
    """A file the tool wrote (a record): PyYAML, safe loading, no duplicate keys, no tags, bounded depth.

    A file that is provably without tags, anchors, aliases and deep nesting (every record as written) is
    parsed once by libyaml and checked on its nodes; any other file, or one with a syntax error, goes through
    the event check, which also decides which of several problems is named first."""
    text = _read_yaml_text(path)
    if _is_plain_and_shallow(text):
        loader = _SAFE_LOADER(text)
        try:
            node = loader.get_single_node()
            _check_yaml_nodes(node, path)
            return _construct_plain(node, loader) if node is not None else None
        except yaml.YAMLError:
            pass  # the event check below names the problem as it always has
        except (ValueError, OverflowError) as exc:  # a timestamp such as 2023-13-45 fails in the constructor
            raise LoaderError(str(path), f"a value cannot be read: {exc}", "fix the value") from None
        finally:
            loader.dispose()
    try:
        _check_yaml_events(yaml.parse(text, Loader=_SAFE_LOADER), path)
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise _yaml_problem(path, exc) from None
    except (ValueError, OverflowError) as exc:  # a timestamp such as 2023-13-45 fails in the constructor
        raise LoaderError(str(path), f"a value cannot be read: {exc}", "fix the value") from None


def _round_trip_yaml():
    """ruamel.yaml in round-trip mode (a later save keeps the curators' comments and layout); dates stay
    the text the curator wrote, so 2023-13-45 is refused by the schema naming its key, not by the parser."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    class _CurationConstructor(RoundTripConstructor):
        pass

    _CurationConstructor.add_constructor("tag:yaml.org,2002:timestamp",
                                         lambda self, node: str(self.construct_scalar(node)))
    rt = YAML(typ="rt", pure=True)
    rt.Constructor = _CurationConstructor
    return rt


def _to_plain(value: object) -> object:
    """ruamel's commented maps and scalar subclasses as plain dict/list/str/int/float for validation."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, (int, float, bool)) else k: _to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def load_curation_document(path: Path, text: str | None = None, rt=None) -> object:
    """The curation file as ruamel's round-trip document (comments kept), after the same checks as records. text: the
    file's text, already read (or about to be written there); rt: the round-trip loader to use."""
    from ruamel.yaml.error import YAMLError as RuamelYAMLError

    text = _read_yaml_text(path) if text is None else text
    rt = rt or _round_trip_yaml()
    try:
        _check_yaml_events(rt.parse(text), path)
        return rt.load(text)
    except RuamelYAMLError as exc:
        raise _yaml_problem(path, exc) from None
    except (ValueError, OverflowError) as exc:
        raise LoaderError(str(path), f"a value cannot be read: {exc}", "fix the value") from None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    text = f"{where}: {msg}" if where else msg
    return text + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")


def load_curation(path: Path) -> Curation | None:
    """The curation overlay of one record, or None if there is none; plain YAML only (see _check_yaml_events)."""
    if not os.path.lexists(path):
        return None
    return curation_from_data(_to_plain(load_curation_document(path)), path)


def curation_from_data(data: object, path: Path) -> Curation | None:
    """The overlay a curation file's plain data gives (None for an empty file), or a LoaderError naming the file."""
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
    for key in list(curation.reject_facts) + list(curation.correct_facts) + list(curation.accept_facts):
        if key not in facts:
            raise LoaderError(str(path), f"fact {key} does not exist in the draft",
                              "run `python -m loaders extract` on the raw file to see the current fact ids")
    for key, note in curation.accept_facts.items():
        # Vouched for as drafted: the note, if any, says why (a low-confidence fact a person checked).
        facts[key] = facts[key].model_copy(update={"is_reviewed": True, **({"note": note} if note else {})})
    for key, fix in curation.correct_facts.items():
        changes = {k: v for k, v in fix.model_dump(exclude_unset=True).items() if k != "note"}
        if "indicator" in changes and changes["indicator"] not in codes:
            raise LoaderError(str(path), f"correct_facts.{key}.indicator: unknown indicator {changes['indicator']}")
        facts[key] = facts[key].model_copy(update={**changes, "source": "corrected", "note": fix.note,
                                                   "is_reviewed": True})
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
                          quote_clean=clean_text(add.quote).text, source="added", is_reviewed=True, **fields)
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
    from loaders.read import decode_reply, read_regular_file

    # Read once, through lstat + O_NOFOLLOW and at most MAX_BYTES + 1: no FIFO, device or link out of data/.
    raw_bytes = raw_bytes if raw_bytes is not None else read_regular_file(raw_path)
    raw = decode_reply(raw_bytes, str(raw_path))
    draft, clean = build_draft(raw)
    record_id = raw_path.stem
    curation_path = curation_dir / f"{record_id}.yaml"
    curation = load_curation(curation_path)
    if curation is not None and curation.record_id != record_id:
        raise LoaderError(str(curation_path), f"record_id is {curation.record_id!r} but the file is for {record_id!r}")
    curated, notes = apply_curation(draft, curation, raw, curation_path)
    data = raw_bytes
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
        reviewed_by=curation.review.by if curation is not None and curation.review is not None else "",
        reviewed_on=curation.review.date if curation is not None and curation.review is not None else "",
    )
    return record, clean


def _collected_from(manifest: Path, record_id: str) -> str:
    stat = manifest.stat() if manifest.exists() else None
    origins = _read_manifest(str(manifest), stat.st_mtime_ns if stat else None, stat.st_size if stat else None)
    return origins.get(record_id, "added to data/raw by hand")


MANIFEST_HEADER = ["record_id", "collected_from", "sha256"]


def read_manifest(path: Path, strict: bool = True) -> dict[str, tuple[str, str]]:
    """record id -> (collected_from, sha256) from raw_manifest.csv, read with the csv module (a file name
    with a comma is quoted). strict: a damaged row is an error naming the line; else it is skipped."""
    import csv

    if not os.path.lexists(path):
        return {}
    from loaders.read import read_regular_file

    try:
        text = read_regular_file(path).decode("utf-8")
    except UnicodeDecodeError:
        raise LoaderError(str(path), "is not UTF-8 text", "restore it from version control") from None
    # Lines end in \n only (csv's own reading): str.splitlines would also break a name at U+2028, U+0085 or U+001C,
    # and one such name made every later line of the manifest "damaged".
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    entries: dict[str, tuple[str, str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 3 or not row[0]:
            if strict:
                raise LoaderError(str(path), f"line {number} is damaged (expected record_id,collected_from,sha256)",
                                  "restore it from version control")
            continue
        entries.setdefault(row[0], (row[1], row[2]))
    return entries


def format_manifest(entries: dict[str, tuple[str, str]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(MANIFEST_HEADER)
    for rid, (origin, sha) in sorted(entries.items()):
        writer.writerow([rid, origin, sha])
    return buf.getvalue()


@lru_cache(maxsize=4)
def _read_manifest(path: str, mtime_ns: int | None, size: int | None) -> dict[str, str]:
    """record id -> where the reply came from. Read once per build, not once per record (a national corpus
    has a manifest of ten thousand lines); the file's mtime and size in the key pick up an import in between."""
    if mtime_ns is None:
        return {}
    return {rid: origin for rid, (origin, _sha) in read_manifest(Path(path), strict=False).items()}


# --- files --------------------------------------------------------------------


# libyaml's emitter writes the same bytes as PyYAML's pure-Python one, about 4.5 times faster; emitting the
# records was 70 % of a build of 1,000 replies (benchmarks/RESULTS.md). Pure Python where libyaml is missing.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Repeated(Exception):
    """A list or dict met twice: PyYAML would write an anchor and an alias, so its own representer must."""


def _to_node(data: object, seen: set) -> yaml.Node:
    """The node tree SafeRepresenter builds for plain JSON-like data (default_flow_style=False, no sort),
    without its per-node dispatch, alias bookkeeping and method calls: that was most of writing a record
    (3,000 nodes each). Any other type raises TypeError and the caller falls back to PyYAML's own."""
    kind = type(data)
    if kind is str:
        return yaml.ScalarNode(_STR, data)
    if kind is dict:
        if id(data) in seen:
            raise _Repeated
        seen.add(id(data))
        return yaml.MappingNode(_MAP, [(_to_node(k, seen), _to_node(v, seen)) for k, v in data.items()],
                                flow_style=False)
    if kind is list:
        if id(data) in seen:
            raise _Repeated
        seen.add(id(data))
        return yaml.SequenceNode(_SEQ, [_to_node(v, seen) for v in data], flow_style=False)
    if kind is int:
        return yaml.ScalarNode(_INT, str(data))
    if kind is bool:
        return yaml.ScalarNode(_BOOL, "true" if data else "false")
    if data is None:
        return yaml.ScalarNode(_NULL, "null")
    if kind is float and data == data and data not in (float("inf"), float("-inf")):
        value = repr(data).lower()
        if "." not in value and "e" in value:  # as SafeRepresenter.represent_float: 1e17 -> 1.0e17
            value = value.replace("e", ".0e", 1)
        return yaml.ScalarNode(_FLOAT, value)
    raise TypeError(kind)


class _FastDumper(_DUMPER):
    def represent(self, data):
        try:
            node = _to_node(data, set())
        except (TypeError, _Repeated, RecursionError):
            return super().represent(data)
        self.serialize(node)


# --- the record's YAML, written directly -----------------------------------------------------------
# libyaml's emitter, fed node by node from Python, was still the largest step of building a record after
# the extraction itself. For the plain data of a record, block style, 2-space indentation, width 1000 and
# allow_unicode, libyaml's choices are few and are written out below; anything outside what is proven here
# (a character libyaml escapes or breaks a line on, a long scalar holding a space that libyaml could fold,
# a key that is not a plain name, a float it spells otherwise) sends the whole document to libyaml instead,
# so the bytes are always libyaml's. benchmarks/check_yaml_paths.py compares both on any folder of records.

class _NotPlain(Exception):
    """Outside the subset _emit_block writes itself; the caller falls back to libyaml."""


# Characters libyaml writes as they are, in plain or single-quoted scalars (printable, no line break, no BOM,
# within the Basic Multilingual Plane); a tab, a control character, NEL, U+2028/9 or U+FEFF make it escape.
_SAFE_TEXT = re.compile("[\u0020-\u007e\u00a1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_NAME_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")
_RESOLVER = yaml.resolver.Resolver()
_WIDTH_MARGIN = 990  # libyaml folds a plain or single-quoted scalar at a space past column 1000


# The resolver's answer depends on the text alone; a record asks it again for every key and many values.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 100_000


def _resolves_to(value: str) -> str:
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if len(_RESOLVED) < _RESOLVED_MAX:
            _RESOLVED[value] = tag
    return tag


def _is_block_plain(text: str) -> bool:
    """libyaml's yaml_emitter_analyze_scalar, for text of _SAFE_TEXT: may it stay plain in block context?"""
    first = text[0]
    if first == " " or text[-1] == " " or first in _FIRST_INDICATORS:
        return False
    if first in "-?:" and (len(text) == 1 or text[1] == " "):
        return False
    if ": " in text or text.endswith(":") or " #" in text:
        return False
    if text[:3] in ("---", "..."):  # libyaml quotes a scalar opening like a document marker, whatever follows
        return False
    return first not in _RESOLVER.yaml_implicit_resolvers or _resolves_to(text) == _STR


# A quote spanning lines (a heading and its first sentence, 27 % of the corpus's records): libyaml never
# writes a line break plain, so it single-quotes the text and writes each run of n breaks as n + 1 of them,
# the next line indented to the scalar's indent. Only runs of "\n" with text on both sides and no space
# next to them are written here (a space beside a break, or a leading or trailing break, changes its choice).
_BREAKS = re.compile("\n+")


def _is_multiline_single_quoted(value: str) -> bool:
    return ("\n" in value and value[0] != "\n" and value[-1] != "\n" and " \n" not in value and "\n " not in value
            and _SAFE_TEXT.fullmatch(value.replace("\n", " ")) is not None)


def _scalar_text(value: object, column: int, indent: int = 0) -> str:
    """A scalar value as libyaml writes it in block context starting at column (a value or a sequence item)
    of a collection at indent."""
    kind = type(value)
    if kind is str:
        if not value:
            return "''"
        if not _SAFE_TEXT.fullmatch(value):
            if not _is_multiline_single_quoted(value):
                raise _NotPlain
            if " " in value and column + 3 * len(value) > _WIDTH_MARGIN:
                raise _NotPlain
            pad = " " * (indent + 2)
            quoted = value.replace("'", "''")
            return "'" + _BREAKS.sub(lambda m: m.group() + "\n" + pad, quoted) + "'"
        if " " in value and column + 3 * len(value) > _WIDTH_MARGIN:
            raise _NotPlain
        if _is_block_plain(value):
            return value
        return "'" + value.replace("'", "''") + "'"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    if kind is float:
        text = _to_node(value, set()).value
        if _resolves_to(text) != _FLOAT:
            raise _NotPlain
        return text
    raise _NotPlain


_PLAIN_KEYS: set[str] = set()  # keys already found to be plain names, written as they are


def _emit_mapping(data: dict, indent: int, out: list, seen: set) -> None:
    pad = " " * indent
    for key, value in data.items():
        if type(key) is not str or key not in _PLAIN_KEYS:
            if type(key) is not str or not _NAME_KEY.fullmatch(key) or len(key) > 100 or _resolves_to(key) != _STR:
                raise _NotPlain
            if len(_PLAIN_KEYS) < _RESOLVED_MAX:
                _PLAIN_KEYS.add(key)
        _emit_value(f"{pad}{key}:", value, indent, out, seen, is_in_mapping=True)


def _emit_sequence(data: list, indent: int, out: list, seen: set) -> None:
    pad = " " * indent
    for item in data:
        _emit_value(f"{pad}-", item, indent, out, seen, is_in_mapping=False)


def _emit_value(head: str, value: object, indent: int, out: list, seen: set, is_in_mapping: bool) -> None:
    """head is "<indent>key:" or "<indent>-"; what follows it, on its line and the lines below."""
    kind = type(value)
    if kind is dict or kind is list:
        if id(value) in seen:
            raise _NotPlain  # PyYAML would write an anchor and an alias
        seen.add(id(value))
        if not value:
            out.append(f"{head} {'{}' if kind is dict else '[]'}\n")
            return
        if is_in_mapping:
            # A mapping under a key is indented by 2; a sequence under a key is not (libyaml's indentless).
            out.append(head + "\n")
            if kind is dict:
                _emit_mapping(value, indent + 2, out, seen)
            else:
                _emit_sequence(value, indent, out, seen)
            return
        # An item that is a collection starts on the dash's line, its lines indented by 2 past the dash.
        start = len(out)
        if kind is dict:
            _emit_mapping(value, indent + 2, out, seen)
        else:
            _emit_sequence(value, indent + 2, out, seen)
        out[start] = head + " " + out[start][indent + 2:]
        return
    out.append(f"{head} {_scalar_text(value, len(head) + 1, indent)}\n")


def dump_yaml(data: object) -> str:
    if type(data) is dict and data:
        out: list[str] = []
        try:
            _emit_mapping(data, 0, out, set())
            return "".join(out)
        except (_NotPlain, RecursionError):
            pass
    return yaml.dump(data, Dumper=_FastDumper, allow_unicode=True, sort_keys=False, width=1000,
                     default_flow_style=False)


def _dump_yaml_pyyaml(data: object) -> str:
    """dump_yaml through PyYAML's own representer: what _FastDumper must match byte for byte (tests, benchmarks)."""
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


# Test hook, inert unless set: seconds to sleep after writing each file and before it is renamed into place,
# so tests/test_faults.py can kill a build while records, tables or the manifest are being written.
SLOW_WRITES_ENV = "LOADERS_TEST_SLOW_WRITES"
TEMP_SUFFIX = ".tmp"


def _slow_down() -> None:
    delay = os.environ.get(SLOW_WRITES_ENV)
    if delay:
        import time

        time.sleep(float(delay))


def write_atomic(path: Path, text: str | bytes, fsync: bool = False) -> None:
    """Write to a temporary file beside the target and rename it, so a reader never sees half a file.

    A full disk or a read-only folder becomes one line naming the folder (FatalWriteError)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        _slow_down()
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise describe_write_error(path.parent, exc) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def stage_new_file(path: Path, data: bytes) -> Path:
    """Write data, flushed to disk, into a temporary file beside path (.<name>.<random>.tmp) and return it."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _slow_down()
        return Path(tmp)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise describe_write_error(path.parent, exc) from None


def commit_new_file(tmp: Path, path: Path) -> None:
    """Give the staged file its name; os.link refuses an existing name, so nothing is ever overwritten."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise LoaderError(str(path), "appeared while importing; not overwritten") from None
    except OSError as exc:
        raise describe_write_error(path.parent, exc) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def recover_imports(data_dir: Path) -> list[str]:
    """Finish an import killed between its two steps. An import stages the reply (.<id>.txt.<random>.tmp),
    then writes the manifest naming it, then gives it its name; a manifest entry whose reply is missing
    but staged with the same sha256 is completed here. What is left is removed by recover_folders."""
    manifest_path = data_dir / "raw_manifest.csv"
    raw_dir = data_dir / "raw"
    done: list[str] = []
    if not raw_dir.is_dir() or not os.path.lexists(manifest_path):
        return done
    try:
        entries = read_manifest(manifest_path, strict=False)
    except LoaderError:
        return done
    for rid, (_origin, sha) in entries.items():
        target = raw_dir / f"{rid}.txt"
        if os.path.lexists(target):
            continue
        for tmp in raw_dir.glob(f".{rid}.txt.*{TEMP_SUFFIX}"):
            if tmp.is_file() and not tmp.is_symlink() and hashlib.sha256(tmp.read_bytes()).hexdigest() == sha:
                os.link(tmp, target)
                done.append(f"completed the import of {target}")
                break
    return done


# --- folders switched as a whole ---------------------------------------------------
# A build writes the new records and tables into a fresh hidden folder beside the old one and then swaps
# the two names in one step, so a reader (and a build killed at any moment) sees either the whole old set
# or the whole new set, never a new documents.csv beside an old facts.csv.

STAGE_PREFIX = "."  # .tables-<random>, .records-<random>
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False where it is unavailable."""
    import ctypes

    try:
        fn = _libc().renameat2
    except (AttributeError, OSError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: a file system or kernel without it
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(path: Path) -> None:
    """Flush every file of a folder to disk in one call (syncfs), rather than one fsync per record."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            if _libc().syncfs(fd) == 0:
                return
        except (AttributeError, OSError):
            pass
        os.sync()
    finally:
        os.close(fd)


def make_stage(target: Path) -> Path:
    """A fresh empty hidden folder beside target, to build its next version in."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{target.name}-", dir=target.parent))
        # mkdtemp makes the folder private (0700); the dashboard may run as another user.
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(stage, 0o777 & ~mask)
        return stage
    except OSError as exc:
        raise describe_write_error(target.parent, exc) from None


def switch_folder(stage: Path, target: Path) -> None:
    """Make stage the new target in one step and remove the old target."""
    import shutil

    try:
        _fsync_dir(stage)
        if not os.path.lexists(target):
            os.rename(stage, target)
        elif _exchange(stage, target):
            pass  # stage now holds the old set
        else:
            # No RENAME_EXCHANGE: move the old set aside, then the new one in. A kill in between leaves no
            # target; recover_folders() puts the old set back on the next run.
            aside = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{target.name}-old-", dir=target.parent))
            os.rmdir(aside)
            os.rename(target, aside)
            os.rename(stage, target)
            stage = aside
        _fsync_dir(target.parent)
    except OSError as exc:
        raise describe_write_error(target.parent, exc) from None
    shutil.rmtree(stage, ignore_errors=True)


def recover_folders(parent: Path, names: tuple[str, ...] = ("records", "tables")) -> list[str]:
    """Undo what a killed build left: put back a set moved aside and never replaced, then remove every
    stale stage folder and temporary file. Returns what was done, for --verbose."""
    import shutil

    done = []
    if not parent.is_dir():
        return done
    for name in names:
        target = parent / name
        olds = sorted(parent.glob(f"{STAGE_PREFIX}{name}-old-*"), key=lambda p: p.stat().st_mtime)
        if not os.path.lexists(target) and olds:
            os.rename(olds[-1], target)
            done.append(f"restored {target} from {olds[-1].name}")
        for stale in parent.glob(f"{STAGE_PREFIX}{name}-*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
                done.append(f"removed {stale}")
    from loaders.fingerprint import CACHE_FOLDER

    # The fingerprint cache is written atomically too (loaders/fingerprint.py): a kill can leave its temporary file.
    for folder in (parent, *(parent / n for n in (*names, "raw", CACHE_FOLDER))):
        if folder.is_dir():
            for tmp in folder.glob(f".*{TEMP_SUFFIX}"):
                if tmp.is_file() and not tmp.is_symlink():
                    tmp.unlink()
                    done.append(f"removed {tmp}")
    # The review workbench writes curation files and population.csv the same way (write_atomic). Those folders are
    # the curators' and the maintainers': only a name write_atomic makes (.<name>.<8 random>.tmp) is removed there.
    for folder in (parent / "curation", parent / "reference"):
        if folder.is_dir():
            for tmp in folder.glob(f".*{TEMP_SUFFIX}"):
                if _WRITE_TEMP.fullmatch(tmp.name) and tmp.is_file() and not tmp.is_symlink():
                    tmp.unlink()
                    done.append(f"removed {tmp}")
    return done


# What tempfile.mkstemp(prefix=".<name>.", suffix=".tmp") makes: eight characters of its alphabet between the two.
_WRITE_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))


def write_folder(target: Path, files: dict[str, bytes], keep_others: bool = True) -> None:
    """Replace the whole folder target by files (name -> bytes) in one step; files of the old folder that
    are not in the new set (a README someone put there) are carried over when keep_others."""
    import shutil

    stage = make_stage(target)
    try:
        for name, data in files.items():
            with open(stage / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            _slow_down()
        if keep_others and target.is_dir():
            for old in target.iterdir():
                if old.name not in files and old.is_file() and not old.is_symlink() and not old.name.startswith("."):
                    shutil.copy2(old, stage / old.name)
        switch_folder(stage, target)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise describe_write_error(target, exc) from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
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
