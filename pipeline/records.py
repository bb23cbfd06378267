"""Typed records that the extractors return and that ``tables.py`` turns into rows.

Offsets are character offsets into the article text (after the metadata header is
removed), so ``text[start:end]`` is the span. The records are the contract between
the extractor modules; ``tables.py`` owns the column names and dtypes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Entity:
    """A named-entity span with its coarse label (person|organisation|location|misc)."""

    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class ClubMention:
    """A mention of a football club or national team, resolved to its canonical name."""

    start: int
    end: int
    text: str
    club: str
    kind: str  # "club" | "national_team"
    country: str | None = None


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A mention of a person, linked to the canonical (fullest) name in the article."""

    start: int
    end: int
    text: str
    name: str


@dataclass(slots=True)
class Person:
    """One real person per article, under the fullest name the article gives."""

    name: str
    mentions: int
    first_start: int
    roles: tuple[str, ...] = ()
    club: str | None = None
    age: int | None = None
    nationality: str | None = None


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression normalized against the publication date.

    ``value`` is ISO 8601 at the expression's own precision (EDTF such as ``199X``
    where ISO cannot say it), or None when it cannot be resolved.
    """

    start: int
    end: int
    text: str
    value: str | None
    granularity: str  # "decade" | "year" | "season" | "month" | "week" | "day" | "part_of_day" | "time" …
    mod: str | None = None  # "start" | "mid" | "end" | None
    date_start: date | None = None
    date_end: date | None = None
    resolved: bool = False
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Score:
    """A written match score with both teams in home-away order where known."""

    start: int
    end: int
    text: str
    goals_home: int
    goals_away: int
    kind: str  # "final" | "halftime" | "aggregate" | "penalties" | "running" | "other"
    team_home: str | None = None
    team_away: str | None = None
    after: str | None = None  # "regular" | "extra_time" | "penalties", where the article says so
    competition: str | None = None  # "Champions League", "Jupiler Pro League", …
    stage: str | None = None  # "halve finale, heenwedstrijd", "speeldag 12", …
    match_date: str | None = None  # ISO day of the match, when its sentence gives one


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct or partial quote; ``quote`` is ``text[start:end]`` including its marks."""

    start: int
    end: int
    quote: str
    kind: str  # "direct" | "partial"
    speaker: str | None = None
    cue: str | None = None
