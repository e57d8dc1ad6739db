"""The small YAML files of an export or baseline folder: region.yaml, mapping.yaml and
baseline.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cosmicdiff.errors import ErrorCollector, quoted
from cosmicdiff.io.safe_yaml import LineDict, line_of, load_yaml
from cosmicdiff.model import (
    Case,
    CaseId,
    IdMapping,
    SourceLocation,
    TemplateId,
)
from cosmicdiff.parsers.cosmic.yaml_model import Fields


@dataclass(frozen=True, kw_only=True, slots=True)
class RegionInfo:
    """The contents of ``region.yaml``."""

    id: str
    name: str | None
    cosmic_version: str | None
    exported: str | None
    loc: SourceLocation


def read_region_yaml(path: Path, display: str) -> RegionInfo:
    """Read ``region.yaml`` (id required; name, cosmicVersion, exported optional)."""
    data = load_yaml(path, display)
    errors = ErrorCollector()
    f = Fields(
        data, "region.yaml", display, errors, frozenset({"id", "name", "cosmicVersion", "exported"})
    )
    info = RegionInfo(
        id=f.req("id"),
        name=f.text("name"),
        cosmic_version=f.text("cosmicVersion"),
        exported=f.text("exported"),
        loc=SourceLocation(path=display, line=1),
    )
    errors.raise_if_any()
    return info


def read_mapping_yaml(path: Path, display: str) -> IdMapping:
    """Read ``mapping.yaml``: keywords/templates/valueLists sections of local -> baseline ids."""
    data = load_yaml(path, display)
    if data is None:
        return IdMapping(path=display)
    errors = ErrorCollector()
    f = Fields(
        data, "mapping.yaml", display, errors, frozenset({"keywords", "templates", "valueLists"})
    )
    sections: dict[str, dict[str, str]] = {}
    lines: dict[tuple[str, str], int] = {}
    targets: dict[tuple[str, str], str] = {}
    for section in ("keywords", "templates", "valueLists"):
        raw = f.data.get(section) or LineDict()
        sections[section] = {}
        if not isinstance(raw, dict):
            f.error(section, f"{section!r} must map local ids to baseline ids")
            continue
        for local_id, base_id in raw.items():
            line = line_of(raw, local_id) or 0
            if not isinstance(base_id, str | int) or isinstance(base_id, bool) or not str(base_id):
                errors.add(
                    display, line, f"{section}: {quoted(local_id)} must map to a baseline id"
                )
                continue
            key = (section, str(base_id))
            if key in targets:
                errors.add(
                    display,
                    line,
                    f"{section}: {quoted(local_id)} and {quoted(targets[key])} both "
                    f"map to {quoted(base_id)}; a baseline item has one counterpart",
                )
            targets[key] = str(local_id)
            sections[section][str(local_id)] = str(base_id)
            lines[(section, str(local_id))] = line
    errors.raise_if_any()
    return IdMapping(
        keywords=sections["keywords"],
        templates=sections["templates"],
        value_lists=sections["valueLists"],
        lines=lines,
        path=display,
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class BaselineInfo:
    """The contents of ``baseline.yaml``."""

    id: str
    name: str
    version: str
    cases: tuple[Case, ...]


def read_baseline_yaml(path: Path, display: str) -> BaselineInfo:
    """Read ``baseline.yaml``: id, name, version and the cases with their templates."""
    data = load_yaml(path, display)
    errors = ErrorCollector()
    f = Fields(
        data,
        "baseline.yaml",
        display,
        errors,
        frozenset({"id", "name", "version", "cases", "description"}),
    )
    raw_cases = f.data.get("cases")
    cases = []
    if not isinstance(raw_cases, dict) or not raw_cases:
        f.error(
            "cases" if raw_cases is not None else None,
            "baseline.yaml needs 'cases': a mapping of case id to {name, templates}",
        )
    else:
        for case_id, raw in raw_cases.items():
            c = Fields(
                raw,
                f"case {quoted(case_id)}",
                display,
                errors,
                frozenset({"name", "templates", "description"}),
            )
            c.line = line_of(raw_cases, case_id)
            templates = c.strings("templates")
            cases.append(
                Case(
                    id=CaseId(str(case_id)),
                    name=c.req("name"),
                    templates=tuple(TemplateId(str(t)) for t in templates),
                    loc=SourceLocation(path=display, line=line_of(raw_cases, case_id)),
                )
            )
    info = BaselineInfo(
        id=f.req("id"), name=f.req("name"), version=f.req("version"), cases=tuple(cases)
    )
    errors.raise_if_any()
    return info
