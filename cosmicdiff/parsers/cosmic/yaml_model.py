"""Read the YAML files: the model's YAML form, ``region.yaml``, ``mapping.yaml``, ``baseline.yaml``.

The YAML form mirrors the XML export element by element (see docs/yaml-form.md).
Unknown keys and wrong types are errors with file and line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cosmicdiff.errors import ErrorCollector, ExportError, excerpt
from cosmicdiff.io.safe_yaml import LineDict, line_of, load_yaml
from cosmicdiff.model import (
    Binding,
    CaseId,
    Item,
    Keyword,
    KeywordId,
    KeywordType,
    SlotRule,
    SourceLocation,
    Status,
    Template,
    TemplateId,
    Term,
    Value,
    ValueList,
    ValueListId,
)
from cosmicdiff.parsers.fragment import Fragment


@dataclass(frozen=True, slots=True)
class _Entry:
    """A list entry that is not a mapping, with its line (for the error message)."""

    value: Any
    line: int | None


def _described(value: Any) -> str:
    """Describe a whole file's value without quoting it: ``text of 52 characters on 1 line``."""
    if isinstance(value, str):
        lines = value.count("\n") + 1
        return f"text of {_count(len(value), 'character')} on {_count(lines, 'line')}"
    if isinstance(value, list):
        return f"a list of {_count(len(value), 'entry', 'entries')}"
    if value is None:
        return "nothing"
    return _type_name(value)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "the text"
    return "a " + type(value).__name__


class Fields:
    """Typed getters over one YAML mapping that record problems in a collector."""

    def __init__(
        self, data: Any, what: str, path: str, errors: ErrorCollector, allowed: frozenset[str]
    ) -> None:
        self.data = data if isinstance(data, dict) else LineDict()
        self.what = what
        self.path = path
        self.errors = errors
        self.line = data.line if isinstance(data, _Entry) else line_of(data)
        self.ok = isinstance(data, dict)
        if not self.ok:
            if isinstance(data, _Entry):
                self.error(
                    None,
                    f"{what} must be a mapping of keys to values, not "
                    f"{_type_name(data.value)} {excerpt(data.value)}",
                )
            else:  # the whole file: say what it holds, never quote it (it may be anything)
                self.line = self.line or 1
                self.error(
                    None,
                    f"{what} must be a mapping of keys to values; the file holds "
                    f"{_described(data)} (is it the right file?)",
                )
            return
        for key in data:
            if key not in allowed:
                self.error(
                    key,
                    f"unknown key {excerpt(key)} in {what}; allowed: {', '.join(sorted(allowed))}",
                )

    def loc(self) -> SourceLocation:
        return SourceLocation(path=self.path, line=self.line)

    def error(self, key: Any, message: str) -> None:
        self.errors.add(self.path, line_of(self.data, key) if key else self.line, message)

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required and self.ok:
                self.error(None, f"{self.what} needs {key!r}")
            return None
        if isinstance(value, (bool, dict | list)):
            self.error(key, f"{key!r} must be text, not {_type_name(value)}")
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value)
        if required and not text.strip():
            self.error(key, f"{key!r} must not be empty")
        return text

    def req(self, key: str) -> str:
        return self.text(key, required=True) or ""

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"{key!r} must be true or false, not {excerpt(value)}")
            return False
        return value

    def items(self, key: str) -> list[Any]:
        """Return the list under ``key``; entries that are not mappings carry their line."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"{key!r} must be a list")
            return []
        return [
            v if isinstance(v, dict) else _Entry(v, line_of(value, i)) for i, v in enumerate(value)
        ]

    def strings(self, key: str) -> list[str]:
        """Return the list of plain values under ``key``."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            self.error(key, f"{key!r} must be a list of ids")
            return []
        return [str(v) for v in value]

    def status(self) -> Status:
        raw = self.text("status")
        if raw is None:
            return Status.ACTIVE
        try:
            return Status(raw.strip())
        except ValueError:
            self.error("status", f"unknown status {excerpt(raw)}; use active, inactive or retired")
            return Status.ACTIVE


def _bindings(f: Fields) -> tuple[Binding, ...]:
    out = []
    for raw in f.items("bindings"):
        b = Fields(raw, "binding", f.path, f.errors, frozenset({"system", "code"}))
        out.append(Binding(system=b.req("system"), code=b.req("code")))
    return tuple(out)


def _term(raw: Any, path: str, errors: ErrorCollector) -> Term:
    f = Fields(raw, "term", path, errors, frozenset({"system", "code", "display", "status"}))
    display = f.data.get("display")
    displays: dict[str, str] = {}
    if isinstance(display, dict):
        displays = {str(k): str(v) for k, v in display.items()}
    elif display is not None:
        displays = {"sv": f.text("display") or ""}
    return Term(
        system=f.req("system"),
        code=f.req("code"),
        displays=displays,
        status=f.status(),
        loc=f.loc(),
    )


