"""What the ADL reader reads from a constraint node: a node at a path, data types, units, codes.

Helpers of :mod:`.adl` over the syntax tree of :mod:`.adl_syntax`.
"""

from __future__ import annotations

import re

from cosmicdiff.parsers.openehr.adl_dadl import CCodes, DNode
from cosmicdiff.parsers.openehr.adl_syntax import (
    CDomain,
    CNode,
    CObject,
    Code,
    COrdinal,
    CPrimitive,
)

#: one step of an archetype path: ``/attribute`` or ``/attribute[node id]``
_STEP = re.compile(r"/([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\]]+)\])?")


def node_at(root: CObject, target: str) -> CObject | None:
    """Return the object at an archetype path such as ``/data[at0001]/events[at0006]``."""
    node: CObject | None = root
    for attr_name, node_id in _STEP.findall(target):
        attr = node.attribute(attr_name) if node is not None else None
        objects = [c for c in (attr.children if attr else ()) if isinstance(c, CObject)]
        if node_id:
            node = next((c for c in objects if c.node_id == node_id), None)
        else:
            node = objects[0] if len(objects) == 1 else None
        if node is None or node.kind != "object":
            return None
    return node


def data_type(node: CNode) -> str | None:
    if isinstance(node, CObject):
        return node.rm_type
    if isinstance(node, CDomain):
        return node.rm_type.removeprefix("C_")
    if isinstance(node, COrdinal):
        return "DV_ORDINAL"
    if isinstance(node, CCodes):
        return "DV_CODED_TEXT"
    return None


def units(node: CNode) -> list[str]:
    if isinstance(node, CDomain) and node.rm_type == "C_DV_QUANTITY":
        items = node.body.get("list")
        return [
            u for entry in (items.entries.values() if items else ()) if (u := entry.string("units"))
        ]
    if isinstance(node, CObject) and node.rm_type == "DV_QUANTITY":
        attr = node.attribute("units")
        return [
            s
            for c in (attr.children if attr else ())
            if isinstance(c, CPrimitive)
            for s in c.strings
        ]
    return []


def value_codes(node: CNode) -> list[Code]:
    """Return the codes a value alternative lists as fixed choices (none for ``[ac0001]``)."""
    if isinstance(node, COrdinal):
        return node.codes
    if isinstance(node, CCodes):
        return [(node.terminology, c, ln) for c, ln in node.codes] if node.terminology else []
    if isinstance(node, CDomain) and node.rm_type == "C_DV_ORDINAL":
        items = node.body.get("list")
        # symbol = <defining_code = <[local::at0010]>>, or the code straight in symbol
        symbols = [
            e.get("symbol", "defining_code") or e.get("symbol") or DNode(0)
            for e in (items.entries.values() if items else ())
        ]
        return [
            (v.terminology or "", v.text, v.line)
            for s in symbols
            for v in s.values
            if v.kind == "code"
        ]
    if isinstance(node, CObject):
        attr = node.attribute("defining_code")
        return next((c for c in map(value_codes, attr.children if attr else ()) if c), [])
    return []


def coding(node: CNode) -> str | None:
    """Return where a DV_CODED_TEXT's codes come from (``Keyword.coding``), else None.

    The terminology of its code list (``local``), the constraint reference of an open
    coding (``ac0001``), or ``any`` when its codes are not constrained.
    """
    if data_type(node) != "DV_CODED_TEXT":
        return None
    if isinstance(node, CObject):
        attr = node.attribute("defining_code")
        node = attr.children[0] if attr and attr.children else node
    if isinstance(node, CCodes):
        return node.terminology or (node.codes[0][0] if node.codes else "any")
    return "any"
