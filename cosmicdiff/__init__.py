"""cosmicdiff: compare COSMIC configuration exports with a shared baseline."""

from __future__ import annotations

__version__ = "0.1.0"

#: Version of the region export format this release reads.
EXPORT_FORMAT_VERSION = 1
#: Schema identifier of the JSON result this release writes.
RESULT_SCHEMA = "cosmicdiff/result/1"