def _value_list(raw: Any, path: str, errors: ErrorCollector) -> ValueList:
    f = Fields(raw, "value list", path, errors, frozenset({"id", "name", "values"}))
    values = []
    for rv in f.items("values"):
        v = Fields(rv, "value", path, errors, frozenset({"code", "display", "bindings"}))
        values.append(
            Value(
                code=v.req("code"),
                display=v.text("display") or "",
                bindings=_bindings(v),
                loc=v.loc(),
            )
        )
    return ValueList(
        id=ValueListId(f.req("id")), name=f.text("name") or "", values=tuple(values), loc=f.loc()
    )


def _keyword(raw: Any, path: str, errors: ErrorCollector) -> Keyword:
    f = Fields(
        raw,
        "keyword",
        path,
        errors,
        frozenset(
            {
                "id",
                "name",
                "type",
                "unit",
                "valueList",
                "bindings",
                "status",
                "hiddenFrom1177",
                "description",
                "slot",
            }
        ),
    )
    raw_type = f.req("type")
    try:
        ktype = KeywordType(raw_type.strip())
    except ValueError:
        if raw_type:
            f.error("type", f"unknown keyword type {excerpt(raw_type)}")
        ktype = KeywordType.OTHER
    vl = f.text("valueList")
    return Keyword(
        id=KeywordId(f.req("id")),
        name=f.req("name"),
        type=ktype,
        unit=f.text("unit"),
        value_list=ValueListId(vl) if vl else None,
        bindings=_bindings(f),
        status=f.status(),
        hidden_from_1177=f.flag("hiddenFrom1177"),
        description=f.text("description"),
        slot=_slot(f, path, errors),
        loc=f.loc(),
    )


def _slot(f: Fields, path: str, errors: ErrorCollector) -> SlotRule | None:
    """Return an openEHR slot's rule (``slot: {include: […], exclude: […]}``), if given."""
    if "slot" not in f.data:
        return None
    raw = f.data["slot"]
    if raw is None:
        return SlotRule()
    s = Fields(raw, "slot", path, errors, frozenset({"include", "exclude"}))
    return SlotRule(includes=tuple(s.strings("include")), excludes=tuple(s.strings("exclude")))


def _item(raw: Any, path: str, errors: ErrorCollector) -> Item:
    f = Fields(
        raw, "item", path, errors, frozenset({"keyword", "mandatory", "repeatable", "items"})
    )
    return Item(
        keyword=KeywordId(f.req("keyword")),
        mandatory=f.flag("mandatory"),
        repeatable=f.flag("repeatable"),
        children=tuple(_item(c, path, errors) for c in f.items("items")),
        loc=f.loc(),
    )


def _template(raw: Any, path: str, errors: ErrorCollector) -> Template:
    f = Fields(
        raw,
        "template",
        path,
        errors,
        frozenset({"id", "name", "version", "noteType", "cases", "status", "items"}),
    )
    cases_raw = f.data.get("cases")
    cases: tuple[CaseId, ...] | None = None
    if isinstance(cases_raw, list):
        cases = tuple(CaseId(str(c)) for c in cases_raw)
    elif cases_raw is not None:
        cases = tuple(CaseId(c) for c in (f.text("cases") or "").split())
    return Template(
        id=TemplateId(f.req("id")),
        name=f.req("name"),
        version=f.text("version"),
        note_type=f.text("noteType"),
        cases=cases,
        status=f.status(),
        items=tuple(_item(c, path, errors) for c in f.items("items")),
        loc=f.loc(),
    )


_SECTIONS = {
    "terms": _term,
    "valueLists": _value_list,
    "keywords": _keyword,
    "templates": _template,
}


def read_yaml_model(path: Path, display: str) -> Fragment:
    """Read a file in the YAML form of the model into a Fragment."""
    data = load_yaml(path, display)
    if data is None:
        raise ExportError(
            display, None, "file is empty; expected terms, valueLists, keywords or templates"
        )
    errors = ErrorCollector()
    top = Fields(data, "a model file", display, errors, frozenset({*_SECTIONS, "region"}))
    frag = Fragment(path=display, region=top.text("region"))
    frag.region_loc = SourceLocation(path=display, line=line_of(data, "region"))
    frag.terms = [_term(r, display, errors) for r in top.items("terms")]
    frag.value_lists = [_value_list(r, display, errors) for r in top.items("valueLists")]
    frag.keywords = [_keyword(r, display, errors) for r in top.items("keywords")]
    frag.templates = [_template(r, display, errors) for r in top.items("templates")]
    errors.raise_if_any()
    return frag
