"""Load region exports and baselines from files and folders into the model.

``load_export(path)`` reads a region folder (all its files merged) or one file;
``load_baseline(path)`` reads a baseline folder, or one file of a standard format
(an archetype, a template, a value set, a catalogue) as an ad-hoc baseline. One module
per input format does the reading and :mod:`cosmicdiff.parsers.registry` picks it for each
file (by extension and content, or as ``--input-format`` says); this module merges the
fragments, refuses duplicate definitions and builds the ``Export`` or ``Baseline``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from cosmicdiff.errors import ErrorCollector, ExportError, InputErrors, quoted
from cosmicdiff.model import (
    Baseline,
    Case,
    CaseId,
    Export,
    IdMapping,
    InputNote,
    TemplateId,
    Term,
    ValueList,
)
from cosmicdiff.parsers.cosmic.folder_yaml import (
    RegionInfo,
    read_baseline_yaml,
    read_mapping_yaml,
    read_region_yaml,
)
from cosmicdiff.parsers.folder import (
    MODEL_SUFFIXES,
    RESERVED,
    FolderScan,
    display_path,
    entry_path,
    folder_file,
    resolved,
    scan_folder,
    unread_reason,
)
from cosmicdiff.parsers.fragment import Fragment
from cosmicdiff.parsers.registry import FORMATS, read_fragment, sniff_format


def model_files(folder: Path) -> list[Path]:
    """Return the folder's model files, subfolders included, in path order (see
    :func:`~cosmicdiff.parsers.folder.scan_folder`: links to outside the folder are not read)."""
    return scan_folder(folder).files


def _merge(fragments: Iterable[Fragment], errors: ErrorCollector) -> dict[str, dict[str, object]]:
    """Merge fragments into id-keyed dicts; two definitions of one id is a problem."""
    merged: dict[str, dict[str, object]] = {
        "terms": {},
        "value_lists": {},
        "keywords": {},
        "templates": {},
    }
    labels = {
        "terms": "term",
        "value_lists": "value list",
        "keywords": "keyword",
        "templates": "template",
    }
    for frag in fragments:
        for section, records in (
            ("terms", frag.terms),
            ("value_lists", frag.value_lists),
            ("keywords", frag.keywords),
            ("templates", frag.templates),
        ):
            table = merged[section]
            for rec in records:
                key = rec.key if isinstance(rec, Term) else rec.id
                if isinstance(rec, ValueList) and (rec.is_reference or key in table):
                    known = table.get(key)
                    if rec.is_reference and known is not None:
                        continue  # a value set only referred to here, defined elsewhere
                    if isinstance(known, ValueList) and known.is_reference:
                        table[key] = rec  # its definition, from another file
                        continue
                if key in table:
                    first = table[key].loc  # type: ignore[attr-defined]
                    errors.add(
                        rec.loc.path,
                        rec.loc.line,
                        f"{labels[section]} {quoted(key)} is defined twice (first at {first})",
                    )
                    continue
                table[key] = rec
    return merged


def _region_id(
    folder: Path, info: RegionInfo | None, fragments: list[Fragment], errors: ErrorCollector
) -> str:
    declared = [(f.region, f.region_loc) for f in fragments if f.region]
    region = info.id if info else (declared[0][0] if declared else None)
    where = (str(info.loc) if info else str(declared[0][1])) if (info or declared) else ""
    for rid, loc in declared:
        if rid != region and loc is not None:
            source = f"{'region.yaml' if info else where} says {quoted(region)}"
            errors.add(loc.path, loc.line, f"region={quoted(rid)} does not match: {source}")
    return region or (folder.stem if folder.is_file() else folder.name)


def _build_export(
    path: Path,
    base: Path | None,
    files: list[Path],
    info: RegionInfo | None,
    mapping: IdMapping,
    fmt: str | None = None,
    lang: str = "sv",
    unread: Sequence[InputNote] = (),
) -> Export:
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
        cosmic_version=(
            info.cosmic_version
            if info and info.cosmic_version
            else head.cosmic_version
            if head
            else None
        ),
        exported=(info.exported if info and info.exported else head.exported if head else None),
        source=display_path(path, base),
        terms=merged["terms"],  # type: ignore[arg-type]
        value_lists=merged["value_lists"],  # type: ignore[arg-type]
        keywords=merged["keywords"],  # type: ignore[arg-type]
        templates=merged["templates"],  # type: ignore[arg-type]
        mapping=mapping,
        files=tuple(display_path(f, base) for f in files),
        notes=(*unread, *(n for f in fragments for n in f.notes)),
        formats=tuple(f.format or "" for f in fragments),
        title=fragments[0].title if len(fragments) == 1 else None,
    )


#: Files that make a folder a region export folder: one of its files read alone would lose them.
REGION_FOLDER_FILES = ("region.yaml", "mapping.yaml")


def load_export(
    path: Path,
    base: Path | None = None,
    *,
    fmt: str | None = None,
    lang: str = "sv",
    as_baseline: bool = False,
) -> Export:
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
            raise ExportError(
                display_path(path, base),
                None,
                "not an export file; expected COSMIC XML, CSV or YAML, an openEHR "
                "template (.opt) or archetype (.adl), FHIR JSON or a term "
                "catalogue (.json, .csv)",
            )
        marker = next((n for n in REGION_FOLDER_FILES if (path.parent / n).is_file()), None)
        if marker is not None and not as_baseline:
            raise ExportError(
                display_path(path, base),
                None,
                "this file is part of the region folder "
                f"{display_path(path.parent, base)} (it has {marker}); give the "
                "folder",
            )
        return _build_export(path, base, [path], None, IdMapping(), fmt, lang)
    scan = scan_folder(path, base)
    info = None
    if (region_yaml := folder_file(path, "region.yaml")) is not None:
        info = read_region_yaml(region_yaml, display_path(region_yaml, base))
    mapping = IdMapping()
    if (mapping_yaml := folder_file(path, "mapping.yaml")) is not None:
        mapping = read_mapping_yaml(mapping_yaml, display_path(mapping_yaml, base))
    if not scan.files:
        raise ExportError(
            display_path(path, base),
            None,
            "folder holds no export files (*.xml, *.csv, *.json, *.opt, *.adl "
            f"or YAML model files){_unread_hint(scan)}",
        )
    return _build_export(path, base, scan.files, info, mapping, fmt, lang, scan.notes)


def _unread_hint(scan: FolderScan) -> str:
    """Say in an error that some of the folder's files were left unread (links)."""
    count = len(scan.notes)
    if not count:
        return ""
    return f"; {count} link{'s' if count > 1 else ''} to outside the folder or to nothing not read"


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


