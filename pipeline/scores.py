"""Written match scores with both teams in home-away order and the kind of score.

``extract_scores(doc, clubs)`` finds scores such as "4-3", "(1-0)", "2-1-zege",
"5-4 na strafschoppen", "Club Brugge - Anderlecht 2-1" and result lines like
"Genk 3 – Antwerp 1", skips look-alikes (dates, seasons, ages, formations, times,
minute ranges, rankings, phone numbers, amounts) and resolves the teams through the
club mentions found in the article.

Conventions. A score is written home-away, as the Flemish and Dutch press do, unless a
cue says otherwise: "X won met 0-2 bij Y" puts Y at home with 0, "X verloor met 1-2 van
Y" puts X at home with 1, and "X won met 3-0 bij Y" (the winner's goals first with an
away cue) gives home Y 0, away X 3.

Teams, first rule that applies: a result line or "A - B" pair next to the score; the
clause's subject with its outcome (verb or score noun) and home/away cues ("in eigen
huis", "bij Y", "gastland Y", "in Engeland", "in De Kuip"); the article's current match
(a fixture sentence or the previous score; scores during a match and aggregates use the
article's first ordered match). A clause without a club as subject ("die we met 0-2
verloren") is about the current match's other side or the article's focus team. When
the order cannot be known, both teams are None. All vocabulary (cue words, verbs, false
friends, sport words, countries, places) lives in ``pipeline/resources/scores/``.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from operator import attrgetter
from typing import NamedTuple

from spacy.tokens import Doc

from .nlp import doc_text
from .records import ClubMention, DateMention, Score

logger = logging.getLogger(__name__)

MAX_GOALS = 20  # more goals for one side is not a football score
MAX_LOSER_GOALS = 9  # "12-18" is an age range, not a football score
MAX_POINTS_OTHER = 199  # volleyball or basketball points in an article about another sport
CONTEXT_CHARS = 300  # how far around a score, inside its sentence, the rules look
_DASHES = "-–—‑−"
_SPACE = " \u00a0"
# A run of numbers joined by dashes (with optional spaces) or by / . : , — every repetition
# must consume a separator and then digits, so matching stays linear on long runs. It starts
# with one \d (not \d+) so that sre skips ahead to digits. A lone number is no score, and
# no run can start inside it (a separator would have been found from its first digit), so
# requiring one separator only drops those matches and leaves the others as they are.
# Possessive: a run's digits are all taken before a separator, so giving some back never helps.
_RUN = re.compile(rf"\d\d*+(?:(?:[{_SPACE}]?[{_DASHES}][{_SPACE}]?|[/.:,])\d+)+")
_WORD = re.compile(r"[^\W\d_][\w'’]*|\d+|[^\w\s]")
_MINUTE_MARK = re.compile(r"\d{1,3}[ \u00a0]?['’′]")
_GAP = r"(?:\s+\S+){0,4}?\s+"
_BOUNDARY = r"(?<!\w)"  # what a cue pattern starts with when its phrase does with a letter or digit
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Possessive: a shortened run is followed by a [\w-] character, never by whitespace, so
# giving characters back can never lead to a match and only costs time at every word.
_IN_COUNTRY = re.compile(r"([\w-]++)\s+in\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)")
# "in Molde", "bij Brugge"; each boundary is tested after the first letter (see _DE_NAME)
_IN_NAME = re.compile(r"(?:i(?<!\w.)n|b(?<!\w.)ij)\s+([A-Z][\w'’-]+)")
_IN_CAPITAL = re.compile(r"\sin\s+[A-Z]")  # what every match of _IN_COUNTRY holds
# "de Polen"; the boundary is tested after the first letter so that sre can skip ahead to it
_DE_NAME = re.compile(r"[Dd](?<!\w.)e\s+([A-Z][\w'’]+)")
# Where _DE_NAME may match in any window of the text (no boundary test), with the whole word
_DE_ANY = re.compile(r"[Dd](?=e\s+([A-Z][\w'’]+))")
_DIGITS = re.compile(r"\d+")
_DASH = re.compile(rf"[{_DASHES}]")
_LONE_DASH = re.compile(rf"\s*[{_DASHES}]\s*")
_OPEN_PAREN = re.compile(r"\s*\(\s*")
_TJE = re.compile(r"['’]tje\b")  # "2-1'tje"
_DASH_WORD = re.compile(rf"[{_DASHES}]([^\W\d_]+)")  # "2-1-zege"
_DASH_DIGIT = re.compile(rf"[{_DASHES}]\d")
_SPACED_WORD = re.compile(r"[ \u00a0]+([^\W\d_]+)")
_LINE_BETWEEN = re.compile(rf"[{_SPACE}]+(\d{{1,2}})[{_SPACE}]*[{_DASHES}][{_SPACE}]*")  # " 3 – "
_LINE_AFTER = re.compile(rf"[{_SPACE}]+(\d{{1,2}})(?!\w|[{_DASHES}.,:/]\d)")  # " 1"
_LINE = re.compile(r"[^\n]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_CLAUSE_BREAK = re.compile(r"[,;:]")
_COMMA = re.compile(r"[,;]")


# --------------------------------------------------------------------------- resources


def parse_rows(
    name: str, text: str, columns: Sequence[str], allowed: Mapping[str, Iterable[str]] = {}
) -> list[dict[str, str]]:
    """Rows of a CSV resource (header line first, ``#`` comments), validated on load."""
    lines = [
        (n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")
    ]
    if not lines or lines[0][1].strip() != ",".join(columns):
        raise ValueError(f"{name}: the first line must be the header {','.join(columns)!r}; fix the file")
    rows = []
    for number, line in lines[1:]:
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if len(cells) != len(columns):
            raise ValueError(
                f"{name} line {number}: expected {len(columns)} columns ({', '.join(columns)}), "
                f"got {len(cells)}; fix the line"
            )
        row = dict(zip(columns, cells, strict=True))
        if not row[columns[0]]:
            raise ValueError(
                f"{name} line {number}: the {columns[0]!r} column is empty; fill it or drop the line"
            )
        for column, values in allowed.items():
            if row[column] not in set(values):
                raise ValueError(
                    f"{name} line {number}: {column} {row[column]!r} is not one of {sorted(set(values))}"
                )
        rows.append(row)
    return rows


def _read(name: str) -> str:
    return (resources.files("pipeline") / "resources" / "scores" / name).read_text(encoding="utf-8")


def _rows(
    name: str, columns: Sequence[str], allowed: Mapping[str, Iterable[str]] = {}
) -> list[dict[str, str]]:
    return parse_rows(name, _read(name), columns, allowed)


def _words(name: str) -> frozenset[str]:
    return frozenset(
        line.strip().lower() for line in _read(name).splitlines() if line.strip() and not line.startswith("#")
    )


def phrase_regex(phrase: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a cue phrase; "…" stands for up to four words."""
    parts = [
        r"\s+".join(re.escape(w) for w in chunk.split()) for chunk in re.split(r"\s*(?:…|\.\.\.)\s*", phrase)
    ]
    body = _GAP.join(parts)
    left = _BOUNDARY if phrase[:1].isalnum() else ""
    right = r"(?!\w)" if phrase[-1:].isalnum() else ""
    return re.compile(left + body + right, re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    """A phrase from a resource file with its compiled pattern and attributes."""

    phrase: str
    pattern: re.Pattern[str]
    attrs: Mapping[str, str]


Hit = tuple[int, int, Cue]  # start, end, cue


@dataclass(frozen=True)
class Lexicon:
    """All rule vocabulary, loaded once from ``pipeline/resources/scores``."""

    nouns: Mapping[str, Mapping[str, str]]
    kinds: tuple[Cue, ...]
    false_after: tuple[Cue, ...]
    false_before: frozenset[str]
    false_suffix: frozenset[str]
    false_before_date: frozenset[str]
    sports: tuple[Cue, ...]
    countries: Mapping[str, frozenset[str]]  # Dutch name, lower → names a club record may carry
    demonyms: Mapping[str, str]  # demonym → Dutch country name, lower
    tables: Mapping[str, tuple[Cue, ...]]  # verbs, venues, competitions, rounds, legs
    matchdays: tuple[tuple[re.Pattern[str], str], ...]
    function_words: Mapping[str, str]
    match_words: frozenset[str]
    places: Mapping[str, tuple[str, ...]]  # place, lower → words of the names of its clubs
    place_demonyms: Mapping[str, tuple[str, ...]]  # "Mechelaars" → ("Mechelen",)
    place_pattern: re.Pattern[str]  # "in|op|bij", up to two words, a place
    country_triggers: frozenset[str]  # words before "in <country>" that make it the venue


def _cues(rows: Iterable[dict[str, str]], key: str) -> tuple[Cue, ...]:
    cues = [Cue(row[key], phrase_regex(row[key]), row) for row in rows]
    return tuple(sorted(cues, key=lambda c: -len(c.phrase)))


_OUTCOMES = ("win", "loss", "draw", "")
_KINDS = ("final", "halftime", "aggregate", "penalties", "running")


def _tables() -> dict[str, tuple[Cue, ...]]:
    """The cue tables matched once per sentence."""
    stages = _rows("stages.csv", ("surface", "canonical", "type"), {"type": ("round", "leg", "matchday")})
    verbs = _rows(
        "outcome_verbs.csv",
        ("form", "outcome", "participle"),
        {"outcome": _OUTCOMES[:3], "participle": ("yes", "no")},
    )
    venues = _rows(
        "venue_cues.csv",
        ("phrase", "role"),
        {"role": ("subject_home", "subject_away", "host_follows", "host_after_score")},
    )
    return {
        "verbs": _cues(verbs, "form"),
        "venues": _cues(venues, "phrase"),
        "competitions": _cues(_rows("competitions.csv", ("surface", "canonical")), "surface"),
        "rounds": _cues([r for r in stages if r["type"] == "round"], "surface"),
        "legs": _cues([r for r in stages if r["type"] == "leg"], "surface"),
        "matchdays": _cues([r for r in stages if r["type"] == "matchday"], "surface"),
    }


def _matchday_patterns(cues: Iterable[Cue]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Patterns for "speeldag 12" and "de 12e speeldag"."""
    return tuple(
        (
            re.compile(
                rf"(\d{{1,2}})(?:e|ste|de)?\s+{c.pattern.pattern}|{c.pattern.pattern}\s+(\d{{1,2}})(?!\d)",
                re.I,
            ),
            c.attrs["canonical"],
        )
        for c in cues
    )


def _class_led(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern``, with a leading word-boundary check moved behind the first letter (as in
    _DE_NAME): sre can then skip ahead to that letter instead of trying every position."""
    body = pattern.pattern.removeprefix(_BOUNDARY)
    if body == pattern.pattern or not body[:1].isalnum():
        return pattern
    return re.compile(body[0] + r"(?<!\w.)" + body[1:], pattern.flags)


@lru_cache(maxsize=1)
def _matchday_cues() -> tuple[re.Pattern[str], ...]:
    """Per pattern of ``lexicon().matchdays``, the pattern of its cue (see _class_led)."""
    return tuple(_class_led(cue.pattern) for cue in _tables()["matchdays"])


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load and validate the score vocabulary (cached)."""
    nouns = _rows(
        "score_nouns.csv",
        ("word", "kind", "outcome", "venue"),
        {"kind": _KINDS, "outcome": _OUTCOMES, "venue": ("home", "away", "")},
    )
    kinds = _rows(
        "kind_cues.csv",
        ("phrase", "kind", "after", "position"),
        {
            "kind": _KINDS,
            "after": ("regular", "extra_time", "penalties", ""),
            "position": ("before", "after", "both", "adjacent_before"),
        },
    )
    false = _rows(
        "false_friends.csv",
        ("word", "position", "reason"),
        {"position": ("before", "after", "suffix", "before_date")},
    )
    countries = _rows("countries.csv", ("dutch", "english", "demonyms"))
    roles = ("preposition", "article", "coordination", "passive_aux", "agent", "beneficiary")
    tables = _tables()
    places = _rows("places.csv", ("place", "demonyms", "clubs"))
    names = sorted((r["place"] for r in places), key=len, reverse=True)
    # "in|op|bij" led by the characters that their first letters match ignoring case ("İ" and
    # "ı" match "i"), without that flag: sre can then skip ahead to them (see also _DE_NAME)
    place_pattern = re.compile(
        r"(?-i:[iIİıoObB])(?<!\w.)(?:(?<=i)n|(?<=o)p|(?<=b)ij)\s+(?:\S+\s+){0,2}?("
        + "|".join(map(re.escape, names))
        + r")(?!\w)",
        re.I,
    )
    return Lexicon(
        nouns={row["word"].lower(): row for row in nouns},
        kinds=_cues(kinds, "phrase"),
        false_after=_cues([r for r in false if r["position"] == "after"], "word"),
        false_before=frozenset(r["word"].lower() for r in false if r["position"] == "before"),
        false_suffix=frozenset(r["word"].lower() for r in false if r["position"] == "suffix"),
        false_before_date=frozenset(r["word"].lower() for r in false if r["position"] == "before_date"),
        sports=_cues(_rows("sport_words.csv", ("word", "sport"), {"sport": ("football", "other")}), "word"),
        countries={
            r["dutch"].lower(): frozenset(
                [r["dutch"].lower(), *(e.strip().lower() for e in r["english"].split("|"))]
            )
            for r in countries
        },
        demonyms={
            d.strip(): r["dutch"].lower() for r in countries for d in r["demonyms"].split("|") if d.strip()
        },
        tables={k: v for k, v in tables.items() if k != "matchdays"},
        matchdays=_matchday_patterns(tables["matchdays"]),
        function_words={
            r["word"].lower(): r["role"]
            for r in _rows("function_words.csv", ("word", "role"), {"role": roles})
        },
        match_words=_words("match_words.txt"),
        places={r["place"].lower(): tuple(w.strip() for w in r["clubs"].split("|")) for r in places},
        place_demonyms={
            d.strip(): tuple(w.strip() for w in r["clubs"].split("|"))
            for r in places
            for d in r["demonyms"].split("|")
            if d.strip()
        },
        place_pattern=place_pattern,
        country_triggers=_words("match_words.txt")
        | {r["word"].lower() for r in nouns}
        | {c.phrase.lower() for c in tables["verbs"] if " " not in c.phrase},
    )


# --------------------------------------------------------------------------- cue probes


@dataclass(frozen=True)
class Probe:
    """Where the cues of a table may start: a cue matches only where its first word (with
    its word-boundary check) does, so the other cues need not be run."""

    words: tuple[str, ...]  # distinct first words, lower case
    patterns: tuple[re.Pattern[str], ...]  # per word: a lookahead for the cue pattern's prefix
    groups: tuple[tuple[int, ...], ...]  # per word, the indexes of the cues it starts
    always: tuple[int, ...]  # cues without a first word ("… op bezoek"): always run
    chars: frozenset[str]  # the characters of the words


class ProbeHits(NamedTuple):
    """Where the cues of one table may start in one text."""

    starts: Sequence[int]  # sorted positions
    cues: Sequence[frozenset[int]]  # per position, the cues that may start there
    always: tuple[int, ...]

    def positions(self, lo: int, hi: int) -> dict[int, list[int] | None]:
        """Per cue that may match inside ``[lo, hi)``, in table order, the positions there
        where it may start (None for a cue without a first word: it may start anywhere)."""
        first = bisect.bisect_left(self.starts, lo)
        last = bisect.bisect_left(self.starts, hi)
        if first == last and not self.always:
            return {}
        found: dict[int, list[int]] = {}
        for at, cues in zip(self.starts[first:last], self.cues[first:last], strict=True):
            for index in cues:
                found.setdefault(index, []).append(at)
        if not self.always:
            return dict(sorted(found.items()))
        anywhere = dict.fromkeys(self.always)
        return dict(sorted({**found, **anywhere}.items()))


def _cue_matches(
    pattern: re.Pattern[str], text: str, positions: list[int] | None, lo: int, hi: int
) -> Iterator[re.Match[str]]:
    """The matches that ``pattern.finditer(text, lo, hi)`` finds, where the pattern may only
    start at ``positions`` (in order; None: anywhere): it is tried only there."""
    if positions is None:
        yield from pattern.finditer(text, lo, hi)
        return
    end = lo
    for at in positions:
        if at >= end and (match := pattern.match(text, at, hi)):
            end = match.end()
            yield match


def _first_word(phrase: str) -> str | None:
    """The first word of ``phrase``, which every match of ``phrase_regex(phrase)`` starts with."""
    words = re.split(r"\s*(?:…|\.\.\.)\s*", phrase)[0].split()
    return words[0] if words else None


@lru_cache(maxsize=16)
def _probe(phrases: tuple[str, ...]) -> Probe:
    """The probe of a cue table, given its phrases in order (cached per table)."""
    firsts: dict[str, list[int]] = {}
    always = []
    for i, phrase in enumerate(phrases):
        word = _first_word(phrase)
        if word is None:
            always.append(i)
            continue
        left = r"(?<!\w)" if phrase[:1].isalnum() else ""
        firsts.setdefault(left + re.escape(word), []).append(i)
    words = tuple(_first_word(phrases[members[0]]) or "" for members in firsts.values())
    return Probe(
        tuple(w.lower() for w in words),
        tuple(re.compile(f"(?={prefix})", re.IGNORECASE) for prefix in firsts),
        tuple(tuple(v) for v in firsts.values()),
        tuple(always),
        frozenset("".join(words)),
    )


@lru_cache(maxsize=1)
def _probes() -> dict[str, Probe]:
    """The probes of the cue tables and of the sport words."""
    lex = lexicon()
    tables = {**lex.tables, "sports": lex.sports}
    return {name: _probe(tuple(c.phrase for c in cues)) for name, cues in tables.items()}


@lru_cache(maxsize=4096)
def _odd_case(char: str) -> bool:
    """Whether ``char`` may match a character of the probes' first words ignoring case (as
    ``re`` does) although their lower-case forms differ, or changes length in lower case."""
    low = char.lower()
    chars = frozenset().union(*(probe.chars for probe in _probes().values()))
    return len(low) != 1 or any(
        low != c.lower() and re.fullmatch(re.escape(c), char, re.IGNORECASE) for c in chars
    )


@lru_cache(maxsize=1)
def _odd_ascii() -> tuple[str, ...]:
    """The ASCII characters for which _odd_case holds (normally none)."""
    return tuple(c for c in map(chr, range(128)) if _odd_case(c))


def _lowered(text: str) -> str | None:
    """``text`` in lower case, or None where a character would make a lower-case search for
    the probes' first words miss a case-insensitive match (see _odd_case)."""
    lowered = text.lower()
    if (
        len(lowered) != len(text)
        or any(c in text for c in _odd_ascii())
        or any(map(_odd_case, set(_NON_ASCII.findall(text))))
    ):
        return None
    return lowered


ProbeEntry = tuple[str, re.Pattern[str], frozenset[int]]  # table, first-word pattern, its cues


class ScanWord(NamedTuple):
    """What a hit of the scanner on one longest first word stands for."""

    entries: tuple[ProbeEntry, ...]  # the probe words it begins with
    # Where every first-word pattern starts with the boundary, the hit means that all
    # ``entries`` match (see _scanner): then ``merged`` (per table, all their cues) applies
    # at once. None where that does not follow: each entry is then tried on the text.
    merged: tuple[tuple[str, frozenset[int]], ...] | None


@lru_cache(maxsize=1)
def _scanner() -> tuple[re.Pattern[str], dict[str, ScanWord]]:
    """A pattern that finds, in a space and a lower-case text, the longest first word of any
    probe at each position of the text (the match starts there, one character before the
    word), and per such word the probe words it begins with: every shorter first word that
    starts at that position is one of them."""
    probes = _probes()
    words = sorted({w for probe in probes.values() for w in probe.words}, key=len, reverse=True)
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    # Grouping the words by first character keeps the alternation fast; longer words come first.
    body = "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in by_first.items())
    # For every character whose lower case is one character, \w holds for both or neither,
    # and re's IGNORECASE compares that same lower case: so (``_lowered`` ruling out the
    # other characters) a hit on the lower-case text is one of each bounded first-word
    # pattern of ``entries`` on ``text``, and needs no confirmation there. The boundary is
    # tested as a \W character that the match consumes: sre then skips ahead to such
    # characters, where a leading lookbehind would make it try the words at every position.
    bounded = all(
        p.pattern.startswith(f"(?={_BOUNDARY}") for probe in probes.values() for p in probe.patterns
    )
    within = {}
    for word in words:
        entries = tuple(
            (name, probe.patterns[i], frozenset(probe.groups[i]))
            for name, probe in probes.items()
            for i, first in enumerate(probe.words)
            if word.startswith(first)
        )
        merged: dict[str, frozenset[int]] = {}
        for name, _, cues in entries:
            merged[name] = merged[name] | cues if name in merged else cues  # as _add unites them
        within[word] = ScanWord(entries, tuple(merged.items()) if bounded else None)
    return re.compile((r"\W" if bounded else r"[\s\S]") + f"(?=({body}))"), within


def probe_hits(text: str, lowered: str | None) -> dict[str, ProbeHits]:
    """Per table of ``_probes()``, the positions in ``text`` where its cues may start;
    ``lowered`` is ``_lowered(text)``."""
    probes = _probes()
    found: dict[str, tuple[list[int], list[frozenset[int]]]] = {name: ([], []) for name in probes}
    if lowered is None:
        for name, probe in probes.items():
            pairs = [
                (match.start(), frozenset(members))
                for members, pattern in zip(probe.groups, probe.patterns, strict=True)
                for match in pattern.finditer(text)
            ]
            for at, members in sorted(pairs, key=lambda pair: pair[0]):
                _add(found[name], at, members)
    else:
        scanner, within = _scanner()
        for match in scanner.finditer(" " + lowered):
            at = match.start()
            entries, merged = within[match[1]]
            if merged is not None:
                for name, cues in merged:
                    starts, sets = found[name]  # the scanner's positions increase: ``at`` is new
                    starts.append(at)
                    sets.append(cues)
                continue
            for name, pattern, cues in entries:
                if pattern.match(text, at):
                    _add(found[name], at, cues)
    return {name: ProbeHits(*found[name], probes[name].always) for name in probes}


def _add(found: tuple[list[int], list[frozenset[int]]], at: int, members: frozenset[int]) -> None:
    """Add the cues ``members`` that may start at ``at`` (no earlier than the last position
    in ``found``: its starts and their cues) to ``found``."""
    starts, sets = found
    if starts and starts[-1] == at:
        sets[-1] = sets[-1] | members
    else:
        starts.append(at)
        sets.append(members)


# --------------------------------------------------------------------------- candidates


class Candidate(NamedTuple):
    """A score found in the text, before teams and kind are known."""

    start: int
    end: int
    first: int
    second: int
    noun: Mapping[str, str] | None = None  # the score noun after it ("zege", "gelijkspel")
    noun_end: int | None = None
    line: tuple[str, str] | None = None  # (home, away) of a result line "Genk 3 – Antwerp 1"


def _plausible(first: int, second: int, other_sport: bool) -> bool:
    if other_sport:
        return max(first, second) <= MAX_POINTS_OTHER
    return max(first, second) <= MAX_GOALS and min(first, second) <= MAX_LOSER_GOALS


def _number(digits: str) -> int | None:
    return None if len(digits) > 1 and digits.startswith("0") else int(digits)


def _before_ok(text: str, start: int, lex: Lexicon) -> bool:
    prev = text[start - 1] if start else " "
    if (
        prev.isalnum()
        or prev in _DASHES + "/+#€$£_"
        or (prev in ".,:" and start > 1 and text[start - 2].isdigit())
    ):
        return False
    words = [w for w in _WORD.findall(text, max(0, start - 30), start) if w not in ".:"]
    return not words or words[-1].lower() not in lex.false_before


def _date_like(text: str, start: int, first: int, second: int, lex: Lexicon) -> bool:
    """A two-digit day and a month after a date word: "op 12-3", "zondag 14-5"."""
    if not (10 <= first <= 31 and 1 <= second <= 12):
        return False
    words = _WORD.findall(text, max(0, start - 30), start)
    return bool(words) and words[-1].lower() in lex.false_before_date


@lru_cache(maxsize=1)
def _false_after() -> re.Pattern[str]:
    """A pattern that matches where a false friend after a number pair ("2-1 uur") does."""
    return _either(cue.pattern for cue in lexicon().false_after)


def _suffix(text: str, end: int, lex: Lexicon) -> tuple[bool, Mapping[str, str] | None, int | None]:
    """Whether what follows a number pair allows a score, and its score noun if any."""
    rest = text[end : end + 40]
    if rest[:1].isalnum() or (rest and rest[0] in "%°"):
        return False, None, None
    if match := _TJE.match(rest):
        return True, lex.nouns.get("tje"), end + match.end()
    if match := _DASH_WORD.match(rest):
        word = match.group(1).lower()
        if word in lex.false_suffix:
            return False, None, None
        return True, lex.nouns.get(word), end + match.end()
    if match := _DASH_DIGIT.match(rest):
        return False, None, None
    stripped = rest.lstrip(_SPACE)
    if _false_after().match(stripped):
        return False, None, None
    if match := _SPACED_WORD.match(rest):
        noun = lex.nouns.get(match.group(1).lower())
        return True, noun, end + match.end() if noun else None
    return True, None, None


def _run_candidate(text: str, match: re.Match[str], lex: Lexicon, other_sport: bool) -> Candidate | None:
    numbers = _DIGITS.findall(match.group())
    if len(numbers) != 2 or _DIGITS.split(match.group())[1].strip(_SPACE) not in _DASHES:
        return None
    first, second = _number(numbers[0]), _number(numbers[1])
    if first is None or second is None or not _plausible(first, second, other_sport):
        return None
    if not _before_ok(text, match.start(), lex) or _date_like(text, match.start(), first, second, lex):
        return None
    ok, noun, noun_end = _suffix(text, match.end(), lex)
    return Candidate(match.start(), match.end(), first, second, noun, noun_end) if ok else None


def _line_candidates(text: str, clubs: Sequence[ClubMention]) -> list[Candidate]:
    """Result lines "Genk 3 – Antwerp 1": a club, a number, a dash, a club, a number."""
    found = []
    for one, two in itertools.pairwise(clubs):
        if (
            (between := _LINE_BETWEEN.fullmatch(text, one.end, two.start))
            and (after := _LINE_AFTER.match(text, two.end, two.end + 8))
            and one.club != two.club
        ):
            first, second = _number(between.group(1)), _number(after.group(1))
            if first is not None and second is not None and _plausible(first, second, False):
                found.append(Candidate(one.start, after.end(), first, second, line=(one.club, two.club)))
    return found


def find_candidates(text: str, clubs: Sequence[ClubMention], other_sport: bool = False) -> list[Candidate]:
    """Every score in ``text``, in order, without look-alikes and outside club names."""
    lex = lexicon()
    lines = _line_candidates(text, clubs)
    taken = bytearray(len(text) + 1)
    spans: list[ClubMention | Candidate] = [*clubs, *lines]
    for span in spans:
        taken[span.start : span.end] = b"\x01" * (span.end - span.start)
    found = list(lines)
    for match in _RUN.finditer(text):
        if taken.find(1, match.start(), match.end()) >= 0:
            continue
        candidate = _run_candidate(text, match, lex, other_sport)
        if candidate is not None:
            found.append(candidate)
    return sorted(found, key=lambda c: c.start)


# --------------------------------------------------------------------------- article layout


class Sentence(NamedTuple):
    """A sentence (never across a line break) with its club mentions and paragraph."""

    start: int
    end: int
    paragraph: int
    clubs: tuple[ClubMention, ...]
    hits: SentenceHits  # cue matches of the whole sentence, per table


def _sentence_spans(doc: Doc, text: str) -> Iterator[tuple[int, int]]:
    """The sentences of ``doc`` (whose text is ``text``), split at line breaks, in order;
    lazily, since callers need them only up to some position."""
    if doc.has_annotation("SENT_START"):
        spans: Iterable[tuple[int, int]] = map(attrgetter("start_char", "end_char"), doc.sents)
    else:
        logger.debug("doc has no sentence boundaries; splitting on line breaks only")
        spans = [(0, len(text))]
    for start, end in spans:
        if text.find("\n", start, end) < 0:  # most sentences are one line: no regex needed
            # most start with a word: their text need not be copied to see that it is not blank
            if start < end and (not text[start].isspace() or text[start:end].strip()):
                yield start, end
            continue
        yield from (line.span() for line in _LINE.finditer(text, start, end) if line.group().strip())


def _joined_spans(
    doc: Doc, text: str, clubs: Sequence[ClubMention], starts: Sequence[int]
) -> Iterator[tuple[int, int]]:
    """The _sentence_spans of ``doc``, where one ends inside a club mention joined with the
    next (``clubs`` sorted by start, at ``starts``); each once it is complete."""
    inner = bytearray(len(text) + 1)  # 1 strictly inside a mention: most ends need no closer look
    for club in clubs:
        inner[club.start + 1 : club.end] = b"\x01" * (club.end - club.start - 1)
    current = None
    for start, end in _sentence_spans(doc, text):
        if current is None:
            current = (start, end)
        elif inner[at := current[1]] and any(c.start < at < c.end for c in _overlapping(clubs, starts, at)):
            current = (current[0], end)
        else:
            yield current
            current = (start, end)
    if current is not None:
        yield current


def _sentences(
    doc: Doc, text: str, clubs: Sequence[ClubMention], probes: Mapping[str, ProbeHits], until: int
) -> list[Sentence]:
    """The article's sentences with their cue matches (see SentenceHits, ``probes`` are the
    text's), up to the one at ``until`` and the first with a club mention (which _focus
    reads); a club name is never split ("1. FC Köln")."""
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    starts = [c.start for c in clubs]
    out: list[Sentence] = []
    make = tuple.__new__  # Sentence(...) without the Python-level __new__ frame: same tuples, faster
    named = False  # whether a sentence so far has a club mention
    for start, end in _joined_spans(doc, text, clubs, starts):
        if start > until and named:
            break  # nothing reads the later sentences: they are not even split
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        inside = tuple(c for c in clubs[first:last] if c.end <= end) if first < last else ()
        hits = SentenceHits(text, start, end, probes)
        out.append(make(Sentence, (start, end, bisect.bisect_left(breaks, start), inside, hits)))
        named = named or bool(inside)
    return out


def _overlapping(clubs: Sequence[ClubMention], starts: Sequence[int], at: int) -> Sequence[ClubMention]:
    """The mentions that may cover position ``at`` (``clubs`` sorted by start, at ``starts``)."""
    last = bisect.bisect_left(starts, at)
    return clubs[max(0, last - 3) : last]


def _sentence(
    start: int,
    end: int,
    paragraph: int,
    clubs: Sequence[ClubMention],
    hits: SentenceHits,
) -> Sentence:
    """The sentence ``[start, end)`` with the mentions inside it (``clubs`` sorted by start)."""
    first = bisect.bisect_left(clubs, start, key=lambda c: c.start)
    last = bisect.bisect_left(clubs, end, key=lambda c: c.start)
    return Sentence(start, end, paragraph, tuple(c for c in clubs[first:last] if c.end <= end), hits)


def _clip(
    text: str, sent: Sentence, cand: Candidate, prev: Candidate | None, nxt: Candidate | None
) -> Sentence:
    """The part of a sentence that the rules look at for one score: at most CONTEXT_CHARS
    around it, and not past a clause break (, ; :) that separates it from a neighbouring
    score ("Club won thuis met 3-1, in het Lotto Park werd het 2-2")."""
    start, end = max(sent.start, cand.start - CONTEXT_CHARS), min(sent.end, cand.end + CONTEXT_CHARS)
    if prev is not None and (breaks := list(_CLAUSE_BREAK.finditer(text[prev.end : cand.start]))):
        start = max(start, prev.end + breaks[-1].end())
    if nxt is not None and (first_break := _CLAUSE_BREAK.search(text[cand.end : nxt.start])):
        end = min(end, cand.end + first_break.start())
    if (start, end) == (sent.start, sent.end):
        return sent
    return _sentence(start, end, sent.paragraph, sent.clubs, sent.hits)


class SentenceHits(dict[str, tuple[Hit, ...]]):
    """The cue matches of one sentence per table, each table matched on first use (a dict,
    so that later look-ups by every score in the sentence cost no Python call); only the
    cues whose first word occurs in the sentence are run."""

    __slots__ = ("_probes", "_text", "bounds", "places")

    def __init__(self, text: str, lo: int, hi: int, probes: Mapping[str, ProbeHits]) -> None:
        self._text, self._probes = text, probes
        self.bounds = (lo, hi)  # the sentence's
        self.places: list[Place] | None = None  # the whole sentence's _places, once found

    def __missing__(self, table: str) -> tuple[Hit, ...]:
        lo, hi = self.bounds
        if positions := self._probes[table].positions(lo, hi):
            found = tuple(_hits(lexicon().tables[table], positions, self._text, lo, hi))
        else:
            found = ()
        self[table] = found
        return found


def _table_hits(text: str, sent: Sentence, table: str) -> Sequence[Hit]:
    """Matches of one cue table (verbs, venues, competitions, rounds, legs) inside ``sent``."""
    hits = sent.hits[table]
    if not hits or (sent.start, sent.end) == sent.hits.bounds:
        return hits  # a whole sentence (not a part, see _clip): all its hits are inside
    first = bisect.bisect_left(hits, sent.start, key=lambda h: h[0])
    return [h for h in hits[first:] if h[0] < sent.end and h[1] <= sent.end]


def _other_sport(text: str, hits: ProbeHits, clubs: Sequence[ClubMention]) -> bool:
    """Whether the article is clearly about a sport other than football (``hits``: the sport
    words' probe)."""
    counts = {"football": sum(1 for c in clubs if c.kind == "club"), "other": 0}
    sports = lexicon().sports
    for index, positions in hits.positions(0, len(text)).items():
        found = _cue_matches(sports[index].pattern, text, positions, 0, len(text))
        counts[sports[index].attrs["sport"]] += sum(1 for _ in found)  # without overlaps, as findall
    return counts["other"] > 0 and counts["other"] > counts["football"]


# --------------------------------------------------------------------------- kind


def _window(
    text: str, cand: Candidate, sent: Sentence, prev: Candidate | None, nxt: Candidate | None
) -> tuple[str, str]:
    """The clause text before the score and the words after it, up to the neighbouring scores."""
    lo = max(sent.start, prev.end) if prev else sent.start
    hi = min(sent.end, nxt.start) if nxt else sent.end
    # the clause: after the last break (, ;) before the score, up to the first after it
    cut = max(text.rfind(",", lo, cand.start), text.rfind(";", lo, cand.start))
    before = text[max(lo, cut + 1) : cand.start]
    start = cand.noun_end or cand.end
    comma = _COMMA.search(text, start, hi)
    after = text[start : comma.start() if comma else hi] if start < hi else ""
    return before, after.lstrip(")”\"'’. \u00a0")


class KindCue(NamedTuple):
    """A kind cue with its pattern for each place around a score where it counts (else None)."""

    kind: str
    after: str  # how the match ended: regular, extra_time, penalties or ""
    before: re.Pattern[str] | None  # in the clause's last words before the score
    following: re.Pattern[str] | None  # right after the score, one word skipped at most
    adjacent: re.Pattern[str] | None  # right before the score


def _either(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """A case-insensitive pattern that matches where any of ``patterns`` does.

    The word-boundary check that cue patterns start with is tested once and the rest is
    grouped by its first letter, which makes the search several times faster.
    """
    by_first: dict[str, list[str]] = {}
    others = []
    for pattern in patterns:
        body = pattern.pattern.removeprefix(_BOUNDARY)
        if body != pattern.pattern and body[:1].isalnum():
            by_first.setdefault(body[0], []).append(body[1:])
        else:
            others.append(f"(?:{pattern.pattern})")
    if by_first:
        grouped = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items())
        others.append(f"{_BOUNDARY}(?:{grouped})")
    return re.compile("|".join(others), re.I)


def _spaced(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """A pattern whose matches in ``" " + text`` start where those of ``_either(patterns)``
    in ``text`` do. Where they all start with the word-boundary check, it is tested as a \\W
    character that the match consumes: sre then skips ahead to such characters (see _scanner)."""
    either = _either(patterns).pattern
    if either.startswith(_BOUNDARY):
        return re.compile(r"\W" + either.removeprefix(_BOUNDARY), re.I)
    return re.compile(r"[\s\S](?:" + either + ")", re.I)  # grouped: the alternation binds looser


@lru_cache(maxsize=1)
def _kind_cues() -> tuple[tuple[KindCue, ...], tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]]:
    """The kind cues in table order, and per place (before, following, adjacent) a pattern
    that matches where any of them does (adjacent: see _spaced)."""
    cues = []
    following = []  # the patterns of the cues that count right after a score
    for cue in lexicon().kinds:
        position, body = cue.attrs["position"], cue.pattern.pattern
        if position in ("after", "both"):
            following.append(cue.pattern)
        cues.append(
            KindCue(
                cue.attrs["kind"],
                cue.attrs["after"],
                cue.pattern if position in ("before", "both") else None,
                re.compile(r"(?:\S+\s+)?" + body, re.I) if position in ("after", "both") else None,
                re.compile(body + r"[\s(:]*\Z", re.I) if position == "adjacent_before" else None,
            )
        )
    gates = (
        _either(c.before for c in cues if c.before is not None),
        # the skipped word taken out of the alternation: it is matched once, not once per cue
        re.compile(rf"(?:\S+\s+)?(?:{_either(following).pattern})", re.I),
        _spaced(c.adjacent for c in cues if c.adjacent is not None),
    )
    return tuple(cues), gates


def _cue_kinds(before: str, after: str) -> dict[str, str]:
    """Kinds the cue phrases around a score point to, each with its ``after`` value."""
    before_words = " ".join(before.rsplit(None, 8)[-8:])  # the words further away are not split
    after_words = " ".join(after.split(None, 6)[:6])
    cues, (any_before, any_following, any_adjacent) = _kind_cues()
    # Most scores have no cue at all: one pattern per place rules each place out at once.
    # Where it does match first, no cue can match earlier: each cue's search starts there.
    in_before = any_before.search(before_words)
    in_following = any_following.match(after_words) is not None
    in_adjacent = any_adjacent.search(" " + before)
    found: dict[str, str] = {}
    if not (in_before or in_following or in_adjacent):
        return found
    for cue in cues:
        if cue.kind in found:
            continue  # the first cue of a kind decides its ``after``
        if (
            (in_before and cue.before is not None and cue.before.search(before_words, in_before.start()))
            or (in_following and cue.following is not None and cue.following.match(after_words))
            or (in_adjacent and cue.adjacent is not None and cue.adjacent.search(before, in_adjacent.start()))
        ):
            found[cue.kind] = cue.after
    return found


def score_kind(
    text: str, cand: Candidate, sent: Sentence, prev: Candidate | None, nxt: Candidate | None
) -> tuple[str, str | None]:
    """The kind of a football score and, where the text says so, how the match ended."""
    before, after = _window(text, cand, sent, prev, nxt)
    found = _cue_kinds(before, after)
    paren_after_score = (
        prev is not None and prev.end >= sent.start and _OPEN_PAREN.fullmatch(text[prev.end : cand.start])
    )
    if "penalties" in found:
        return "penalties", "penalties"
    if cand.noun is not None:
        kind = cand.noun["kind"]
    elif "aggregate" in found:
        kind = "aggregate"
    elif "halftime" in found or paren_after_score:
        kind = "halftime"
    elif "running" in found or _MINUTE_MARK.search(before):
        kind = "running"
    else:
        kind = "final"
    return kind, (found.get("final") or None) if kind == "final" else None


# --------------------------------------------------------------------------- teams


class Match(NamedTuple):
    """The two teams of a match; ``ordered`` when home and away are known."""

    home: str | None
    away: str | None
    ordered: bool = True
    leg: str | None = None  # "heenwedstrijd" | "terugwedstrijd" where the text said so

    def teams(self) -> set[str]:
        """The known teams."""
        return {t for t in (self.home, self.away) if t is not None}

    def for_leg(self, leg: str | None) -> Match:
        """The match as played in ``leg``: the other leg of a tie swaps home and away."""
        if leg is None or self.leg is None or leg == self.leg or not self.ordered:
            return self
        return Match(self.away, self.home, True, leg)


def orient(
    goals: tuple[int, int],
    subject: str | None,
    other: str | None,
    outcome: str | None = None,
    subject_home: bool | None = None,
) -> tuple[str | None, str | None, int, int] | None:
    """Home team, away team and their goals, or None when the order cannot be known.

    ``goals`` is the score as written; ``outcome`` (win|loss|draw) and ``subject_home``
    are about ``subject``. Without a venue cue the score is read home-away, so the side
    of the subject's goals tells where it played ("X verloor met 1-2": X at home). With a
    venue cue the written score is read from the subject's side when the outcome says so
    ("X won met 3-0 bij Y": home Y 0, away X 3).
    """
    first, second = goals
    mine = None
    if outcome in ("win", "loss") and first != second:
        mine = max(goals) if outcome == "win" else min(goals)
    if subject_home is None:
        if mine is None:
            return None
        subject_home = mine == first
    elif mine is not None:
        theirs = first + second - mine
        return (subject, other, mine, theirs) if subject_home else (other, subject, theirs, mine)
    return (subject, other, first, second) if subject_home else (other, subject, first, second)


def _last_words(text: str, lo: int, hi: int, count: int) -> list[str]:
    """``_WORD.findall(text, lo, hi)[-count:]``."""
    # No word holds a space, so the words after one are the range's last words: most calls
    # need only the characters of those words read.
    space = text.rfind(" ", lo, max(lo, hi - 6 * count))
    if space >= 0 and len(words := _WORD.findall(text, space + 1, hi)) >= count:
        return words[-count:]
    return _WORD.findall(text, lo, hi)[-count:]


def _governor(text: str, sent: Sentence, mention: ClubMention, lex: Lexicon) -> str | None:
    """The function word that governs a mention ("van", "bij", "door"), articles skipped.

    A mention after "en"/"of" shares the governor of the mention before it ("tussen Real
    en City"). None when the word before is no preposition: the mention can be a subject.
    """
    for word in reversed(_last_words(text, max(sent.start, mention.start - 80), mention.start, 4)):
        role = lex.function_words.get(word.lower())
        if role == "article":
            continue
        if role == "coordination":
            earlier = [m for m in sent.clubs if m.end <= mention.start]
            return _governor(text, sent, earlier[-1], lex) if earlier else None
        return word.lower() if role in ("preposition", "agent", "beneficiary") else None
    return None


def _dash_pair(text: str, sent: Sentence, start: int, end: int) -> tuple[str, str] | None:
    """The (home, away) of "A - B", "A-B:" or "A 2-1 B" nearest to ``text[start:end]``."""
    pairs = []
    for one, two in itertools.pairwise(sent.clubs):
        around = one.end <= start and end <= two.start
        lo, hi = (two.end, start) if two.end <= start else (end, one.start)
        if any(lo <= m.start and m.end <= hi for m in sent.clubs):
            continue
        if one.club != two.club and (
            _LONE_DASH.fullmatch(text[one.end : two.start])
            or (around and not text[one.end : start].strip() and not text[end : two.start].strip())
        ):
            pairs.append((min(abs(start - two.end), abs(one.start - end)), one.club, two.club))
    if not pairs:
        return None
    _, home, away = min(pairs)
    return home, away


def _hits(
    cues: Sequence[Cue], positions: Mapping[int, list[int] | None], text: str, lo: int, hi: int
) -> list[Hit]:
    """Non-overlapping matches in ``text[lo:hi]`` of the ``cues`` at the indexes of
    ``positions`` (in table order: longer cues first), which say where they may start."""
    found: list[Hit] = []
    for index, at in positions.items():
        for match in _cue_matches(cues[index].pattern, text, at, lo, hi):
            if not any(s < match.end() and match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), cues[index]))
    return sorted(found, key=lambda hit: hit[0])


def _right_after(text: str, end: int, sent: Sentence, lex: Lexicon) -> ClubMention | None:
    """The club mention right after position ``end`` (articles allowed in between)."""
    for mention in sent.clubs:
        # The words in between are read only up to the first that is no article.
        gap = _WORD.finditer(text, end, mention.start) if mention.start >= end else None
        if gap is not None and all(lex.function_words.get(w.group().lower()) == "article" for w in gap):
            return mention
    return None


def _scope(text: str, sent: Sentence, cand: Candidate) -> list[ClubMention]:
    """The mentions that can take part in the score: the sentence, or its clause when crowded."""
    if len({m.club for m in sent.clubs}) <= 2:
        return list(sent.clubs)
    lo = max(text.rfind(",", sent.start, cand.start), text.rfind(";", sent.start, cand.start), sent.start)
    ends = [i for i in (text.find(",", cand.end, sent.end), text.find(";", cand.end, sent.end)) if i >= 0]
    hi = min(ends, default=sent.end)
    clause = [m for m in sent.clubs if lo <= m.start and m.end <= hi]
    return clause or list(sent.clubs)


def _outcome(
    text: str, sent: Sentence, cand: Candidate, mentions: Sequence[ClubMention], lex: Lexicon
) -> tuple[ClubMention | None, str | None]:
    """The mention the score's outcome is about, and the outcome (win|loss|draw)."""
    governors = [_governor(text, sent, m, lex) for m in mentions]
    subject = next((m for m, g in zip(mentions, governors, strict=True) if g is None), None)
    start = cand.noun_end or cand.end
    near = (  # lazy: each use needs only the first fitting mention
        (m, g)
        for m, g in zip(mentions, governors, strict=True)
        if m.start >= start and len(_WORD.findall(text, start, m.start)) <= 6
    )
    if cand.noun is not None and cand.noun["outcome"]:
        owner = next((m for m, g in near if g in ("van", "voor")), subject)
        return owner, cand.noun["outcome"]
    verbs = _table_hits(text, sent, "verbs")
    if verbs:
        cue = min(verbs, key=lambda hit: abs(hit[0] - cand.start))[2]
        outcome = cue.attrs["outcome"]
        if cue.attrs["participle"] == "yes" and any(
            lex.function_words.get(w.lower()) == "passive_aux"
            for w in _WORD.findall(text, sent.start, sent.end)
        ):
            if subject is not None:
                return subject, {"win": "loss", "loss": "win"}.get(outcome, outcome)
            agents = [
                m for m, g in zip(mentions, governors, strict=True) if g and lex.function_words[g] == "agent"
            ]
            return (agents[0] if agents else None), outcome
        return subject, outcome
    beneficiary = next((m for m, g in near if g and lex.function_words[g] == "beneficiary"), None)
    return (beneficiary, "win") if beneficiary else (subject, None)


def _venue(text: str, sent: Sentence, cand: Candidate, lex: Lexicon) -> tuple[bool | None, str | None]:
    """Whether the subject played at home (None: unknown), and the host club if a cue names it."""
    subject_home = None if cand.noun is None or not cand.noun["venue"] else cand.noun["venue"] == "home"
    hosts = []
    score_end = cand.noun_end or cand.end
    for start, end, cue in _table_hits(text, sent, "venues"):
        role = cue.attrs["role"]
        if role == "host_after_score" and (
            start < score_end or len(_WORD.findall(text, score_end, start)) > 3
        ):
            continue
        if role in ("host_follows", "host_after_score"):
            mention = _right_after(text, end, sent, lex)
            if mention is not None:
                hosts.append((abs(start - cand.start), mention.club))
        elif subject_home is None:
            subject_home = cue.attrs["role"] == "subject_home"
    return subject_home, min(hosts)[1] if hosts else None


def _country_host(
    text: str, sent: Sentence, teams: Sequence[str | None], countries: Mapping[str, str], lex: Lexicon
) -> str | None:
    """The team whose country the match was played in ("de heenwedstrijd in Engeland")."""
    if not _IN_CAPITAL.search(text, sent.start, sent.end):
        return None  # _IN_COUNTRY tries every word; this test skips ahead to whitespace
    for match in _IN_COUNTRY.finditer(text, sent.start, sent.end):
        if _DASH.split(match.group(1).lower())[-1] not in lex.country_triggers:
            continue
        name = match.group(2).lower()
        names = lex.countries.get(name) or lex.countries.get(name.split()[0])
        hosts = [t for t in teams if t is not None and countries.get(t) in (names or ())]
        if len(hosts) == 1:
            return hosts[0]
    return None


def _partner(match: Match | None, team: str | None) -> str | None:
    """The other team of ``match`` when ``team`` played in it."""
    if match is None or team is None or team not in match.teams():
        return None
    return match.away if team == match.home else match.home


def _participants(
    owner: ClubMention | None,
    mentions: Sequence[ClubMention],
    at: int,
    cued: bool,
    ctx: Match | None,
    focus: str | None,
) -> tuple[str | None, str | None, str]:
    """Subject and opponent of a score, and where the subject comes from: "own" (a club in
    the sentence, its outcome and home/away cues apply), "guessed" (the sentence's subject is
    no club: "die we met 0-2 verloren", "won de ploeg van Vrancken met 3-1", taken to be the
    current match's other side or the article's focus team) or "none" (no subject at all).
    """
    subject = owner.club if owner else None
    rest = sorted((m for m in mentions if m.club != subject), key=lambda m: abs(m.start - at))
    nearest = rest[0].club if rest else None
    if subject is not None:
        return subject, nearest or _partner(ctx, subject), "own"
    if cued:
        if nearest is not None:
            return _partner(ctx, nearest) or (focus if focus != nearest else None), nearest, "guessed"
        if focus is not None and (ctx is None or focus in ctx.teams()):
            return focus, _partner(ctx, focus), "guessed"
    others = list(dict.fromkeys(m.club for m in mentions))
    if len(others) >= 2:
        return others[0], others[1], "none"
    if others:
        return _partner(ctx, others[0]), others[0], "none"
    return (ctx.home, ctx.away, "none") if ctx else (None, None, "none")


@lru_cache(maxsize=1024)
def _whole_word(word: str) -> re.Pattern[str]:
    """A pattern for ``word`` as a whole word."""
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


def _names_host(
    words: Iterable[str], teams: Iterable[str | None], names: Mapping[str, frozenset[str]]
) -> str | None:
    """The one team whose names contain one of ``words`` as a whole word."""
    patterns = [_whole_word(w.lower()) for w in words]
    found = {
        t
        for t in teams
        if t is not None and any(p.search(n) for p in patterns for n in names.get(t, {t.lower()}))
    }
    return found.pop() if len(found) == 1 else None


def _gap(start: int, end: int, at: int) -> int:
    """Characters between the span ``[start, end)`` and position ``at``."""
    return max(start - at, at - end, 0)


Place = tuple[int, int, Sequence[str]]  # start, end, the words a host's names hold


def _places(text: str, sent: Sentence) -> list[Place]:
    """The places in ``sent`` that may name the ground: "in De Kuip", "in een uitverkocht
    Jan Breydelstadion", "in Brugge", "wonnen in Molde" (a club's own name)."""
    if (sent.start, sent.end) != sent.hits.bounds:
        return _find_places(text, sent.start, sent.end)  # a part of it (see _clip)
    if sent.hits.places is None:  # found once for all the scores of the sentence
        sent.hits.places = _find_places(text, sent.start, sent.end)
    return sent.hits.places


def _find_places(text: str, lo: int, hi: int) -> list[Place]:
    """The _places in ``text[lo:hi]``."""
    lex = lexicon()
    found: list[Place] = []
    for match in lex.place_pattern.finditer(text, lo, hi):
        between = _WORD.findall(text, match.start(), match.start(1))[1:]
        if all(w.islower() and lex.function_words.get(w) in (None, "article") for w in between):
            found.append((match.start(1), match.end(1), lex.places[match.group(1).lower()]))
    for match in _IN_NAME.finditer(text[lo:hi]):
        found.append((lo + match.start(1), lo + match.end(1), [match.group(1)]))
    return found


def _place_host(
    places: Sequence[Place],
    sent: Sentence,
    teams: Sequence[str | None],
    names: Mapping[str, frozenset[str]],
    at: int,
) -> str | None:
    """The team at home according to the place nearest to ``at`` (``places``: the _places of
    ``sent``). A place that is itself a club mention is the club, not the ground."""
    found = [(start, end, _names_host(words, teams, names)) for start, end, words in places]
    hosts = sorted(
        (_gap(start, end, at), host)
        for start, end, host in found
        if host is not None and not any(m.start < end and start < m.end for m in sent.clubs)
    )
    return hosts[0][1] if hosts else None


def _host(
    text: str, sent: Sentence, at: int, subject: str | None, other: str | None, article: _Article
) -> tuple[str | None, str | None]:
    """The host found through countries and places, and the opponent (a place may name it)."""
    teams = (subject, other)
    if host := _country_host(text, sent, teams, article.countries, lexicon()):
        return host, other
    places = _places(text, sent)  # found once for both tries
    host = _place_host(places, sent, teams, article.names, at)
    if host is None and other is None:
        host = _place_host(places, sent, [c for c in article.names if c != subject], article.names, at)
        other = host
    return host, other


def resolve_teams(
    text: str, sent: Sentence, cand: Candidate, kind: str, article: _Article, state: Context
) -> tuple[str | None, str | None, int, int]:
    """Home team, away team, home goals and away goals of one score."""
    if cand.line is not None:
        return cand.line[0], cand.line[1], cand.first, cand.second
    if pair := _dash_pair(text, sent, cand.start, cand.end):
        return pair[0], pair[1], cand.first, cand.second
    lex = lexicon()
    ctx = state.for_kind(kind)
    mentions = _scope(text, sent, cand)
    owner, outcome = _outcome(text, sent, cand, mentions, lex)
    subject_home, host = _venue(text, sent, cand, lex)
    cued = outcome is not None or subject_home is not None
    subject, other, source = _participants(owner, mentions, cand.start, cued, ctx, state.focus)
    if source == "none":
        subject_home = outcome = None
    if host is None and subject_home is None and kind != "aggregate":
        host, other = _host(text, sent, cand.start, subject, other, article)
        if host is not None and source == "guessed":
            outcome = None  # a guessed subject's outcome must not overrule the place
    if host is not None and host in (subject, other):
        subject_home = host == subject
    useful = outcome if kind in ("final", "penalties", "aggregate") else None
    oriented = orient((cand.first, cand.second), subject, other, useful, subject_home)
    if oriented is not None:
        return oriented
    if ctx is not None and ctx.ordered and {subject, other} - {None} <= ctx.teams() and (subject or other):
        played = ctx if kind == "aggregate" else ctx.for_leg(_nearest("legs", text, sent, cand.start))
        return played.home, played.away, cand.first, cand.second
    return None, None, cand.first, cand.second


# --------------------------------------------------------------------------- article context


def _demonym_team(
    word: str, at: int, clubs: Sequence[ClubMention], ctx: Match | None, names: Mapping[str, frozenset[str]]
) -> ClubMention | None:
    """The club a demonym stands for: "de Polen" (a Polish club), "de Mechelaars" (KV Mechelen)."""
    lex = lexicon()
    if word in lex.demonyms:
        fits = [c for c in clubs if (c.country or "").lower() in lex.countries[lex.demonyms[word]]]
    elif word in lex.place_demonyms:
        named = {
            club for club in {c.club for c in clubs} if _names_host(lex.place_demonyms[word], [club], names)
        }
        fits = [c for c in clubs if c.club in named]
    else:
        return None
    preferred = [c for c in fits if ctx and c.club in ctx.teams()] or [c for c in fits if c.start < at][-1:]
    chosen = preferred or fits
    return chosen[0] if chosen else None


def _with_demonyms(
    text: str,
    sent: Sentence,
    clubs: Sequence[ClubMention],
    ctx: Match | None,
    article: _Article,
) -> Sentence:
    """The sentence with "de Polen"-style team references added as club mentions."""
    starts, cut = article.demonyms
    if bisect.bisect_left(starts, sent.start) == bisect.bisect_left(starts, sent.end) and not cut[sent.end]:
        return sent  # no demonym after "de" in it: _demonym_team would find nothing
    extra = []
    for match in _DE_NAME.finditer(text[sent.start : sent.end]):
        start, end = sent.start + match.start(1), sent.start + match.end(1)
        team = _demonym_team(match.group(1), start, clubs, ctx, article.names)
        if team is not None and not any(c.start <= start < c.end for c in sent.clubs):
            extra.append(ClubMention(start, end, text[start:end], team.club, team.kind, team.country))
    if not extra:
        return sent
    inside = tuple(sorted([*sent.clubs, *extra], key=lambda m: m.start))
    return Sentence(sent.start, sent.end, sent.paragraph, inside, sent.hits)


def _demonym_screen(text: str, until: int) -> tuple[list[int], bytearray]:
    """Where "de" and a demonym ("de Polen") start, and a mark strictly inside every other word
    after "de": a window of the text ending there may cut that word into a demonym; for the
    windows that end by ``until``."""
    lex = lexicon()
    starts = []
    cut = bytearray(len(text) + 1)
    for match in _DE_ANY.finditer(text):
        if match.start() >= until:
            break  # no such window holds it or reads its marks
        word = match.group(1)
        if word in lex.demonyms or word in lex.place_demonyms:
            starts.append(match.start())
        else:
            cut[match.start(1) + 1 : match.end(1)] = b"\x01" * (len(word) - 1)
    return starts, cut


def _is_match_word(word: str, lex: Lexicon) -> bool:
    """A match noun, also inside a compound ("inhaalwedstrijd", "bekerduel")."""
    return word in lex.match_words or word.endswith(_compound_ends())


@lru_cache(maxsize=1)
def _compound_ends() -> tuple[str, ...]:
    """The match nouns that also count at the end of a compound (four letters or more)."""
    return tuple(w for w in lexicon().match_words if len(w) >= 4)


def _fixture(text: str, sent: Sentence, article: _Article) -> Match | None:
    """The match a sentence sets up: "Club - Anderlecht", "de clash tussen Real en City",
    "Feyenoord heeft in De Kuip afgerekend met Ajax", "Zaterdag ontving Standard Charleroi"."""
    if len(sent.clubs) < 2:
        return None  # neither a pair nor two clubs
    if pair := _dash_pair(text, sent, sent.end, sent.end):
        return Match(*pair, leg=_nearest("legs", text, sent, sent.end))
    lex = lexicon()
    clubs = list(dict.fromkeys(m.club for m in sent.clubs))
    if len(clubs) != 2:
        return None
    probe = Candidate(sent.start, sent.start, 0, 0)
    subject_home, host = _venue(text, sent, probe, lex)
    host = host or _country_host(text, sent, clubs, article.countries, lex)
    host = host or _place_host(_places(text, sent), sent, clubs, article.names, sent.end)
    cued = subject_home is not None or host is not None or bool(_table_hits(text, sent, "verbs"))
    if not cued and not any(
        _is_match_word(w.lower(), lex) for w in _WORD.findall(text, sent.start, sent.end)
    ):
        return None
    leg = _nearest("legs", text, sent, sent.end)
    governors = [_governor(text, sent, m, lex) for m in sent.clubs]
    subject = next((m.club for m, g in zip(sent.clubs, governors, strict=True) if g is None), None)
    if host is None and subject is not None and subject_home is not None:
        host = subject if subject_home else next(c for c in clubs if c != subject)
    if host is None:
        return Match(clubs[0], clubs[1], ordered=False, leg=leg)
    return Match(host, next(c for c in clubs if c != host), leg=leg)


def _focus(text: str, sentences: Sequence[Sentence], clubs: Sequence[ClubMention]) -> str | None:
    """The team the article is about: the subject of its first sentence with a club, else the
    club mentioned most often."""
    lex = lexicon()
    first = next((s for s in sentences if s.clubs), None)
    if first is not None:
        lead = next((m.club for m in first.clubs if _governor(text, first, m, lex) is None), None)
        if lead is not None:
            return lead
    counts = Counter(c.club for c in clubs)
    return counts.most_common(1)[0][0] if counts else None


def _nearest(table: str, text: str, sent: Sentence, at: int) -> str | None:
    """The canonical name of the ``table`` cue in ``sent`` nearest to position ``at``."""
    hits = _table_hits(text, sent, table)
    return min(hits, key=lambda hit: abs(hit[0] - at))[2].attrs["canonical"] if hits else None


def _matchday(text: str, sent: Sentence, lex: Lexicon) -> str | None:
    """ "speeldag 12" for "de 12e speeldag" or "speeldag 12" in the sentence."""
    for (pattern, canonical), cue in zip(lex.matchdays, _matchday_cues(), strict=True):
        # The pattern cannot skip ahead to anything; its cue, which every match holds, can.
        if cue.search(text, sent.start, sent.end) and (match := pattern.search(text, sent.start, sent.end)):
            return f"{canonical} {match.group(1) or match.group(2)}"
    return None


def sentence_details(text: str, sent: Sentence) -> tuple[str | None, str | None]:
    """The competition and round a sentence names last (what a later sentence inherits)."""
    return _nearest("competitions", text, sent, sent.end), _nearest("rounds", text, sent, sent.end)


def match_details(
    text: str, sent: Sentence, earlier: Sequence[tuple[str | None, str | None]], at: int
) -> tuple[str | None, str | None]:
    """Competition and stage of the score at ``at``: its sentence first, then ``earlier``
    (the details of the paragraph's previous sentences, nearest first)."""
    lex = lexicon()
    competition = _nearest("competitions", text, sent, at)
    rounds = _nearest("rounds", text, sent, at)
    competition = competition or next((c for c, _ in earlier if c), None)
    rounds = rounds or next((r for _, r in earlier if r), None)
    leg = _nearest("legs", text, sent, at)
    parts = [p for p in (rounds, leg, _matchday(text, sent, lex)) if p]
    return competition, ", ".join(parts) or None


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class _Article:
    """What every score of one article is resolved against."""

    text: str
    sentences: tuple[Sentence, ...]
    inherited: tuple[tuple[str | None, str | None], ...]  # per sentence up to the last score, see _inherited
    countries: Mapping[str, str]  # club → country, lower
    names: Mapping[str, frozenset[str]]  # club → its canonical name and mentions, lower
    other_sport: bool
    demonyms: tuple[list[int], bytearray]  # see _demonym_screen


class Context(NamedTuple):
    """What the article settled before a score: its latest match, its main match (the first
    with home and away known) and the team it is about."""

    latest: Match | None = None
    main: Match | None = None
    focus: str | None = None

    def for_kind(self, kind: str) -> Match | None:
        """Scores during a match, and aggregates, belong to the main match; others to the latest."""
        during = kind in ("running", "halftime", "aggregate")
        return (self.main or self.latest) if during else (self.latest or self.main)

    def seen(self, match: Match) -> Context:
        """The context after ``match``; the first ordered match becomes the main one."""
        main = self.main if self.main is not None or not match.ordered else match
        return Context(match, main, self.focus)


def _sentence_scores(
    article: _Article, index: int, sent: Sentence, inside: Sequence[Candidate], state: Context
) -> tuple[list[Score], Context]:
    """The scores of one sentence and the article's context after them.

    Scores whose teams stay unknown get a second try against the match that a later score
    in the same sentence settled ("2-2 na verlengingen, Club won na strafschoppen (4-2)").
    """
    text = article.text
    clipped = [_clip(text, sent, c, *_neighbours(inside, i)) for i, c in enumerate(inside)]
    kinds = [
        ("other", None) if article.other_sport else score_kind(text, c, part, *_neighbours(inside, i))
        for i, (c, part) in enumerate(zip(inside, clipped, strict=True))
    ]
    teams: list[tuple[str | None, str | None, int, int]] = []
    tried = []  # per score, the context it was resolved against
    for cand, part, (kind, _) in zip(inside, clipped, kinds, strict=True):
        tried.append(state)
        teams.append(resolve_teams(text, part, cand, kind, article, state))
        if teams[-1][0] is not None and teams[-1][1] is not None:
            state = state.seen(Match(teams[-1][0], teams[-1][1]))
    for i, (cand, part, (kind, _)) in enumerate(zip(inside, clipped, kinds, strict=True)):
        # against the very context of its first try, a score would come out the same
        if teams[i][0] is None and teams[i][1] is None and state.latest is not None and state is not tried[i]:
            teams[i] = resolve_teams(text, part, cand, kind, article, state)
    earlier = [article.inherited[index]]
    scores = []
    for cand, part, (kind, after), (home, away, goals_home, goals_away) in zip(
        inside, clipped, kinds, teams, strict=True
    ):
        competition, stage = match_details(text, part, earlier, cand.start)
        span = text[cand.start : cand.end]
        scores.append(
            Score(
                cand.start,
                cand.end,
                span,
                goals_home,
                goals_away,
                kind,
                home,
                away,
                after,
                competition,
                stage,
            )
        )
        logger.debug("score %r: %s %s-%s %s (%s)", span, home, goals_home, goals_away, away, kind)
    return scores, state


def _neighbours(items: Sequence[Candidate], i: int) -> tuple[Candidate | None, Candidate | None]:
    return (items[i - 1] if i else None), (items[i + 1] if i + 1 < len(items) else None)


def _inherited(
    text: str, sentences: Sequence[Sentence], starts: Sequence[int]
) -> tuple[tuple[str | None, str | None], ...]:
    """Per sentence that starts at or before the last score (``starts``: the scores' starts),
    the competition and round that the nearest earlier sentences of its paragraph name (see
    sentence_details), kept as a running state per paragraph; (None, None) in paragraphs
    without a score, where nothing reads it."""
    scored = {
        s.paragraph
        for s in sentences
        if bisect.bisect_left(starts, s.start) < bisect.bisect_left(starts, s.end)
    }
    latest: dict[int, tuple[str | None, str | None]] = {}
    out = []
    for sent in sentences:
        if sent.start > starts[-1]:
            break
        competition, rounds = latest.get(sent.paragraph, (None, None))
        out.append((competition, rounds))
        if sent.paragraph not in scored:
            continue  # matching its cues would only be wasted
        named_competition, named_round = sentence_details(text, sent)
        latest[sent.paragraph] = (named_competition or competition, named_round or rounds)
    return tuple(out)


def _article(
    doc: Doc,
    text: str,
    hits: Mapping[str, ProbeHits],
    clubs: Sequence[ClubMention],
    other_sport: bool,
    starts: Sequence[int],
) -> _Article:
    """The article's sentences (see _sentences) and what they settle, up to the sentence of
    the last score (``starts``: the scores' starts, in order); ``hits`` are the probes of the
    text."""
    sentences = tuple(_sentences(doc, text, clubs, hits, starts[-1]))
    names: dict[str, set[str]] = {}
    for club in clubs:
        names.setdefault(club.club, {club.club.lower()}).add(club.text.lower())
    return _Article(
        text,
        sentences,
        _inherited(text, sentences, starts),
        {c.club: c.country.lower() for c in reversed(clubs) if c.country},
        {club: frozenset(n) for club, n in names.items()},
        other_sport,
        _demonym_screen(text, sentences[-1].end if sentences else 0),
    )


def extract_scores(doc: Doc, clubs: list[ClubMention]) -> list[Score]:
    """Every written score in ``doc`` with its teams (home, away), goals and kind."""
    text = doc_text(doc)
    clubs = sorted(clubs, key=lambda c: (c.start, -c.end))
    hits = probe_hits(text, _lowered(text))
    other_sport = _other_sport(text, hits["sports"], clubs)
    candidates = find_candidates(text, clubs, other_sport)
    if not candidates:
        return []
    starts = [c.start for c in candidates]
    article = _article(doc, text, hits, clubs, other_sport, starts)
    state = Context(focus=_focus(text, article.sentences, clubs))
    scores: list[Score] = []
    for index, plain in enumerate(article.sentences):
        if plain.start > starts[-1]:
            break  # what later sentences settle no longer matters
        sent = _with_demonyms(text, plain, clubs, state.latest, article)
        if fixture := _fixture(text, sent, article):
            state = state.seen(fixture)
        first, last = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        if first < last:
            found, state = _sentence_scores(article, index, sent, candidates[first:last], state)
            scores.extend(found)
    return scores


def attach_match_dates(doc: Doc, scores: Sequence[Score], dates: Sequence[DateMention]) -> list[Score]:
    """Fill ``match_date`` from a resolved day (or clock time) in the score's own sentence.

    A sentence that ties a date to the match ("zondag won Club met 2-1") names the
    match day; of several, the one nearest to the score wins. Scores whose sentence
    has no resolved day keep ``match_date`` None.
    """
    days = [d for d in dates if d.resolved and d.value and d.granularity in {"day", "time"}]
    if not days or not scores:
        return list(scores)
    text = doc_text(doc)
    last = max(score.start for score in scores)  # no later sentence holds a score
    bounds = []
    for span in _sentence_spans(doc, text):
        if span[0] > last:
            break
        bounds.append(span)
    starts = [start for start, _ in bounds]
    out = []
    for score in scores:
        i = bisect.bisect_right(starts, score.start) - 1
        lo, hi = bounds[i] if i >= 0 else (0, len(text))
        near = [d for d in days if lo <= d.start < hi]
        if not near:
            out.append(score)
            continue
        best = min(near, key=lambda d: abs(d.start - score.start))
        out.append(replace(score, match_date=(best.value or "")[:10]))
    return out
