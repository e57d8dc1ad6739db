"""Helpers shared by the parser tests: fixture paths, small XML documents, error capture."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosmicdiff.errors import CosmicdiffError
from cosmicdiff.model import Export
from cosmicdiff.parsers import load_export

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BROKEN = FIXTURES / "broken"
REGIONS = FIXTURES / "regions"
BASELINES = FIXTURES / "baselines"

DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
ROOT = '<cosmicExport xmlns="urn:cosmicdiff:export:1" region="r">\n'
END = "</cosmicExport>\n"

#: The parser's DOCTYPE refusal, as the user reads it after ``path:line: ``.
DOCTYPE_MESSAGE = (
    "DOCTYPE declarations are not allowed (no DTDs or entities are read); "
    "remove the <!DOCTYPE ...> line"
)


def xml_doc(body: str) -> str:
    """Return an export document: declaration (line 1), root (line 2), ``body`` from line 3."""
    return DECL + ROOT + body + END


def keywords_doc(*keyword_lines: str) -> str:
    """Return an export whose <keywords> starts on line 3; the first keyword is on line 4."""
    return xml_doc(
        "  <keywords>\n" + "".join(f"    {k}\n" for k in keyword_lines) + "  </keywords>\n"
    )


def write(folder: Path, name: str, data: str | bytes) -> Path:
    """Write ``data`` (str as UTF-8) to ``folder/name`` and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def load_error(path: Path, base: Path | None = None) -> CosmicdiffError:
    """Load ``path`` and return the error it must raise."""
    with pytest.raises(CosmicdiffError) as info:
        load_export(path, base)
    return info.value


def error_lines(path: Path, base: Path | None = None) -> list[str]:
    """Return the lines the CLI would print for the error loading ``path`` raises."""
    return load_error(path, base).lines()


def load(path: Path, base: Path | None = None) -> Export:
    """Load an export that must be valid."""
    return load_export(path, base)
