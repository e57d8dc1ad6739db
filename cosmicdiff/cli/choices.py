"""The closed sets the command line offers, and the checks of values typer cannot check.

The output-format choices derive from ``vocabulary.OutputFormat``: ``--format`` of compare and
report offers ``REPORT_FORMATS``, that of matrix ``MATRIX_FORMATS``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Literal

import typer

from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import MATRIX_FORMATS, REPORT_FORMATS, OutputFormat, Severity

if TYPE_CHECKING:
    #: a ``--format`` value of compare and report (one of vocabulary.REPORT_FORMATS)
    ReportChoice = str
    #: a ``--format`` value of matrix (one of vocabulary.MATRIX_FORMATS)
    MatrixChoice = str
else:
    # typer offers a Literal's values as the option's choices, in this order
    ReportChoice = Literal[tuple(f.value for f in REPORT_FORMATS)]
    MatrixChoice = Literal[tuple(f.value for f in MATRIX_FORMATS)]


class FailOn(StrEnum):
    """Lowest severity that makes compare exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"

    @property
    def severity(self) -> Severity | None:
        """Return the severity that gates, or None for never."""
        return None if self is FailOn.NEVER else Severity(self.value)


class MinSeverity(StrEnum):
    """Lowest severity a people-facing report shows."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def severity(self) -> Severity:
        """Return the severity itself."""
        return Severity(self.value)


def output_format(value: str | None) -> OutputFormat | None:
    """Return the format a ``--format`` choice names (None when not given)."""
    return OutputFormat(value) if value else None


def lang_tag(value: str) -> str:
    """Return ``value`` if it is a language tag; refuse it otherwise (exit 2)."""
    from cosmicdiff.reports.i18n import LANG_TAG

    if not LANG_TAG.match(value):
        raise UsageError(f"--lang {value!r} is not a language tag such as sv, en or nb-NO")
    return value


def check_lang(value: str | None) -> str | None:
    """Option callback: refuse what is not a language tag (a usage error, exit 2)."""
    from cosmicdiff.reports.i18n import LANG_TAG

    if value is not None and not LANG_TAG.match(value):
        raise typer.BadParameter(f"{value!r} is not a language tag such as sv, en or nb-NO")
    return value


def check_input_format(value: str | None) -> str | None:
    """Option callback: refuse an unknown input format name (a usage error, exit 2)."""
    from cosmicdiff.parsers import FORMATS

    if value is not None and value != "auto" and value not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of auto, {', '.join(FORMATS)}")
    return value


def input_format_name(value: str | None) -> str | None:
    """Return the reader name an input-format setting asks for (None: chosen per file)."""
    from cosmicdiff.parsers import resolve_format

    fmt = resolve_format(value)
    return fmt.name if fmt else None
