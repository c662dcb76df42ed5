"""Hostile input, table-driven: odd file kinds, encodings, names, YAML shapes, sizes and file-system faults.

Each case runs the command line on a small copy of data/ (one reply), and asserts the exit code, that stderr
names the file in one line (never a traceback), and that nothing in data/ changed except what the command is
meant to write. Most cases call loaders.__main__.main in this process (an interpreter start and the imports
cost a second or more of CPU per case); the cases in IN_A_PROCESS, the read-only and the full-disk ones run
`python -m loaders` in a subprocess, so the real process's exit code and stderr stay covered."""

import hashlib
import io
import logging
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import loaders.__main__ as cli
from loaders.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RECORD_ID = "leshan-2021"
NEW_REPLY = ("王五代表:\n您提出的《关于支持社区社会组织发展的建议》收悉。现答复如下:\n"
             "目前,全市登记社会组织1,205家,社区社会组织2300余个。\n绍兴市民政局\n2024年5月8日\n")
NO_ISSUER_REPLY = "您提出的关于社区社会组织发展的建议收悉。现答复如下:目前全市登记社会组织1205家,社区社会组织2300余个。\n"
CURATION_HEAD = "record_id: leshan-2021\n"
ADD_FACT = ("add_facts:\n  - {indicator: social_orgs_total, value: %s, unit: count, number_text: '%s', "
            "quote: '%s', note: x}\n")
SENTENCE = "全市登记在册社会组织1831个"


# main() points these module globals at --data and replaces the "loaders" log handler: each in-process run
# starts from the values of a fresh interpreter and puts them back, so no case sees another's data folder.
CLI_STATE = {name: getattr(cli, name) for name in
             ("DATA_DIR", "RAW_DIR", "CURATION_DIR", "RECORDS_DIR", "TABLES_DIR", "REFERENCE_DIR", "_PARENT_PID")}
# One build, check and usage error still go through a real `python -m loaders` (see run_for).
IN_A_PROCESS = {"yaml-python-tag", "record-tag", "jobs-zero"}


