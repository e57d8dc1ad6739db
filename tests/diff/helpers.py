"""Helpers of the comparison-engine tests: build region exports, run compare, read findings."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from model_edit import replace

from cosmicdiff.authoring.xml_writer import export_to_xml
from cosmicdiff.model import Export, Item
from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.result import Result

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MINI_BASELINE = FIXTURES / "baselines" / "mini"
MINI_COPY = FIXTURES / "regions" / "mini-copy"
TODAY = dt.date(2026, 11, 23)

#: ``run(export, mapping=None, cases=(), baseline=MINI_BASELINE) -> Result`` (fixture).
RunRegion = Callable[..., Result]

#: One finding as the tests compare it: (kind, entity, baseline_id, local_id, path, field).
Finding = tuple[str, str, str | None, str | None, str | None, str | None]


def finding(d: Deviation) -> Finding:
    """Return the identity of a deviation as the tests compare it."""
    return (d.kind.value, d.entity.value, d.baseline_id, d.local_id, d.path, d.field)


def findings(result: Result) -> set[Finding]:
    """Return the findings of a result as a set (asserting that none is reported twice)."""
    found = [finding(d) for d in result.deviations]
    dupes = {f for f in found if found.count(f) > 1}
    assert not dupes, f"findings reported more than once: {sorted(dupes, key=str)}"
    return set(found)


def run_compare(baseline: Path, *regions: Path, cases: tuple[str, ...] = ()) -> Result:
    """Run the engine as the CLI would, on a fixed day."""
    return compare(baseline, list(regions), CompareOptions(cases=cases, today=TODAY))


def write_region(
    folder: Path,
    export: Export,
    *,
    region: str = "r1",
    mapping: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    """Write ``export`` as ``folder/export.xml`` (and ``mapping.yaml``); return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "export.xml").write_bytes(export_to_xml(replace(export, region=region)))
    if mapping:
        (folder / "mapping.yaml").write_text(
            yaml.safe_dump({k: dict(v) for k, v in mapping.items()}, allow_unicode=True),
            encoding="utf-8",
        )
    return folder


def write_baseline(
    folder: Path, export: Export, cases: Mapping[str, Iterable[str]], *, baseline_id: str = "prop"
) -> Path:
    """Write a baseline folder: ``baseline.yaml`` with ``cases`` plus the model as XML."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = {
        "id": baseline_id,
        "name": "Testbaslinje",
        "version": "1",
        "cases": {c: {"name": f"Fall {c}", "templates": list(t)} for c, t in cases.items()},
    }
    (folder / "baseline.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (folder / "model.xml").write_bytes(export_to_xml(replace(export, region=baseline_id)))
    return folder


# -- editing the model ----------------------------------------------------------------------


def with_keyword(export: Export, kid: str, **changes: Any) -> Export:
    """Return ``export`` with keyword ``kid`` changed."""
    kws = dict(export.keywords)
    kws[kid] = replace(kws[kid], **changes)
    return replace(export, keywords=kws)


def with_template(export: Export, tid: str, **changes: Any) -> Export:
    """Return ``export`` with template ``tid`` changed."""
    tpls = dict(export.templates)
    tpls[tid] = replace(tpls[tid], **changes)
    return replace(export, templates=tpls)


def item(keyword: str, *children: Item, mandatory: bool = False, repeatable: bool = False) -> Item:
    """Build an item."""
    return Item(
        keyword=keyword, mandatory=mandatory, repeatable=repeatable, children=tuple(children)
    )


def without(mapping: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """Return a copy of ``mapping`` without ``keys``."""
    return {k: v for k, v in mapping.items() if k not in keys}


def nfd_padded(text: str) -> str:
    """Return ``text`` in NFD with padded and doubled white space (never a deviation)."""
    return "  " + unicodedata.normalize("NFD", text).replace(" ", " \t ") + "   "
