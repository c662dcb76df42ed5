"""Review workbench logic, without any UI: read an upload, draft it, turn review decisions into a curation file, save, rebuild."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import typing
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
from pydantic import ValidationError

from loaders.clean import CleanText
from loaders.errors import LoaderError
from loaders.read import MAX_BYTES, decode_reply, read_regular_file
from loaders import schema
from loaders.schema import Curation, Draft, PopulationRow

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"  # the dashboard's variable: the workbench writes where the dashboard reads
MAX_UPLOAD_BYTES = MAX_BYTES
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
PASTED = "pasted"
# What a fact row of the review table may change; the rest (quote, number) comes from the text.
FACT_FIELDS = ("indicator", "value", "qualifier", "status", "period_kind", "period_start", "period_end",
               "scope_kind", "scope_area", "channel")
JURISDICTION_FIELDS = ("slug", "name_zh", "name_en", "level", "province_zh", "province_en", "prefecture_zh",
                       "prefecture_en")
DOCUMENT_FIELDS = ("type", "date_written", "date_published")
DEFAULT_NOTE = "set in the review workbench"


def data_dir() -> Path:
    """The data folder: DASHBOARD_DATA_DIR (as for the dashboard), else the project's data/."""
    return Path(os.environ.get(DATA_DIR_ENV, PROJECT_DIR / "data"))


def check_data_folder(folder: Path) -> None:
    """A LoaderError (one line: what is wrong, what to set) when the workbench's data folder cannot take a review: it
    must be a folder holding reference/ with population.csv and the codebooks a draft is read with."""
    where = f"{DATA_DIR_ENV}={folder}" if os.environ.get(DATA_DIR_ENV) else str(folder)
    hint = f"set {DATA_DIR_ENV} to the project's data folder (it holds raw/, curation/ and reference/)"
    if not os.path.lexists(folder):
        raise LoaderError(where, "does not exist", hint)
    if not folder.is_dir():
        raise LoaderError(where, "is not a folder", hint)
    population = folder / "reference" / "population.csv"
    if not population.is_file():
        raise LoaderError(where, "has no reference/population.csv", hint + ", or restore the file from version control")


# --- reading a reply --------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One reply as it will be stored: raw_bytes go to data/raw/<id>.txt byte for byte; text is what they decode to."""

    raw_bytes: bytes
    text: str
    origin: str  # the uploaded file's name, or "pasted"
    is_html: bool = False
    record_id: str = ""  # set for a reply already in data/raw


# Elements whose end starts a new line of the visible text.
_BLOCKS = frozenset("address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
                    "header hr li main nav ol p pre section table tbody thead tfoot tr ul title".split())
_HIDDEN = frozenset(("script", "style", "noscript", "template", "head", "svg", "iframe", "object"))


