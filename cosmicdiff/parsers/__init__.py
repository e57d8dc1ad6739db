"""Read region exports and baselines from files and folders into the model.

``load_export(path)`` reads a region folder (all its files merged) or one file;
``load_baseline(path)`` reads a baseline folder, or one file of a standard format
(an archetype, a template, a value set, a catalogue) as an ad-hoc baseline. One module
per input format does the reading; this module chooses the format of each file (by
extension and content, or as ``--input-format`` says), merges the fragments and refuses
duplicate definitions.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from cosmicdiff.errors import ErrorCollector, ExportError, InputErrors, UsageError
from cosmicdiff.model import Baseline, Case, CaseId, Export, IdMapping, TemplateId, Term
from cosmicdiff.parsers.fragment import Fragment
from cosmicdiff.parsers.yaml_model import (
    RegionInfo,
    read_baseline_yaml,
    read_mapping_yaml,
    read_region_yaml,
)
from cosmicdiff.shipped import shipped_name

#: File names in an export or baseline folder that are not model files.
RESERVED = frozenset({"region.yaml", "mapping.yaml", "baseline.yaml", "rules.yaml",
                      "waivers.yaml"})


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


FORMATS: dict[str, InputFormat] = {f.name: f for f in (
    InputFormat("cosmic-xml", "xml_export", "read_xml_export", "COSMIC export XML (ours)"),
    InputFormat("cosmic-csv", "csv_keywords", "read_csv_keywords",
                "keyword list CSV (id;name;type …)"),
    InputFormat("cosmic-yaml", "yaml_model", "read_yaml_model", "the YAML form of the model"),
    InputFormat("openehr-opt", "openehr_opt", "read_opt",
                "openEHR operational template 1.4 (XML)", foreign=True),
    InputFormat("openehr-adl", "openehr_adl", "read_adl", "openEHR archetype, ADL 1.4",
                foreign=True),
    InputFormat("fhir", "fhir", "read_fhir",
                "FHIR R4 JSON: Questionnaire, ValueSet, CodeSystem or a Bundle of them",
                foreign=True),
    InputFormat("term-catalogue", "term_catalogue", "read_term_catalogue",
                "term/keyword catalogue: JSON or CSV rows of id, name, datatype, unit",
                foreign=True),
)}

#: Extensions of model files; a folder's other files (README.md, notes) are not read.
MODEL_SUFFIXES = frozenset({".xml", ".csv", ".yaml", ".yml", ".opt", ".adl", ".json"})

__all__ = ["FORMATS", "load_export", "load_baseline", "display_path", "model_files",
           "sniff_format"]

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
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError as exc:
        raise ExportError(display, None, f"cannot read: {exc.strerror or exc}") from None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in (".xml", ".opt"):
        if suffix == ".opt" or (_OPENEHR_NS in head and re.search(rb"<(\w+:)?template[\s>]",
                                                                  head)):
            return "openehr-opt"
        return "cosmic-xml"
    if suffix == ".json":
        if text.startswith(b"{") and b'"resourceType"' in head:
            return "fhir"
        return "term-catalogue"
    if suffix == ".csv":
        first = text.split(b"\n", 1)[0].decode("utf-8", "replace")
        return "term-catalogue" if _CATALOGUE_CSV.search(first) else "cosmic-csv"
    raise ExportError(display, None, f"cannot tell the format of {path.name!r}; give "
                                     "--input-format (see `cosmicdiff formats`)")


def resolve_format(name: str | None) -> InputFormat | None:
    """Return the named input format (None for automatic), refusing unknown names."""
    if name is None or name == "auto":
        return None
    fmt = FORMATS.get(name)
    if fmt is None:
        raise UsageError(f"unknown input format {name!r}; known: auto, {', '.join(FORMATS)}")
    return fmt


def display_path(path: Path, base: Path | None = None) -> str:
    """Return the path as the user should see it: relative to ``base`` or the cwd if possible.

    A file of a baseline shipped with cosmicdiff is ``espir:lakemedel.yaml`` wherever
    cosmicdiff is installed (see cosmicdiff.shipped).
    """
    resolved = path.resolve()
    shipped = shipped_name(resolved)
    if shipped is not None:
        return shipped
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return resolved.relative_to(root.resolve()).as_posix()
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


def read_fragment(path: Path, display: str, fmt: str | None = None,
                  lang: str = "sv") -> Fragment:
    """Read one model file as ``fmt`` (None: by extension and content)."""
    chosen = FORMATS[fmt] if fmt else FORMATS[sniff_format(path, display)]
    reader = chosen.reader()
    frag = reader(path, display, lang=lang) if chosen.foreign else reader(path, display)
    if frag.format is None:
        frag.format = chosen.name
    return frag


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
    return region or (folder.stem if folder.is_file() else folder.name)


def _build_export(path: Path, base: Path | None, files: list[Path], info: RegionInfo | None,
                  mapping: IdMapping, fmt: str | None = None, lang: str = "sv") -> Export:
    errors = ErrorCollector()
    fragments = []
    for f in files:
        try:
            fragments.append(read_fragment(f, display_path(f, base), fmt, lang))
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
        notes=tuple(n for f in fragments for n in f.notes),
        formats=tuple(f.format or "" for f in fragments),
        title=fragments[0].title if len(fragments) == 1 else None,
    )


#: Files that make a folder a region export folder: one of its files read alone would lose them.
REGION_FOLDER_FILES = ("region.yaml", "mapping.yaml")


def load_export(path: Path, base: Path | None = None, *, fmt: str | None = None,
                lang: str = "sv", as_baseline: bool = False) -> Export:
    """Read a region export: a folder (all model files merged) or a single model file.

    ``fmt`` names the input format of every file (None: chosen per file by extension and
    content); ``lang`` is the language whose labels are compared as names, where a format
    carries several. A single file of a region folder (one with region.yaml or mapping.yaml)
    is refused: read alone it would lose the region's id, its mapping and its other files.
    ``as_baseline``: the file is read as an ad-hoc baseline, to which those mean nothing.
    """
    if not path.exists():
        raise ExportError(display_path(path, base), None, "no such file or folder")
    if path.is_file():
        if path.name in RESERVED or (fmt is None and path.suffix.lower() not in MODEL_SUFFIXES):
            raise ExportError(display_path(path, base), None,
                              "not an export file; expected COSMIC XML, CSV or YAML, an openEHR "
                              "template (.opt) or archetype (.adl), FHIR JSON or a term "
                              "catalogue (.json, .csv)")
        marker = next((n for n in REGION_FOLDER_FILES if (path.parent / n).is_file()), None)
        if marker is not None and not as_baseline:
            raise ExportError(display_path(path, base), None,
                              "this file is part of the region folder "
                              f"{display_path(path.parent, base)} (it has {marker}); give the "
                              "folder")
        return _build_export(path, base, [path], None, IdMapping(), fmt, lang)
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
                          "folder holds no export files (*.xml, *.csv, *.json, *.opt, *.adl "
                          "or YAML model files)")
    return _build_export(path, base, files, info, mapping, fmt, lang)


def folder_digest(folder: Path, names: Iterable[Path]) -> str:
    """Return a sha256 over the given files' names (relative to folder) and bytes."""
    h = hashlib.sha256()
    for p in sorted(names):
        h.update(p.relative_to(folder).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "baseline"


def adhoc_baseline(path: Path, base: Path | None = None, *, fmt: str | None = None,
                   lang: str = "sv") -> Baseline:
    """Read one file (or a folder without baseline.yaml) of any format as a baseline.

    The baseline has one catalogue case covering everything it defines: every template,
    keyword, value list and term is compared, not only what templates use.
    """
    export = load_export(path, base, fmt=fmt, lang=lang, as_baseline=True)
    shown = display_path(path, base)
    title = export.title or (path.stem if path.is_file() else path.name)
    versions = sorted({t.version for t in export.templates.values() if t.version})
    case = Case(id=CaseId(_slug(path.stem if path.is_file() else path.name)), name=title,
                templates=tuple(TemplateId(t) for t in sorted(export.templates)),
                catalogue=True)
    files = [path] if path.is_file() else model_files(path)
    digest = folder_digest(path if path.is_dir() else path.parent, files)
    return Baseline(id=case.id, name=title, version=versions[0] if len(versions) == 1 else "-",
                    export=Export(region=case.id, name=title, source=shown,
                                  terms=export.terms, value_lists=export.value_lists,
                                  keywords=export.keywords, templates=export.templates,
                                  files=export.files, notes=export.notes,
                                  formats=export.formats, title=export.title),
                    cases=(case,), source=shown, files=export.files, digest=digest)


def load_baseline(path: Path, base: Path | None = None, *, fmt: str | None = None,
                  lang: str = "sv") -> Baseline:
    """Read a baseline: a folder with ``baseline.yaml`` plus its model files, or one file of
    a standard format (an archetype, a template, a value set, a catalogue) read ad hoc."""
    shown = display_path(path, base)
    if not path.exists():
        raise ExportError(shown, None, "no such file or folder")
    if path.is_file():
        if path.name in RESERVED:
            raise ExportError(shown, None, "give the baseline folder, not one of its files")
        if (path.parent / "baseline.yaml").is_file():
            raise ExportError(shown, None, "this file is part of the baseline folder "
                                           f"{display_path(path.parent, base)} (it has "
                                           "baseline.yaml); give the folder")
        return adhoc_baseline(path, base, fmt=fmt, lang=lang)
    meta = path / "baseline.yaml"
    if not meta.is_file():
        found = model_files(path)
        if fmt is not None or (found and all(
                FORMATS[sniff_format(f, display_path(f, base))].foreign for f in found)):
            return adhoc_baseline(path, base, fmt=fmt, lang=lang)
        raise ExportError(shown, None, "baseline folder has no baseline.yaml")
    info = read_baseline_yaml(meta, display_path(meta, base))
    files = model_files(path)
    if not files:
        raise ExportError(shown, None, "baseline folder holds no model files (*.xml or *.yaml)")
    export = _build_export(path, base, files, None, IdMapping(), fmt, lang)
    export = Export(
        region=info.id, name=info.name, source=shown, terms=export.terms,
        value_lists=export.value_lists, keywords=export.keywords,
        templates=export.templates, files=export.files, notes=export.notes,
        formats=export.formats,
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


