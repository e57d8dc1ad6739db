"""The input-format registry: the formats, telling a file's format, resolving a name."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosmicdiff.errors import ExportError, UsageError
from cosmicdiff.parsers.registry import FORMATS, read_fragment, resolve_format, sniff_format

XML_OPT = b'<?xml version="1.0"?>\n<template xmlns="http://schemas.openehr.org/v1"></template>'


def test_every_format_has_a_reader() -> None:
    """Each format names a module and function that import (the reader is loaded lazily)."""
    assert list(FORMATS) == [
        "cosmic-xml",
        "cosmic-csv",
        "cosmic-xlsx",
        "cosmic-yaml",
        "openehr-opt",
        "openehr-adl",
        "fhir",
        "term-catalogue",
    ]
    for fmt in FORMATS.values():
        assert callable(fmt.reader()), fmt.name


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.adl", b"", "openehr-adl"),
        ("a.yml", b"", "cosmic-yaml"),
        ("a.opt", b"<x/>", "openehr-opt"),
        ("a.xml", XML_OPT, "openehr-opt"),
        ("a.xml", b"<export/>", "cosmic-xml"),
        ("a.json", b'\xef\xbb\xbf {"resourceType": "ValueSet"}', "fhir"),
        ("a.json", b'[{"TermId": "1"}]', "term-catalogue"),
        ("a.csv", b"id;name;Datatype\n", "term-catalogue"),
        ("a.XLSX", b"PK", "cosmic-xlsx"),
        ("a.csv", b"id;name;type\n", "cosmic-csv"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_sniff_format(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert sniff_format(path, name) == expected


def test_sniff_format_refuses_an_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")
    with pytest.raises(ExportError) as exc:
        sniff_format(path, "a.txt")
    assert str(exc.value) == (
        "a.txt: cannot tell the format of 'a.txt'; give --input-format (see `cosmicdiff formats`)"
    )


def test_resolve_format() -> None:
    assert resolve_format(None) is None
    assert resolve_format("auto") is None
    assert resolve_format("fhir") is FORMATS["fhir"]
    with pytest.raises(UsageError, match="unknown input format 'docx'; known: auto, cosmic-xml"):
        resolve_format("docx")


def test_read_fragment_records_the_format(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("id;name;type\nK1;Puls;Numeric\n", encoding="utf-8")
    frag = read_fragment(path, "k.csv")
    assert frag.format == "cosmic-csv" and [k.id for k in frag.keywords] == ["K1"]
