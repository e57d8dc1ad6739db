"""The diff stage: matched pairs of region and baseline items -> raw Deviations.

``diff_region`` compares one region; ``lcs_keep`` and ``lcs_aligned`` decide order changes.
"""

from __future__ import annotations

from cosmicdiff.diff.lcs import lcs_aligned, lcs_keep
from cosmicdiff.diff.region import RegionDiff, diff_region

__all__ = ["RegionDiff", "diff_region", "lcs_aligned", "lcs_keep"]
