"""The settings file (``cosmicdiff.toml`` or ``[tool.cosmicdiff]`` in ``pyproject.toml``).

Found by walking up from the working directory; command-line options override it;
``cosmicdiff config`` shows each effective value and where it came from. Unknown keys and
wrong types are errors with file and line. See docs/settings.md.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cosmicdiff.cli.choices import FailOn, MinSeverity
from cosmicdiff.errors import ConfigError, ExportError, UsageError, excerpt
from cosmicdiff.io.safe_toml import parse_toml
from cosmicdiff.io.shipped import shipped_baselines
from cosmicdiff.reports.i18n import LANG_TAG
from cosmicdiff.vocabulary import REPORT_FORMATS, OutputFormat

SETTINGS_FILE = "cosmicdiff.toml"
#: Formats an ``[outputs]`` table may write: every report format but the terminal text.
OUTPUT_FORMATS = tuple(f for f in REPORT_FORMATS if f is not OutputFormat.TEXT)
CHOICES: dict[str, tuple[str, ...]] = {
    "format": tuple(f.value for f in REPORT_FORMATS),
    "fail-on": tuple(f.value for f in FailOn),
    "min-severity": tuple(m.value for m in MinSeverity),
}
#: key -> the TOML type it takes, in the order ``cosmicdiff config`` shows them
KEYS: dict[str, type] = {
    "baseline": str,
    "regions": list,
    "cases": list,
    "format": str,
    "output": str,
    "fail-on": str,
    "lang": str,
    "waivers": str,
    "min-severity": str,
    "keep-going": bool,
    "input-format": str,
    "baseline-format": str,
    "outputs": dict,
}
PATH_KEYS = frozenset({"baseline", "output", "waivers"})
#: where a value given on the command line comes from
COMMAND_LINE = "command line"


@dataclass(frozen=True, kw_only=True, slots=True)
class Settings:
    """Effective settings: a value per key and, for each key, where it came from.

    Paths are absolute or relative to the working directory (a settings file's own are
    resolved against its folder).
    """

    baseline: str | None = None
    regions: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    format: OutputFormat | None = None
    output: str | None = None
    fail_on: FailOn = FailOn.ERROR
    lang: str = "sv"
    waivers: str | None = None
    min_severity: MinSeverity | None = None
    keep_going: bool = False
    input_format: str | None = None
    baseline_format: str | None = None
    #: format -> file, in the settings file's order
    outputs: Mapping[OutputFormat, str] = field(default_factory=dict)
    #: the settings file read, if any
    path: Path | None = None
    #: key (as in the file) -> "default", "FILE:LINE" or "command line"
    sources: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(dict.fromkeys(KEYS, "default"))
    )

    def value(self, key: str) -> object:
        """Return the value of a settings-file key (``fail-on`` is ``fail_on``)."""
        return getattr(self, _attribute(key))

    def from_command_line(self, key: str) -> bool:
        """Return True if the command line set ``key``."""
        return self.sources[key] == COMMAND_LINE


@dataclass(frozen=True, kw_only=True, slots=True)
class Overrides:
    """Values given on the command line; None (or nothing) leaves the settings' value."""

    baseline: str | None = None
    regions: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    format: OutputFormat | None = None
    output: str | None = None
    fail_on: FailOn | None = None
    lang: str | None = None
    waivers: str | None = None
    min_severity: MinSeverity | None = None
    keep_going: bool | None = None
    input_format: str | None = None
    baseline_format: str | None = None


def merge(settings: Settings, overrides: Overrides) -> Settings:
    """Return ``settings`` with every value the command line gives in place of its own."""
    given = {f.name: getattr(overrides, f.name) for f in fields(overrides)}
    given = {name: value for name, value in given.items() if value is not None and value != ()}
    sources = {**settings.sources, **dict.fromkeys((_key(n) for n in given), COMMAND_LINE)}
    return replace(settings, **given, sources=MappingProxyType(sources))


