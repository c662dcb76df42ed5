"""A workbench save splices its record into the tables (loaders/incremental.py): the tables stay byte for byte what a
full build writes, the cache is ignored when it does not describe the folder, and a kill leaves a complete set."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from loaders import curate, fingerprint, incremental
from loaders.__main__ import main
from loaders.records import SLOW_WRITES_ENV, recover_folders
from loaders.tables import read_table_set

DATA = ROOT / "data"
LUOYANG = ROOT / "tests" / "fixtures" / "unseen" / "11_luoyang_prefecture_npc.txt"
HUZHOU = ROOT / "tests" / "fixtures" / "unseen" / "10_huzhou_prefecture_news.txt"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """The project's data built by `build` (with its fingerprints and the cache of table rows)."""
    target = tmp_path_factory.mktemp("incremental") / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns(fingerprint.CACHE_FOLDER))
    assert main(["--data", str(target), "build", "--quiet"]) == 0
    assert incremental.cache_path(target).is_file()
    return target


@pytest.fixture
def folder(built_once, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(built_once, target)
    return target


@pytest.fixture
def paths(monkeypatch):
    """How each save made its tables: "spliced", or "full: <why>"."""
    seen, real = [], incremental.update_tables

    def update_tables(*args, **kwargs):
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(incremental, "update_tables", update_tables)
    return seen


def copy_of(folder: Path, name: str, keep_cache: bool = False) -> Path:
    target = folder.parent / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(folder, target, ignore=None if keep_cache else shutil.ignore_patterns(fingerprint.CACHE_FOLDER))
    return target


def built_tables(folder: Path) -> dict[str, bytes]:
    """The tables a full `build` writes from the folder's replies and curation (on a copy)."""
    other = copy_of(folder, f"{folder.name}-build")
    assert main(["--data", str(other), "build", "--quiet"]) == 0
    return read_table_set(other / "tables")


def full_path_tables(folder: Path, record_id: str | None) -> dict[str, bytes]:
    """The tables the save's full path makes (every record file read, every reply tokenised), on a copy."""
    other = copy_of(folder, f"{folder.name}-full")
    assert incremental.rebuild(other, record_id).how == "full: no cache"
    return read_table_set(other / "tables")


def tables(folder: Path) -> dict[str, bytes]:
    return read_table_set(folder / "tables")


def reject_first(folder: Path, record_id: str, n: int = 1, reviewer: str | None = None) -> curate.Saved:
    """Save a stored reply as the workbench does: of its first three drafted facts that no correction touches, the
    first n rejected and the others accepted (the rest as its curation file says), so that the record depends on n
    only, whatever was saved before; reviewer: accept every other fact too, signed."""
    review = curate.open_review(curate.read_existing(folder, record_id), folder)
    rows = curate.fact_rows(review)
    corrected = set(review.curation.correct_facts) if review.curation else set()
    chosen = [r["id"] for r in rows if r["id"] not in corrected][:3]
    for row in rows:
        if row["id"] in chosen[:n]:
            row["reject"], row["accept"], row["reason"] = True, False, "a test's rejection"
        elif row["id"] in chosen or (reviewer and not row["reject"]):
            row["reject"], row["accept"], row["reason"] = False, True, ""
    rejects, corrections = curate.fact_decisions(review, rows)
    accepted = curate.accept_decisions(review, rows, rejects, corrections)
    mark = curate.review_mark(review, accepted, corrections, [], reviewer, "2026-12-07") if reviewer else None
    return curate.save_review(review, curate.Decisions(reject_facts=rejects, correct_facts=corrections,
                                                       accept_facts=accepted, review=mark), folder)


def save_new(folder: Path, path: Path) -> curate.Saved:
    review = curate.open_review(curate.read_upload(path.name, path.read_bytes()), folder)
    return curate.save_review(review, curate.Decisions(), folder)


def check(folder: Path) -> int:
    return main(["--data", str(folder), "check", "--quiet"])


def note_by_hand(folder: Path, record_id: str) -> None:
    """A curator's note typed into a curation file by hand (its record changes: reviewer_notes)."""
    path = folder / "curation" / f"{record_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "reviewer_notes:\n" in text
    path.write_text(text.replace("reviewer_notes:\n", "reviewer_notes:\n  - \"Edited by hand.\"\n", 1), encoding="utf-8")


# --- the tables a save writes --------------------------------------------------------------------------------


def test_saves_in_a_row_splice_the_tables_a_build_writes(folder, paths):
    """A rejected fact, the same reply again, another reply reviewed whole, and two new replies: every save splices,
    and after each the tables are byte for byte those `build` writes from the same replies and curation."""
    before = tables(folder)
    for step in (lambda: reject_first(folder, "quzhou-2023"),
                 lambda: reject_first(folder, "quzhou-2023", n=2),
                 lambda: reject_first(folder, "leshan-2021", n=1, reviewer="王审核"),
                 lambda: save_new(folder, LUOYANG),
                 lambda: save_new(folder, HUZHOU)):
        step()
        assert paths[-1] == "spliced"
        assert tables(folder) == built_tables(folder)
    after = tables(folder)
    assert after["facts.csv"] != before["facts.csv"] and after["distinctive_terms.csv"] != before["distinctive_terms.csv"]
    assert b"luoyang-2022" in after["documents.csv"] and b"huzhou-" in after["documents.csv"]
    assert check(folder) == 0


def test_a_save_that_changes_a_density_fact_splices_that_records_density_lines(folder, paths):
    """The density table is each record's lines too: rejecting Quzhou 2023's count of organisations (c299, 3424个)
    drops its density rows, correcting it changes them, and the other records' rows stay; each time byte for byte
    what a build writes."""
    review = curate.open_review(curate.read_existing(folder, "quzhou-2023"), folder)
    assert b"quzhou-2023,quzhou,social_orgs_total,c299,3424.0," in tables(folder)["density.csv"]
    accepted = {k: v for k, v in (review.curation.accept_facts or {}).items() if k != "c299"}
    curate.save_review(review, curate.Decisions(reject_facts={"c299": "a test's rejection"}, accept_facts=accepted),
                       folder)
    density = tables(folder)["density.csv"]
    assert b"quzhou-2023,quzhou,social_orgs_total" not in density and b"leshan-2021,leshan,social_orgs_total" in density
    assert tables(folder) == built_tables(folder)
    review = curate.open_review(curate.read_existing(folder, "quzhou-2023"), folder)
    curate.save_review(review, curate.Decisions(reject_facts={}, correct_facts={"c299": {"value": 3500.0, "note": "a test's correction"}},
                                                accept_facts=accepted), folder)
    assert b"quzhou-2023,quzhou,social_orgs_total,c299,3500.0," in tables(folder)["density.csv"]
    assert paths == ["spliced", "spliced"]
    assert tables(folder) == built_tables(folder)


def test_a_save_after_a_build_that_another_process_ran(folder, paths):
    reject_first(folder, "quzhou-2023")
    save_new(folder, LUOYANG)
    # Another process builds (the curation of a reply edited by hand meanwhile), then the workbench saves again.
    note_by_hand(folder, "xuancheng-2024")
    subprocess.run([sys.executable, "-m", "loaders", "--data", str(folder), "build", "--quiet"], cwd=ROOT, check=True,
                   capture_output=True)
    reject_first(folder, "ganzhou-2022")
    assert paths == ["spliced", "spliced", "spliced"]
    assert tables(folder) == built_tables(folder)
    assert check(folder) == 0


def test_a_population_row_and_then_a_save(folder, paths):
    """A population row changes the reference folder, so the loader's fingerprint: that save takes the full path and
    writes the cache again, and the next save splices; both write what a build writes."""
    save_new(folder, LUOYANG)
    curate.save_population(folder, {"jurisdiction": "luoyang", "jurisdiction_zh": "洛阳市", "kind": "census",
                                    "date": "2020-11-01", "population_persons": 7056699.0, "source": "普查公报"})
    assert b"luoyang-2022" in tables(folder)["density.csv"]
    assert tables(folder) == built_tables(folder)
    reject_first(folder, "luoyang-2022")
    assert paths == ["spliced", "full: another loader", "spliced"]
    assert tables(folder) == built_tables(folder)


def test_a_save_leaves_the_fast_check_able_to_name_a_stale_or_edited_table(folder, capsys):
    old_facts = tables(folder)["facts.csv"]
    reject_first(folder, "quzhou-2023")
    assert check(folder) == 0
    (folder / "tables" / "facts.csv").write_bytes(old_facts)  # the table of before the save, put back
    assert check(folder) == 1
    assert "tables/facts.csv: out of date or edited by hand" in capsys.readouterr().err
    reject_first(folder, "quzhou-2023", n=2)  # the save finds the table is not the one it wrote: the full path
    assert check(folder) == 0
    # A reply's curation edited by hand after the save: its record and the tables are stale, and check says so.
    note_by_hand(folder, "leshan-2021")
    assert check(folder) == 1
    assert "records/leshan-2021.yaml: out of date" in capsys.readouterr().err


# --- what the cache trusts ------------------------------------------------------------------------------------


def _edit_table(folder: Path) -> None:
    path = folder / "tables" / "facts.csv"
    data = path.read_bytes()
    assert b"3424" in data
    path.write_bytes(data.replace(b"3424", b"3425", 1))  # same size


def _replace_table(folder: Path) -> None:
    """facts.csv of another state of the folder (a fact of jiangsu rejected) put in place of this one."""
    other = copy_of(folder, "older", keep_cache=True)
    reject_first(other, "jiangsu-2021")
    shutil.copy2(other / "tables" / "facts.csv", folder / "tables" / "facts.csv")


def _damage_cache(folder: Path) -> None:
    path = incremental.cache_path(folder)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


def _another_loader(folder: Path) -> None:
    cache = incremental.load_cache(folder)
    cache.loader = "0" * 64
    incremental.write_cache(folder, cache)


def _another_population(folder: Path) -> None:
    """A cache made with another population (the loader fingerprint taken as it is now, so that only this differs)."""
    cache = incremental.load_cache(folder)
    cache.population = "0" * 64
    incremental.write_cache(folder, cache)


@pytest.mark.parametrize("damage, why", [
    (_edit_table, "full: facts.csv is not the file the cache describes (edited since?)"),
    (_replace_table, "full: facts.csv is not the file the cache describes"),
    (lambda d: (d / "tables" / "measures.csv").unlink(), "full: measures.csv cannot be read"),
    (_damage_cache, "full: no cache"),
    (lambda d: incremental.cache_path(d).write_bytes(b""), "full: no cache"),
    (_another_loader, "full: another loader"),
    (_another_population, "full: another population"),
], ids=["table-edited", "table-replaced", "table-gone", "cache-damaged", "cache-empty", "other-loader",
        "other-population"])
def test_a_cache_that_does_not_describe_the_folder_is_not_used(folder, paths, damage, why):
    damage(folder)
    paths.clear()  # a damage may save in another folder
    reject_first(folder, "quzhou-2023")
    assert len(paths) == 1 and paths[0].startswith(why)
    assert tables(folder) == built_tables(folder)
    assert check(folder) == 0
    reject_first(folder, "quzhou-2023", n=2)  # and the cache the full path wrote serves the next save
    assert paths[-1] == "spliced"
    assert tables(folder) == built_tables(folder)


def _edit_record(folder: Path) -> None:
    """Another record's file edited by hand (a number changed), still a valid record."""
    path = folder / "records" / "ganzhou-2022.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  value: 1139244.0\n" in text
    path.write_text(text.replace("  value: 1139244.0\n", "  value: 1139245.0\n", 1), encoding="utf-8")


def _edit_reply_keeping_its_times(folder: Path) -> None:
    """Another reply changed in place, same size and modification time (only its change time shows it)."""
    path = folder / "raw" / "jiangsu-2021.txt"
    st = path.stat()
    data = path.read_bytes()
    word = "社会组织".encode("utf-8")
    at = data.index(word)
    path.write_bytes(data[:at] + "社区组织".encode("utf-8") + data[at + len(word):])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _remove_record(folder: Path) -> None:
    (folder / "records" / "leshan-2021.yaml").unlink()


def _add_record_by_hand(folder: Path) -> None:
    """A reply imported and its record written without a build (the cache knows neither)."""
    from loaders.records import build_record, write_record

    incoming = folder.parent / "incoming"
    incoming.mkdir()
    shutil.copy(HUZHOU, incoming / "huzhou.txt")
    assert main(["--data", str(folder), "import", str(incoming), "--quiet"]) == 0
    rid = next(p.stem for p in (folder / "raw").glob("huzhou-*.txt"))
    write_record(build_record(folder / "raw" / f"{rid}.txt", folder / "curation"), folder / "records" / f"{rid}.yaml")


def _counted_as_it_is(folder: Path, record_id: str) -> bool:
    """The cache holds the term counts of the reply as it is now."""
    cache = incremental.load_cache(folder)
    entry = next(e for e in cache.entries if e.id == record_id)
    path = folder / "raw" / f"{record_id}.txt"
    return (entry.raw_sha == fingerprint.hash_bytes(path.read_bytes())
            and incremental.Vocabulary(cache.vocabulary).as_dict(entry.terms) == dict(zip(*incremental.tokenized(path))))


@pytest.mark.parametrize("change, shows", [
    (_edit_record, lambda d: b",1139245.0," in tables(d)["facts.csv"]),
    (_edit_reply_keeping_its_times, lambda d: _counted_as_it_is(d, "jiangsu-2021")),
    (_remove_record, lambda d: b"leshan-2021" not in tables(d)["documents.csv"]),
    (_add_record_by_hand, lambda d: b"huzhou-" in tables(d)["documents.csv"]),
], ids=["record-edited", "reply-edited", "record-removed", "record-added"])
def test_records_and_replies_changed_since_the_cache_are_read_again(folder, paths, change, shows):
    """What the full path would read differently (a record file, a reply) is read again: the spliced tables are those
    of the full path, which makes them from every record file and reply as they are."""
    change(folder)
    reject_first(folder, "quzhou-2023")
    assert paths == ["spliced"] and shows(folder)
    other = copy_of(folder, "without-cache")
    assert incremental.rebuild(other, "quzhou-2023").how == "full: no cache"
    assert tables(folder) == tables(other)
    reject_first(folder, "quzhou-2023", n=2)  # the cache the save wrote knows the change now
    assert paths[-1] == "spliced"
    other = copy_of(folder, "without-cache")
    assert incremental.rebuild(other, "quzhou-2023").how == "full: no cache"
    assert tables(folder) == tables(other)


def test_a_file_changed_within_the_tick_its_times_were_taken_in_is_hashed(folder, paths, monkeypatch):
    """A change made within the same clock tick as the file was looked at leaves its times as they were: such a file
    (its change time within RACY_NS of the moment the cache began to look) is hashed, not trusted by its times."""
    cache = incremental.load_cache(folder)
    sigs = {e.id: e.record_sig for e in cache.entries}
    real = incremental.file_sig

    def times_that_never_move(path):  # every record file shows the times it had when the cache was made
        path = Path(path)
        return list(sigs[path.stem]) if path.parent.name == "records" and path.stem in sigs else real(path)

    _edit_record(folder)
    monkeypatch.setattr(incremental, "file_sig", times_that_never_move)
    other = copy_of(folder, "trusting", keep_cache=True)
    monkeypatch.setattr(incremental, "RACY_NS", 10 ** 18)  # every change time counts as recent
    incremental.rebuild(folder, None)
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # no file counts as recent: the edit is not seen
    incremental.rebuild(other, None)
    assert paths == ["spliced", "spliced"]
    assert b",1139245.0," in tables(folder)["facts.csv"] and b",1139245.0," not in tables(other)["facts.csv"]


def test_is_unchanged_needs_the_same_times_taken_long_enough_after_the_last_change():
    sig = [7, 100, 10 ** 18, 10 ** 18]
    assert incremental.is_unchanged(list(sig), sig, 10 ** 18 + incremental.RACY_NS + 1)
    assert not incremental.is_unchanged(list(sig), sig, 10 ** 18 + incremental.RACY_NS)
    assert not incremental.is_unchanged([7, 100, 10 ** 18, 10 ** 18 + 1], sig, 2 * 10 ** 18)
    assert not incremental.is_unchanged(None, sig, 2 * 10 ** 18)


def test_the_cache_of_a_build_describes_its_tables(built_once):
    cache = incremental.load_cache(built_once)
    on_disk = tables(built_once)
    ids = sorted(p.stem for p in (built_once / "records").glob("*.yaml"))
    assert [e.id for e in cache.entries] == ids
    for name in ("documents.csv", "facts.csv", "measures.csv", "distinctive_terms.csv"):
        assert cache.files[name] == fingerprint.hash_bytes(on_disk[name])
    for i, name in enumerate(incremental.SPLICED):
        header = on_disk[f"{name}.csv"].index(b"\n") + 1
        assert header + sum(e.lengths[i] for e in cache.entries) == len(on_disk[f"{name}.csv"])
    assert all(e.record_sha and e.raw_sha for e in cache.entries)
    assert incremental.load_cache(built_once).entries[0].terms == cache.entries[0].terms
    assert incremental.dump_cache(incremental.load_cache(built_once)) == incremental.cache_path(built_once).read_bytes()


# --- a kill at any moment -------------------------------------------------------------------------------------


def _fork_save(folder: Path, n: int, slow: str) -> int:
    pid = os.fork()
    if pid == 0:  # the child: the workbench's save, with slow writes, never returning
        code = 1
        try:
            os.environ[SLOW_WRITES_ENV] = slow
            sys.stdout = sys.stderr = open(os.devnull, "w")
            reject_first(folder, "quzhou-2023", n=n)
            code = 0
        finally:
            os._exit(code)
    return pid


def test_a_save_killed_at_random_moments_leaves_a_complete_set_and_a_cache_never_trusted_wrongly(folder, paths):
    """Each kill leaves the tables of before the save or of after it (never a mix); the next save, not killed, writes
    exactly the tables of its own decisions, whatever the killed one left (its record, the tables, the cache or the
    fingerprints of either side)."""
    expected = {}
    for n in (1, 2):
        other = copy_of(folder, f"decided-{n}", keep_cache=True)
        reject_first(other, "quzhou-2023", n=n)
        expected[n] = tables(other)
        assert expected[n] == built_tables(other)
    reject_first(folder, "quzhou-2023", n=1)
    start = time.monotonic()
    _, status = os.waitpid(_fork_save(folder, 2, "0.04"), 0)
    assert os.waitstatus_to_exitcode(status) == 0
    seconds = time.monotonic() - start
    rng = random.Random(12)
    caught_mid_write = 0
    # Ten kills, and more (up to thirty) until two of them caught a write in progress: on a loaded machine the
    # moments shift, and a kill that lands before or after the writes proves less.
    for i in range(30):
        if i >= 10 and caught_mid_write >= 2:
            break
        pid = _fork_save(folder, rng.choice((1, 2)), "0.04")
        time.sleep(rng.uniform(0.02, seconds * 1.1))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        caught_mid_write += bool(list(folder.rglob(".*")))  # a stage folder or a temporary file
        recover_folders(folder)
        assert tables(folder) in expected.values(), f"kill {i}: a mixed table set"
        n = rng.choice((1, 2))
        reject_first(folder, "quzhou-2023", n=n)
        assert tables(folder) == expected[n], f"kill {i}: the next save trusted something stale ({paths[-1]})"
    assert check(folder) == 0
    assert caught_mid_write >= 2, f"only {caught_mid_write} of {i + 1} kills caught a write in progress"
