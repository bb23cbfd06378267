"""Character spans of an article as a set that answers overlap tests by bisection.

The extractors and the tables ask, for many spans, whether they overlap any of a
few hundred others (quotes, names, club mentions); a scan of them all per question
is quadratic in the article.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence


class Intervals:
    """Sorted, non-overlapping intervals with a fast 'does this point fall inside' test."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):  # nested spans fall inside their outer span
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.spans = merged
        self.starts = [start for start, _ in self.spans]

    def covers(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps one of the intervals."""
        i = bisect.bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.spans[i][1] > start

    def strictly_inside(self, position: int) -> bool:
        """True when ``position`` lies strictly between an interval's start and end."""
        i = bisect.bisect_right(self.starts, position - 1) - 1
        return i >= 0 and self.spans[i][1] > position