def _attribute(key: str) -> str:
    return key.replace("-", "_")


def _key(attribute: str) -> str:
    return attribute.replace("_", "-")


def _typed(key: str, value: Any) -> Any:
    """Return a checked settings-file value as the Settings attribute holds it."""
    if key in ("regions", "cases"):
        return tuple(value)
    if key == "format":
        return OutputFormat(value)
    if key == "fail-on":
        return FailOn(value)
    if key == "min-severity":
        return MinSeverity(value)
    if key == "outputs":
        return MappingProxyType({OutputFormat(f): target for f, target in value.items()})
    return value


def find_settings(start: Path) -> Path | None:
    """Return the nearest settings file at or above ``start``, or None."""
    for folder in (start, *start.parents):
        candidate = folder / SETTINGS_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return bool(
            re.search(
                r"(?m)^\s*\[tool\.cosmicdiff(\.outputs)?\]\s*$", path.read_text(encoding="utf-8")
            )
        )
    except (OSError, UnicodeDecodeError):
        return False


def _line_of(text: str, key: str, table: str | None) -> int | None:
    """Return the line where ``key`` is set (inside ``table`` when given)."""
    lines = text.splitlines()
    if key == "outputs":
        header = re.compile(rf"^\s*\[{re.escape(f'{table}.outputs' if table else 'outputs')}\]")
        found = next((i + 1 for i, ln in enumerate(lines) if header.match(ln)), None)
        if found:
            return found
    start = 0
    if table:
        pattern = re.compile(rf"^\s*\[{re.escape(table)}\]\s*$")
        start = next((i + 1 for i, ln in enumerate(lines) if pattern.match(ln)), 0)
    key_re = re.compile(rf'^\s*("{re.escape(key)}"|{re.escape(key)})\s*=')
    for i in range(start, len(lines)):
        if i > start and lines[i].lstrip().startswith("[") and table is None:
            break
        if key_re.match(lines[i]):
            return i + 1
    return None


def load_settings(path: Path, shown: str) -> Settings:
    """Read and validate a settings file; raise ConfigError with file:line on problems."""
    text = _read_text(path, shown)
    try:
        data = parse_toml(text, shown)
    except ExportError as exc:
        raise ConfigError(str(exc)) from None
    table = None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("cosmicdiff", {})
        table = "tool.cosmicdiff"
    base = path.parent

    def fail(key: str, message: str, in_table: str | None = table) -> ConfigError:
        line = _line_of(text, key, in_table)
        return ConfigError(f"{shown}:{line}: {message}" if line else f"{shown}: {message}")

    values: dict[str, Any] = {}
    sources = dict.fromkeys(KEYS, "default")
    for key, value in data.items():
        _check_key(key, value, fail)
        values[_attribute(key)] = _typed(key, _check_value(key, value, base, fail, table))
        sources[key] = f"{shown}:{_line_of(text, key, table) or '?'}"
    return Settings(**values, path=path, sources=MappingProxyType(sources))


