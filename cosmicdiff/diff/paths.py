"""The paths a finding is shown at: node ids joined without repeats, and labels for people.

The readers of the standard formats give a node an id that already holds the path of what
it is in: an openEHR node is ``<archetype id>/<archetype-relative path>``
(``openEHR-EHR-CLUSTER.organisation.v0/items[at0006]/items[at0007]``), a FHIR Questionnaire
item ``<questionnaire id>/<linkId>``. Joining those ids from the template down repeats every
segment an id shares with the id above it; :func:`joined_path` writes each id once, without
the part it shares with the nearest id above it that it extends. COSMIC ids never extend one
another, so their paths are the plain ``template/heading/…/keyword`` joins.

A label path is the names from the template down to the node (``Referral request › Service
request › Organisation › Name line``); the diff gives one to findings about template items of
the standard formats, where the node ids alone say little to a modeller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cosmicdiff.model import Item, Keyword


def joined_path(template_id: str, keywords: Iterable[str]) -> str:
    """Return ``template/…/keyword``, each id without the part the ids above it already say.

    An id that starts with an id above it plus ``/`` (the nearest such, the template's own id
    included) is written as the rest only; any other id is written whole.
    """
    kids = keywords if isinstance(keywords, list) else list(keywords)
    if "/" not in "".join(kids):  # no id can extend another (COSMIC ids)
        return "/".join((template_id, *kids))
    segments = [template_id]
    above = [template_id]
    for kid in kids:
        segment = kid
        for prefix in reversed(above):
            if len(kid) > len(prefix) + 1 and kid.startswith(prefix) and kid[len(prefix)] == "/":
                segment = kid[len(prefix) + 1 :]
                break
        segments.append(segment)
        above.append(kid)
    return "/".join(segments)


def item_labels(
    template_name: str, items: Iterable[Item], keywords: Mapping[str, Keyword]
) -> tuple[str, ...]:
    """Return the names from the template down through ``items`` (a keyword's id if unnamed)."""
    labels = [template_name]
    for item in items:
        keyword = keywords.get(item.keyword)
        labels.append(keyword.name if keyword is not None and keyword.name else item.keyword)
    return tuple(labels)
