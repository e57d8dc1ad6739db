"""Read region exports and baselines from files and folders into the model.

``load_export(path)`` reads a region folder (all its files merged) or one file;
``load_baseline(path)`` reads a baseline folder. One module per input form does the
reading; this module merges their fragments and refuses duplicate definitions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from cosmicdiff.errors import ErrorCollector, ExportError, InputErrors
from cosmicdiff.model import Baseline, Export, IdMapping, Term
from cosmicdiff.parsers.csv_keywords import read_csv_keywords
from cosmicdiff.parsers.fragment import Fragment
from cosmicdiff.parsers.xml_export import read_xml_export
from cosmicdiff.parsers.yaml_model import (
    RegionInfo,
    read_baseline_yaml,
    read_mapping_yaml,
    read_region_yaml,
    read_yaml_model,
)

#: File names in an export or baseline folder that are not model files.
RESERVED = frozenset({"region.yaml", "mapping.yaml", "baseline.yaml", "rules.yaml",
                      "waivers.yaml"})
MODEL_SUFFIXES = {".xml": read_xml_export, ".csv": read_csv_keywords,
                  ".yaml": read_yaml_model, ".yml": read_yaml_model}

__all__ = ["load_export", "load_baseline", "display_path", "model_files"]


def display_path(path: Path, base: Path | None = None) -> str:
    """Return the path as the user should see it: relative to ``base`` or the cwd if possible."""
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def model_files(folder: Path) -> list[Path]:
    """Return the folder's model files (XML, CSV, YAML form), subfolders included, in path order.

    Hidden files and folders are skipped; other files (README.md, notes) are not model files.
    A reserved file (region.yaml, mapping.yaml …) in a subfolder is an error: it would
    otherwise be silently ignored or read as model data.
    """
    found: list[Path] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix.lower() not in MODEL_SUFFIXES:
            continue
        if path.name in RESERVED:
            if len(rel.parts) > 1:
                raise ExportError(display_path(path), None,
                                  f"{path.name} belongs at the top of the folder "
                                  f"{display_path(folder)}, not in a subfolder")
            continue
        found.append(path)
    return found


def read_fragment(path: Path, display: str) -> Fragment:
    """Read one model file with the reader its extension names."""
    reader: Callable[[Path, str], Fragment] = MODEL_SUFFIXES[path.suffix.lower()]
    return reader(path, display)


def _merge(fragments: Iterable[Fragment], errors: ErrorCollector) -> dict[str, dict[str, object]]:
    """Merge fragments into id-keyed dicts; two definitions of one id is a problem."""
    merged: dict[str, dict[str, object]] = {
        "terms": {}, "value_lists": {}, "keywords": {}, "templates": {}}
    labels = {"terms": "term", "value_lists": "value list", "keywords": "keyword",
              "templates": "template"}
    for frag in fragments:
        for section, records in (("terms", frag.terms), ("value_lists", frag.value_lists),
                                 ("keywords", frag.keywords), ("templates", frag.templates)):
            table = merged[section]
            for rec in records:
                key = rec.key if isinstance(rec, Term) else rec.id
                if key in table:
                    first = table[key].loc  # type: ignore[attr-defined]
                    errors.add(rec.loc.path, rec.loc.line,
                               f"{labels[section]} {key!r} is defined twice (first at {first})")
                    continue
                table[key] = rec
    return merged


def _region_id(folder: Path, info: RegionInfo | None, fragments: list[Fragment],
               errors: ErrorCollector) -> str:
    declared = [(f.region, f.region_loc) for f in fragments if f.region]
    region = info.id if info else (declared[0][0] if declared else None)
    where = (str(info.loc) if info else str(declared[0][1])) if (info or declared) else ""
    for rid, loc in declared:
        if rid != region and loc is not None:
            source = f"region.yaml says {region!r}" if info else f"{where} says {region!r}"
            errors.add(loc.path, loc.line, f"region={rid!r} does not match: {source}")
    return region or folder.stem


def _build_export(path: Path, base: Path | None, files: list[Path], info: RegionInfo | None,
                  mapping: IdMapping) -> Export:
    errors = ErrorCollector()
    fragments = []
    for f in files:
        try:
            fragments.append(read_fragment(f, display_path(f, base)))
        except ExportError as exc:
            errors.add(exc.path, exc.line, exc.problem.message, exc.problem.context)
        except InputErrors as exc:
            errors.extend(exc.problems)
    errors.raise_if_any()
    merged = _merge(fragments, errors)
    region = _region_id(path, info, fragments, errors)
    errors.raise_if_any()
    head = next((f for f in fragments if f.cosmic_version or f.exported), None)
    return Export(
        region=region,
        name=info.name if info else None,
        cosmic_version=(info.cosmic_version if info and info.cosmic_version
                        else head.cosmic_version if head else None),
        exported=(info.exported if info and info.exported else head.exported if head else None),
        source=display_path(path, base),
        terms=merged["terms"],  # type: ignore[arg-type]
        value_lists=merged["value_lists"],  # type: ignore[arg-type]
        keywords=merged["keywords"],  # type: ignore[arg-type]
        templates=merged["templates"],  # type: ignore[arg-type]
        mapping=mapping,
        files=tuple(display_path(f, base) for f in files),
    )


def load_export(path: Path, base: Path | None = None) -> Export:
    """Read a region export: a folder (all model files merged) or a single model file."""
    if not path.exists():
        raise ExportError(display_path(path, base), None, "no such file or folder")
    if path.is_file():
        if path.suffix.lower() not in MODEL_SUFFIXES or path.name in RESERVED:
            raise ExportError(display_path(path, base), None,
                              "not an export file; expected .xml, .csv or a YAML model file")
        return _build_export(path, base, [path], None, IdMapping())
    info = None
    if (path / "region.yaml").is_file():
        info = read_region_yaml(path / "region.yaml", display_path(path / "region.yaml", base))
    mapping = IdMapping()
    if (path / "mapping.yaml").is_file():
        mapping = read_mapping_yaml(path / "mapping.yaml",
                                    display_path(path / "mapping.yaml", base))
    files = model_files(path)
    if not files:
        raise ExportError(display_path(path, base), None,
                          "folder holds no export files (*.xml, *.csv or YAML model files)")
    return _build_export(path, base, files, info, mapping)


def folder_digest(folder: Path, names: Iterable[Path]) -> str:
    """Return a sha256 over the given files' names (relative to folder) and bytes."""
    h = hashlib.sha256()
    for p in sorted(names):
        h.update(p.relative_to(folder).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def load_baseline(path: Path, base: Path | None = None) -> Baseline:
    """Read a baseline folder: ``baseline.yaml`` plus its model files."""
    shown = display_path(path, base)
    if not path.is_dir():
        raise ExportError(shown, None, "a baseline must be a folder with a baseline.yaml")
    meta = path / "baseline.yaml"
    if not meta.is_file():
        raise ExportError(shown, None, "baseline folder has no baseline.yaml")
    info = read_baseline_yaml(meta, display_path(meta, base))
    files = model_files(path)
    if not files:
        raise ExportError(shown, None, "baseline folder holds no model files (*.xml or *.yaml)")
    export = _build_export(path, base, files, None, IdMapping())
    export = Export(
        region=info.id, name=info.name, source=shown, terms=export.terms,
        value_lists=export.value_lists, keywords=export.keywords,
        templates=export.templates, files=export.files,
    )
    errors = ErrorCollector()
    for case in info.cases:
        for tid in case.templates:
            if tid not in export.templates:
                errors.add(case.loc.path, case.loc.line,
                           f"case {case.id!r} lists template {tid!r}, which the baseline "
                           "does not define")
    errors.raise_if_any()
    digest_files = [*files, meta] + [path / n for n in ("rules.yaml", "waivers.yaml")
                                     if (path / n).is_file()]
    return Baseline(id=info.id, name=info.name, version=info.version, export=export,
                    cases=info.cases, source=shown, files=export.files,
                    digest=folder_digest(path, digest_files))


