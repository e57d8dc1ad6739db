"""Read the files the decisions tools take in; a file that cannot be read is a ConfigError.

A decisions file and a waiver file are the workshop's own files (not exports), so what is
wrong with them is reported as a ConfigError with ``file:line``, as the waiver loader does.
"""

from __future__ import annotations

from pathlib import Path

from cosmicdiff.errors import ConfigError, ExportError
from cosmicdiff.io.safe_yaml import load_yaml


def read_bytes(path: Path, display: str) -> bytes:
    """Return a file's bytes; raise ConfigError naming the file when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{display}: cannot read file: {exc.strerror or exc}") from None


def read_yaml(path: Path, display: str, *, dates_as_text: bool = False) -> object:
    """Return a UTF-8 YAML file's data (lines kept); raise ConfigError with file:line."""
    try:
        return load_yaml(path, display, dates_as_text=dates_as_text)
    except ExportError as exc:
        raise ConfigError(str(exc)) from None