def _read_text(path: Path, shown: str) -> str:
    """Return a settings file's text; refuse one that cannot be read or is not UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{shown}:{line}: settings files must be UTF-8") from None


def _check_key(key: str, value: object, fail: Callable[..., ConfigError]) -> None:
    """Refuse an unknown key (naming the closest known one) or a value of the wrong type."""
    if key not in KEYS:
        close = difflib.get_close_matches(key, KEYS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(KEYS)}"
        raise fail(key, f"unknown key {excerpt(key)}{hint}")
    kind = KEYS[key]
    if not isinstance(value, kind):
        raise fail(key, f"{key!r} must be {_kind_name(kind)}, not {type(value).__name__}")


def _kind_name(kind: type) -> str:
    return {str: "a string", list: "a list of strings", bool: "true or false", dict: "a table"}[
        kind
    ]


def _check_value(
    key: str, value: Any, base: Path, fail: Callable[..., ConfigError], table: str | None
) -> Any:
    """Return a checked value as read (paths resolved against the file's folder)."""
    if key in CHOICES and value not in CHOICES[key]:
        raise fail(key, f"{key} = {excerpt(value)} is not one of {', '.join(CHOICES[key])}")
    if key == "lang" and not LANG_TAG.match(value):
        raise fail(key, f"lang = {excerpt(value)} is not a language tag such as sv, en or nb-NO")
    if key in ("input-format", "baseline-format"):
        from cosmicdiff.parsers import FORMATS

        if value != "auto" and value not in FORMATS:
            raise fail(key, f"{key} = {excerpt(value)} is not one of auto, {', '.join(FORMATS)}")
    if key in ("regions", "cases"):
        if not all(isinstance(v, str) and v for v in value):
            raise fail(key, f"{key!r} must be a list of non-empty strings")
        return [_path(base, v) for v in value] if key == "regions" else list(value)
    if key in PATH_KEYS:
        if key == "baseline" and "/" not in value and not (base / value).exists():
            return value  # a shipped baseline's name, resolved later
        return _path(base, value) if value else None
    if key == "outputs":
        return _check_outputs(value, base, fail, f"{table}.outputs" if table else "outputs")
    return value


def _check_outputs(
    value: dict[str, Any], base: Path, fail: Callable[..., ConfigError], table: str
) -> dict[str, str]:
    """Return the [outputs] table with its paths resolved; refuse unknown formats."""
    out = {}
    for fmt, target in value.items():
        if fmt not in OUTPUT_FORMATS:
            raise fail(
                fmt,
                f"unknown output format {excerpt(fmt)} in [outputs]; use "
                f"{', '.join(OUTPUT_FORMATS)}",
                table,
            )
        if not isinstance(target, str) or not target:
            raise fail(fmt, f"[outputs] {fmt} must be a file name", table)
        out[fmt] = _path(base, target)
    return out


def _path(base: Path, value: str) -> str:
    path = Path(value)
    return str(path if path.is_absolute() else base / path)


def resolve_baseline(value: str | Path) -> Path:
    """Return the baseline folder for a path or the name of a shipped baseline."""
    path = Path(value)
    if path.exists():
        return path
    shipped = shipped_baselines()
    if str(value) in shipped:
        return shipped[str(value)]
    names = ", ".join(shipped) or "none"
    raise UsageError(f"{value}: no such baseline folder (shipped baselines: {names})")


def _shown(value: Any) -> Any:
    """Return paths relative to the working directory where they lie below it."""
    if isinstance(value, tuple):
        return tuple(_shown(v) for v in value)
    if isinstance(value, str) and Path(value).is_absolute():
        try:
            return Path(value).relative_to(Path.cwd()).as_posix()
        except ValueError:
            return value
    return value


def render_settings(settings: Settings) -> str:
    """Return the effective settings as TOML with the source of each value."""
    shown_path = _shown(str(settings.path)) if settings.path else "(none found)"
    lines = [f"# settings file: {shown_path}"]
    width = 44
    for key in KEYS:
        if key == "outputs":
            continue
        value = _shown(settings.value(key))
        text = f"{key} = {_toml(value)}"
        lines.append(f"{text:<{width}} # {settings.sources[key]}")
    lines.append("")
    lines.append(f"[outputs]{'':<{width - 9}} # {settings.sources['outputs']}")
    for fmt, target in settings.outputs.items():
        lines.append(f"{fmt} = {_toml(_shown(target))}")
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def settings_of_run(config: Path | None, no_config: bool) -> Settings:
    """Return the settings a run uses: ``--config``, else the nearest settings file, if any.

    With ``--no-config`` no file is read (a ``--config`` that names no file is still an error).
    """
    from cosmicdiff.parsers import display_path

    path = None if no_config else (config or find_settings(Path.cwd()))
    if config is not None and not config.is_file():
        raise UsageError(f"{config}: settings file not found")
    return load_settings(path, display_path(path)) if path else Settings()
