"""Align two orderings of the same items: what kept its order, and where each item stands.

``order_changed`` is decided here for template items and for the values of a value list:
an item is out of order when it lies off the longest common subsequence of the two
orderings (see docs/comparison.md).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, TypeVar

_H = TypeVar("_H", bound=Hashable)


def lcs_keep(a: Sequence[Any], b: Sequence[Any]) -> set[Any]:
    """Return the elements of ``b`` that have not changed their order: those on the alignment
    (:func:`lcs_aligned`) and those at the same index on both sides.

    An element at the same index has not moved, whatever the alignment of the others (it can
    lie off every longest alignment only when keeping it would shorten the alignment).
    """
    keep = lcs_aligned(a, b)
    keep.update(x for x, y in zip(a, b, strict=False) if x == y)
    return keep


def lcs_aligned(a: Sequence[Any], b: Sequence[Any]) -> set[Any]:
    """Return the elements of ``b`` that lie on a longest common subsequence with ``a``.

    Where several longest common subsequences exist, the one that keeps the most elements at
    their own position (the same index in ``a`` and ``b``) wins, so an element is never
    reported as moving from position n to n (report-json.md, ``order_changed``). Elements are
    unique within each sequence. Each table entry is ``length * (n + 1) + kept-in-place``,
    which orders by length first and by the elements left in place second.
    """
    n, m = len(a), len(b)
    if a == b:
        return set(b)
    weight = n + 1
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = table[i], table[i + 1]
        ai = a[i]
        for j in range(m - 1, -1, -1):
            best = below[j] if below[j] >= row[j + 1] else row[j + 1]
            if ai == b[j]:
                take = below[j + 1] + weight + (i == j)
                if take > best:
                    best = take
            row[j] = best
    keep: set[Any] = set()
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j] and table[i][j] == table[i + 1][j + 1] + weight + (i == j):
            keep.add(b[j])
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def positions(items: Sequence[_H]) -> dict[_H, int]:
    """Return the 1-based position of each (unique) element of ``items``."""
    return {x: i for i, x in enumerate(items, 1)}
