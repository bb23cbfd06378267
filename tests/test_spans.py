"""Intervals: the overlap tests agree with a scan of every span."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.spans import Intervals

SPAN = st.tuples(st.integers(0, 40), st.integers(0, 8)).map(lambda p: (p[0], p[0] + p[1]))


@given(st.lists(SPAN, max_size=8), st.integers(0, 45), st.integers(1, 8))
def test_covers_is_an_overlap_with_some_span(spans, start, length):
    end = start + length
    assert Intervals(spans).covers(start, end) == any(s < end and start < e for s, e in spans)


@given(st.lists(SPAN, max_size=8), st.integers(0, 50))
def test_strictly_inside_is_strictly_inside_some_span(spans, position):
    assert Intervals(spans).strictly_inside(position) == any(s < position < e for s, e in spans)
