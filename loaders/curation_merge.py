"""Three-way merge of a curation file: what a review changed, from the file as the review loaded it (the base), applied
to the file as it is on disk now (theirs), so that nothing typed into the file meanwhile is lost.

A curation document is seen as units of change, each with a path:

- an entry of reject_facts, accept_facts, reject_measures, and a field of jurisdiction: and document:
  (`reject_facts.c383`, `document.date_written`);
- a field of one correction (`correct_facts.c843.qualifier`);
- an item of add_facts, add_measures (by its quote, number and indicator or category) and of reviewer_notes;
- any other top-level key as a whole (review, metadata_note, a key this module does not know).

A unit the review left as the base had it takes whatever the file has now (a hand edit stays, a hand deletion stays
deleted); a unit the review changed is written where the file still has the base's value; where the file changed it
too, to something else, the merge is refused with a Conflict naming the unit. Only the units that change are touched
in the round-trip document, so comments and layout stay."""

from __future__ import annotations

from dataclasses import dataclass

MISSING = object()
ENTRY_MAPS = ("reject_facts", "accept_facts", "reject_measures", "jurisdiction", "document")
FIELD_MAPS = ("correct_facts",)
LISTS = ("add_facts", "add_measures", "reviewer_notes")
FACT_DECISIONS = ("reject_facts", "accept_facts", "correct_facts")


@dataclass
class Conflict:
    field: str
    theirs: object
    ours: object


class MergeConflict(Exception):
    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__(", ".join(c.field for c in conflicts))


def same(a, b) -> bool:
    """Equal as curation values: numbers by value (5873 and 5873.0), None as '', containers item by item; strings
    exactly (a trailing newline counts)."""
    if a is MISSING or b is MISSING:
        return a is b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return abs(float(a) - float(b)) < 1e-9 or float(a) == float(b)
    return ("" if a is None else str(a)) == ("" if b is None else str(b))


def _identity(section: str, item) -> object:
    if isinstance(item, dict):
        if section == "add_facts":
            return ("fact", str(item.get("quote", "")), str(item.get("number_text", "")), str(item.get("indicator", "")))
        if section == "add_measures":
            return ("measure", str(item.get("quote", "")), str(item.get("category", "")))
        return ("map", repr(sorted((str(k), repr(v)) for k, v in item.items())))
    return ("text", "" if item is None else str(item))


def units(data) -> dict[tuple, object]:
    """path -> value of every unit of a curation document (plain data)."""
    out: dict[tuple, object] = {}
    if not isinstance(data, dict):
        return out
    for key, value in data.items():
        if key in ENTRY_MAPS and isinstance(value, dict):
            for k, v in value.items():
                out[(key, k)] = v
        elif key in FIELD_MAPS and isinstance(value, dict):
            for k, fix in value.items():
                if isinstance(fix, dict) and fix:
                    for name, v in fix.items():
                        out[(key, k, name)] = v
                else:
                    out[(key, k)] = fix
        elif key in LISTS and isinstance(value, list):
            seen: dict[object, int] = {}
            for item in value:
                ident = _identity(key, item)
                n = seen[ident] = seen.get(ident, -1) + 1
                out[(key, ident, n)] = item
        else:
            out[(key,)] = value
    return out


def name_of(path: tuple) -> str:
    """A unit's path as a curator reads it: reject_facts.c383, correct_facts.c843.note, add_facts[200家]."""
    if path[0] in LISTS:
        ident = path[1]
        label = ident[2] if ident[0] == "fact" else ident[2] if ident[0] == "measure" else ident[1]
        label = str(label)
        return f"{path[0]}[{label[:40]}{'…' if len(label) > 40 else ''}]"
    return ".".join(str(p) for p in path)