def adhoc_baseline(
    path: Path, base: Path | None = None, *, fmt: str | None = None, lang: str = "sv"
) -> Baseline:
    """Read one file (or a folder without baseline.yaml) of any format as a baseline.

    The baseline has one catalogue case covering everything it defines: every template,
    keyword, value list and term is compared, not only what templates use.
    """
    export = load_export(path, base, fmt=fmt, lang=lang, as_baseline=True)
    shown = display_path(path, base)
    title = export.title or (path.stem if path.is_file() else path.name)
    versions = sorted({t.version for t in export.templates.values() if t.version})
    case = Case(
        id=CaseId(_slug(path.stem if path.is_file() else path.name)),
        name=title,
        templates=tuple(TemplateId(t) for t in sorted(export.templates)),
        catalogue=True,
    )
    files = [path] if path.is_file() else model_files(path)
    digest = folder_digest(path if path.is_dir() else path.parent, files)
    return Baseline(
        id=case.id,
        name=title,
        version=versions[0] if len(versions) == 1 else "-",
        export=Export(
            region=case.id,
            name=title,
            source=shown,
            terms=export.terms,
            value_lists=export.value_lists,
            keywords=export.keywords,
            templates=export.templates,
            files=export.files,
            notes=export.notes,
            formats=export.formats,
            title=export.title,
        ),
        cases=(case,),
        source=shown,
        files=export.files,
        digest=digest,
    )


def load_baseline(
    path: Path, base: Path | None = None, *, fmt: str | None = None, lang: str = "sv"
) -> Baseline:
    """Read a baseline: a folder with ``baseline.yaml`` plus its model files, or one file of
    a standard format (an archetype, a template, a value set, a catalogue) read ad hoc."""
    shown = display_path(path, base)
    if not path.exists():
        raise ExportError(shown, None, "no such file or folder")
    if path.is_file():
        if path.name in RESERVED:
            raise ExportError(shown, None, "give the baseline folder, not one of its files")
        if (path.parent / "baseline.yaml").is_file():
            raise ExportError(
                shown,
                None,
                "this file is part of the baseline folder "
                f"{display_path(path.parent, base)} (it has "
                "baseline.yaml); give the folder",
            )
        return adhoc_baseline(path, base, fmt=fmt, lang=lang)
    meta = path / "baseline.yaml"
    if (reason := unread_reason(meta, resolved(path))) is not None:
        raise ExportError(
            entry_path(meta, base), None, f"{reason}; a baseline folder needs its own baseline.yaml"
        )
    if not meta.is_file():
        found = model_files(path)
        if fmt is not None or (
            found and all(FORMATS[sniff_format(f, display_path(f, base))].foreign for f in found)
        ):
            return adhoc_baseline(path, base, fmt=fmt, lang=lang)
        raise ExportError(shown, None, "baseline folder has no baseline.yaml")
    return _baseline_folder(path, meta, base, fmt, lang)


def _baseline_folder(
    path: Path, meta: Path, base: Path | None, fmt: str | None, lang: str
) -> Baseline:
    """Read a baseline folder with its ``baseline.yaml`` (``meta``) and its model files."""
    shown = display_path(path, base)
    info = read_baseline_yaml(meta, display_path(meta, base))
    scan = scan_folder(path, base)
    files = scan.files
    if not files:
        raise ExportError(
            shown,
            None,
            f"baseline folder holds no model files (*.xml or *.yaml){_unread_hint(scan)}",
        )
    export = _build_export(path, base, files, None, IdMapping(), fmt, lang, scan.notes)
    export = Export(
        region=info.id,
        name=info.name,
        source=shown,
        terms=export.terms,
        value_lists=export.value_lists,
        keywords=export.keywords,
        templates=export.templates,
        files=export.files,
        notes=export.notes,
        formats=export.formats,
    )
    errors = ErrorCollector()
    for case in info.cases:
        for tid in case.templates:
            if tid not in export.templates:
                errors.add(
                    case.loc.path,
                    case.loc.line,
                    f"case {quoted(case.id)} lists template {quoted(tid)}, which the "
                    "baseline does not define",
                )
    errors.raise_if_any()
    digest_files = [*files, meta] + [
        f for n in ("rules.yaml", "waivers.yaml") if (f := folder_file(path, n)) is not None
    ]
    return Baseline(
        id=info.id,
        name=info.name,
        version=info.version,
        export=export,
        cases=info.cases,
        source=shown,
        files=export.files,
        digest=folder_digest(path, digest_files),
    )
