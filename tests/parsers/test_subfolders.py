"""A region folder may keep its exports in subfolders; nothing in it is dropped silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from cosmicdiff.errors import ExportError
from cosmicdiff.parsers import load_export


def test_exports_in_subfolders_are_read(tmp_path: Path) -> None:
    region = tmp_path / "ostergotland"
    shutil.copytree(EXAMPLES / "ostergotland", region)
    (region / "mallar").mkdir()
    (region / "lakemedel-remiss.xml").rename(region / "mallar" / "lakemedel-remiss.xml")
    (region / ".git").mkdir()
    (region / ".git" / "junk.xml").write_text("not xml", encoding="utf-8")
    (region / "README.md").write_text("# notes\n", encoding="utf-8")
    flat = load_export(EXAMPLES / "ostergotland")
    nested = load_export(region)
    assert nested.keywords == flat.keywords and nested.templates == flat.templates
    assert [Path(f).name for f in nested.files] == ["lakemedel-remiss.xml", "psykiatri.xml"]


def test_reserved_file_in_a_subfolder_is_an_error(tmp_path: Path) -> None:
    region = tmp_path / "kalmar"
    shutil.copytree(EXAMPLES / "kalmar", region)
    (region / "old").mkdir()
    shutil.copy(region / "mapping.yaml", region / "old" / "mapping.yaml")
    with pytest.raises(ExportError) as err:
        load_export(region)
    assert str(err.value) == (
        f"{region.as_posix()}/old/mapping.yaml: mapping.yaml belongs at "
        f"the top of the folder {region.as_posix()}, not in a subfolder"
    )
