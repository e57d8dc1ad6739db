"""Pair the one artefact of each side when a single-file baseline meets a single file."""

from __future__ import annotations

from dataclasses import replace

from cosmicdiff.model import Baseline, Export, IdMapping


def pair_single_artefacts(region: Export, baseline: Baseline) -> Export:
    """Pair the one artefact of each side when a single-file baseline meets a single file.

    Comparing two files that each hold one template (two versions of an openEHR template,
    two forms with the same purpose) or one value list (two releases of a value set) is
    asking to compare those two, whatever their ids: they are paired as if a mapping file
    said so. Anything the region's own mapping file says comes first.
    """
    if not any(c.catalogue for c in baseline.cases) or not region.mapping.is_empty():
        return region
    base = baseline.export
    if len(base.templates) == 1 and len(region.templates) == 1:
        (bid,), (lid,) = base.templates, region.templates
        if bid != lid:
            return replace(
                region,
                mapping=IdMapping(
                    templates={lid: bid}, path=f"{region.source} (one template on each side)"
                ),
            )
    elif (
        not base.templates
        and not region.templates
        and len(base.value_lists) == 1
        and len(region.value_lists) == 1
    ):
        (bid,), (lid,) = base.value_lists, region.value_lists
        if bid != lid:
            return replace(
                region,
                mapping=IdMapping(
                    value_lists={lid: bid}, path=f"{region.source} (one value list on each side)"
                ),
            )
    return region
