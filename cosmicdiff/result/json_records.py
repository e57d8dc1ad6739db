"""The JSON result's long lists as the encoder takes them: one record per baseline item and
template, made without copies (a finding's is ``Finding.record``).

A record has the keys and values of the item's ``to_json()`` in the same order (the contract,
report-json.md), but holds enums and tuples where ``to_json()`` holds their values and lists:
msgspec (``io/json_out.ENCODER``) writes an enum as its value and a tuple as an array, so the
bytes are the same and a record costs a third of ``to_json()`` (no ``Enum.value`` look-ups,
no list copies). ``tests/test_json_records.py`` checks that the written result parses to
``Result.to_json()``.
"""

from __future__ import annotations

from typing import Any

from cosmicdiff.result.parts import BaselineItem, TemplateOutline


def item_record(i: BaselineItem) -> dict[str, Any]:
    """Return ``i.to_json()`` for the encoder."""
    return {"entity": i.entity, "id": i.id, "name": i.name, "cases": i.cases}


def template_record(t: TemplateOutline) -> dict[str, Any]:
    """Return ``t.to_json()`` for the encoder, its items with it."""
    return {
        "id": t.id,
        "name": t.name,
        "note_type": t.note_type,
        "version": t.version,
        "cases": t.cases,
        "items": [
            {
                "depth": i.depth,
                "keyword": i.keyword,
                "name": i.name,
                "path": i.path,
                "mandatory": i.mandatory,
                "repeatable": i.repeatable,
            }
            for i in t.items
        ],
    }