def _container(doc, path: tuple, create: bool):
    """The mapping that holds path's last step (created on the way when asked), or None."""
    from ruamel.yaml.comments import CommentedMap

    parent = doc
    for step in path[:-1]:
        child = parent.get(step) if isinstance(parent, dict) else None
        if not isinstance(child, dict):
            if not create:
                return None
            child = CommentedMap()
            parent[step] = child
        parent = child
    return parent


def _prune(doc, path: tuple) -> None:
    """After a deletion: a mapping left empty by it goes, as if never written (correct_facts.c1, then correct_facts)."""
    for depth in range(len(path) - 1, 0, -1):
        holder = _container(doc, path[:depth], create=False)
        if holder is None:
            return
        child = holder.get(path[depth - 1])
        if isinstance(child, dict) and not child:
            del holder[path[depth - 1]]
        else:
            return


def _set(doc, path: tuple, value) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if path[0] in LISTS:
        seq = doc.get(path[0])
        if not isinstance(seq, list):
            if value is MISSING:
                return
            doc[path[0]] = seq = CommentedSeq()
        index = _find(seq, path)
        if value is MISSING:
            if index is not None:
                del seq[index]
            if not seq:
                del doc[path[0]]
        elif index is not None:
            seq[index] = CommentedMap(value) if isinstance(value, dict) else value
        else:
            seq.append(CommentedMap(value) if isinstance(value, dict) else value)
        return
    if value is MISSING:
        holder = _container(doc, path, create=False)
        if holder is not None and path[-1] in holder:
            del holder[path[-1]]
            _prune(doc, path)
        return
    holder = _container(doc, path, create=True)
    holder[path[-1]] = CommentedMap(value) if isinstance(value, dict) and not isinstance(value, CommentedMap) else value


def _find(seq, path: tuple) -> int | None:
    n = -1
    for i, item in enumerate(seq):
        if _identity(path[0], item) == path[1]:
            n += 1
            if n == path[2]:
                return i
    return None


def merge(base: dict, ours: dict, doc, theirs: dict) -> int:
    """Apply to doc (the file as it is now, a ruamel document; theirs is its plain data) every unit ours changed from
    base; returns how many units were written. A unit changed on both sides to different values raises MergeConflict
    (every such unit, in the order of the file), and so does a fact left decided two ways (rejected in the file,
    accepted on the page) and a correction the review removed whole while the file added to it."""
    b, o, t = units(base), units(ours), units(theirs)
    changes = [(p, b.get(p, MISSING), o.get(p, MISSING)) for p in (*o, *(p for p in b if p not in o))]
    changes = [(p, was, now) for p, was, now in changes if not same(was, now)]
    conflicts, todo = [], []
    for path, was, now in changes:
        there = t.get(path, MISSING)
        if same(there, was):
            todo.append((path, now))
        elif not same(there, now):
            conflicts.append(Conflict(name_of(path), there, now))
    # A correction, an addition or an override the review removed whole, which the file has since added to.
    for section in FIELD_MAPS:
        removed = {p[1] for p, was, now in changes if p[0] == section and now is MISSING}
        for fid in sorted(removed):
            if any(p[1] == fid for p in o if p[0] == section):
                continue
            extra = [p for p in t if p[0] == section and p[1] == fid and p not in b]
            if extra:
                conflicts.append(Conflict(f"{section}.{fid}", {p[-1]: t[p] for p in extra}, MISSING))
    if conflicts:
        raise MergeConflict(conflicts)
    for path, now in todo:
        _set(doc, path, now)
    return len(todo)


def decided_twice(data: dict) -> list[tuple[str, list[str]]]:
    """(fact id, the sections deciding it) for each fact a curation document rejects, accepts or corrects more than
    once: after a merge, the two sides decided it differently."""
    seen: dict[str, list[str]] = {}
    for section in FACT_DECISIONS:
        value = data.get(section) if isinstance(data, dict) else None
        if isinstance(value, dict):
            for fid in value:
                seen.setdefault(str(fid), []).append(section)
    return [(fid, where) for fid, where in seen.items() if len(where) > 1]
