"""Date normalization measured on Duckling's Dutch time corpus.

``python -m pipeline.evaluate_dates [TSV] [--misses]`` prints how many expressions of
``nl_time_examples.tsv`` (reference time Tuesday 2013-02-12, so published "2013-02-12")
get exactly the expected value at day, week, month or year grain. The longest mention
found in an expression is compared at the corpus grain: intervals by their first day,
other rows only when our granularity is the same as the corpus grain (a year where the
corpus expects a month counts as wrong). One exception, because the expression itself
says how precise it is: an offset ("twee jaar geleden", "over een week", marked by
``extra["offset"]``) is as precise as its unit, and where Duckling gives a finer grain
(it writes offsets one grain below their unit: Month for years, Day for months) both
values are compared at the unit's grain.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .dates import extract_dates
from .records import DateMention
from .settings import shared_dir

REFERENCE_DAY = "2013-02-12"
GRAINS = {"Day": ("day", "time"), "Week": ("week",), "Month": ("month",), "Year": ("year",)}


@dataclass(frozen=True)
class Example:
    """One row of the corpus at a grain we compare."""

    expression: str
    expected: str
    grain: str
    kind: str


def default_path() -> Path:
    """nl_time_examples.tsv under the shared data folder."""
    return shared_dir() / "data" / "duckling-nl-time" / "nl_time_examples.tsv"


def read_examples(path: Path) -> Iterator[Example]:
    """The day/week/month/year rows of the corpus file."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        header = next(rows, None)
        if header != ["expression", "expected_value", "grain", "kind"]:
            raise ValueError(
                f"{path}: expected the columns expression, expected_value, grain, kind; got {header}"
            )
        for row in rows:
            if len(row) == 4 and row[2] in GRAINS:
                yield Example(*row)


_ORDER = ("day", "week", "month", "year")


def _at_grain(mention: DateMention, example: Example) -> tuple[str | None, str]:
    """(our value, the expected value), both written at the grain they are compared at.

    None when not comparable. An offset ("twee jaar geleden") is only as precise as its
    unit: where Duckling's grain is finer (it gives offsets one grain below their unit),
    both sides are compared at the unit's grain.
    """
    expected = example.expected.split("/")[0]
    interval = example.kind == "datetimeInterval"
    if mention.date_start is None:
        return None, expected
    grain = GRAINS[example.grain][0]
    if "offset" in mention.extra and _ORDER.index(mention.granularity) > _ORDER.index(grain):
        return _write(mention.date_start, mention.granularity), _write(_day(expected), mention.granularity)
    if not (interval or mention.granularity in GRAINS[example.grain]):
        return None, expected
    return _write(mention.date_start, grain), expected


def _day(value: str) -> date:
    """The first day of a corpus value (2013-02, 2013-02-12T04:30, 2013)."""
    parts = [int(p) for p in value[:10].split("-")]
    return date(*[*parts, 1, 1][:3])


def _write(day: date, grain: str) -> str:
    """A day written at a grain the way the corpus writes it (a week by its Monday)."""
    if grain == "year":
        return f"{day.year:04d}"
    if grain == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if grain == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    return day.isoformat()


def is_correct(example: Example) -> bool:
    """Whether the longest mention in the expression has the expected value at its grain."""
    mentions = extract_dates(example.expression, REFERENCE_DAY)
    if not mentions:
        return False
    longest = max(mentions, key=lambda m: m.end - m.start)
    ours, expected = _at_grain(longest, example)
    return ours == expected


def duckling_accuracy(path: Path | str | None = None) -> tuple[int, int]:
    """(correct, total) over the day/week/month/year rows of Duckling's Dutch corpus."""
    examples = list(read_examples(Path(path) if path else default_path()))
    return sum(is_correct(e) for e in examples), len(examples)


def main(argv: list[str] | None = None) -> int:
    """Print the accuracy, and with --misses every expression we get wrong."""
    args = sys.argv[1:] if argv is None else argv
    paths = [a for a in args if not a.startswith("--")]
    path = Path(paths[0]) if paths else default_path()
    if not path.exists():
        sys.stderr.write(f"{path} not found: set SHARED_DIR to the folder with data/duckling-nl-time\n")
        return 2
    if "--misses" in args:
        for example in read_examples(path):
            if not is_correct(example):
                got = [
                    (m.text, m.value, m.granularity) for m in extract_dates(example.expression, REFERENCE_DAY)
                ]
                sys.stdout.write(
                    f"{example.expression!r}\texpected {example.expected} ({example.grain})\tgot {got}\n"
                )
    correct, total = duckling_accuracy(path)
    sys.stdout.write(f"dates on Duckling nl corpus: {correct}/{total} = {correct / total:.1%} exact values\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
