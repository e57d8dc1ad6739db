"""cosmicdiff: compare COSMIC configuration exports with a shared baseline."""

from __future__ import annotations


def _version() -> str:
    """Return the version of this build: the git tag it was built from (v0.2.0 -> 0.2.0) or a
    development version between tags (0.2.1.dev3+g1a2b3c4), as setuptools-scm wrote it into
    ``_version.py`` at build time (docs/release.md). A source tree run without that file asks
    the installed distribution's metadata, and says ``0.0.0+unknown`` if there is none."""
    try:
        from cosmicdiff._version import __version__ as built
    except ImportError:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("cosmicdiff")
        except PackageNotFoundError:
            return "0.0.0+unknown"
    return str(built)


__version__ = _version()

#: Version of the region export format this release reads.
EXPORT_FORMAT_VERSION = 1
#: Schema identifier of the JSON result this release writes.
RESULT_SCHEMA = "cosmicdiff/result/1"
