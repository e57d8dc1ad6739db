"""Read region exports and baselines from files and folders into the model.

The parsers room, one stage of the pipeline: files in, :mod:`cosmicdiff.model` out.

* :mod:`~cosmicdiff.parsers.load`: ``load_export``, ``load_baseline`` (folders and files,
  merging, duplicate definitions, ad-hoc baselines);
* :mod:`~cosmicdiff.parsers.registry`: the input formats, and which reader reads a file;
* :mod:`~cosmicdiff.parsers.folder`: which files of a folder are read, display paths;
* one reader per format family: ``cosmic/`` (XML, CSV, YAML), ``openehr/`` (OPT, ADL),
  ``fhir/`` (Questionnaire, ValueSet, CodeSystem, Bundle), ``term_catalogue``.

This package only re-exports the names the other stages use.
"""

from __future__ import annotations

from cosmicdiff.parsers.folder import MODEL_SUFFIXES, RESERVED, display_path
from cosmicdiff.parsers.load import load_baseline, load_export, model_files
from cosmicdiff.parsers.registry import FORMATS, read_fragment, resolve_format, sniff_format

__all__ = [
    "FORMATS",
    "MODEL_SUFFIXES",
    "RESERVED",
    "display_path",
    "load_baseline",
    "load_export",
    "model_files",
    "read_fragment",
    "resolve_format",
    "sniff_format",
]
