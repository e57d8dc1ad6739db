"""Show suggestions: the draft mapping.yaml, the JSON list and the summary table.

The draft starts with a header that says what it was made from and that nothing in it is
confirmed; each section lists the region's own entries (active) and then the suggestions,
each commented out below its score, evidence and alternatives, for a person to uncomment.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cosmicdiff import __version__
from cosmicdiff.match.suggest.model import Section, Suggestion, entries_of, items_of
from cosmicdiff.model import Baseline, Export, normalise_text

if TYPE_CHECKING:
    from rich.console import Console

_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*")
_YAML_WORDS = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n"})
_WRAP = 96


def _yaml_id(value: str) -> str:
    """Return an id as a YAML scalar: plain when safe, else a double-quoted JSON string."""
    if _PLAIN_ID.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str, indent: str = "  ", hang: str = "  ") -> list[str]:
    """Return ``text`` as comment lines of at most about ``_WRAP`` characters."""
    lines = textwrap.wrap(
        text,
        width=_WRAP - len(indent) - 2 - len(hang),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [f"{indent}# {lines[0]}", *(f"{indent}# {hang}{rest}" for rest in lines[1:])]


def _entry(local: str, base: str, name: str) -> str:
    return f"{_yaml_id(local)}: {_yaml_id(base)}  # {normalise_text(name)}"


def _suggested_entry(s: Suggestion) -> list[str]:
    out = _comment(f"score {s.score:.2f}: {s.evidence()}")
    for a in s.alternatives:
        names = f'"{normalise_text(a.local_name)}" ~ "{normalise_text(a.baseline_name)}"'
        out += _comment(
            f"  alternative {a.score:.2f}: {a.local_id}: {a.baseline_id} ({names})", hang="    "
        )
    out.append(f"  # {_entry(s.local_id, s.baseline_id, s.local_name)}")
    return out


def _header(
    suggestions: Sequence[Suggestion], region: Export, baseline: Baseline, min_score: float
) -> list[str]:
    counts = ", ".join(f"{k.value} {sum(1 for s in suggestions if s.kind is k)}" for k in Section)
    kept = (
        "Entries kept from the region's mapping.yaml are active, as before."
        if not region.mapping.is_empty()
        else "The region has no mapping.yaml entries."
    )
    return [
        f"# DRAFT mapping.yaml for region {region.region} ({region.name or region.region})",
        f"# written by cosmicdiff {__version__} suggest-mapping",
        f"# region export: {region.source or region.region}",
        f"# baseline: {baseline.id} {baseline.version} ({baseline.source or baseline.id})",
        f"# {len(suggestions)} suggestion(s) with a score of at least {min_score:.2f} ({counts})",
        "#",
        *_comment(
            f"NOTHING IN THIS DRAFT IS CONFIRMED. {kept} Every suggested entry is commented "
            "out, below a line with its score (0 to 1) and the evidence for it. To confirm a "
            'suggestion, delete the "# " in front of its entry line, keeping the two-space '
            "indent; delete the lines of suggestions you reject. Then save the file as the "
            "region's mapping.yaml and check the pairs in the report of cosmicdiff compare.",
            indent="",
            hang="",
        ),
    ]


def render_yaml(
    suggestions: Sequence[Suggestion], region: Export, baseline: Baseline, min_score: float
) -> str:
    """Return the draft mapping.yaml: kept entries active, every suggestion commented out."""
    lines = _header(suggestions, region, baseline, min_score)
    for kind in Section:
        lines += _section(kind, suggestions, region)
    return "\n".join(lines) + "\n"


def _section(kind: Section, suggestions: Sequence[Suggestion], region: Export) -> list[str]:
    """Return one section of the draft: a blank line, the key, kept and suggested entries."""
    entries, table = entries_of(region.mapping, kind), items_of(region, kind)
    mine = sorted((s for s in suggestions if s.kind is kind), key=lambda x: x.local_id)
    lines = ["", f"{kind.value}:" if entries or mine else f"{kind.value}: {{}}"]
    for local, base in sorted(entries.items()):
        item = table.get(local)
        lines.append(f"  {_entry(local, base, item.name if item else '')}".rstrip(" #"))
    for s in mine:
        lines += _suggested_entry(s)
    return lines


def render_json(suggestions: Sequence[Suggestion]) -> str:
    """Return the suggestions as a JSON list (kind, ids, names, score, evidence, alternatives)."""
    return json.dumps([s.to_json() for s in suggestions], ensure_ascii=False, indent=2) + "\n"


def print_summary(suggestions: Sequence[Suggestion], console: Console) -> None:
    """Print a table of the suggestions (kind, local item, baseline item, score) on ``console``."""
    from rich.table import Table
    from rich.text import Text

    if not suggestions:
        console.print("no suggestions: nothing left unpaired scores at least the minimum")
        return
    table = Table(
        title=f"{len(suggestions)} suggestion(s), commented out in the draft", title_justify="left"
    )
    table.add_column("kind")
    table.add_column("local id and name")
    table.add_column("baseline id and name")
    table.add_column("score", justify="right")
    for s in suggestions:
        table.add_row(
            s.kind.value,
            Text(f"{s.local_id}\n{normalise_text(s.local_name)}"),
            Text(f"{s.baseline_id}\n{normalise_text(s.baseline_name)}"),
            f"{s.score:.2f}",
        )
    console.print(table)
