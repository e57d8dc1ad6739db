"""The exception family: every user-fixable problem is a CosmicdiffError.

The CLI prints ``str(error)`` on one line (or one line per problem) and exits 2.
A traceback reaching a user is a bug.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: How many characters of an input value a message may quote.
EXCERPT_LIMIT = 40
#: How many characters of an identifier, a name or a path (a URL, a value set id) a message
#: may quote: enough to tell it from its neighbours, still bounded.
NAME_LIMIT = 120


def excerpt(value: object, limit: int = EXCERPT_LIMIT) -> str:
    """Return a short, escaped, quoted excerpt of an input value for a message.

    Text is shown as ``repr`` shows it (quoted; control characters, lone surrogates and other
    non-printables escaped, so a message stays one line and a terminal shows what is there)
    and cut after ``limit`` characters with ``…``. Other values are shown by their ``repr``,
    cut the same way. A message never quotes more of a file than this: a file that was not
    what it should be may hold anything, a password included.
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        shown = repr(value[:limit])
        return shown[:-1] + "…" + shown[-1]
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def quoted(value: object) -> str:
    """Return an identifier, name or path read from an input as a message quotes it.

    As :func:`excerpt`, with room for the long identifiers of interchange formats (URLs);
    a value that was refused (an unknown key, a bad value) is quoted with :func:`excerpt`.
    """
    return excerpt(value, NAME_LIMIT)


def library_message(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """Return a parser library's own wording (PyYAML, libxml2, tomllib) safe to print.

    Such messages may quote the input (a tag, an element name, a line of the file): the
    result is one line, with non-printable characters escaped and every run of more than
    ``limit`` characters without a space cut with ``…``.
    """
    text = " ".join(text.split())
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return re.sub(rf"\S{{{limit + 1},}}", lambda m: m.group()[:limit] + "…", text)


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input file: where it is and what is wrong."""

    path: str
    line: int | None
    message: str
    context: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.message}"
        if self.context:
            text += f" ({self.context})"
        return text


class CosmicdiffError(Exception):
    """A problem the user can fix: a message, and where it is (file and line) when known.

    ``str()`` is the whole message as the CLI prints it: ``path:line: message`` when a path is
    known, else the message alone. Only the CLI turns these into text on stderr and exit
    status 2; library code raises them.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        context: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.context = context
        super().__init__(message)

    def __str__(self) -> str:
        problems = self.problems
        return str(problems[0]) if len(problems) == 1 else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # picklable with its fields (a forked compare worker sends it back to the parent)
        return (_rebuild, (type(self), self.message, self.path, self.line, self.context))

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Return the individual problems (one when the error names a file, else none)."""
        if self.path is None:
            return ()
        return (Problem(self.path, self.line, self.message, self.context),)

    def lines(self) -> list[str]:
        """Return the message as the lines the CLI prints."""
        probs = self.problems
        return [str(p) for p in probs] if probs else [self.message]


def _rebuild(
    cls: type[CosmicdiffError],
    message: str,
    path: str | None,
    line: int | None,
    context: str | None,
) -> CosmicdiffError:
    error = CosmicdiffError.__new__(cls)
    CosmicdiffError.__init__(error, message, path=path, line=line, context=context)
    return error


class ExportError(CosmicdiffError):
    """An export, baseline or mapping file cannot be used."""

    path: str

    def __init__(
        self, path: str, line: int | None, message: str, context: str | None = None
    ) -> None:
        super().__init__(message, path=path, line=line, context=context)

    @property
    def problem(self) -> Problem:
        """Return the one problem this error is."""
        return Problem(self.path, self.line, self.message, self.context)


class InputErrors(CosmicdiffError):
    """Several problems found in the inputs, reported together."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self._problems = tuple(problems)
        first = str(self._problems[0]) if self._problems else "invalid input"
        more = len(self._problems) - 1
        super().__init__(first + (f" (and {more} more problem(s))" if more > 0 else ""))

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self._problems,))

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self._problems


class ConfigError(CosmicdiffError):
    """A rules, waiver, settings or decisions file is wrong (named with file and line)."""


class UsageError(CosmicdiffError):
    """The command line asks for something that cannot be done."""


class ReportError(CosmicdiffError):
    """A report cannot be rendered or written."""


class ErrorCollector:
    """Collect up to ``limit`` problems from one file before raising them together."""

    def __init__(self, limit: int = 20) -> None:
        self.limit = limit
        self.problems: list[Problem] = []

    def add(self, path: str, line: int | None, message: str, context: str | None = None) -> None:
        """Record a problem; raise at once when the limit is reached."""
        self.problems.append(Problem(path, line, message, context))
        if len(self.problems) >= self.limit:
            self.raise_if_any()

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere."""
        for p in problems:
            self.add(p.path, p.line, p.message, p.context)

    def raise_if_any(self) -> None:
        """Raise the collected problems, if there are any."""
        if len(self.problems) == 1:
            p = self.problems[0]
            raise ExportError(p.path, p.line, p.message, p.context)
        if self.problems:
            raise InputErrors(self.problems)
