"""The Reporter interface and what varies between runs (RenderContext)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

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

    def chunks(self, result: Result, ctx: RenderContext) -> Iterator[str]:
        """Yield the report as text in pieces; their concatenation is :meth:`render`.

        Large reports (JSON) override this so that the text is written as it is made.
        """
        yield self.render(result, ctx)