class _TextOfPage(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in _HIDDEN:
            self.hidden += 1
        if tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        # The page title lives in <head>, which is otherwise hidden; it is often the reply's own title.
        if self.hidden == 0 or self.in_title:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(markup: str) -> str:
    """The visible text of a saved web page: script and style dropped, a line break at every block element."""
    parser = _TextOfPage()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text + "\n" if text else ""


def _is_reply_text(text: str) -> bool:
    from loaders.__main__ import _is_reply_text as is_reply  # the import command's own rule

    return is_reply(text)


def read_upload(name: str, data: bytes) -> Reply:
    """An uploaded file read as `loaders import` reads one; a LoaderError (one line) when it is no reply."""
    from loaders.read import name_problem

    problem = name_problem(name)
    if problem:
        raise LoaderError(repr(name), f"{problem}; nothing was read", "rename the file and upload it again")
    lower = name.lower()
    if not lower.endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
        raise LoaderError(name, "is not a .txt or .html file", "save the reply as plain text (.txt) or upload the saved page")
    if len(data) > MAX_UPLOAD_BYTES:
        raise LoaderError(name, f"is {len(data) / 1e6:.1f} MB, over the limit of {MAX_UPLOAD_BYTES / 1e6:.0f} MB",
                          "split it into one file per reply")
    text = decode_reply(data, name)  # refuses PDFs, images, binary and undecodable bytes
    is_html = lower.endswith(HTML_SUFFIXES)
    if is_html:
        text = html_to_text(text)
        data = text.encode("utf-8")  # the page's visible text is the raw reply, stored as UTF-8
    if not _is_reply_text(text):
        raise LoaderError(name, "does not read as a reply (hardly any Chinese text)", "upload the reply itself")
    return Reply(raw_bytes=data, text=text, origin=name, is_html=is_html)


def read_pasted(text: str) -> Reply:
    """Pasted text, stored as its UTF-8 bytes."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_UPLOAD_BYTES:
        raise LoaderError(PASTED, f"text is {len(data) / 1e6:.1f} MB, over the limit of {MAX_UPLOAD_BYTES / 1e6:.0f} MB")
    decoded = decode_reply(data, "pasted text")
    if not _is_reply_text(decoded):
        raise LoaderError("pasted text", "does not read as a reply (hardly any Chinese text)", "paste the reply itself")
    return Reply(raw_bytes=data, text=decoded, origin=PASTED)


def list_records(folder: Path) -> list[str]:
    """Ids of the replies in data/raw."""
    raw = folder / "raw"
    return sorted(p.stem for p in raw.glob("*.txt")) if raw.is_dir() else []


def read_existing(folder: Path, record_id: str) -> Reply:
    path = folder / "raw" / f"{record_id}.txt"
    data = read_regular_file(path)
    return Reply(raw_bytes=data, text=decode_reply(data, str(path)), origin=path.name, record_id=record_id)


# --- the review -------------------------------------------------------------------


@dataclass
class Review:
    reply: Reply
    draft: Draft
    clean: CleanText
    curation: Curation | None  # the existing curation file's overlay, if any
    curation_path: Path | None
    curated: Draft | None = None  # the draft with that overlay applied (what the record says now)
    # The curation file's plain data as the review read it (None: there was none): the base of the three-way merge
    # that saves the review into the file as it is then (loaders/curation_merge.py).
    base: dict | None = None
    base_text: str | None = None  # the file's text then

    @property
    def is_new(self) -> bool:
        return not self.reply.record_id

    def file_changed(self, path: Path) -> bool:
        """Whether the curation file at path is no longer the one this review read (changed, added or removed)."""
        from loaders.records import _read_yaml_text

        try:
            now = _read_yaml_text(path) if os.path.lexists(path) else None
        except LoaderError:
            return True
        return now != (self.base_text if path == self.curation_path else None)


def open_review(reply: Reply, folder: Path) -> Review:
    """Draft a reply and read its existing curation (a reply already in data/raw). A reply uploaded as new whose
    bytes are stored already (its sha256 in raw_manifest.csv, or the same bytes at data/raw/<its id>.txt) opens as
    that stored record, with its curation: reviewed as new, a save would start from nothing."""
    from loaders.records import _read_yaml_text, _to_plain, build_draft, curation_from_data, load_curation_document

    draft, clean = build_draft(reply.text)
    if not reply.record_id:
        stored = stored_record_id(folder, reply.raw_bytes, draft)
        if stored:
            reply = replace(reply, record_id=stored)
    curation, path, base, base_text = None, None, None, None
    if reply.record_id:
        path = folder / "curation" / f"{reply.record_id}.yaml"
        if os.path.lexists(path):
            base_text = _read_yaml_text(path)
            base = _to_plain(load_curation_document(path, base_text))
            curation = curation_from_data(base, path)
            base = base if isinstance(base, dict) else None
    curated = draft
    if curation is not None:
        from loaders.records import apply_curation

        curated, _ = apply_curation(draft, curation, reply.text, path)
    return Review(reply=reply, draft=draft, clean=clean, curation=curation, curation_path=path, curated=curated,
                  base=base, base_text=base_text)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return os.path.isfile(path) and not os.path.islink(path) and read_regular_file(path) == data
    except (LoaderError, OSError):
        return False


def stored_record_id(folder: Path, data: bytes, draft: Draft | None = None) -> str | None:
    """The id of the stored reply that holds exactly these bytes: the one raw_manifest.csv names by their sha256, else
    the draft's own id (jurisdiction-year) where data/raw/<id>.txt holds them; None for a reply not stored yet."""
    from loaders.records import draft_record_id, read_manifest

    sha = hashlib.sha256(data).hexdigest()
    try:
        manifest = read_manifest(folder / "raw_manifest.csv", strict=False)
    except LoaderError:
        manifest = {}
    for rid, (_origin, known) in manifest.items():
        if known == sha and _same_bytes(folder / "raw" / f"{rid}.txt", data):
            return rid
    if draft is not None:
        rid = draft_record_id(draft)
        if _same_bytes(folder / "raw" / f"{rid}.txt", data):
            return rid
    return None


def added_facts(review: Review) -> list[dict]:
    """The add_facts entries of the existing curation file, as written there."""
    return [a.model_dump(exclude_unset=True) for a in review.curation.add_facts] if review.curation else []


def _blank(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def is_held(fact, curation: Curation | None) -> bool:
    """A drafted fact held back for a person: the loader is unsure of it (loaders.tables.publishes) and the curation
    file neither accepts, corrects nor rejects it."""
    from loaders.tables import publishes

    decided = bool(curation and (fact.id in curation.accept_facts or fact.id in curation.correct_facts
                                 or fact.id in curation.reject_facts))
    return not decided and not publishes(False, fact.confidence)


def fact_rows(review: Review) -> list[dict]:
    """One row per drafted fact for the review table, with the current curation applied (accepted, rejected,
    corrected); the facts held back for a person first (held: True, with hold_reason and hold_words), then the others
    in text order.

    accept is ticked only for a fact the file accepts: a person vouches for a number by ticking it (nothing is chosen
    for the curator; an unticked number the loader is sure of stays a marked draft, a held-back one stays held back).
    A corrected or rejected fact is not ticked: the correction vouches for it, the rejection drops it. The reason cell
    holds the note of whatever the file decided (a rejection's reason, a correction's or an acceptance's note)."""
    cur = review.curation
    rows = []
    for f in review.draft.facts:
        fix = cur.correct_facts.get(f.id) if cur else None
        changes = fix.model_dump(exclude_unset=True) if fix else {}
        row = {"id": f.id, "number_text": f.number_text, "label": f.label}
        for name in FACT_FIELDS:
            row[name] = changes.get(name, getattr(f, name))
        is_rejected = bool(cur and f.id in cur.reject_facts)
        is_accepted = bool(cur and f.id in cur.accept_facts)
        held = is_held(f, cur)
        row["held"] = held
        row["accept"] = is_accepted
        row["reject"] = is_rejected
        row["reason"] = (cur.reject_facts[f.id] if is_rejected else cur.accept_facts[f.id] if is_accepted
                         else changes.get("note", ""))
        row["confidence"], row["hold_reason"], row["hold_words"] = f.confidence, f.hold_reason, f.hold_words
        row["quote"] = f.quote
        rows.append(row)
    return sorted(rows, key=lambda r: not r["held"])  # stable: text order within each group


def measure_rows(review: Review) -> list[dict]:
    cur = review.curation
    return [{"id": m.id, "category": m.category, "status": m.status, "reject": bool(cur and m.id in cur.reject_measures),
             "reason": (cur.reject_measures.get(m.id, "") if cur else ""), "quote": m.quote}
            for m in review.draft.measures]


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    return _blank(a) == _blank(b)


def _note(cell, written) -> str:
    """The text of a reason cell, stripped; or the file's own note where the cell shows that note (a note typed into
    the file with a trailing newline or spaces is the same note, kept as written)."""
    text = _blank(cell).strip()
    if text and isinstance(written, str) and written.strip() == text:
        return written
    return text


def fact_decisions(review: Review, rows: list[dict]) -> tuple[dict[str, str], dict[str, dict]]:
    """(reject_facts, correct_facts) from the edited review table; a rejection needs its reason.

    A field the table shows as it was prefilled keeps what the curation file says (even a correction the
    extractor has since made redundant); only a field the reviewer changed is written. Fields the table does not
    show (label, unit, period_text) stay as the file has them."""
    drafted = {f.id: f for f in review.draft.facts}
    before = {r["id"]: r for r in fact_rows(review)}
    cur = review.curation
    rejects, corrections = {}, {}
    for row in rows:
        fid = str(row["id"])
        f = drafted.get(fid)
        if f is None:
            raise LoaderError(fid, "is not a fact of the draft", "reload the reply")
        existing = cur.correct_facts[fid].model_dump(exclude_unset=True) if cur and fid in cur.correct_facts else {}
        if row.get("reject"):
            reason = _note(row.get("reason"), cur.reject_facts.get(fid) if cur else None)
            if not reason:
                raise LoaderError(f"fact {fid} ({f.number_text})", "is rejected without a reason", "say why in its reason cell")
            rejects[fid] = reason
            continue
        reason = _note(row.get("reason"), existing.get("note"))
        changes = {}
        for name in FACT_FIELDS:
            if name not in row:
                continue
            value = row[name]
            if name == "value":
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    raise LoaderError(f"fact {fid} ({f.number_text})", f"value {value!r} is not a number") from None
            else:
                value = _blank(value)
            if not _same(value, before[fid][name]):
                changes[name] = value
        if changes or existing:
            merged = {**existing, **changes}
            if changes or "note" not in existing or (reason and reason != existing.get("note")):
                merged["note"] = reason or existing.get("note") or DEFAULT_NOTE
            corrections[fid] = merged
    return rejects, corrections


def accept_decisions(review: Review, rows: list[dict], rejects: dict[str, str],
                     corrections: dict[str, dict]) -> dict[str, str]:
    """accept_facts from the edited review table: every ticked fact that is neither rejected nor corrected (a
    correction vouches for its fact already), with its note: the reason cell, else the note the file has ('' for
    none). An entry of the file for a fact the draft no longer has stays as it is (never lose a hand-written entry;
    the build names it)."""
    drafted = {f.id for f in review.draft.facts}
    existing = dict(review.curation.accept_facts) if review.curation else {}
    accepted = {}
    for row in rows:
        fid = str(row["id"])
        if fid not in drafted or fid in rejects or fid in corrections or not row.get("accept"):
            continue
        accepted[fid] = _note(row.get("reason"), existing.get(fid)) or existing.get(fid, "")
    for fid, note in existing.items():
        if fid not in drafted:
            accepted[fid] = note
    return accepted


def still_held(review: Review, decisions: "Decisions") -> list[str]:
    """Ids of the drafted facts that stay held back after these decisions (nobody accepted, corrected or rejected
    them, and the loader is unsure of them)."""
    from loaders.tables import publishes

    decided = set(decisions.accept_facts or {}) | set(decisions.correct_facts) | set(decisions.reject_facts)
    return [f.id for f in review.draft.facts if f.id not in decided and not publishes(False, f.confidence)]


def review_mark(review: Review, accepted: dict[str, str], corrections: dict[str, dict], added: list[dict] | None,
                reviewer: str, today: str) -> dict[str, str] | None:
    """review: {by, date} for a save, or None to keep what the file has.

    Accepting a fact the file did not accept needs a name (a LoaderError says so); the review is then recorded as
    the reviewer's, dated today. A save that vouches for nothing new keeps the file's review, unless a name is given
    with corrections or added facts (the reviewer vouched for them)."""
    cur = review.curation
    new = sorted(set(accepted) - set(cur.accept_facts if cur else ()))
    name = reviewer.strip()
    if new and not name:
        raise LoaderError(f"{len(new)} accepted fact{'s' if len(new) > 1 else ''} ({', '.join(new[:5])}"
                          f"{', …' if len(new) > 5 else ''})", "need the reviewer's name",
                          "type it in the reviewer field")
    before = {k: v.model_dump(exclude_unset=True) for k, v in cur.correct_facts.items()} if cur else {}
    corrected = [k for k, v in corrections.items() if before.get(k) != v]
    had = {_fact_key(a.model_dump()) for a in cur.add_facts} if cur else set()
    new_added = [a for a in added or [] if _fact_key(a) not in had]
    if name and (new or corrected or new_added):
        return {"by": name, "date": today}
    return None


def measure_decisions(review: Review, rows: list[dict]) -> dict[str, str]:
    ids = {m.id for m in review.draft.measures}
    rejects = {}
    for row in rows:
        mid = str(row["id"])
        if mid not in ids or not row.get("reject"):
            continue
        reason = _note(row.get("reason"), review.curation.reject_measures.get(mid) if review.curation else None)
        if not reason:
            raise LoaderError(f"measure {mid}", "is rejected without a reason", "say why in its reason cell")
        rejects[mid] = reason
    return rejects


# --- adding a fact from its sentence ------------------------------------------------------


# The most numbers of one sentence offered to choose from: a sentence of 100,000 numbers (a table pasted as one line)
# gives its first ones, as the loader reads a bounded window around each number (loaders.facts.QUOTE_BOUND).
MAX_NUMBER_CHOICES = 500


def sentences_with_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of the raw text that hold a number: where a missing fact can come from."""
    from loaders.facts import split_sentences

    return [(a, b) for a, b in split_sentences(text) if number_choices(text[a:b], limit=1)]


def number_choices(sentence: str, limit: int = MAX_NUMBER_CHOICES) -> list[tuple[int, int, str, float]]:
    """Numbers written in a sentence as (start, end, text as written, value in base units), in text order: the first
    `limit`. Linear in the sentence: a number with its unit wins, a count whose unit is left out (25万) counts
    where no number with a unit stands."""
    import bisect

    from loaders.facts import _SESSION_AFTER, IMPLIED, NUMBER, parse_amount

    found: list[tuple[int, int, str, float]] = []
    starts: list[int] = []  # the numbers with a unit, in order, never overlapping one another

    def take(m: re.Match) -> tuple[int, int, str, float] | None:
        start, end = m.start("num"), m.end()
        groups = m.groupdict()
        bare = m.group("num") in ("百", "千", "万")
        if bare and not (groups.get("pre") or groups.get("up") or groups.get("q1") or groups.get("q2")):
            return None  # 万家, 百姓: a bare 百/千/万 is a number only with a qualifier (近百家), as facts.py reads it
        if groups.get("unit") in ("届", "次") and _SESSION_AFTER.match(sentence, m.end()):
            return None  # 十六届人大一次会议 names a session
        try:
            value = parse_amount(m.group("num") + (groups.get("mult") or ""))
        except ValueError:
            return None
        return start, end, sentence[start:end], value

    for m in NUMBER.finditer(sentence):
        choice = take(m)
        if choice is not None:
            found.append(choice)
            starts.append(choice[0])
            if len(found) >= limit:
                return found
    with_unit = list(found)
    for m in IMPLIED.finditer(sentence):
        start = m.start("num")
        k = bisect.bisect_right(starts, start)
        if k and with_unit[k - 1][0] <= start < with_unit[k - 1][1]:
            continue  # inside a number with its unit
        choice = take(m)
        if choice is not None:
            found.append(choice)
    found.sort()
    return found[:limit]


def qualifier_in(sentence: str, start: int) -> str:
    """What the sentence says of the number at `start` (one of number_choices), as the loader reads it: 120余家 and
    超过100家 → more_than, 近30万 → nearly, 约 → approx; exact where nothing qualifies it."""
    from loaders.facts import IMPLIED, NUMBER, _qualifier_of

    for pattern in (NUMBER, IMPLIED):
        for m in pattern.finditer(sentence):
            if m.start("num") == start:
                return _qualifier_of(m)
            if m.start("num") > start:
                break
    return "exact"


def suggest_fields(sentence: str, start: int, document) -> dict:
    """What the words before the number at `start` say of it, read as the loader reads a drafted fact: qualifier
    (余 → more_than), status (计划/力争 → target), period kind with its start and end (截至2022年底 → as_of 2022-12-31,
    2013年以来 → since 2013). Suggestions for the add-a-number form, which the curator sees and may change."""
    from loaders.facts import _TARGET_WORDS, _period

    left = sentence[:start]
    kind, period_start, period_end, _text = _period(left, document)
    if kind not in typing.get_args(schema.PeriodKind):
        kind, period_start, period_end = "unspecified", "", ""
    return {"qualifier": qualifier_in(sentence, start),
            "status": "target" if _TARGET_WORDS.search(left) else "achievement",
            "period_kind": kind, "period_start": period_start or "", "period_end": period_end or ""}


def make_added_fact(text: str, sentence: tuple[int, int], number: tuple[int, int, str, float], indicator: str,
                    note: str, **fields) -> dict:
    """An add_facts entry whose quote and number_text are taken from the text, never typed."""
    from loaders.facts import load_indicators

    spec = load_indicators()["indicators"].get(indicator)
    if spec is None:
        raise LoaderError(indicator, "is not an indicator of data/reference/indicators.yaml")
    quote = text[sentence[0]:sentence[1]]
    entry = {"indicator": indicator, "value": float(fields.pop("value", number[3])), "unit": spec["unit"],
             "number_text": number[2], "quote": quote}
    entry.update({k: v for k, v in fields.items() if v not in (None, "")})
    entry["note"] = note.strip() or "added in the review workbench"
    return entry


# --- the curation file ---------------------------------------------------------------------


@dataclass
class Decisions:
    """What a review decided; merged into the curation file key by key."""

    # Overrides of the fields the review controls: a value, or None for "as drafted" (drops an override).
    jurisdiction: dict[str, str | None] = field(default_factory=dict)
    document: dict[str, str | None] = field(default_factory=dict)
    reject_facts: dict[str, str] = field(default_factory=dict)
    correct_facts: dict[str, dict] = field(default_factory=dict)
    accept_facts: dict[str, str] | None = None  # None: keep the file's as they are
    review: dict[str, str] | None = None  # {by, date}: who reviewed the reply; None keeps the file's
    add_facts: list[dict] | None = None  # None: keep the file's as they are
    reject_measures: dict[str, str] = field(default_factory=dict)
    reviewer_note: str = ""
    # A row for reference/population.csv (a place without one), written by the save with the reply, never before.
    population_row: dict | None = None


def jurisdiction_override(draft: Draft, slug: str, shown: str | None = None) -> dict[str, str | None]:
    """The jurisdiction: fields that make the record's place the gazetteer's `slug`: {} when it is the place the
    record already shows (`shown`: the file's override stays as written), None for each when the draft has it."""
    from loaders.places import place_by_slug

    if shown is not None and slug == shown:
        return {}
    place = place_by_slug(slug)
    if place is None:
        raise LoaderError(slug, "is not a place of the national gazetteer", "choose the place from the list")
    chosen = {"slug": place.slug, "name_zh": place.name_zh, "name_en": place.name_en, "level": place.level,
              "province_zh": place.province_zh, "province_en": place.province_en,
              "prefecture_zh": place.prefecture_zh, "prefecture_en": place.prefecture_en}
    current = draft.jurisdiction.model_dump()
    if all(current.get(k, "") == v for k, v in chosen.items()):
        return dict.fromkeys(chosen)  # the draft has it: no override
    return chosen


def document_override(review: Review, values: dict[str, str]) -> dict[str, str | None]:
    """document: overrides from the form: a field left as shown is not touched, one set back to the draft's value
    drops its override (None), any other value overrides."""
    shown = (review.curated or review.draft).document
    out = {}
    for name, value in values.items():
        value = value.strip()
        if value == getattr(shown, name):
            continue
        out[name] = None if value == getattr(review.draft.document, name) else value
    return out


def _sync_map(parent, key: str, wanted: dict) -> None:
    """Make parent[key] hold exactly `wanted`, touching only the entries that change (their comments stay)."""
    from ruamel.yaml.comments import CommentedMap

    current = parent.get(key)
    if not wanted:
        if key in parent and current:
            del parent[key]  # the last entry undone: the key goes, as if never written
        return
    if not isinstance(current, dict):
        parent[key] = current = CommentedMap()
    for k in list(current):
        if k not in wanted:
            del current[k]
    for k, v in wanted.items():
        if isinstance(v, dict):
            if not isinstance(current.get(k), dict):
                current[k] = CommentedMap()
            _sync_inner(current[k], v)
        elif k not in current or not _same(current[k], v):
            current[k] = v


def _sync_inner(target, wanted: dict) -> None:
    for k in list(target):
        if k not in wanted:
            del target[k]
    for k, v in wanted.items():
        if k not in target or not _same(target[k], v):
            target[k] = v


def _fact_key(entry) -> tuple:
    return (str(entry.get("quote", "")), str(entry.get("number_text", "")), str(entry.get("indicator", "")))


def merge_curation(doc, record_id: str, decisions: Decisions):
    """The curation document (ruamel round trip, comments kept) with the decisions merged in; a new one if doc is None."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if doc is None:
        doc = CommentedMap()
        doc["record_id"] = record_id
        doc.yaml_set_start_comment(f"Curation overlay for {record_id} (written by the review workbench; "
                                   "comments and notes typed here are kept by later saves).")
    if not isinstance(doc, dict):
        raise LoaderError(f"{record_id}.yaml", "must be a YAML mapping (record_id:, reject_facts:, ...)")
    if doc.get("record_id") != record_id:
        doc["record_id"] = record_id
    for key, wanted in (("jurisdiction", decisions.jurisdiction), ("document", decisions.document)):
        # Only the fields the review controls change; a None there drops the override (the draft is right).
        merged = dict(doc.get(key) or {})
        for k, v in wanted.items():
            if v is None:
                merged.pop(k, None)
            else:
                merged[k] = v
        if merged:
            _sync_map(doc, key, merged)
        elif key in doc:
            del doc[key]
    if decisions.review is not None:
        _sync_map(doc, "review", decisions.review)
    _sync_map(doc, "reject_facts", decisions.reject_facts)
    if decisions.accept_facts is not None:
        _sync_map(doc, "accept_facts", decisions.accept_facts)
    _sync_map(doc, "correct_facts", decisions.correct_facts)
    _sync_map(doc, "reject_measures", decisions.reject_measures)
    if decisions.add_facts is not None:
        seq = doc.get("add_facts")
        if not isinstance(seq, list):
            if decisions.add_facts:
                doc["add_facts"] = seq = CommentedSeq()
            else:
                seq = None
        if seq is not None:
            wanted = {_fact_key(e): e for e in decisions.add_facts}
            for i in range(len(seq) - 1, -1, -1):
                if _fact_key(seq[i]) not in wanted:
                    del seq[i]
            have = {_fact_key(e) for e in seq}
            for entry in seq:
                if isinstance(entry, dict):
                    _sync_inner(entry, wanted[_fact_key(entry)])
            for k, entry in wanted.items():
                if k not in have:
                    seq.append(CommentedMap(entry))
    note = decisions.reviewer_note.strip()
    if note:
        notes = doc.get("reviewer_notes")
        if not isinstance(notes, list):
            doc["reviewer_notes"] = notes = CommentedSeq()
        if note not in notes:
            notes.append(note)
    return doc


def _round_trip():
    from loaders.records import _round_trip_yaml

    rt = _round_trip_yaml()
    # The layout of the project's curation files: lists indented under their key, quotes as the curator wrote them.
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 4096
    rt.allow_unicode = True
    return rt


def load_curation_file(path: Path):
    """The curation file as a round-trip document, after the loader's checks (plain YAML only)."""
    from loaders.records import _read_yaml_text, load_curation_document

    load_curation_document(path)  # the checks: no tags, anchors, duplicate keys; a YAML error in one line
    return _round_trip().load(_read_yaml_text(path))


def dump_curation(doc) -> str:
    rt = _round_trip()
    buf = io.StringIO()
    rt.dump(doc, buf)
    return buf.getvalue()


def check_curation(doc, review: Review, path: Path) -> tuple[Draft, list[str]]:
    """The curated draft the document gives, or the one-line LoaderError of its first problem (a quote not in the text)."""
    from loaders.records import _first_error, _to_plain, apply_curation

    try:
        curation = Curation.model_validate(_to_plain(doc))
    except ValidationError as exc:
        raise LoaderError(str(path), _first_error(exc)) from None
    slug = (curation.jurisdiction or {}).get("slug")
    if slug:
        from loaders.places import place_by_slug

        if place_by_slug(slug) is None:
            raise LoaderError(str(path), f"jurisdiction {slug!r} is not in the national gazetteer",
                              "choose the place from the list")
    return apply_curation(review.draft, curation, review.reply.text, path)


def record_id_for(review: Review, curated: Draft) -> str:
    """A reply already stored keeps its id; a new one gets jurisdiction-year, as `loaders import` makes it."""
    from loaders.metadata import make_record_id

    return review.reply.record_id or make_record_id(curated.jurisdiction, curated.document)


def compose(review: Review, decisions: Decisions, folder: Path) -> tuple[str, Draft, str]:
    """(record id, curated draft, curation YAML) of the decisions merged into the folder's curation file; writes
    nothing, and a bad decision (a quote not in the text, a place not in the gazetteer) is a LoaderError."""
    rid, curated, text, _now = _compose(review, decisions, folder)
    return rid, curated, text


def _compose(review: Review, decisions: Decisions, folder: Path) -> tuple[str, Draft, str, str | None]:
    """compose(), and the text of the curation file it merged into as it read it (None: there was no file)."""
    # The id needs the curated place and year; the place and dates come from the decisions alone.
    provisional = merge_curation(None, review.reply.record_id or "new", decisions)
    curated, _ = check_curation(provisional, review, Path("curation.yaml"))
    rid = record_id_for(review, curated)
    if review.is_new:
        check_new_reply(review, rid, folder)
    path = folder / "curation" / f"{rid}.yaml"
    now_text, doc = _curation_now(path)
    text, doc = merge_into_file(review, decisions, rid, path, now_text, doc)
    curated, _ = check_curation(doc, review, path)
    if decisions.population_row is not None:
        check_population_row(folder, decisions.population_row, curated.jurisdiction.slug)
    return rid, curated, text, now_text


def _curation_now(path: Path) -> tuple[str | None, object]:
    """(text, round-trip document) of a curation file as it is now, after the loader's checks; (None, None) when
    there is none. The document is None for a file of comments only."""
    from loaders.records import _read_yaml_text, load_curation_document

    if not os.path.lexists(path):
        return None, None
    text = _read_yaml_text(path)
    return text, load_curation_document(path, text, _round_trip())


def _comments_of(text: str) -> str:
    """The comment and blank lines of a file that holds no data (a null document keeps nothing else worth keeping)."""
    lines = [line for line in text.splitlines(keepends=True) if not line.strip() or line.lstrip().startswith("#")]
    out = "".join(lines)
    return out if not out or out.endswith("\n") else out + "\n"


def _surrogate_in(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_surrogate_in(k) or _surrogate_in(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_surrogate_in(v) for v in value)
    return False


def _shown(value) -> str:
    from loaders.curation_merge import MISSING

    if value is MISSING:
        return "removed"
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def merge_into_file(review: Review, decisions: Decisions, rid: str, path: Path, now_text: str | None,
                    doc) -> tuple[str, object]:
    """(curation YAML, round-trip document) of the decisions merged three-way into the curation file as it is now
    (doc, read from now_text; both None where there is no file): what the review changed from the file as it read it
    (review.base) is written; whatever the file has changed since stays as the file has it; a unit changed on both
    sides, differently, is a LoaderError naming it (loaders/curation_merge.py). A file left as it is keeps its bytes."""
    import copy

    from ruamel.yaml.comments import CommentedMap

    from loaders import curation_merge as cm
    from loaders.records import _to_plain

    base = review.base if review.reply.record_id == rid and review.base is not None else {}
    ours = _to_plain(merge_curation(copy.deepcopy(base) if base else None, rid, decisions))
    for unit, value in cm.units(ours).items():
        if _surrogate_in(value):
            raise LoaderError(str(path), f"{cm.name_of(unit)}: holds a lone surrogate (such as \\ud800), which is not "
                              "a character; nothing written", "retype that text")
    if doc is None and now_text is None and not base:
        doc = merge_curation(None, rid, decisions)  # a new file, laid out as the workbench always wrote one
        return dump_curation(doc), doc
    kept = ""
    if doc is None:  # no file any more, or one holding only comments: they stay above what the save writes
        kept, doc = _comments_of(now_text or ""), CommentedMap()
        if not kept:
            doc.yaml_set_start_comment(f"Curation overlay for {rid} (written by the review workbench; "
                                       "comments and notes typed here are kept by later saves).")
    if not isinstance(doc, dict):
        raise LoaderError(str(path), "must be a YAML mapping (record_id:, reject_facts:, ...)")
    try:
        changed = cm.merge(base, ours, doc, _to_plain(doc))
    except cm.MergeConflict as exc:
        first, rest = exc.conflicts[0], [c.field for c in exc.conflicts[1:]]
        also = f"; also {', '.join(rest[:4])}{', …' if len(rest) > 4 else ''}" if rest else ""
        raise LoaderError(str(path), f"{first.field} was changed in the file since this page read it (now "
                          f"{_shown(first.theirs)}) and on this page ({_shown(first.ours)}){also}; nothing written",
                          "reload the page to review the file as it is now, or set that field back as it was") from None
    merged = _to_plain(doc)
    for fid, where in cm.decided_twice(merged):
        mine = [w for w in where if fid in (ours.get(w) or {})]
        theirs = [w for w in where if w not in mine] or where[1:]
        raise LoaderError(str(path), f"fact {fid} is now in {', '.join(theirs)} in the file and in {', '.join(mine)} "
                          "on this page; nothing written", "reload the page to review the file as it is now")
    if doc.get("record_id") != rid:
        doc["record_id"] = rid
        changed += 1
    if not changed and now_text is not None and not kept:
        return now_text, doc
    return kept + dump_curation(doc), doc


def check_new_reply(review: Review, rid: str, folder: Path) -> None:
    """A new reply may be stored as data/raw/<rid>.txt: its bytes are not stored under another id, and no other
    reply has that id (as `loaders import` refuses them); a LoaderError says which, and nothing is written."""
    from loaders.records import read_manifest

    data = review.reply.raw_bytes
    sha = hashlib.sha256(data).hexdigest()
    manifest = read_manifest(folder / "raw_manifest.csv")
    stored = next((r for r, (_o, s) in manifest.items() if s == sha and r != rid), None)
    if stored is not None:
        raise LoaderError(review.reply.origin, f"is already stored as data/raw/{stored}.txt; nothing written",
                          "open that record from the list")
    raw_path = folder / "raw" / f"{rid}.txt"
    if os.path.lexists(raw_path):
        if not _same_bytes(raw_path, data):
            raise LoaderError(f"data/raw/{rid}.txt", "already holds a different reply with the same id; nothing "
                              "written", "set the jurisdiction or the date this reply really has")
    elif rid in manifest and manifest[rid][1] != sha:
        raise LoaderError("raw_manifest.csv", f"already names {rid} for a different reply, whose file is not in "
                          "data/raw; nothing written", "restore that reply, or remove its line from raw_manifest.csv")


def check_stored_reply(review: Review, folder: Path) -> None:
    """The stored reply a review was made on is still data/raw/<id>.txt, byte for byte; else a LoaderError."""
    rid = review.reply.record_id
    path = folder / "raw" / f"{rid}.txt"
    if not os.path.lexists(path):
        raise LoaderError(f"data/raw/{rid}.txt", "was removed since this page opened it; nothing written",
                          "choose a record from the list")
    if not _same_bytes(path, review.reply.raw_bytes):
        raise LoaderError(f"data/raw/{rid}.txt", "changed since this page opened it; nothing written",
                          "open the record again to review the text as it is now")


# --- warnings ----------------------------------------------------------------------


def population_of(folder: Path) -> pd.DataFrame:
    from loaders.tables import load_population

    return load_population(folder / "reference" / "population.csv")


def population_base(folder: Path, slug: str) -> str:
    """The population rows a build has for the place, as one line ("census 2020-11-01; year_end_resident 2022-12-31"):
    its curated rows (population.csv), and the 2020 census's (population_census2020.csv) where it has no curated
    census row, as a build takes them (loaders.tables.population_for); "" without any."""
    from loaders.tables import CENSUS_FILE, load_census, population_for

    own = population_of(folder)
    curated = int((own["jurisdiction"] == slug).sum())
    rows = population_for(own, load_census(folder / "reference"), {slug})
    rows = rows[rows["jurisdiction"] == slug]  # the curated rows first, then the census's
    return "; ".join(f"{kind} {day}" + (f" ({CENSUS_FILE})" if i >= curated else "")
                     for i, (kind, day) in enumerate(zip(rows["kind"], rows["date"])))


def has_population(folder: Path, slug: str) -> bool:
    """A population row for the place: curated (population.csv) or the 2020 census's (population_census2020.csv)."""
    return bool(population_base(folder, slug))


def review_warnings(curated: Draft, record_id: str, folder: Path, population_row: dict | None = None) -> list[str]:
    """What to look at before saving: facts without a period, a density the population cannot reproduce (with the
    population row the save will add, if any)."""
    from loaders.tables import DENSITY_INDICATORS, build_density_table

    out = [f"fact {f.id} ({f.number_text}): no period (when was it true?)"
           for f in curated.facts if f.period_kind == "unspecified" and not f.period_end]
    record = SimpleNamespace(id=record_id, jurisdiction=curated.jurisdiction, document=curated.document,
                             facts=curated.facts)
    from loaders.tables import load_census, population_for

    population = population_of(folder)
    if population_row is not None:
        row = PopulationRow.model_validate({"is_derived": False, **population_row}).model_dump()
        population = pd.concat([population, pd.DataFrame([row])[population.columns]], ignore_index=True)
    population = population_for(population, load_census(folder / "reference"), {curated.jurisdiction.slug})
    has_counts = any(f.indicator in DENSITY_INDICATORS for f in curated.facts)
    if has_counts and not (population["jurisdiction"] == curated.jurisdiction.slug).any():
        out.append(f"{curated.jurisdiction.name_zh or curated.jurisdiction.slug}: computed density not available "
                   "(no population row; add one below)")
    density = build_density_table([record], population)
    for note in dict.fromkeys(density.loc[density["is_reproducible"] == False, "flag_note"]):  # noqa: E712
        out.append(f"density: {note}")
    return out


# --- saving ------------------------------------------------------------------------


@dataclass
class Saved:
    record_id: str
    written: list[str]


def _lock(folder: Path) -> int:
    from loaders.__main__ import _lock_data_dir

    try:
        return _lock_data_dir(folder)
    except LoaderError:
        raise LoaderError(str(folder), "another save, build or import is writing this data folder right now; "
                          "nothing was written", "save again in a moment") from None


def save_review(review: Review, decisions: Decisions, folder: Path | None = None) -> Saved:
    """Write the reply (if new), merge the curation file, add the population row (if any), rebuild the record and the
    tables; all under the data-folder lock. Everything is checked before the first write."""
    from loaders.records import (
        commit_new_file, format_manifest, read_manifest, recover_folders, recover_imports,
        stage_new_file, write_atomic,
    )

    folder = Path(folder or data_dir())
    lock = _lock(folder)
    try:
        recover_imports(folder)
        recover_folders(folder, names=())
        if not review.is_new:
            check_stored_reply(review, folder)
        # Merged under the lock, three-way, into the file as it is now: a hand edit made since the page opened is kept.
        rid, _curated, text, now_text = _compose(review, decisions, folder)
        written = []
        raw_path = folder / "raw" / f"{rid}.txt"
        if review.is_new and not os.path.lexists(raw_path):  # _compose refused a different reply under this id
            data = review.reply.raw_bytes
            manifest_path = folder / "raw_manifest.csv"
            manifest = read_manifest(manifest_path)
            sha = hashlib.sha256(data).hexdigest()
            staged = stage_new_file(raw_path, data)
            manifest[rid] = (review.reply.origin, sha)
            try:
                write_atomic(manifest_path, format_manifest(manifest), fsync=True)
            except BaseException:
                staged.unlink()
                raise
            commit_new_file(staged, raw_path)
            written += [f"data/raw/{rid}.txt", "data/raw_manifest.csv"]
        # An editor may save the file between the merge and the write: merged again, at most twice, never overwritten.
        for _attempt in range(3):
            done = _write_curation(folder / "curation" / f"{rid}.yaml", text, now_text)
            if done is not None:
                break
            rid, _curated, text, now_text = _compose(review, decisions, folder)
        else:
            raise LoaderError(f"data/curation/{rid}.yaml", "kept changing while it was being saved; not written",
                              "save again once the file is no longer being edited")
        if done:
            written.append(f"data/curation/{rid}.yaml")
        if decisions.population_row is not None:
            written += _append_population(folder, decisions.population_row)
        written += rebuild(folder, rid)
    finally:
        os.close(lock)
    return Saved(record_id=rid, written=written)


REMOVED_DIR = "removed"  # data/removed/<id>-<UTC time>/: what remove_reply took out, to be put back by hand


def remove_reply(folder: Path, record_id: str) -> Saved:
    """Take a reply added by mistake out of the data folder, losing nothing: its raw reply, curation file, record
    and manifest line are first copied (flushed to disk) into data/removed/<id>-<UTC time>/, then the manifest line
    and the files are removed and the tables rebuilt without it; all under the data-folder lock. Putting the folder's
    files back (raw/, curation/ and the manifest line) and running `loaders build` restores it."""
    import shutil
    import time

    from loaders.read import name_problem
    from loaders.records import format_manifest, read_manifest, recover_folders, recover_imports, write_atomic

    folder = Path(folder)
    if name_problem(record_id) or "/" in record_id or record_id.startswith("."):
        raise LoaderError(record_id, "is not a record id")
    lock = _lock(folder)
    try:
        recover_imports(folder)
        recover_folders(folder, names=())
        raw = folder / "raw" / f"{record_id}.txt"
        if not raw.is_file():
            raise LoaderError(f"data/raw/{record_id}.txt", "is not there; nothing removed")
        files = [path for path in (raw, folder / "curation" / f"{record_id}.yaml",
                                   folder / "records" / f"{record_id}.yaml") if path.is_file()]
        manifest_path = folder / "raw_manifest.csv"
        manifest = read_manifest(manifest_path)
        keep = folder / REMOVED_DIR / f"{record_id}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"
        keep.mkdir(parents=True, exist_ok=False)
        for path in files:
            target = keep / path.parent.name / path.name
            target.parent.mkdir(exist_ok=True)
            shutil.copy2(path, target)
            with open(target, "rb") as fh:
                os.fsync(fh.fileno())
        if record_id in manifest:
            write_atomic(keep / "raw_manifest.csv", format_manifest({record_id: manifest[record_id]}), fsync=True)
            del manifest[record_id]
            write_atomic(manifest_path, format_manifest(manifest), fsync=True)
        for path in files:
            path.unlink()
        written = [f"data/{REMOVED_DIR}/{keep.name}/", "data/raw_manifest.csv", *rebuild(folder, None)]
    finally:
        os.close(lock)
    return Saved(record_id=record_id, written=written)


def _write_curation(path: Path, text: str, read_as: str | None) -> bool | None:
    """Write a merged curation file where it still holds what the merge read (read_as; None: no file): True when
    written, False when it already says text, None when it changed meanwhile (merge again). The text is read back
    with the loader's own checks first: a file the build could not read is never written."""
    from loaders.records import _read_yaml_text, _to_plain, curation_from_data, load_curation_document, write_atomic

    try:
        now = _read_yaml_text(path) if os.path.lexists(path) else None
    except LoaderError:
        now = False  # unreadable now: certainly not what was merged
    if now != read_as:
        return None
    if text == read_as:
        return False
    try:
        curation_from_data(_to_plain(load_curation_document(path, text, _round_trip())), path)
    except LoaderError as exc:  # a merge that wrote what the loader refuses: a bug, never a curator's file broken
        raise LoaderError(str(path), f"the merged file would not read back ({exc.problem}); nothing written",
                          "please report this") from None
    write_atomic(path, text, fsync=True)
    return True


def accept_whole_reply(folder: Path, record_id: str, by: str, date: str) -> Saved:
    """Record that `by` reviewed a stored reply whole on `date`: every fact of its draft that the curation file does
    not reject or correct is accepted as drafted (accept_facts), and review: {by, date} says who; the rest of the
    file stays as it is. The record and the tables are rebuilt."""
    review = open_review(read_existing(folder, record_id), folder)
    cur = review.curation
    rejects = dict(cur.reject_facts) if cur else {}
    corrections = {k: v.model_dump(exclude_unset=True) for k, v in cur.correct_facts.items()} if cur else {}
    accepted = dict(cur.accept_facts) if cur else {}
    for f in review.draft.facts:
        if f.id not in rejects and f.id not in corrections:
            accepted.setdefault(f.id, "")
    decisions = Decisions(reject_facts=rejects, correct_facts=corrections, accept_facts=accepted,
                          review={"by": by, "date": date},
                          reject_measures=dict(cur.reject_measures) if cur else {})
    return save_review(review, decisions, folder)


def rebuild(folder: Path, record_id: str | None) -> list[str]:
    """Rebuild one record (None: none) and then the tables, with the loader's own build functions. Hold the lock.

    The tables are spliced from what the last build or save kept of the other records when that is the folder as it
    is, else made from every record file (loaders/incremental.py); byte for byte the same either way."""
    from loaders.incremental import rebuild as rebuild_incrementally

    return rebuild_incrementally(folder, record_id).written


def check_population_row(folder: Path, row: dict, slug: str | None = None) -> PopulationRow:
    """A row for reference/population.csv, checked as the build will read it (a real day, a head count above zero
    and below any country's, a source), for a place of the gazetteer (the record's, slug, when given) that has no row
    of that kind and date yet; a one-line LoaderError otherwise."""
    from loaders.records import _first_error

    if not str(row.get("source") or "").strip():
        raise LoaderError("population row", "has no source", "say where the figure was published")
    try:
        checked = PopulationRow.model_validate({"is_derived": False, **row})
    except ValidationError as exc:
        raise LoaderError("population row", _first_error(exc)) from None
    if _surrogate_in(checked.model_dump()):
        raise LoaderError("population row", "holds a lone surrogate (such as \\ud800), which is not a character",
                          "retype that text")
    from loaders.places import place_by_slug

    if place_by_slug(checked.jurisdiction) is None:
        raise LoaderError(checked.jurisdiction, "is not a place of the national gazetteer")
    if slug is not None and checked.jurisdiction != slug:
        raise LoaderError("population row", f"is for {checked.jurisdiction}, but the record's place is now {slug}",
                          "remove it, or add it again for this place")
    population = population_of(folder)
    same = population[(population["jurisdiction"] == checked.jurisdiction) & (population["kind"] == checked.kind)
                      & (population["date"] == checked.date)]
    if not same.empty:
        raise LoaderError("population row", f"population.csv already has a {checked.kind} row of "
                          f"{checked.jurisdiction} dated {checked.date}", "correct that row by hand if it is wrong")
    return checked


def _append_population(folder: Path, row: dict) -> list[str]:
    """Add a checked row to reference/population.csv; the whole file as it will be is read first, as the build reads
    it. Hold the lock."""
    from loaders.records import write_atomic
    from loaders.tables import load_population

    checked = check_population_row(folder, row)
    path = folder / "reference" / "population.csv"
    text = read_regular_file(path).decode("utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(
        [checked.jurisdiction, checked.jurisdiction_zh, checked.kind, checked.date,
         f"{checked.population_persons:.0f}", "false", checked.source])
    load_population(path, text + buf.getvalue())  # a file the build could not read is never written
    write_atomic(path, text + buf.getvalue(), fsync=True)
    return ["data/reference/population.csv"]


def save_population(folder: Path, row: dict) -> list[str]:
    """Add one population row (with its source) to data/reference/population.csv and rebuild the tables. The review
    workbench saves a row with its reply instead (Decisions.population_row)."""
    check_population_row(folder, row)
    lock = _lock(folder)
    try:
        return [*_append_population(folder, row), *rebuild(folder, None)]
    finally:
        os.close(lock)