class Ran:
    """What subprocess.run gives back, for a command run in this process."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _stream(errors: str) -> io.TextIOWrapper:
    # Encoded as a real process's stdout and stderr are under a UTF-8 locale (stderr: backslashreplace), and
    # read back as run() reads a subprocess's, so a lone surrogate in a file name shows the same.
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, newline="\n")


def run_here(*args):
    """main(args) in this process, with stdout and stderr captured; the exit code argparse gives by SystemExit."""
    logger = logging.getLogger("loaders")
    saved_log = logger.handlers[:], logger.level, logger.propagate
    out, err = _stream("strict"), _stream("backslashreplace")
    saved_streams = sys.stdout, sys.stderr
    for name, value in CLI_STATE.items():
        setattr(cli, name, value)
    sys.stdout, sys.stderr = out, err
    try:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdout, sys.stderr = saved_streams
        for name, value in CLI_STATE.items():
            setattr(cli, name, value)
        logger.handlers[:], logger.level, logger.propagate = saved_log
    texts = []
    for stream in (out, err):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("utf-8", errors="backslashreplace"))
    return Ran(code, *texts)


def run_for(request):
    """run() for the cases named in IN_A_PROCESS, run_here() for the others."""
    return run if request.node.callspec.id in IN_A_PROCESS else run_here


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """data/ with one reply, its curation, records and tables, built once for the module."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA / "reference", data / "reference")
    for sub, suffix in (("raw", ".txt"), ("curation", ".yaml")):
        (data / sub).mkdir()
        shutil.copy2(DATA / sub / f"{RECORD_ID}{suffix}", data / sub)
    (data / "raw_manifest.csv").write_text(
        "record_id,collected_from,sha256\n" + next(line for line in (DATA / "raw_manifest.csv").read_text(
            encoding="utf-8").splitlines() if line.startswith(RECORD_ID)) + "\n", encoding="utf-8")
    proc = run_here("--data", str(data), "build", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return data


@pytest.fixture
def data(built, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(built, target, symlinks=True)
    return target


# The cache a workbench save splices the tables from (loaders/incremental.py): every build writes it again with the
# times it looked at the files, even when the records and tables stay as they were.
SPLICE_CACHE = "build-cache/table-rows.bin"


def tree(folder: Path) -> dict[str, str]:
    """Every entry under folder but SPLICE_CACHE: regular files by content hash, links by target, others by kind."""
    out = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        rel = path.relative_to(folder).as_posix()
        if rel == SPLICE_CACHE:
            continue
        if stat.S_ISLNK(mode):
            out[rel] = "link:" + os.readlink(path)
        elif stat.S_ISREG(mode):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif not stat.S_ISDIR(mode):
            out[rel] = "special"
    return out


def run(*args, cwd=ROOT, timeout=120, prefix=()):
    return subprocess.run([*prefix, sys.executable, "-m", "loaders", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, errors="backslashreplace")


def write(path: Path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def curation(text: str):
    return lambda d, t: write(d / "curation" / f"{RECORD_ID}.yaml", text)


def raw(name: str, content):
    return lambda d, t: write(d / "raw" / name, content)


def fifo(name: str):
    return lambda d, t: os.mkfifo(d / "raw" / name)


def link(name: str, target: str):
    return lambda d, t: os.symlink(target, d / "raw" / name)


def record_edit(change):
    def setup(d, t):
        path = d / "records" / f"{RECORD_ID}.yaml"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return setup


# Digits and spaces give UTF-16 its zero bytes, so the text is recognised without a BOM; then half a pair.
UTF16_SURROGATE = (("截至2023年底,全市共有社会组织3424家 (2023-12-31) " * 3).encode("utf-16-le") + b"\x00\xd8"
                   + " 乐山市民政局 2024-01-02".encode("utf-16-le"))
DEEP = CURATION_HEAD + "reviewer_notes: " + "[" * 2000 + "]" * 2000 + "\n"
DEEP_BLOCK = CURATION_HEAD + "document:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(2000)) + "\n"

# (id, setup, command, exit code, file the message names, words in the message)
BUILD_CASES = [
    ("raw-fifo", fifo("pipe-2024.txt"), 1, "pipe-2024.txt", "is a named pipe (FIFO), not a regular file"),
    ("raw-link-passwd", link("passwd-2024.txt", "/etc/passwd"), 1, "passwd-2024.txt", "is a symbolic link"),
    ("raw-link-dev-zero", link("zero-2024.txt", "/dev/zero"), 1, "zero-2024.txt", "is a symbolic link"),
    ("raw-folder", lambda d, t: (d / "raw" / "dir-2024.txt").mkdir(), 1, "dir-2024.txt", "is a folder"),
    ("raw-utf16-lone-surrogate", raw("u16-2024.txt", UTF16_SURROGATE), 1, "u16-2024.txt",
     "looks like UTF-16 without a BOM but does not decode"),
    ("raw-utf8-bom-bad-bytes", raw("bom-2024.txt", b"\xef\xbb\xbf\xe7\xa4\xbe\xff\xfe"), 1, "bom-2024.txt",
     "starts like UTF-8 but does not decode"),
    ("raw-empty", raw("empty-2024.txt", b""), 1, "empty-2024.txt", "is empty"),
    ("raw-pdf", raw("scan-2024.txt", b"%PDF-1.5\n"), 1, "scan-2024.txt", "is a PDF document"),
    ("raw-huge", raw("huge-2024.txt", b"a" * (5 * 1024 * 1024 + 10)), 1, "huge-2024.txt", "far larger than any reply"),
    ("raw-control-bytes", raw("ctl-2024.txt", "社会组织".encode() + b"\x01\x02\x03\x04\x05" * 10), 1, "ctl-2024.txt",
     "binary control bytes"),
    ("yaml-duplicate-top-key", curation(CURATION_HEAD + "reject_facts:\n  c383: a\nreject_facts:\n  c707: b\n"), 1,
     f"{RECORD_ID}.yaml", "key 'reject_facts' appears twice, on line 2 and line 4"),
    ("yaml-duplicate-nested-key", curation(CURATION_HEAD + "reject_facts:\n  c383: a\n  c383: b\n"), 1,
     f"{RECORD_ID}.yaml", "key 'c383' appears twice, on line 3 and line 4"),
    ("yaml-duplicate-in-flow", curation(CURATION_HEAD + "document: {issuer: a, issuer: b}\n"), 1,
     f"{RECORD_ID}.yaml", "key 'issuer' appears twice"),
    ("yaml-python-tag", curation(CURATION_HEAD + "reject_facts: !!python/object/apply:os.system ['echo hi']\n"), 1,
     f"{RECORD_ID}.yaml", "only plain YAML is allowed, no tags"),
    ("yaml-local-tag", curation(CURATION_HEAD + "metadata_note: !secret x\n"), 1, f"{RECORD_ID}.yaml", "tag !secret"),
    ("yaml-anchor-alias", curation(CURATION_HEAD + "metadata_note: &a x\nreviewer_notes: [*a]\n"), 1,
     f"{RECORD_ID}.yaml", "anchors (&a) are not allowed"),
    ("yaml-deep-flow", curation(DEEP), 1, f"{RECORD_ID}.yaml", "nested more than 32 levels deep"),
    ("yaml-deep-block", curation(DEEP_BLOCK), 1, f"{RECORD_ID}.yaml", "nested more than 32 levels deep"),
    ("yaml-lone-surrogate", curation(CURATION_HEAD + 'metadata_note: "\\ud800"\n'), 1, f"{RECORD_ID}.yaml",
     "lone surrogate"),
    ("yaml-syntax", curation(CURATION_HEAD + "reject_facts: [unclosed\n"), 1, f"{RECORD_ID}.yaml", "YAML syntax error"),
    ("yaml-not-mapping", curation("- a\n- b\n"), 1, f"{RECORD_ID}.yaml", "must be a YAML mapping"),
    ("yaml-not-utf8", curation("record_id: leshan-2021\nmetadata_note: 乐山\n".encode("gb18030")), 1,
     f"{RECORD_ID}.yaml", "is not UTF-8 text"),
    ("curation-folder", lambda d, t: ((d / "curation" / f"{RECORD_ID}.yaml").unlink(),
                                      (d / "curation" / f"{RECORD_ID}.yaml").mkdir()), 1,
     f"{RECORD_ID}.yaml", "is a folder, not a regular file"),
    ("curation-link", lambda d, t: ((d / "curation" / f"{RECORD_ID}.yaml").unlink(),
                                    os.symlink("/etc/passwd", d / "curation" / f"{RECORD_ID}.yaml")), 1,
     f"{RECORD_ID}.yaml", "is a symbolic link"),
    ("unknown-document-field", curation(CURATION_HEAD + "document: {proposal_tilte: x}\n"), 1, f"{RECORD_ID}.yaml",
     "unknown field 'proposal_tilte'; did you mean 'proposal_title'?"),
    ("unknown-jurisdiction-field", curation(CURATION_HEAD + "jurisdiction: {name_zn: 乐山市}\n"), 1,
     f"{RECORD_ID}.yaml", "unknown field 'name_zn'; did you mean 'name_zh'?"),
    ("unknown-top-field", curation(CURATION_HEAD + "reject_fact: {c383: x}\n"), 1, f"{RECORD_ID}.yaml",
     "did you mean 'reject_facts'?"),
    ("unknown-correction-field", curation(CURATION_HEAD + "correct_facts:\n  c707: {lable: x, note: y}\n"), 1,
     f"{RECORD_ID}.yaml", "did you mean 'label'?"),
    ("add-fact-empty-quote", curation(CURATION_HEAD + ADD_FACT % (1831, "1831个", "")), 1, f"{RECORD_ID}.yaml",
     "quote is empty"),
    ("add-fact-not-a-number", curation(CURATION_HEAD + ADD_FACT % (999999, "乐山", "乐山市民政局")), 1,
     f"{RECORD_ID}.yaml", "number_text '乐山' is not a number"),
    ("value-nan", curation(CURATION_HEAD + ADD_FACT % (".nan", "1831个", SENTENCE)), 1, f"{RECORD_ID}.yaml",
     "add_facts.0.value: Input should be a finite number"),
    ("value-inf", curation(CURATION_HEAD + "correct_facts:\n  c707: {value: .inf, note: y}\n"), 1,
     f"{RECORD_ID}.yaml", "correct_facts.c707.value: Input should be a finite number"),
    ("value-negative", curation(CURATION_HEAD + ADD_FACT % (-5, "1831个", SENTENCE)), 1, f"{RECORD_ID}.yaml",
     "value -5 is negative"),
    ("date-impossible", curation(CURATION_HEAD + "document: {date_written: 2023-13-45}\n"), 1, f"{RECORD_ID}.yaml",
     "document: '2023-13-45' is not a date"),
    ("date-word", curation(CURATION_HEAD + "correct_facts:\n  c707: {period_end: yesterday, note: y}\n"), 1,
     f"{RECORD_ID}.yaml", "correct_facts.c707.period_end: 'yesterday' is not a date"),
    ("fact-rejected-and-corrected", curation(CURATION_HEAD + "reject_facts: {c707: x}\ncorrect_facts:\n"
                                             "  c707: {label: y, note: z}\n"), 1, f"{RECORD_ID}.yaml",
     "fact c707 is both rejected"),
    ("two-files-one-record-id", lambda d, t: write(d / "curation" / "copy.yaml", CURATION_HEAD), 1, "copy.yaml",
     "claims record_id 'leshan-2021'"),
]


@pytest.mark.parametrize("setup, code, name, words", [c[1:] for c in BUILD_CASES], ids=[c[0] for c in BUILD_CASES])
def test_build_names_the_bad_file_in_one_line_and_changes_nothing(data, tmp_path, request, setup, code, name,
                                                                  words):
    setup(data, tmp_path)
    before = tree(data)
    proc = run_for(request)("build", "--data", str(data), "--quiet")
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, proc.stderr
    assert name in errors[0] and words in errors[0], errors[0]
    assert tree(data) == before


RECORD_CASES = [
    ("record-duplicate-key", record_edit(lambda t: t + "id: leshan-2021\n"), "key 'id' appears twice"),
    ("record-deep", record_edit(lambda t: t + "x: " + "[" * 2000 + "]" * 2000 + "\n"), "nested more than 32"),
    ("record-tag", record_edit(lambda t: t.replace("id: leshan-2021", "id: !!python/name:os.system", 1)),
     "no tags"),
]


@pytest.mark.parametrize("setup, words", [c[1:] for c in RECORD_CASES], ids=[c[0] for c in RECORD_CASES])
def test_check_names_a_damaged_record(data, tmp_path, request, setup, words):
    setup(data, tmp_path)
    before = tree(data)
    proc = run_for(request)("check", "--data", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and f"records/{RECORD_ID}.yaml" in errors[0] and words in errors[0], proc.stderr
    assert tree(data) == before


USAGE_CASES = [
    ("data-missing", lambda d, t: ["build", "--data", str(t / "nowhere")], 2, "nowhere: does not exist"),
    ("data-is-a-file", lambda d, t: (write(t / "f.txt", "x"), ["check", "--data", str(t / "f.txt")])[1], 2,
     "f.txt: is a file, not a folder"),
    ("data-without-raw", lambda d, t: ((t / "empty").mkdir(), ["build", "--data", str(t / "empty")])[1], 2,
     "empty/raw: does not exist"),
    ("jobs-zero", lambda d, t: ["build", "--data", str(d), "--jobs", "0"], 2, "less than 1"),
    ("jobs-word", lambda d, t: ["check", "--jobs", "many", "--data", str(d)], 2, "is not a whole number"),
    ("extract-dash-name", lambda d, t: ["extract", "-dash.txt"], 2, "put -- before it"),
    ("extract-missing", lambda d, t: ["extract", str(t / "nope.txt")], 2, "nope.txt: does not exist"),
    ("extract-fifo", lambda d, t: (os.mkfifo(t / "p.txt"), ["extract", str(t / "p.txt")])[1], 2,
     "p.txt: is a named pipe"),
    ("import-missing", lambda d, t: ["import", str(t / "nothing"), "--data", str(d)], 2, "nothing: does not exist"),
]


@pytest.mark.parametrize("make_args, code, words", [c[1:] for c in USAGE_CASES], ids=[c[0] for c in USAGE_CASES])
def test_usage_errors_are_one_line_with_exit_code_2(data, tmp_path, request, make_args, code, words):
    args = make_args(data, tmp_path)
    before = tree(data)
    proc = run_for(request)(*args)
    assert proc.returncode == code and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith("usage:")]
    assert len(lines) == 1 and words in lines[0], proc.stderr
    assert tree(data) == before


def _incoming(tmp_path, files: dict) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, content in files.items():
        if content == "FIFO":
            os.mkfifo(folder / name)
        elif isinstance(content, tuple):
            os.symlink(content[0], folder / name)
        else:
            write(folder / name, content)
    return folder


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def test_import_takes_only_regular_reply_files_and_lists_the_rest(data, tmp_path):
    folder = _incoming(tmp_path, {"reply.txt": NEW_REPLY, "README.md": "# 说明\n" + NEW_REPLY, "pipe.txt": "FIFO",
                                  "passwd.txt": ("/etc/passwd",), "notes.txt": "just some notes in English\n"})
    before = tree(data)
    proc = run_here("import", str(folder), "--data", str(data))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert changed(before, tree(data)) == {"raw/shaoxing-2024.txt", "raw_manifest.csv"}
    assert (data / "raw" / "shaoxing-2024.txt").read_text(encoding="utf-8") == NEW_REPLY
    for name, why in [("README.md", "not a .txt reply"), ("pipe.txt", "named pipe"),
                      ("passwd.txt", "symbolic link"), ("notes.txt", "does not read as a reply")]:
        assert any(name in line and why in line for line in proc.stderr.splitlines()), (name, proc.stderr)


def test_reimporting_the_same_bytes_or_data_raw_itself_changes_nothing(data, tmp_path):
    folder = _incoming(tmp_path, {"reply.txt": NEW_REPLY})
    assert run_here("import", str(folder), "--data", str(data)).returncode == 0
    before = tree(data)
    (folder / "reply.txt").rename(folder / "renamed.txt")
    for source in (folder, data / "raw"):
        proc = run_here("import", str(source), "--data", str(data))
        assert proc.returncode == 0 and "already imported as" in proc.stdout, proc.stdout + proc.stderr
        assert tree(data) == before  # collected_from still says reply.txt


def test_line_and_paragraph_separators_in_names_are_refused_and_the_manifest_stays_whole(data, tmp_path):
    folder = _incoming(tmp_path, {"a\u2028b.txt": NEW_REPLY, "c\u2029d.txt": NEW_REPLY.replace("1,205家", "1,207家"),
                                  "e\u0085f.txt": NEW_REPLY.replace("1,205家", "1,208家")})
    manifest = (data / "raw_manifest.csv").read_bytes()
    proc = run_here("import", str(folder), "--data", str(data))
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and len(errors) == 3
    assert "incoming/a\\u2028b.txt: not imported" in errors[0]  # the name escaped: the message stays one line
    assert ["U+2028 (line separator)" in errors[0], "U+2029 (paragraph separator)" in errors[1],
            "U+0085 (a control character)" in errors[2]] == [True, True, True]
    assert (data / "raw_manifest.csv").read_bytes() == manifest
    assert run_here("build", "--data", str(data), "--quiet").returncode == 0


def test_file_names_with_a_comma_survive_and_control_characters_are_refused(data, tmp_path):
    folder = _incoming(tmp_path, {"a,b=HYPERLINK(1).txt": NEW_REPLY,
                                  "bad\nname.txt": NEW_REPLY.replace("1,205家", "1,206家")})
    proc = run_here("import", str(folder), "--data", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "bad\\nname.txt" in errors[0] and "U+000A (a control character)" in errors[0]
    assert '"a,b=HYPERLINK(1).txt"' in (data / "raw_manifest.csv").read_text(encoding="utf-8")
    proc = run_here("import", str(folder), "--data", str(data))  # the second import read the quoted name back
    assert "Traceback" not in proc.stderr and "already imported as" in proc.stdout
    assert run_here("build", "--data", str(data), "--quiet").returncode == 0
    assert "a,b=HYPERLINK(1).txt" in (data / "records" / "shaoxing-2024.yaml").read_text(encoding="utf-8")


def test_import_is_all_or_nothing_per_file(data, tmp_path):
    folder = _incoming(tmp_path, {"a.txt": NEW_REPLY, "b.txt": UTF16_SURROGATE})
    proc = run_here("import", str(folder), "--data", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "b.txt: looks like UTF-16 without a BOM but does not decode" in proc.stderr
    manifest = (data / "raw_manifest.csv").read_text(encoding="utf-8")
    assert "shaoxing-2024,a.txt," in manifest
    assert sorted(p.name for p in (data / "raw").iterdir()) == ["leshan-2021.txt", "shaoxing-2024.txt"]


def test_import_of_a_reply_without_issuer_says_how_to_name_the_place(data, tmp_path):
    folder = _incoming(tmp_path, {"x.txt": NO_ISSUER_REPLY})
    proc = run_here("import", str(folder), "--data", str(data))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    warning = next(line for line in proc.stderr.splitlines() if "no issuer" in line)
    assert "unknown-undated.txt" in warning and "`jurisdiction:` override" in warning


def _unshare(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    if shutil.which("unshare") is None:
        pytest.skip("no unshare(1) on this machine")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a mount namespace (needs root): {probe.stderr.decode().strip()}")
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=180,
                          cwd=ROOT)


def test_read_only_data_folder_is_one_line(data, tmp_path):
    before = tree(data)
    proc = _unshare(f"mount --bind {data} {data} && mount -o remount,ro,bind {data} && "
                    f"exec {sys.executable} -m loaders build --quiet --data {data}", tmp_path)
    if "mount:" in proc.stderr:
        pytest.skip(f"bind mount not permitted: {proc.stderr.strip()}")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and str(data) in errors[0] and "read-only file system" in errors[0], proc.stderr
    assert tree(data) == before


def test_full_disk_is_one_line_and_leaves_the_old_set(data, tmp_path):
    mnt, out = tmp_path / "mnt", tmp_path / "after"
    mnt.mkdir()
    # A 3 MB tmpfs holding the data copy, then filled up but for 8 KB: the records do not fit.
    script = (f"mount -t tmpfs -o size=3m tmpfs {mnt} && cp -a {data} {mnt}/data && "
              f"(dd if=/dev/zero of={mnt}/filler bs=1k count=100000 2>/dev/null; truncate -s -8k {mnt}/filler) && "
              f"{sys.executable} -m loaders build --quiet --data {mnt}/data; echo rc=$? >&2; "
              f"rm -f {mnt}/filler; cp -a {mnt}/data {out}")
    proc = _unshare(script, tmp_path)
    if "mount:" in proc.stderr:
        pytest.skip(f"tmpfs mount not permitted: {proc.stderr.strip()}")
    assert "rc=1" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "the disk is full" in errors[0] and f"{mnt}/data" in errors[0], proc.stderr
    assert tree(out) == tree(data)
