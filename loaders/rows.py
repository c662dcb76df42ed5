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

    # Numbered access, for a cache of term counts (loaders/incremental.py): a reply's counts as the numbers of its
    # terms in `vocabulary` and their counts, two arrays of unsigned ints.

    @classmethod
    def from_vocabulary(cls, vocabulary: list[str]) -> "TermCounts":
        """An empty TermCounts whose terms are numbered as in vocabulary (distinct terms), for add_numbered."""
        out = cls()
        out._terms = list(vocabulary)
        out._number = {term: i for i, term in enumerate(out._terms)}
        if len(out._number) != len(out._terms):
            raise ValueError("a vocabulary names a term twice")
        return out

    @property
    def vocabulary(self) -> list[str]:
        """Every term met so far, by its number (terms are only ever appended: a number never changes)."""
        return self._terms

    def add_numbered(self, record_id: str, ids: array, counts: array) -> None:
        """A reply's counts as numbers of this vocabulary (distinct, each below len(vocabulary)) and counts. The
        numbers are checked against the vocabulary where they are read (numbered, score_term_counts): max() over
        every reply's array here took a fifth of a second of a 10,000-reply save."""
        if len(ids) != len(counts):
            raise ValueError(f"{record_id}: term numbers and counts do not fit the vocabulary")
        self._by_id[record_id] = (ids, counts)

    def numbered(self, record_id: str) -> tuple[array, array]:
        ids, counts = self._by_id[record_id]
        if len(ids) and max(ids) >= len(self._terms):
            raise ValueError(f"{record_id}: term numbers and counts do not fit the vocabulary")
        return ids, counts


def make_term_counts(tokens: Mapping[str, Iterable[str]] | None) -> TermCounts:
    """TermCounts as they are, or made from token lists by record id (the review workbench passes those)."""
    if isinstance(tokens, TermCounts):
        return tokens
    out = TermCounts()
    for record_id, toks in (tokens or {}).items():
        out.add_tokens(record_id, toks)
    return out


# The arithmetic of score_distinctive_terms done on arrays: a reply's terms whose unrounded score is this far or
# further below its top_n-th largest cannot reach its top_n once rounded to 5 decimals (rounding moves a score by at
# most 0.5e-5), so only the others are rounded and sorted in Python.
_CANDIDATE_MARGIN = 2e-5


def score_term_counts(terms: TermCounts, keys, top_n: int = 15) -> dict[str, list[tuple[str, float]]]:
    """loaders.measures.score_distinctive_terms of the replies `keys` of terms, result for result and bit for bit,
    in a fraction of the time (3.4 s for 10,000 replies in Python).

    Every float is made as Python makes it: tf = count / total and the score tf * idf are IEEE divisions and
    products of the same doubles (numpy's float64 arithmetic, element by element, no fused operations), idf is
    math.log of the same quotient (one call per distinct document frequency), and the rounding and the sort by
    (-score, term) are Python's own, on the few terms that can reach a reply's top_n."""
    import math

    import numpy as np

    keys = sorted(keys)
    n_docs = len(keys)
    result: dict[str, list[tuple[str, float]]] = {key: [] for key in keys}
    if not n_docs or top_n <= 0:
        return result
    pairs = [terms._by_id[key] for key in keys]
    unit = np.dtype(f"u{array('I').itemsize}")
    lengths = np.fromiter((len(ids) for ids, _ in pairs), dtype=np.int64, count=n_docs)
    if not lengths.sum():
        return result
    term_ids = np.concatenate([np.frombuffer(ids, dtype=unit) for ids, _ in pairs]).astype(np.int64)
    counts = np.concatenate([np.frombuffer(c, dtype=unit) for _, c in pairs]).astype(np.int64)
    if len(term_ids) and int(term_ids.max()) >= len(terms._terms):
        raise ValueError("term numbers do not fit the vocabulary")
    reply = np.repeat(np.arange(n_docs), lengths)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    running = np.concatenate([[0], np.cumsum(counts)])
    totals = running[ends] - running[starts]
    totals[totals == 0] = 1  # `sum(counts.values()) or 1`
    # Each reply's terms are distinct (a Counter's keys), so a term's count of replies is its number of entries.
    df = np.bincount(term_ids)
    idf = np.zeros(n_docs + 1)
    for d in np.unique(df[df > 0]).tolist():
        idf[d] = math.log(n_docs / d)
    score = (counts.astype(np.float64) / totals.astype(np.float64)[reply]) * idf[df[term_ids]]
    # Per reply, its terms from the highest score down (one sort of reply * step - score: scores lie in [0, step),
    # so the replies stay apart, and within one the order is exact to far less than the margin); the top_n-th of
    # them sets the reply's bar.
    step = float(score.max()) + 1.0
    order = np.argsort(reply * step - score)
    ranked = score[order]
    has_terms = lengths > 0
    nth = starts + np.minimum(lengths, top_n) - 1
    bar = np.full(n_docs, np.inf)
    bar[has_terms] = ranked[nth[has_terms]] - _CANDIDATE_MARGIN
    keep = order[ranked >= bar[reply]]  # each reply's entries stay where they were: reply[order] == reply
    keep.sort()
    words = terms._terms
    scores, numbers = score[keep].tolist(), term_ids[keep].tolist()
    per_reply = np.bincount(reply[keep], minlength=n_docs).tolist()
    i = 0
    for key, n in zip(keys, per_reply):
        scored = []
        for s, t in zip(scores[i:i + n], numbers[i:i + n]):
            s = round(s, 5)
            if s > 0:
                scored.append((words[t], s))
        i += n
        scored.sort(key=lambda ts: (-ts[1], ts[0]))
        result[key] = scored[:top_n]
    return result
