"""Facts from Dutch-language news: persons, clubs, dates, scores and quotes as pandas tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "extract"]

if TYPE_CHECKING:
    from .extract import extract


def __getattr__(name: str) -> Any:
    # Lazy, so that `import pipeline` (and the CLI's --help) stays fast.
    if name == "extract":
        from .extract import extract

        return extract
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
