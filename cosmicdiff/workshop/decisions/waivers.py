"""Turn accepted rows into waivers and merge them into a waiver file, keeping what is there.

An accepted row becomes one waiver (``waiver_entry``) with a stable id (``waiver_id``),
pinned to the deviation's kind, expected and actual value. ``merge_waivers`` writes the
entries into the waiver file's text by hand rather than by dumping YAML, so that every
existing entry, comment and blank line stays as it was: an entry with the same id is
replaced in place and new ones are appended to the list.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from cosmicdiff.errors import ConfigError
from cosmicdiff.io.safe_yaml import LineDict, LineList
from cosmicdiff.workshop.decisions.files import read_yaml
from cosmicdiff.workshop.decisions.model import Decision, DecisionsFile, Row
from cosmicdiff.workshop.decisions.template import scalar
from cosmicdiff.workshop.decisions.texts import texts

#: One waiver as a mapping in the waiver file's format (keys in the order they are written).
WaiverEntry = dict[str, str | dt.date | None]
#: The lines [start, end) of each entry of a waiver list in the file's text.
_Spans = list[tuple[int, int]]


def waiver_id(row: Row, rows: Sequence[Row] = ()) -> str:
    """Return the stable waiver id of a row: DEC- and the deviation id's first 8 characters.

    Where another row's id starts alike, the whole deviation id is used.
    """
    short = row.id[:8]
    clash = any(o.id != row.id and o.id[:8] == short for o in rows)
    return f"DEC-{row.id if clash else short}"


def waiver_entry(row: Row, wid: str) -> WaiverEntry:
    """Return the waiver (a mapping in the waiver file's format) for an accepted row.

    The waiver is pinned to the row's kind, expected and actual value (``null`` where the
    deviation has none): what the workshop accepted, and nothing else.
    """
    dev = row.deviation()
    entry: WaiverEntry = {
        "id": wid,
        "region": row.get("region"),
        "rule": row.get("rule"),
        "item": row.get("baseline_id") or row.get("local_id"),
    }
    if dev is not None and dev.is_item_level() and row.get("path"):
        entry["path"] = row.get("path")
    entry = {k: v for k, v in entry.items() if v is not None}
    entry |= {"kind": row.get("kind"), "expected": row.get("expected"), "actual": row.get("actual")}
    more: WaiverEntry = {
        "reason": row.get("justification"),
        "owner": row.get("owner"),
        "approver": row.get("decided_by"),
        "decision": row.get("decision_ref"),
        "expires": row.expires,
    }
    return entry | {k: v for k, v in more.items() if v is not None}


def waiver_entries(doc: DecisionsFile) -> list[WaiverEntry]:
    """Return the waivers for every accepted row, in row order."""
    return [
        waiver_entry(r, waiver_id(r, doc.rows)) for r in doc.rows if r.decision is Decision.ACCEPT
    ]


def _render(entries: Sequence[Mapping[str, str | dt.date | None]], indent: str) -> list[str]:
    """Return the entries as lines of a block-style list, each item starting ``- ``."""
    return [
        f"{indent}{'- ' if i == 0 else '  '}{key}: {scalar(value)}\n"
        for entry in entries
        for i, (key, value) in enumerate(entry.items())
    ]


def merge_waivers(
    existing: str | None,
    path: Path | None,
    display: str,
    entries: Sequence[Mapping[str, str | dt.date | None]],
    lang: str,
) -> tuple[str, int, int]:
    """Return the waiver file's new text with ``entries`` merged in, and (added, replaced).

    Existing entries and comments are kept; an entry with the same id is replaced in place;
    new entries are appended at the end of the list.
    """
    if existing is None or not existing.strip():
        head = "".join(f"# {x}\n" for x in texts(lang).waivers_header)
        body = _render(entries, "  ")
        return head + ("waivers:\n" + "".join(body) if body else "waivers: []\n"), len(entries), 0
    if path is None:
        raise ValueError("merge_waivers: the path of the existing text is needed")
    from cosmicdiff.rules.waivers import load_waivers

    load_waivers(path, display)  # a broken waiver file is reported as it is
    data = read_yaml(path, display)
    lines = existing.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    current = data.get("waivers") if isinstance(data, LineDict) else None
    if not current:
        return _into_empty(lines, data, entries, display), len(entries), 0
    if not isinstance(current, LineList):
        raise ConfigError(f"{display}: 'waivers' must be a list")
    return _into_list(lines, current, entries, display)


def _into_empty(
    lines: list[str],
    data: object,
    entries: Sequence[Mapping[str, str | dt.date | None]],
    display: str,
) -> str:
    """Return the text with ``entries`` as the list of a file that has no waiver yet."""
    body = _render(entries, "  ")
    if isinstance(data, LineDict) and "waivers" in data:
        n = data.line_of("waivers") - 1
        rest = lines[n].split(":", 1)[1].split("#", 1)[0].strip()
        if rest not in ("", "[]", "null", "~"):
            raise ConfigError(
                f"{display}:{n + 1}: cannot merge into this empty 'waivers' "
                "value; write 'waivers: []' or 'waivers:'"
            )
        return "".join(lines[:n] + ["waivers:\n"] + body + lines[n + 1 :])
    return "".join(lines) + "waivers:\n" + "".join(body)


def _into_list(
    lines: list[str],
    current: LineList,
    entries: Sequence[Mapping[str, str | dt.date | None]],
    display: str,
) -> tuple[str, int, int]:
    """Return the text with entries of the same id replaced and the others appended."""
    spans = _entry_spans(lines, current, display)
    first = lines[spans[0][0]]
    indent = first[: len(first) - len(first.lstrip())]
    by_id = {str(e["id"]): e for e in entries}
    replaced: dict[int, list[str]] = {}
    for (start, _end), raw in zip(spans, current, strict=True):
        wid = str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") else None
        if wid is not None and wid in by_id:
            replaced[start] = _render([by_id.pop(wid)], indent)
    tail = _render(list(by_id.values()), indent)
    return _splice(lines, spans, replaced, tail), len(by_id), len(replaced)


def _splice(
    lines: list[str], spans: _Spans, replaced: Mapping[int, list[str]], tail: list[str]
) -> str:
    """Return the lines with the replaced entries swapped in and ``tail`` after the list."""
    ends = dict(spans)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i == spans[-1][1]:
            out += tail
        if i in replaced:
            out += replaced[i]
            i = ends[i]
            continue
        out.append(lines[i])
        i += 1
    if spans[-1][1] == len(lines):
        out += tail
    return "".join(out)


def _entry_spans(lines: list[str], current: LineList, display: str) -> _Spans:
    """Return each entry's lines [start, end), trailing blank and comment lines excluded."""
    starts = [n - 1 for n in current.item_lines]
    for s in starts:
        if not lines[s].lstrip().startswith("- "):
            raise ConfigError(
                f"{display}:{s + 1}: cannot merge into a waiver list that is not "
                "in block style ('- id: …' on its own line); rewrite it so"
            )
    spans = []
    for j, start in enumerate(starts):
        end = starts[j + 1] if j + 1 < len(starts) else len(lines)
        while end > start + 1 and (
            not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
        ):
            end -= 1
        spans.append((start, end))
    return spans


def check_waiver_text(text: str, display: str) -> int:
    """Validate a waiver file's text with the waiver loader; return how many it holds."""
    from cosmicdiff.rules.waivers import load_waivers

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder) / "waivers.yaml"
        tmp.write_text(text, encoding="utf-8")
        return len(load_waivers(tmp, display))
