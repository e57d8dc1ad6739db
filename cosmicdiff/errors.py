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
    """A problem the user can fix; ``str()`` is the whole message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Return the individual problems (one for a plain error)."""
        return ()

    def lines(self) -> list[str]:
        """Return the message as the lines the CLI prints."""
        probs = self.problems
        return [str(p) for p in probs] if probs else [self.message]


class ExportError(CosmicdiffError):
    """An export, baseline or mapping file cannot be used."""

    def __init__(
        self, path: str, line: int | None, message: str, context: str | None = None
    ) -> None:
        self.problem = Problem(path, line, message, context)
        super().__init__(str(self.problem))
        self.path = path
        self.line = line

    def __reduce__(self) -> tuple[object, ...]:
        # picklable with its own arguments (a forked worker sends it back to the parent)
        p = self.problem
        return (type(self), (p.path, p.line, p.message, p.context))

    @property
    def problems(self) -> tuple[Problem, ...]:
        return (self.problem,)


class InputErrors(CosmicdiffError):
    """Several problems found in the inputs, reported together."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self._problems = tuple(problems)
        first = str(self._problems[0]) if self._problems else "invalid input"
        more = len(self._problems) - 1
        super().__init__(first + (f" (and {more} more problem(s))" if more > 0 else ""))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self._problems,))

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self._problems


class ConfigError(CosmicdiffError):
    """A rules, waiver or settings file is wrong (named with file and line)."""


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
