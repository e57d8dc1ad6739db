"""``cosmicdiff validate``: check exports and baselines, listing every problem with file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from cosmicdiff.checks.integrity import REFERENCE_KINDS, check_baseline_cases, check_export
from cosmicdiff.errors import CosmicdiffError, Problem
from cosmicdiff.io.safe_xml import parse_bytes, parse_tree, read_source, stream_is_valid
from cosmicdiff.io.source_lines import BIG_LINE, SourceText
from cosmicdiff.match.identity import check_mapping
from cosmicdiff.model import Baseline, Export
from cosmicdiff.parsers import (
    display_path,
    load_baseline,
    load_export,
    model_files,
    sniff_format,
)


@cache
def export_schema() -> etree.XMLSchema:
    """Return the shipped XML Schema of the export format."""
    data = resources.files("cosmicdiff.schemas").joinpath("export-1.xsd").read_bytes()
    return etree.XMLSchema(parse_bytes(data, "export-1.xsd"))


#: The records of an export: cleared as soon as the streamed validation has passed them.
RECORD_TAGS = frozenset(
    "{urn:cosmicdiff:export:1}" + tag for tag in ("term", "valueList", "keyword", "template")
)


def schema_problems(path: Path) -> list[Problem]:
    """Validate one XML file against the shipped XSD.

    The file is first validated as a stream (libxml2 checks while it parses; no tree of the
    whole file is built, a 200 MB export stays well under 1.5 GB). Only when that finds
    something wrong is the file parsed into a whole tree and validated again to list every
    problem with its line (streamed errors carry none): an invalid file costs the whole
    tree's memory, a valid one never does.

    Text where the schema allows none is reported as the reader reports it (the line of
    the text, an excerpt), so that validate and compare refuse such a file with the same
    lines; the XSD's own message names only the element.
    """
    shown = display_path(path)
    try:
        if stream_is_valid(path, shown, export_schema(), RECORD_TAGS):
            return []
    except CosmicdiffError as exc:
        return list(exc.problems)
    return tree_problems(path)


def tree_problems(path: Path) -> list[Problem]:
    """Validate one XML file against the shipped XSD through a whole tree, listing every
    problem with its line (the path :func:`schema_problems` takes for an invalid file)."""
    shown = display_path(path)
    try:
        tree = parse_tree(path, shown)
    except CosmicdiffError as exc:
        return list(exc.problems)
    schema = export_schema()
    if schema.validate(tree):
        return []
    out: list[Problem] = []
    text: list[Problem] = []
    source: list[SourceText] = []  # read when a line past libxml2's limit needs it
    for err in schema.error_log:  # type: ignore[attr-defined]
        msg = err.message.replace("{urn:cosmicdiff:export:1}", "")
        line = err.line
        if line and line >= BIG_LINE and err.path:
            line = _exact_line(tree, err.path, line, source, path, shown)
        problem = Problem(shown, line, f"schema: {msg}")
        (text if "Character content" in msg else out).append(problem)
    if text:
        out += _stray_text(path, shown) or text
    return sorted(out, key=lambda p: p.line or 0)


def _exact_line(
    tree: etree._ElementTree,
    xpath: str,
    line: int,
    source: list[SourceText],
    path: Path,
    shown: str,
) -> int:
    """Return the line of the element a schema error names, exact past line 65,535.

    libxml2 keeps an element's line in 16 bits and, past it, reports a line borrowed from
    the element's first child or next sibling; the error names the element by its XPath, and
    its start tag is found in the file (where its start tag ends, as libxml2 reports it below
    the limit)."""
    found = tree.xpath(xpath)
    if not isinstance(found, list) or len(found) != 1 or not isinstance(found[0], etree._Element):
        return line
    if not source:
        source.append(read_source(path, shown))
    return source[0].tag_end_line(found[0])


def _stray_text(path: Path, shown: str) -> list[Problem]:
    """Return the reader's problems of text where the schema allows none."""
    from cosmicdiff.parsers.cosmic.xml_export import read_xml_export
    from cosmicdiff.parsers.cosmic.xml_text import STRAY_TEXT

    try:
        read_xml_export(path, shown)
    except CosmicdiffError as exc:
        return [p for p in exc.problems if p.message.startswith(STRAY_TEXT)]
    return []


@dataclass(slots=True)
class Checked:
    """What validate found for one path."""

    path: str
    kind: str  # "baseline" | "region"
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    export: Export | None = None
    baseline: Baseline | None = None
    #: the summary, kept when the export itself is let go (see :meth:`forget`)
    read: str | None = None

    def forget(self) -> None:
        """Let go of the region's export once checked, keeping its summary (a region export
        of 200 MB is about 1 GB once read; validate reads one at a time)."""
        if self.export is not None:
            self.read = self.summary()
            self.export = None

    def summary(self) -> str:
        """Return a one-line description of what was read."""
        if self.read is not None:
            return self.read
        e = self.baseline.export if self.baseline else self.export
        if e is None:
            return self.path
        what = (
            f"baseline {self.baseline.id} {self.baseline.version}"
            if self.baseline
            else f"region {e.region}"
        )
        return (
            f"{self.path}: {what}: {len(e.terms)} terms, {len(e.value_lists)} value lists, "
            f"{len(e.keywords)} keywords, {len(e.templates)} templates"
        )


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


def _is_baseline(path: Path) -> bool:
    """Tell whether ``path`` is a baseline folder or a file of one (refused as compare
    refuses it as the baseline)."""
    return (path.parent if path.is_file() else path).joinpath("baseline.yaml").is_file()


def check_path(path: Path) -> Checked:
    """Validate one export or baseline path."""
    is_baseline = _is_baseline(path)
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
        checked.problems.extend(_config_problems(checked.baseline, path))
    return checked


def _config_problems(baseline: Baseline, folder: Path) -> list[Problem]:
    """Return the problems of the baseline's rules.yaml and waivers.yaml, read as compare
    reads them."""
    from cosmicdiff.rules.files import load_baseline_config

    try:
        load_baseline_config(baseline, folder)
    except CosmicdiffError as exc:
        return list(exc.problems) or [Problem(display_path(folder), None, exc.message)]
    return []


def validate_paths(paths: list[Path]) -> list[Checked]:
    """Validate every path; check region mappings against the baseline if one is given.

    Baselines are read first; each region is then read, checked (its mapping against the
    one baseline, if one was given and read) and let go before the next, so that only one
    region export is in memory at a time. The results are in the order of ``paths``.
    """
    results: dict[int, Checked] = {i: check_path(p) for i, p in enumerate(paths) if _is_baseline(p)}
    baselines = [c.baseline for c in results.values() if c.baseline is not None]
    for i, path in enumerate(paths):
        if i in results:
            continue
        c = results[i] = check_path(path)
        if len(baselines) == 1 and c.export is not None and not c.problems:
            try:
                check_mapping(c.export, baselines[0])
            except CosmicdiffError as exc:
                c.problems.extend(exc.problems or [Problem(c.path, None, exc.message)])
        c.forget()
    return [results[i] for i in range(len(paths))]
