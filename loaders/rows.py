"""Table rows of one record as CSV lines, made where the record is built: a build's parent keeps these, never records."""

from __future__ import annotations

import csv
import io
from array import array
from collections import Counter, namedtuple
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from loaders.schema import FACT_COLUMNS

# The density table reads a fact by name (f.indicator, f.value) as it reads a Fact.
FactRow = namedtuple("FactRow", FACT_COLUMNS)
# The facts the density table looks at: counts it divides, and the reported densities beside them
# (loaders.tables.DENSITY_INDICATORS, both sides); it reads no other fact.
DENSITY_FACT_INDICATORS = frozenset({"social_orgs_total", "social_orgs_per_10k",
                                     "community_social_orgs", "community_social_orgs_per_10k"})
_INDICATOR = FACT_COLUMNS.index("indicator")


class RecordRows(NamedTuple):
    """What the tables need of one record: its documents, facts and measures rows as CSV lines (UTF-8, no
    header), the few facts the density table reads, and what the summary line counts."""

    id: str
    slug: str
    date_written: str
    date_published: str
    document_csv: bytes
    facts_csv: bytes
    measures_csv: bytes
    density_facts: tuple[FactRow, ...]
    n_facts: int
    n_measures: int


def _cell(value):
    """A value as pandas' to_csv writes it in this column: None (NaN in a float column) is blank, a float is
    its repr (what numpy's astype(str) gives a float64 column, checked on 600,000 floats), text as it is."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else repr(value)
    return value


def format_csv_lines(rows: Iterable[tuple]) -> bytes:
    """Rows as the lines `loaders.tables.table_to_csv` writes for them (same csv dialect as pandas: minimal
    quoting, '\\n' line ends), for columns whose values keep one type (text, int, float or None)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8")


def make_record_rows(record) -> RecordRows:
    """The table rows of one Record, from the values the tables have always taken from its model_dump."""
    j = record.jurisdiction
    base = (record.id, j.slug, j.name_zh, j.level)
    # model_dump keeps the models' field order, which is the order of the columns (loaders.schema).
    document = (record.id, *j.model_dump().values(), *record.document.model_dump().values(),
                record.origin.title, record.origin.source_file, record.origin.collected_from, record.origin.sha256,
                len(record.facts), len(record.measures), record.reviewed_by, record.reviewed_on)
    facts = [(*base, *f.model_dump().values()) for f in record.facts]
    measures = [(*base, *m.model_dump().values()) for m in record.measures]
    return RecordRows(
        record.id, j.slug, record.document.date_written, record.document.date_published,
        format_csv_lines([document]), format_csv_lines(facts), format_csv_lines(measures),
        tuple(FactRow(*row) for row in facts if row[_INDICATOR] in DENSITY_FACT_INDICATORS),
        len(record.facts), len(record.measures))


def as_record_rows(item) -> RecordRows:
    """A RecordRows as it is, a Record made into one (a record carried over from an earlier build)."""
    return item if isinstance(item, RecordRows) else make_record_rows(item)


def count_terms(tokens: Iterable[str]) -> tuple[tuple[str, ...], array]:
    """A reply's tokens as (distinct terms, their counts): all the TF-IDF needs, a fraction of the token list."""
    counts = Counter(tokens)
    return tuple(counts), array("I", counts.values())


class TermCounts(Mapping):
    """Term counts of each reply by record id, held as arrays of term numbers and counts.

    Looking a reply up gives {term: count}, made on the spot: loaders.measures.score_distinctive_terms reads
    it exactly as it reads a token list (a Counter of it, a set of it), so scores, rounding and ties are unchanged."""

    def __init__(self) -> None:
        self._number: dict[str, int] = {}
        self._terms: list[str] = []
        self._by_id: dict[str, tuple[array, array]] = {}

    def add(self, record_id: str, terms: Iterable[str], counts: Iterable[int]) -> None:
        number, words = self._number, self._terms
        ids = array("I")
        for term in terms:
            n = number.get(term)
            if n is None:
                n = number[term] = len(words)
                words.append(term)
            ids.append(n)
        self._by_id[record_id] = (ids, array("I", counts))

    def update(self, other: "TermCounts") -> None:
        """Every reply of another TermCounts, its counts as they are (check joins two partial builds)."""
        for record_id in other:
            counts = other[record_id]
            self.add(record_id, counts.keys(), counts.values())

    def add_tokens(self, record_id: str, tokens: Iterable[str]) -> None:
        self.add(record_id, *count_terms(tokens))

    def __getitem__(self, record_id: str) -> dict[str, int]:
        ids, counts = self._by_id[record_id]
        words = self._terms
        return {words[i]: c for i, c in zip(ids, counts)}

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id


def make_term_counts(tokens: Mapping[str, Iterable[str]] | None) -> TermCounts:
    """TermCounts as they are, or made from token lists by record id (the review workbench passes those)."""
    if isinstance(tokens, TermCounts):
        return tokens
    out = TermCounts()
    for record_id, toks in (tokens or {}).items():
        out.add_tokens(record_id, toks)
    return out
