"""One error type for every user-facing loader failure: one line, names the file, says what to do."""

from __future__ import annotations

import errno
import re


class LoaderError(Exception):
    """A problem with an input file that the user can fix; printed as one line, never as a traceback."""

    def __init__(self, path: str, problem: str, hint: str = ""):
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"{self.path}: {self.problem}"
        line = f"{text} ({self.hint})" if self.hint else text
        # A file name or a YAML value may hold a line break (\n, U+2028, U+0085), another control character, a
        # bidirectional control or a lone surrogate; the message stays one printable line whatever the terminal's
        # encoding, each such character written as its escape (\n, \u2028, \x85).
        line = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), line)
        return line.encode("utf-8", "backslashreplace").decode("utf-8")


# Every C0 and C1 control, DEL, the line and paragraph separators, and the bidirectional controls.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# What ran out or what refused, for the errors a write can meet whatever the input.
_WRITE_PROBLEMS = {
    errno.ENOSPC: ("the disk is full", "free some space and run the command again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space and run the command again"),
    errno.EROFS: ("is on a read-only file system", "run the command on a writable copy of the data folder"),
    errno.EACCES: ("is not writable (permission denied)", "check the folder's permissions"),
    errno.EPERM: ("is not writable (operation not permitted)", "check the folder's permissions"),
    errno.EMFILE: ("too many open files", "raise `ulimit -n` or use fewer --jobs"),
}


class FatalWriteError(LoaderError):
    """A write failed for a reason no other reply can avoid (full disk, read-only folder): stop the run."""


def describe_write_error(folder: object, exc: OSError) -> FatalWriteError:
    """An OSError met while writing into folder, as one line naming the folder and what ran out."""
    problem, hint = _WRITE_PROBLEMS.get(exc.errno, (f"cannot be written ({exc.strerror or exc})",
                                                    "check the folder and the disk"))
    return FatalWriteError(str(folder), f"cannot be written: {problem}", hint)
