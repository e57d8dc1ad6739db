"""Know the input formats and pick the reader of each file.

The one place that lists the formats (``FORMATS``, in the order ``cosmicdiff formats``
shows them), tells a file's format from its extension and first bytes
(:func:`sniff_format`), resolves a ``--input-format`` name (:func:`resolve_format`) and
reads one file with the reader its format names (:func:`read_fragment`). A reader is
imported on first use, so start-up does not pay for lxml, JSON or ADL parsing it does not need.

To add a format: write its reader (``read_x(path, display) -> Fragment``, with
``*, lang`` for a standard interchange format), add an :class:`InputFormat` here and, if
its files can be told apart, a case in :func:`sniff_format`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from cosmicdiff.errors import ExportError, UsageError, excerpt, quoted
from cosmicdiff.parsers.fragment import Fragment

__all__ = [
    "FORMATS",
    "XLSX_SHEET",
    "InputFormat",
    "read_fragment",
    "reading_sheet",
    "resolve_format",
    "sniff_format",
]

#: The sheet of keyword list workbooks to read (``--sheet``); None: the first visible one.
#: A context variable rather than a parameter of every loader: the option is the command's,
#: and forked compare workers inherit it with the rest of the process.
XLSX_SHEET: ContextVar[str | None] = ContextVar("xlsx_sheet", default=None)


@contextmanager
def reading_sheet(name: str | None) -> Iterator[None]:
    """Read keyword list workbooks' sheet ``name`` (None: the first visible) inside the block."""
    token = XLSX_SHEET.set(name)
    try:
        yield
    finally:
        XLSX_SHEET.reset(token)


@dataclass(frozen=True, slots=True)
class InputFormat:
    """One input format: its name, its reader (module, function) and what it is."""

    name: str
    module: str
    function: str
    description: str
    #: True for the standard interchange formats whose readers take ``lang``
    foreign: bool = False

    def reader(self) -> Callable[..., Fragment]:
        """Import and return the reader (imported on first use: start-up stays small)."""
        module = importlib.import_module(f"cosmicdiff.parsers.{self.module}")
        return getattr(module, self.function)  # type: ignore[no-any-return]


FORMATS: dict[str, InputFormat] = {
    f.name: f
    for f in (
        InputFormat(
            "cosmic-xml", "cosmic.xml_export", "read_xml_export", "COSMIC export XML (ours)"
        ),
        InputFormat(
            "cosmic-csv",
            "cosmic.csv_keywords",
            "read_csv_keywords",
            "keyword list CSV (id;name;type …)",
        ),
        InputFormat(
            "cosmic-xlsx",
            "cosmic.xlsx_keywords",
            "read_xlsx_keywords",
            "keyword list in an Excel workbook (.xlsx): the CSV list's columns",
        ),
        InputFormat(
            "cosmic-yaml", "cosmic.yaml_model", "read_yaml_model", "the YAML form of the model"
        ),
        InputFormat(
            "openehr-opt",
            "openehr.opt",
            "read_opt",
            "openEHR operational template 1.4 (XML)",
            foreign=True,
        ),
        InputFormat(
            "openehr-adl", "openehr.adl", "read_adl", "openEHR archetype, ADL 1.4", foreign=True
        ),
        InputFormat(
            "fhir",
            "fhir",
            "read_fhir",
            "FHIR R4 JSON: Questionnaire, ValueSet, CodeSystem or a Bundle of them",
            foreign=True,
        ),
        InputFormat(
            "term-catalogue",
            "term_catalogue",
            "read_term_catalogue",
            "term/keyword catalogue: JSON or CSV rows of id, name, datatype, unit",
            foreign=True,
        ),
    )
}

_HEAD_BYTES = 8192
_OPENEHR_NS = b"http://schemas.openehr.org/v1"
_CATALOGUE_CSV = re.compile(r"\b(datatype|data_type|datatyp)\b", re.IGNORECASE)


def sniff_format(path: Path, display: str) -> str:
    """Return the input format of one file, from its extension and its first bytes."""
    suffix = path.suffix.lower()
    if suffix == ".adl":
        return "openehr-adl"
    if suffix in (".yaml", ".yml"):
        return "cosmic-yaml"
    if suffix == ".xlsx":
        return "cosmic-xlsx"
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError as exc:
        raise ExportError(display, None, f"cannot read: {exc.strerror or exc}") from None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in (".xml", ".opt"):
        if suffix == ".opt" or (_OPENEHR_NS in head and re.search(rb"<(\w+:)?template[\s>]", head)):
            return "openehr-opt"
        return "cosmic-xml"
    if suffix == ".json":
        if text.startswith(b"{") and b'"resourceType"' in head:
            return "fhir"
        return "term-catalogue"
    if suffix == ".csv":
        first = text.split(b"\n", 1)[0].decode("utf-8", "replace")
        return "term-catalogue" if _CATALOGUE_CSV.search(first) else "cosmic-csv"
    raise ExportError(
        display,
        None,
        f"cannot tell the format of {quoted(path.name)}; give "
        "--input-format (see `cosmicdiff formats`)",
    )


def resolve_format(name: str | None) -> InputFormat | None:
    """Return the named input format (None for automatic), refusing unknown names."""
    if name is None or name == "auto":
        return None
    fmt = FORMATS.get(name)
    if fmt is None:
        raise UsageError(f"unknown input format {excerpt(name)}; known: auto, {', '.join(FORMATS)}")
    return fmt


def read_fragment(path: Path, display: str, fmt: str | None = None, lang: str = "sv") -> Fragment:
    """Read one model file as ``fmt`` (None: by extension and content)."""
    chosen = FORMATS[fmt] if fmt else FORMATS[sniff_format(path, display)]
    reader = chosen.reader()
    frag = reader(path, display, lang=lang) if chosen.foreign else reader(path, display)
    if frag.format is None:
        frag.format = chosen.name
    return frag
