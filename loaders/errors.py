"""One error type for every user-facing loader failure: one line, names the file, says what to do."""


class LoaderError(Exception):
    """A problem with an input file that the user can fix; printed as one line, never as a traceback."""

    def __init__(self, path: str, problem: str, hint: str = ""):
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"{self.path}: {self.problem}"
        return f"{text} ({self.hint})" if self.hint else text
