"""Write the model in its YAML form (docs/yaml-form.md), the form baselines are kept in.

Output is deterministic and reads like the hand-written baseline files: one block per
record, values and items as one-line flow mappings, codes always quoted. Each record
may carry comment lines (``notes``), which ``baseline propose`` uses for provenance.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from cosmicdiff.model import Baseline, Binding, Export, Item, Keyword, Status, Template, Term


def scalar(value: Any) -> str:
    """Return one YAML scalar (strings quoted when YAML would read them as something else)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9)
    # a plain top-level scalar is followed by the document end marker: cut only that (never
    # strip: a value's own dots and edge spaces are kept, quoted by safe_dump)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.removesuffix("\n")


def flow_scalar(value: Any) -> str:
    """Return a scalar for use inside a flow mapping or sequence (commas and brackets quoted)."""
    text = scalar(value)
    if isinstance(value, str) and (
        any(ch in text for ch in ",[]{}?") or ": " in text or " #" in text or text.startswith(":")
    ):
        return json.dumps(value, ensure_ascii=False)
    return text


def _quoted(value: str) -> str:
    """Return a string that must stay a string (a code, a version) in double quotes."""
    return json.dumps(value, ensure_ascii=False)


def _flow(pairs: Sequence[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


def _bindings(bindings: Sequence[Binding]) -> str:
    return (
        "["
        + ", ".join(
            _flow([("system", flow_scalar(b.system)), ("code", _quoted(b.code))]) for b in bindings
        )
        + "]"
    )


def _comments(lines: Sequence[str], indent: str) -> list[str]:
    return [f"{indent}# {line}" for text in lines for line in text.splitlines()]


def _term(t: Term) -> str:
    display: str
    if set(t.displays) == {"sv"}:
        display = flow_scalar(t.displays["sv"])
    else:
        display = _flow([(k, flow_scalar(v)) for k, v in sorted(t.displays.items())])
    return "  - " + _flow(
        [
            ("system", flow_scalar(t.system)),
            ("code", _quoted(t.code)),
            ("display", display),
            ("status", t.status.value),
        ]
    )


def _keyword(k: Keyword) -> list[str]:
    out = [f"  - id: {scalar(k.id)}", f"    name: {scalar(k.name)}", f"    type: {k.type.value}"]
    if k.unit:
        out.append(f"    unit: {scalar(k.unit)}")
    if k.value_list:
        out.append(f"    valueList: {scalar(k.value_list)}")
    if k.bindings:
        out.append(f"    bindings: {_bindings(k.bindings)}")
    if k.status is not Status.ACTIVE:
        out.append(f"    status: {k.status.value}")
    if k.hidden_from_1177:
        out.append("    hiddenFrom1177: true")
    if k.description:
        out.append(f"    description: {scalar(k.description)}")
    if k.slot is not None:
        patterns = [("include", k.slot.includes), ("exclude", k.slot.excludes)]
        out.append("    slot: " + _flow([(key, scalar(list(p))) for key, p in patterns if p]))
    return out


def _items(items: Sequence[Item], indent: str, names: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    for item in items:
        pairs = [("keyword", flow_scalar(item.keyword))]
        if item.mandatory:
            pairs.append(("mandatory", "true"))
        if item.repeatable:
            pairs.append(("repeatable", "true"))
        name = " ".join(names.get(item.keyword, "").split())
        note = f"  # {name}" if name else ""
        if item.children:
            out.append(f"{indent}- keyword: {scalar(item.keyword)}{note}")
            out.extend(f"{indent}  {k}: {v}" for k, v in pairs[1:])
            out.append(f"{indent}  items:")
            out.extend(_items(item.children, indent + "    ", names))
        else:
            out.append(f"{indent}- {_flow(pairs)}{note}")
    return out


def _template(t: Template, names: Mapping[str, str]) -> list[str]:
    out = [f"  - id: {scalar(t.id)}", f"    name: {scalar(t.name)}"]
    if t.version is not None:
        out.append(f"    version: {_quoted(t.version)}")
    if t.note_type:
        out.append(f"    noteType: {scalar(t.note_type)}")
    if t.cases is not None:
        out.append("    cases: [" + ", ".join(flow_scalar(c) for c in t.cases) + "]")
    out.append(f"    status: {t.status.value}")
    if t.items:
        out.append("    items:")
        out.extend(_items(t.items, "      ", names))
    return out


def export_yaml(
    export: Export,
    header: Sequence[str] = (),
    notes: Mapping[tuple[str, str], Sequence[str]] | None = None,
) -> str:
    """Return the YAML form of an export's records; ``notes[(section, id)]`` become comments."""
    notes = notes or {}
    names: dict[str, str] = {k.id: k.name for k in export.keywords.values()}
    out = _comments(header, "")
    if export.terms:
        out += ["", "terms:"]
        for key in sorted(export.terms):
            out += _comments(notes.get(("terms", key), ()), "  ")
            out.append(_term(export.terms[key]))
    if export.value_lists:
        out += ["", "valueLists:"]
        for vid in sorted(export.value_lists):
            vl = export.value_lists[vid]
            out += _comments(notes.get(("valueLists", vid), ()), "  ")
            out += [
                f"  - id: {scalar(vl.id)}",
                f"    name: {scalar(vl.name)}",
                "    values:" if vl.values else "    values: []",
            ]
            for v in vl.values:
                pairs = [("code", _quoted(v.code)), ("display", flow_scalar(v.display))]
                if v.bindings:
                    pairs.append(("bindings", _bindings(v.bindings)))
                out.append("      - " + _flow(pairs))
    if export.keywords:
        out += ["", "keywords:"]
        for kid in sorted(export.keywords):
            out += _comments(notes.get(("keywords", kid), ()), "  ")
            out += _keyword(export.keywords[kid])
    if export.templates:
        out += ["", "templates:"]
        for tid in sorted(export.templates):
            out += _comments(notes.get(("templates", tid), ()), "  ")
            out += _template(export.templates[tid], names)
    return "\n".join(out).lstrip("\n") + "\n"


def baseline_yaml(baseline: Baseline, version: str, header: Sequence[str] = ()) -> str:
    """Return ``baseline.yaml`` for a baseline under a new version."""
    out = _comments(header, "")
    out += [
        f"id: {scalar(baseline.id)}",
        f"name: {scalar(baseline.name)}",
        f"version: {_quoted(version)}",
        "cases:",
    ]
    for case in baseline.cases:
        out.append(f"  {scalar(case.id)}:")
        out.append(f"    name: {scalar(case.name)}")
        out.append("    templates:")
        out.extend(f"      - {scalar(t)}" for t in case.templates)
    return "\n".join(out) + "\n"
