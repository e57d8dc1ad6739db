"""``cosmicdiff validate``: check exports and baselines, listing every problem with file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from cosmicdiff.errors import CosmicdiffError, Problem
from cosmicdiff.integrity import REFERENCE_KINDS, check_baseline_cases, check_export
from cosmicdiff.match import check_mapping
from cosmicdiff.model import Baseline, Export
from cosmicdiff.parsers import (
    display_path,
    load_baseline,
    load_export,
    model_files,
    sniff_format,
)
from cosmicdiff.parsers._xml import parse_bytes, parse_tree


@cache
def export_schema() -> etree.XMLSchema:
    """Return the shipped XML Schema of the export format."""
    data = resources.files("cosmicdiff.schemas").joinpath("export-1.xsd").read_bytes()
    return etree.XMLSchema(parse_bytes(data, "export-1.xsd"))


def schema_problems(path: Path) -> list[Problem]:
    """Validate one XML file against the shipped XSD."""
    shown = display_path(path)
    try:
        tree = parse_tree(path, shown)
    except CosmicdiffError as exc:
        return list(exc.problems)
    schema = export_schema()
    if schema.validate(tree):
        return []
    out = []
    for err in schema.error_log:  # type: ignore[attr-defined]
        msg = err.message.replace("{urn:cosmicdiff:export:1}", "")
        out.append(Problem(shown, err.line, f"schema: {msg}"))
    return out


@dataclass(slots=True)
class Checked:
    """What validate found for one path."""

    path: str
    kind: str  # "baseline" | "region"
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    export: Export | None = None
    baseline: Baseline | None = None

    def summary(self) -> str:
        """Return a one-line description of what was read."""
        e = self.baseline.export if self.baseline else self.export
        if e is None:
            return self.path
        what = f"baseline {self.baseline.id} {self.baseline.version}" if self.baseline \
            else f"region {e.region}"
        return (f"{self.path}: {what}: {len(e.terms)} terms, {len(e.value_lists)} value lists, "
                f"{len(e.keywords)} keywords, {len(e.templates)} templates")


def _xml_files(path: Path) -> list[Path]:
    """Return the COSMIC export XML files (not openEHR templates) to check against the XSD."""
    files = [path] if path.is_file() else model_files(path) if path.is_dir() else []
    out = []
    for f in files:
        if f.suffix.lower() != ".xml":
            continue
        try:
            if sniff_format(f, display_path(f)) == "cosmic-xml":
                out.append(f)
        except CosmicdiffError:
            out.append(f)  # let the schema check say what is wrong
    return out


def check_path(path: Path) -> Checked:
    """Validate one export or baseline path."""
    is_baseline = path.is_dir() and (path / "baseline.yaml").is_file()
    checked = Checked(path=display_path(path), kind="baseline" if is_baseline else "region")
    for xml in _xml_files(path):
        checked.problems.extend(schema_problems(xml))
    if checked.problems:
        return checked
    try:
        if is_baseline:
            checked.baseline = load_baseline(path)
            export = checked.baseline.export
        else:
            export = checked.export = load_export(path)
    except CosmicdiffError as exc:
        checked.problems.extend(exc.problems or [Problem(checked.path, None, exc.message)])
        return checked
    # records read but not used as they stand (real interchange formats) are warnings
    checked.warnings.extend(Problem(n.path, n.line, n.message) for n in export.notes)
    for issue in check_export(export):
        # A region's dangling reference is a finding of compare (unresolved_reference), not a
        # reason to refuse the export; in a baseline it is an error.
        if issue.kind in REFERENCE_KINDS and not is_baseline:
            checked.warnings.append(issue.problem)
        else:
            checked.problems.append(issue.problem)
    if checked.baseline is not None:
        checked.problems.extend(check_baseline_cases(checked.baseline))
    return checked


def validate_paths(paths: list[Path]) -> list[Checked]:
    """Validate every path; check region mappings against the baseline if one is given."""
    results = [check_path(p) for p in paths]
    baselines = [c.baseline for c in results if c.baseline is not None]
    if len(baselines) == 1:
        for c in results:
            if c.export is not None and not c.problems:
                try:
                    check_mapping(c.export, baselines[0])
                except CosmicdiffError as exc:
                    c.problems.extend(exc.problems or [Problem(c.path, None, exc.message)])
    return results
