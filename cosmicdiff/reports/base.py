"""The Reporter interface and what varies between runs (RenderContext)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from cosmicdiff.result import Result


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
