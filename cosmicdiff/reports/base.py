"""The Reporter interface and what varies between runs (RenderContext)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result


@dataclass(frozen=True, kw_only=True, slots=True)
class RenderContext:
    """Run-dependent settings a reporter may use; reporters never call now() themselves."""

    lang: str = "sv"
    width: int = 100
    color: bool = False
    filters: tuple[str, ...] = ()


class Reporter(ABC):
    """Render a Result into one output format."""

    media_type: ClassVar[str] = "text/plain"

    @abstractmethod
    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the whole report as text."""

    def chunks(self, result: Result, ctx: RenderContext) -> Iterator[str | bytes]:
        """Yield the report as text in pieces; their concatenation is :meth:`render`.

        Large reports (JSON) override this so that the text is written as it is made (JSON
        as UTF-8 bytes: the pieces then join to :meth:`render` encoded).
        """
        yield self.render(result, ctx)


#: what a baseline without one version has as its version (a single file read as baseline)
NO_VERSION = "-"


def has_version(version: str | None) -> bool:
    """Return True for a version worth showing (not empty, not the no-version ``-``)."""
    return bool(version and version.strip() and version.strip() != NO_VERSION)


def with_version(name: str, version: str | None) -> str:
    """Return ``name version``, or ``name`` alone when there is no version to show."""
    return f"{name} {version}" if has_version(version) else name


#: how a label path is joined for people (``Referral › Service request › Organisation``)
LABEL_SEPARATOR = " › "


def finding_label(d: Finding) -> str | None:
    """Return what a people's report names a finding by: its label path, else its name.

    Findings about template items of the standard formats (openEHR, FHIR) carry the names
    from the template down to the item; the node path stays in JSON and SARIF.
    """
    if d.label_path:
        return LABEL_SEPARATOR.join(d.label_path)
    return d.name
