"""Dutch date expressions, found with the project's own patterns and normalized to ISO.

``extract_dates(text, published)`` returns :class:`~pipeline.records.DateMention` rows for
every date expression in a Dutch or Flemish news text, resolved against the article's
publication date (ISO text at its known precision: ``2022-05-03``, ``2022-05``, ``2022``
or None). The grammar (``grammar.tsv``, ``tokens.tsv``) and the word lists it is built
from live in ``resources/dates/``.

Conventions (``value`` is ISO 8601 / EDTF at the expression's own precision):

- day ``2022-05-03``, month ``2022-05``, year ``2022``, decade ``199X``, ISO week
  ``2022-W18``, weekend ``2022-W18-WE`` (Saturday and Sunday), football season
  ``2021/2022`` (1 July to 30 June), season of the year ``2022-21`` .. ``2022-24``
  (EDTF spring, summer, autumn, winter; astronomical dates, winter runs into the next
  year), clock time ``2022-05-08T20:45``; closed ranges are one row ``2003/2007``
  with ``extra["range"] = "interval"``.
- ``mod`` is start|mid|end for begin/medio/eind...; ``date_start``/``date_end`` are then
  narrowed to the first, middle or last third of the period (years and football seasons
  in blocks of four months, decades in 3/4/3 years, other periods by days).
- Parts of the day (woensdagavond, vanavond) give the day with
  ``extra["part_of_day"]``; "'s ochtends" takes the day of its sentence (in the past
  tense also the latest day before it) and is dropped without one (a habit). Open
  ranges (sinds, vanaf, tot) keep their anchor with ``extra["range"]`` =
  since|from|until|before|after.
- Weekdays, dates without a year, months and holidays are resolved by the tense of their
  clause (a subordinate clause after dat/die/omdat... has its own tense or none):
  past means the most recent one up to and including the publication day
  (``vorige``/``afgelopen``: strictly before it), future or present the next one after it;
  a date right after "sinds" is past. Without any tense cue weekdays and holidays look
  ahead; dates and months take the publication year unless that puts them more than nine
  months away, then the nearest year. A weekday given with a date only checks it (and
  picks the year when another year within half a year fits). "dit seizoen" in the past
  tense in July is the season that has just ended.
- "vandaag" (vanavond...) inside a quotation in the past tense is the day the article
  reports on: the latest day mentioned before it within the week before publication.
- Offsets count from the publication date at the unit's precision: days give a day,
  weeks an ISO week, months a month, years a year ("over vier jaar" -> ``2026``), with
  the ISO 8601 duration in ``extra["offset"]`` (``P4Y``). "drie dagen later" counts from
  the nearest earlier date in the text, else from the publication date; "datzelfde
  jaar" is the period of the nearest earlier date (unresolved without one).
- A day with a clock time ("zaterdag om 18.45 uur") gives two mentions: the day, and
  the time on that day (``2022-05-07T18:45``). A clock time without a day takes the
  nearest day in its sentence, else the latest day before it, else stays unresolved
  (value None) with ``extra["time"]``.
- Expressions that need a part of the publication date that is unknown stay
  unresolved (value None, resolved False); absolute expressions always resolve.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from itertools import compress, count, repeat
from operator import not_
from typing import NamedTuple, TypeVar

from .records import DateMention

log = logging.getLogger(__name__)

V = TypeVar("V")
Handler = Callable[["re.Match[str]", "_Ctx", tuple[int, int], bool], "_Res | None"]

_PARTS = frozenset({"morning", "afternoon", "evening", "night"})
_ROLES = frozenset({"since", "from", "until", "before", "after"})


# --------------------------------------------------------------------------- resources


def _lines(name: str) -> Iterator[tuple[int, str]]:
    """Numbered non-empty, non-comment lines of a resource file."""
    path = files("pipeline") / "resources" / "dates" / name
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield no, line


def _rows(name: str, width: int, separator: str) -> Iterator[tuple[int, str, list[str]]]:
    """The numbered lines of a resource with their fields, each line checked to have ``width``."""
    kind = {",": "comma", "\t": "tab"}[separator]
    for no, line in _lines(name):
        fields = [f.strip() for f in line.split(separator)]
        if len(fields) != width:
            raise ValueError(
                f"resources/dates/{name}:{no}: expected {width} {kind}-separated fields in {line!r}"
            )
        yield no, line, fields


def _table(name: str, width: int, parse: Callable[[list[str]], V]) -> dict[str, V]:
    """A CSV resource as {first field (lower case): parse(other fields)}, validated."""
    out: dict[str, V] = {}
    for no, line, fields in _rows(name, width, ","):
        try:
            value = parse(fields[1:])
        except (ValueError, KeyError) as exc:
            raise ValueError(f"resources/dates/{name}:{no}: {exc} in {line!r}; fix that line") from None
        key = fields[0].lower()
        if out.get(key, value) != value:
            raise ValueError(f"resources/dates/{name}:{no}: {key!r} is listed twice with different values")
        out[key] = value
    return out


def _wordlist(name: str) -> frozenset[str]:
    """A one-item-per-line resource as a lower-case set."""
    return frozenset(line.lower() for _, line in _lines(name))


def _choice(value: str, allowed: Iterable[str]) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {sorted(allowed)}")
    return value


def _int_in(value: str, low: int, high: int) -> int:
    number = int(value)
    if not low <= number <= high:
        raise ValueError(f"{number} is outside {low}..{high}")
    return number


def _part(value: str) -> str | None:
    return _choice(value, _PARTS) if value else None


@dataclass(frozen=True)
class _Vocab:
    """All word lists of the date grammar."""

    months: dict[str, tuple[int, bool]]
    weekdays: dict[str, tuple[int, str]]
    parts: dict[str, str]
    reldays: dict[str, tuple[int, str | None]]
    numbers: dict[str, float]
    ordinals: dict[str, int]
    decades: dict[str, int]
    modifiers: dict[str, str]
    seasons: dict[str, int]
    determiners: dict[str, int]
    units: dict[str, str]
    holidays: dict[str, tuple[str, str | None]]
    range_words: dict[str, str]
    tense: dict[str, str]
    keywords: dict[str, tuple[str, ...]]
    lists: dict[str, frozenset[str]] = field(default_factory=dict)


_REQUIRED_SLOTS = frozenset(
    {"ago", "ahead", "over", "anchored_after", "anchored_before", "duration_after", "time_prep", "hour",
     "decades", "day", "week", "weeks", "month", "year", "weekend", "season", "range_to", "and", "between",
     "of", "in_of", "article", "on_the", "past_marker", "future_marker", "ordinal_suffix", "tomorrow",
     "same", "pod_adverb", "after", "before", "have"}
)  # fmt: skip
_LISTS = (
    "amount_words", "number_prefixes", "score_words", "false_friends", "morgen_blockers",
    "habitual_before", "dm_before", "year_apostrophe_before", "offset_in_blockers",
    "participle_stop", "perfect_auxiliaries", "past_suffixes", "state_participles", "clause_openers",
    "double_infinitive",
)  # fmt: skip


def _holiday(fields: list[str]) -> tuple[str, str | None]:
    rule = fields[0]
    holiday_date(rule, 2001)  # raises ValueError on a malformed rule
    return rule, _part(fields[1])


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    """Load and validate the date word lists (once)."""
    keywords = _table("keywords.csv", 2, lambda f: tuple(w.strip().lower() for w in f[0].split("|")))
    if missing := _REQUIRED_SLOTS - keywords.keys():
        raise ValueError(f"resources/dates/keywords.csv lacks the slots {sorted(missing)}; add them")
    return _Vocab(
        months=_table(
            "months.csv", 3, lambda f: (_int_in(f[0], 1, 12), _choice(f[1], ("yes", "no")) == "yes")
        ),
        weekdays=_table(
            "weekdays.csv",
            3,
            lambda f: (_int_in(f[0], 0, 6), _choice(f[1], ("full", "abbreviation", "needs_date"))),
        ),
        parts=_table("parts_of_day.csv", 2, lambda f: _choice(f[0], _PARTS)),
        reldays=_table("relative_days.csv", 3, lambda f: (_int_in(f[0], -7, 7), _part(f[1]))),
        numbers=_table("numbers.csv", 2, lambda f: float(f[0])),
        ordinals=_table("ordinals.csv", 2, lambda f: _int_in(f[0], -1, 5)),
        decades=_table("decades.csv", 2, lambda f: _int_in(f[0], 1900, 2090)),
        modifiers=_table("modifiers.csv", 2, lambda f: _choice(f[0], ("start", "mid", "end"))),
        seasons=_table("seasons_of_year.csv", 2, lambda f: _int_in(f[0], 21, 24)),
        determiners=_table("relative_determiners.csv", 2, lambda f: _int_in(f[0], -1, 1)),
        units=_table("units.csv", 2, lambda f: _choice(f[0], ("day", "week", "month", "year"))),
        holidays=_table("holidays.csv", 3, _holiday),
        range_words=_table("range_words.csv", 2, lambda f: _choice(f[0], _ROLES)),
        tense=_table("tense_cues.csv", 2, lambda f: _choice(f[0], ("past", "future"))),
        keywords=keywords,
        lists={name: _wordlist(f"{name}.txt") for name in _LISTS},
    )


# --------------------------------------------------------------------------- calendar


def easter(year: int) -> date:
    """Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    """The n-th (or with n=-1 the last) given weekday of a month, None if there is none."""
    if n < 0:
        last = _month_end(year, month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return day if day.month == month else None


def holiday_date(rule: str, year: int) -> date:
    """The date of a holiday rule from holidays.csv in a year."""
    kind, _, arg = rule.partition(":")
    if kind == "fixed":
        month_day, _, option = arg.partition(":")
        day = date(year, int(month_day[:2]), int(month_day[3:]))
        if option not in ("", "sat_if_sunday"):
            raise ValueError(f"unknown option {option!r} in holiday rule {rule!r}")
        return day - timedelta(days=1) if option and day.weekday() == 6 else day
    if kind == "easter":
        return easter(year) + timedelta(days=int(arg))
    if kind == "nth":
        month, weekday, n = (int(x) for x in arg.split(":"))
        found = _nth_weekday(year, month, weekday, n)
        if found is None:
            raise ValueError(f"holiday rule {rule!r} has no date in {year}")
        return found
    raise ValueError(f"holiday rule {rule!r} must start with fixed:, easter: or nth:")


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + month - 1 + delta, 12)
    return y, m + 1


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _season_of_year(year: int, code: int) -> tuple[date, date]:
    """Astronomical dates of an EDTF season (21 spring .. 24 winter, into year + 1)."""
    bounds = {21: ((3, 21), (6, 20)), 22: ((6, 21), (9, 22)), 23: ((9, 23), (12, 20))}
    if code == 24:
        return date(year, 12, 21), date(year + 1, 3, 20)
    (m1, d1), (m2, d2) = bounds[code]
    return date(year, m1, d1), date(year, m2, d2)


def _two_digit_year(yy: str) -> int:
    number = int(yy)
    return 2000 + number if number < 50 else 1900 + number


# --------------------------------------------------------------------------- results


class _Res(NamedTuple):  # NamedTuples (_Res, _Cand): built several times per match
    """A resolved (or unresolved) date expression before it becomes a DateMention."""

    value: str | None
    granularity: str
    start: date | None = None
    end: date | None = None
    mod: str | None = None
    extra: tuple[tuple[str, str], ...] = ()
    todo: tuple[str, ...] = ()  # anchoring left for the text-level pass

    def with_extra(self, **items: str | None) -> _Res:
        added = {k: v for k, v in items.items() if v}
        if not added:  # no key repeats in extra, so it would come back as it is
            return self
        kept = dict(self.extra) | added
        # not _replace: this runs for most candidates, and _replace is slower than a call
        extra = tuple(kept.items())
        return _Res(self.value, self.granularity, self.start, self.end, self.mod, extra, self.todo)


def _unres(granularity: str, **extra: str | None) -> _Res:
    return _Res(None, granularity).with_extra(**extra)


def _r_day(day: date, part: str | None = None) -> _Res:
    return _Res(day.isoformat(), "day", day, day).with_extra(part_of_day=part)


def _r_month(year: int, month: int) -> _Res:
    return _Res(f"{year:04d}-{month:02d}", "month", date(year, month, 1), _month_end(year, month))


def _r_year(year: int) -> _Res:
    return _Res(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31))


def _r_decade(first: int) -> _Res:
    return _Res(f"{first // 10:03d}X", "decade", date(first, 1, 1), date(first + 9, 12, 31))


def _r_week(monday: date) -> _Res:
    iso = monday.isocalendar()
    return _Res(f"{iso.year:04d}-W{iso.week:02d}", "week", monday, monday + timedelta(days=6))


def _r_weekend(monday: date) -> _Res:
    week = _r_week(monday)
    return _Res(f"{week.value}-WE", "weekend", monday + timedelta(days=5), monday + timedelta(days=6))


def _r_football_season(first: int) -> _Res:
    return _Res(f"{first}/{first + 1}", "season", date(first, 7, 1), date(first + 1, 6, 30))


def _r_season_of_year(year: int, code: int) -> _Res:
    start, end = _season_of_year(year, code)
    return _Res(f"{year:04d}-{code}", "season_of_year", start, end)


def _r_interval(a: _Res, b: _Res) -> _Res:
    value = f"{a.value}/{b.value}" if a.value and b.value else None
    return _Res(value, a.granularity, a.start, b.end, extra=(("range", "interval"),))


def _narrow(res: _Res, mod: str) -> _Res:
    """Add a start|mid|end modifier and narrow the covered days to that third."""
    if res.start is None or res.end is None:
        return res._replace(mod=mod)
    start, end = res.start, res.end
    if res.granularity in ("year", "season"):
        blocks = [_add_months(start.year, start.month, 4 * i) for i in range(4)]
        first, last = {"start": (0, 1), "mid": (1, 2), "end": (2, 3)}[mod]
        start = date(*blocks[first], 1)
        end = date(*blocks[last], 1) - timedelta(days=1) if last < 3 else end
    elif res.granularity == "decade":
        years = {"start": (0, 2), "mid": (3, 6), "end": (7, 9)}[mod]
        start, end = date(start.year + years[0], 1, 1), date(start.year + years[1], 12, 31)
    else:
        third = ((end - start).days + 1) // 3
        if mod == "start":
            end = start + timedelta(days=third - 1)
        elif mod == "end":
            start = end - timedelta(days=third - 1)
        else:
            start, end = start + timedelta(days=third), end - timedelta(days=third)
    return res._replace(mod=mod, start=start, end=end)


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class _Pub:
    """The publication date at its known precision."""

    year: int | None = None
    month: int | None = None
    day: date | None = None

    @property
    def lo(self) -> date | None:
        """The first day the publication date may be."""
        if self.year is None:
            return None
        return self.day or date(self.year, self.month or 1, 1)

    @property
    def hi(self) -> date | None:
        """The last day the publication date may be."""
        if self.year is None:
            return None
        return self.day or (_month_end(self.year, self.month) if self.month else date(self.year, 12, 31))


_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?")


def parse_published(published: str | None) -> _Pub:
    """Read 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' (or None) into a publication date."""
    if published is None or not published.strip():
        return _Pub()
    m = _PUBLISHED.fullmatch(published.strip())
    if m:
        year, month = int(m[1]), int(m[2]) if m[2] else None
        day = _valid_date(year, month or 1, int(m[3])) if m[3] else None
        if (month is None or 1 <= month <= 12) and (day is not None or not m[3]):
            return _Pub(year, month, day)
    raise ValueError(
        f"published must be ISO text 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' or None, got {published!r}"
    )


# [.!?…]+["”’)]*\s+ or \n+, written with one leading character class so that the regex engine
# skips ahead to the candidates (several times faster)
_SENTENCE_END = re.compile(r"[.!?…\n](?:(?<=\n)\n*|[.!?…]*[\"”’)]*\s+)")
_CLAUSE_MARKS = ',;:()"“”„«»'
_CLAUSE_MARK = re.compile(f"[{re.escape(_CLAUSE_MARKS)}]")


@dataclass(frozen=True)
class _Ctx:
    """The text being read, its publication date and sentence starts."""

    text: str
    pub: _Pub
    starts: tuple[int, ...] = ()
    year_hint: int | None = None

    @classmethod
    def of(cls, text: str, pub: _Pub) -> _Ctx:
        return cls(text, pub, (0, *map(re.Match.end, _SENTENCE_END.finditer(text))))

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.starts[i], self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)


def _next_words(text: str, pos: int, n: int = 1) -> str:
    words = text[pos : pos + 60].split()[:n]
    return " ".join(w.strip(".,;:!?)»”\"'") for w in words).lower()


def _preceded_by(text: str, pos: int, words: frozenset[str] | dict[str, str]) -> str | None:
    """The longest entry of words (up to three words) right before pos, or None."""
    for before in _last_words(text[max(0, pos - 60) : pos]):
        if before in words:
            return before
    return None


@lru_cache(maxsize=1024)
def _last_words(window: str) -> tuple[str, ...]:
    """The last three, two and one words of window in lower case, a leading '(' dropped (''
    where there are fewer): a match asks this with several word lists. Cached by the short
    window, not the text, so that the cache holds no article."""
    previous = window.split()  # split once for all three lengths
    return tuple(" ".join(previous[-n:]).lower().lstrip("(") if len(previous) >= n else "" for n in (3, 2, 1))


# --------------------------------------------------------------------------- tense


@lru_cache(maxsize=1)
def _tense_patterns() -> dict[str, re.Pattern[str]]:
    v = _vocab()
    return {
        "cue": re.compile(r"(?<!\w)" + _alt(v.tense) + r"(?!\w)", re.IGNORECASE),
        "aux": _any_case(v.lists["perfect_auxiliaries"]),
        "have": _any_case(v.keywords["have"]),
        "double_inf": re.compile(
            r"(?<!\w)" + _alt(v.lists["double_infinitive"]) + r"\s+[^\W\d_]{2,}en(?!\w)", re.IGNORECASE
        ),
        "opener": _any_case(v.lists["clause_openers"]),
        # a past participle, also of separable verbs: gewonnen, afgerekend, opgesteld
        "participle": re.compile(r"(?<!\w)\w{0,5}?ge\w{3,}(?:d|t|en)(?!\w)", re.IGNORECASE),
        "suffix": re.compile(r"(?<!\w)\w{2,}" + _alt(v.lists["past_suffixes"]) + r"(?!\w)", re.IGNORECASE),
    }


@lru_cache(maxsize=512)
def _cues(sentence: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, past|future) of the tense cues in a sentence."""
    v = _vocab()
    patterns = _tense_patterns()
    found = [(m.start(), m.end(), v.tense[m.group().lower()]) for m in patterns["cue"].finditer(sentence)]
    stop = v.lists["participle_stop"] | v.tense.keys()
    past = list(patterns["suffix"].finditer(sentence))
    if patterns["have"].search(sentence):
        past += patterns["double_inf"].finditer(sentence)
    else:
        stop |= v.lists["state_participles"]
    if patterns["aux"].search(sentence):
        past += patterns["participle"].finditer(sentence)
    found += [(m.start(), m.end(), "past") for m in past if m.group().lower() not in stop]
    return tuple(sorted(found))


def _tense(ctx: _Ctx, span: tuple[int, int]) -> str | None:
    """past|future from the nearest tense cue in the clause (else the sentence), or None.

    A date right after 'sinds' is always in the past.
    """
    v = _vocab()
    before = _preceded_by(ctx.text, span[0], v.range_words)
    if before and v.range_words[before] == "since":
        return "past"
    s0, s1 = ctx.sentence(span[0])
    a, b = span[0] - s0, span[1] - s0
    sentence = ctx.text[s0:s1]
    cues = [c for c in _cues(sentence) if c[1] <= a or c[0] >= b]
    c0 = max(map(sentence.rfind, _CLAUSE_MARKS, repeat(0), repeat(a)))  # -1 for none
    c1 = m.start() if (m := _CLAUSE_MARK.search(sentence, b)) else len(sentence)
    opener = _clause_opener(sentence, c0, a)
    if opener is not None:  # a subordinate clause has its own tense, or none
        pool = [c for c in cues if opener <= c[0] and c[1] <= c1]
    else:
        pool = [c for c in cues if c0 < c[0] and c[1] <= c1] or cues
    if not pool:
        return None
    return min(pool, key=lambda c: (a - c[1] if c[1] <= a else c[0] - b, c[2] != "past"))[2]


def _clause_opener(sentence: str, lo: int, hi: int) -> int | None:
    """Where the subordinate clause holding sentence[hi] starts (dat, die, omdat...), or None.

    An opener right before the date is a demonstrative ("die zaterdag"), not a conjunction.
    """
    found = [m for m in _tense_patterns()["opener"].finditer(sentence, max(lo, 0), hi)]
    found = [
        m for m in found if sentence[m.end() : hi].strip() or not sentence[max(lo + 1, 0) : m.start()].strip()
    ]
    return found[-1].start() if found else None


# --------------------------------------------------------------------------- grammar


def _forms(words: Iterable[str]) -> list[str]:
    """The words in lower case, longest first, as a regex alternation tries them."""
    return sorted({w.lower() for w in words}, key=lambda w: (-len(w), w))


def _pattern(form: str) -> str:
    """A regex for a word or phrase, any whitespace between its parts."""
    return re.escape(form).replace(r"\ ", r"\s+")


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first, any whitespace between parts.

    The engine tries branches one by one, so words that share a first character are one branch
    (see _by_first): a word that cannot match costs a failed branch less often."""
    forms = _forms(words)
    if "" in forms or any(f.startswith(" ") for f in forms):  # no first character of its own
        return "(?:" + "|".join(map(_pattern, forms)) + ")"
    return "(?:" + "|".join(f"{re.escape(c)}(?:{'|'.join(rests)})" for c, rests in _by_first(forms)) + ")"


def _by_first(forms: list[str]) -> list[tuple[str, list[str]]]:
    """(first character, patterns of the rests) of non-empty forms in order, grouped by first
    character where no character opens two groups in re's case folding (then the grouping keeps
    the order of the forms that can match at a position), else one form a group."""
    firsts = {f[0] for f in forms}
    if any(a != b and re.fullmatch(re.escape(a), b, re.IGNORECASE) for a in firsts for b in firsts):
        return [(f[0], [_pattern(f[1:])]) for f in forms]
    groups: dict[str, list[str]] = {}
    for form in forms:
        groups.setdefault(form[0], []).append(_pattern(form[1:]))
    return list(groups.items())


def _any_case(words: Iterable[str]) -> re.Pattern[str]:
    """(?<!\\w)<one of words>(?!\\w) in any case, led by a case-sensitive class so that the engine
    skips ahead: the ASCII characters that fold to a first character, and all non-ASCII ones
    (which may: 'İ', 'ſ', 'K'); a lookbehind per group of _by_first then checks its first
    character in re's own case folding, and the forms keep _alt's order."""
    forms = _forms(words)
    if not forms or not all(forms):
        raise ValueError("a word list in resources/dates/ is empty or has an empty entry; restore it")
    first = re.compile("[" + "".join(re.escape(f[0]) for f in forms) + "]", re.IGNORECASE)
    lead = "".join(map(re.escape, filter(first.fullmatch, map(chr, range(128)))))
    rest = "|".join(f"(?<={re.escape(c)})(?:{'|'.join(rests)})" for c, rests in _by_first(forms))
    return re.compile(rf"[{lead}\x80-\U0010ffff](?<!\w[\s\S])(?i:{rest})(?!\w)")


_MODES = ("scan", "anchored", "fragment")


@dataclass(frozen=True)
class _Atom:
    """One line of resources/dates/grammar.tsv: a pattern and how it is looked for."""

    name: str
    mode: str  # scan | anchored | fragment
    gates: tuple[str, ...]  # word classes that must all occur in the text (a|b: either)
    starts: tuple[str, ...]  # word classes a match begins with (scan atoms)
    anchors: tuple[str, ...]  # atoms at whose starts it is tried (anchored atoms)
    template: str


def _classes(field: str) -> tuple[str, ...]:
    return () if field == "-" else tuple(field.split())


@lru_cache(maxsize=1)
def _atoms() -> tuple[_Atom, ...]:
    """The atoms of the date grammar in priority order, validated."""
    atoms: list[_Atom] = []
    for no, _, (name, mode, gates, starts, anchors, template) in _rows("grammar.tsv", 6, "\t"):
        atom = _Atom(name, mode, _classes(gates), _classes(starts), _classes(anchors), template)
        where = f"resources/dates/grammar.tsv:{no}"
        if mode not in _MODES or any(a.name == name for a in atoms):
            raise ValueError(f"{where}: mode must be one of {_MODES} and {name!r} must be new")
        if (mode == "scan") != bool(atom.starts) or (mode == "anchored") != bool(atom.anchors):
            raise ValueError(f"{where}: scan atoms need starts, anchored atoms need anchors, others neither")
        atoms.append(atom)
    scanned = {a.name for a in atoms if a.mode == "scan"}
    for atom in atoms:
        if unknown := set(atom.anchors) - scanned:
            raise ValueError(
                f"resources/dates/grammar.tsv: {atom.name} is anchored at unknown atoms {unknown}"
            )
    return tuple(atoms)


@lru_cache(maxsize=1)
def _pieces() -> dict[str, str]:
    """The named regex pieces of resources/dates/tokens.tsv."""
    return {name: pattern for _, _, (name, pattern) in _rows("tokens.tsv", 2, "\t")}


_DATE_NAMES = ("date_txt", "date_num", "date_sl", "date_dm", "date_md")
_DAY_NAMES = ("weekday_date", *_DATE_NAMES, "det_wd", "weekday", "weekday_any", "relday")
_MOD_NAMES = ("decade", "season_fb", "rel_unit", "soy_year", "month_year", "month", "year", "cur_unit")
_RANGE_NAMES = (*_DATE_NAMES, "month_year", "month", "year")
_TOKEN = re.compile(r"<([A-Z][A-Z0-9_]*)>")
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


def _vocab_tokens(v: _Vocab) -> dict[str, str]:
    """Regex pieces built from the word lists."""
    full = [f for f, (_, abbr) in v.months.items() if not abbr]
    abbr = [f for f, (_, is_abbr) in v.months.items() if is_abbr]
    wd_full = [f for f, (_, kind) in v.weekdays.items() if kind == "full"]
    wd_abbr = [f for f, (_, kind) in v.weekdays.items() if kind != "full"]
    tokens = {
        "MON": rf"(?:{_alt(full)}|{_alt(abbr)}\.?)(?!\w)",
        "FMON": _alt(full),
        "WD": _alt(wd_full),
        "WDA": _alt(wd_abbr),
        "POD": _alt(v.parts),
        "REL": _alt(v.reldays),
        "NUM": rf"(?:<NUMD>|{_alt(v.numbers)})",
        "UNIT": _alt(v.units),
        "DET": _alt(v.determiners),
        "MODW": _alt(v.modifiers),
        "SOY": _alt(v.seasons),
        "HOL": _alt(v.holidays),
        "ORD": _alt(v.ordinals),
        "ORDW": _alt(w for w, n in v.ordinals.items() if n > 0),
        "DECW": _alt(w for w in v.decades if not w.isdigit()),
    }
    tokens |= {f"KW_{slot.upper()}": _alt(forms) for slot, forms in v.keywords.items()}
    return tokens


def _expand(template: str, tokens: dict[str, str], depth: int = 0) -> str:
    if depth > 8:
        raise ValueError(f"date pattern tokens nest too deep in {template[:60]!r}")

    def one(m: re.Match[str]) -> str:
        if m[1] not in tokens:
            raise ValueError(f"unknown token <{m[1]}> in a date pattern; add the keywords.csv slot")
        return _expand(tokens[m[1]], tokens, depth + 1)

    return _TOKEN.sub(one, template)


@lru_cache(maxsize=1)
def _grammar() -> dict[str, re.Pattern[str]]:
    """The compiled atom patterns by name, in priority order."""
    tokens = _vocab_tokens(_vocab()) | _pieces()
    for atom in _atoms():
        tokens[atom.name.upper()] = _GROUP_NAME.sub("(?:", atom.template)
    # the second end of a range may follow a dash directly (2003-2007, 14/10-15/10)
    tokens["REND_B"] = _expand("<REND>", tokens).replace(r"(?<![\w.,/-])", "")
    return {atom.name: re.compile(_expand(atom.template, tokens), re.IGNORECASE) for atom in _atoms()}


# --------------------------------------------------------------------------- resolving


_FAR_DAYS = 274  # about nine months


def _choose(cands: list[tuple[date, date]], pub: _Pub, tense: str | None) -> tuple[date, date] | None:
    """Pick one of the same period in the years around publication (given as y-1, y, y+1).

    Past: the latest that starts by the publication date; future: the first that has not
    ended before it; no tense: the publication year's, unless that lies more than nine
    months away, then the nearest one.
    """
    lo, hi = pub.lo, pub.hi
    if lo is None or hi is None or not cands:
        return None
    if tense == "past":
        return max((c for c in cands if c[0] <= hi), default=None)
    if tense == "future":
        return min((c for c in cands if c[1] >= lo), default=None)

    def distance(c: tuple[date, date]) -> int:
        return max((c[0] - hi).days, (lo - c[1]).days, 0)

    same = [c for c in cands if c[0].year == pub.year]
    if same and distance(same[0]) <= _FAR_DAYS:
        return same[0]
    return min(cands, key=distance)


def _resolve_dm(day: int, month: int, year: int | None, ctx: _Ctx, tense: str | None) -> _Res | None:
    """A day and month, with the year given, hinted, or chosen around the publication date."""
    year = year if year is not None else ctx.year_hint
    if year is not None:
        found = _valid_date(year, month, day)
        return _r_day(found) if found else None
    if not _valid_date(2000, month, day):
        return None
    pub = ctx.pub
    if pub.year is None:
        return _unres("day")
    days = [d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _valid_date(y, month, day))]
    chosen = _choose([(d, d) for d in days], pub, tense)
    return _r_day(chosen[0]) if chosen else None


def _resolve_month(month: int, ctx: _Ctx, tense: str | None) -> _Res:
    if ctx.year_hint is not None:
        return _r_month(ctx.year_hint, month)
    pub = ctx.pub
    if pub.year is None:
        return _unres("month")
    spans = [(date(y, month, 1), _month_end(y, month)) for y in (pub.year - 1, pub.year, pub.year + 1)]
    chosen = _choose(spans, pub, tense)
    return _r_month(chosen[0].year, month) if chosen else _unres("month")


def _weekday_date(weekday: int, pub: date, how: str) -> date:
    """The weekday relative to pub: past (incl. pub), before, after, or in the week."""
    if how == "past":
        return pub - timedelta(days=(pub.weekday() - weekday) % 7)
    if how == "before":
        return pub - timedelta(days=(pub.weekday() - weekday - 1) % 7 + 1)
    if how == "week":
        return _monday(pub) + timedelta(days=weekday)
    return pub + timedelta(days=(weekday - pub.weekday() - 1) % 7 + 1)


def _pick_holiday(rule: str, ctx: _Ctx, tense: str | None) -> date | None:
    pub, lo, hi = ctx.pub, ctx.pub.lo, ctx.pub.hi
    if ctx.year_hint is not None:
        return holiday_date(rule, ctx.year_hint)
    if pub.year is None or lo is None or hi is None:
        return None
    days = [holiday_date(rule, y) for y in (pub.year - 1, pub.year, pub.year + 1)]
    if tense == "past":
        return max(d for d in days if d <= hi)
    return min(d for d in days if d >= lo)


def _number(word: str) -> float:
    return float(word) if word.isdigit() else _vocab().numbers[" ".join(word.lower().split())]


def _shift(pub: _Pub, n: float, unit: str) -> _Res | None:
    """The publication date moved by n units, at the unit's precision (None if not a whole step).

    ``extra["offset"]`` keeps the ISO 8601 duration ("twee jaar geleden" -> ``-P2Y``).
    """
    res = _shifted(pub, n, unit)
    sign = "-" if n < 0 else ""
    return res.with_extra(offset=f"{sign}P{abs(n):g}{unit[0].upper()}") if res else None


def _shifted(pub: _Pub, n: float, unit: str) -> _Res | None:
    if unit in ("day", "week"):
        days = n * (7 if unit == "week" else 1)
        if days != int(days):
            return None
        if pub.day is None:
            return _unres(unit)
        day = pub.day + timedelta(days=int(days))
        return _r_day(day) if unit == "day" or n != int(n) else _r_week(_monday(day))
    months = n * (12 if unit == "year" else 1)
    if unit == "year" and n == int(n):
        return _r_year(pub.year + int(n)) if pub.year else _unres("year")
    if months != int(months):
        return None
    if pub.year is None or pub.month is None:
        return _unres("month")
    return _r_month(*_add_months(pub.year, pub.month, int(months)))


_SUMMER_BREAK = 7  # the month between two football seasons


def _football_season_of(pub: _Pub, tense: str | None = None) -> int | None:
    """The first year of the season running at publication; in the summer break, in the
    past tense, the season that has just ended."""
    if pub.year is None or pub.month is None:
        return None
    if pub.month == _SUMMER_BREAK and tense == "past":
        return pub.year - 1
    return pub.year if pub.month >= 7 else pub.year - 1


def _current_season_of_year(code: int, det: int, ctx: _Ctx) -> _Res:
    """deze zomer: the one we are in, else the publication year's; vorige/volgende: the one before/after."""
    pub, lo, hi = ctx.pub, ctx.pub.lo, ctx.pub.hi
    if pub.year is None or lo is None or hi is None:
        return _unres("season_of_year")
    spans = [(y, *_season_of_year(y, code)) for y in range(pub.year - 2, pub.year + 2)]
    if det < 0:
        return _r_season_of_year(max(y for y, _, end in spans if end < lo), code)
    if det > 0:
        return _r_season_of_year(min(y for y, start, _ in spans if start > hi), code)
    now = [y for y, start, end in spans if start <= hi and end >= lo]
    return _r_season_of_year(now[-1] if now else pub.year, code)


def _weekend(pub: date, det: int) -> _Res:
    """The weekend before (-1), of (0) or after (1) the publication day's week."""
    monday = _monday(pub)
    if det < 0:
        monday -= timedelta(days=7)
    elif det > 0 and pub.weekday() >= 5:
        monday += timedelta(days=7)
    return _r_weekend(monday)


def _rel_unit(unit: str, det: int, ctx: _Ctx, tense: str | None = None) -> _Res:
    """deze/vorige/volgende + week, maand, jaar, weekend, seizoen or a season of the year."""
    v, pub = _vocab(), ctx.pub
    kw = v.keywords
    if unit in v.seasons:
        return _current_season_of_year(v.seasons[unit], det, ctx)
    if unit in kw["season"]:
        first = _football_season_of(pub, tense if det == 0 else None)
        return _r_football_season(first + det) if first is not None else _unres("season")
    if unit in kw["year"]:
        return _r_year(pub.year + det) if pub.year else _unres("year")
    if unit in kw["month"]:
        if pub.year is None or pub.month is None:
            return _unres("month")
        return _r_month(*_add_months(pub.year, pub.month, det))
    if pub.day is None:
        return _unres("weekend" if unit in kw["weekend"] else "week")
    if unit in kw["weekend"]:
        return _weekend(pub.day, det)
    return _r_week(_monday(pub.day) + timedelta(days=7 * det))


# --------------------------------------------------------------------------- handlers


def _h_weekday(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    v = _vocab()
    weekday, kind = v.weekdays[m["wd"].lower()]
    if top and (kind != "full" or _preceded_by(ctx.text, span[0], v.lists["habitual_before"])):
        return None
    part = v.parts.get((m["pod"] or "").lower())
    if ctx.pub.day is None:
        return _unres("day", part_of_day=part)
    how = "past" if _tense(ctx, span) == "past" else "after"
    return _r_day(_weekday_date(weekday, ctx.pub.day, how), part)


def _h_weekday_abbr(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    v = _vocab()
    weekday, kind = v.weekdays[m["wd"].lower()]
    if top and kind != "abbreviation":
        return None
    if ctx.pub.day is None:
        return _unres("day")
    how = "past" if _tense(ctx, span) == "past" else "after"
    return _r_day(_weekday_date(weekday, ctx.pub.day, how))


def _h_det_wd(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    v = _vocab()
    det = v.determiners[m["det"].lower()]
    part = v.parts.get((m["pod"] or "").lower())
    if ctx.pub.day is None:
        return _unres("day", part_of_day=part)
    how = {-1: "before", 0: "week", 1: "after"}[det]
    return _r_day(_weekday_date(v.weekdays[m["wd"].lower()][0], ctx.pub.day, how), part)


def _h_week_wd(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """volgende week dinsdag, dinsdag deze week, dinsdag over twee weken."""
    v = _vocab()
    part = v.parts.get((m["pod"] or "").lower())
    if ctx.pub.day is None:
        return _unres("day", part_of_day=part)
    if "n" in m.groupdict():
        weeks = _number(m["n"])
        if weeks != int(weeks):
            return None
        monday = _monday(ctx.pub.day + timedelta(days=7 * int(weeks)))
    else:
        monday = _monday(ctx.pub.day) + timedelta(days=7 * v.determiners[m["det"].lower()])
    return _r_day(monday + timedelta(days=v.weekdays[m["wd"].lower()][0]), part)


def _h_weekday_date(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """A weekday with a date: the date is trusted, the weekday checked (and used to pick the year)."""
    weekday, part = _split_weekday(m["wd"])
    res = _fragment(m["date"], ctx, span, _DATE_NAMES)
    if res is None or res.start is None:
        return res.with_extra(part_of_day=part) if res else None
    if res.start.weekday() != weekday and ctx.year_hint is None and not _EXPLICIT_YEAR.search(m["date"]):
        res = _year_by_weekday(m["date"], weekday, res, ctx, span)
    if res.start and res.start.weekday() != weekday:
        log.debug(
            "weekday %r does not match the date %s in %r; keeping the date", m["wd"], res.value, m.group()
        )
    return res.with_extra(part_of_day=part)


def _year_by_weekday(piece: str, weekday: int, res: _Res, ctx: _Ctx, span: tuple[int, int]) -> _Res:
    """The same date in a year within half a year of publication where the weekday fits, else res."""
    pub = ctx.pub.lo
    if pub is None or res.start is None:
        return res
    for year in (res.start.year - 1, res.start.year + 1):
        alt = _fragment(piece, replace(ctx, year_hint=year), span, _DATE_NAMES)
        if alt and alt.start and alt.start.weekday() == weekday and abs((alt.start - pub).days) <= 183:
            return alt
    return res


def _split_weekday(word: str) -> tuple[int, str | None]:
    """woensdagavond -> (2, 'evening'); vr. -> (4, None)."""
    v = _vocab()
    word = word.lower().rstrip(".")
    for form in sorted(v.weekdays, key=len, reverse=True):
        rest = word[len(form) :]
        if word.startswith(form) and (not rest or rest in v.parts):
            return v.weekdays[form][0], v.parts.get(rest)
    raise ValueError(f"not a weekday: {word!r}")


_EXPLICIT_YEAR = re.compile(r"\d{4}|['’‘`]\d\d|\d[-/.]\d{1,2}[-/.]\d\d")


def _h_date_txt(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    month = _vocab().months[m["m"].lower().rstrip(".")][0]
    year = int(m["y"]) if m["y"] else _two_digit_year(m["yy"]) if m["yy"] else None
    tense = "past" if m["past"] else "future" if m["fut"] else _tense(ctx, span)
    return _resolve_dm(int(m["d"]), month, year, ctx, tense)


def _h_date_md(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    month = _vocab().months[m["m"].lower().rstrip(".")][0]
    year = int(m["y"]) if m["y"] else None
    return _resolve_dm(int(m["d"]), month, year, ctx, _tense(ctx, span) if year is None else None)


def _h_date_num(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    if m["s1"] != m["s2"]:
        return None
    year = int(m["y"]) if len(m["y"]) == 4 else _two_digit_year(m["y"])
    return _resolve_dm(int(m["d"]), int(m["m"]), year, ctx, None)


def _h_date_sl(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    return _resolve_dm(int(m["d"]), int(m["m"]), None, ctx, _tense(ctx, span))


def _h_date_dm(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """d-m or d.m without a year: only after 'op', 'vanaf'... and never a likely score."""
    v = _vocab()
    if top:
        after = _next_words(ctx.text, span[1], 2).split()
        if (
            int(m["d"]) < 10
            or not _preceded_by(ctx.text, span[0], v.lists["dm_before"])
            or any(w in v.lists["score_words"] for w in after)
            or (after and after[0] in v.keywords["hour"])
        ):
            return None
    return _resolve_dm(int(m["d"]), int(m["m"]), None, ctx, _tense(ctx, span))


def _h_month_year(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    return _r_month(int(m["y"]), _vocab().months[m["m"].lower().rstrip(".")][0])


def _h_month(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    return _resolve_month(_vocab().months[m["m"].lower()][0], ctx, _tense(ctx, span))


def _h_rel_year_month(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    v = _vocab()
    det = v.determiners[(m["det"] or m["det2"]).lower()]
    month = v.months[(m["m"] or m["m2"]).lower()][0]
    return _r_month(ctx.pub.year + det, month) if ctx.pub.year else _unres("month")


def _h_year(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """A four-digit year 1900-2099, unless it reads as an amount or a count."""
    v = _vocab()
    if top and (
        _next_words(ctx.text, span[1]) in v.lists["amount_words"]
        or _preceded_by(ctx.text, span[0], v.lists["number_prefixes"])
    ):
        return None
    return _r_year(int(m["y"]))


def _h_year_apos(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    if top and not _preceded_by(ctx.text, span[0], _vocab().lists["year_apostrophe_before"]):
        return None
    return _r_year(_two_digit_year(m["yy"]))


def _is_morning(text: str, start: int, word: str) -> bool:
    """'morgen' as 'morning' (de morgen, elke morgen) or in a name (De Financiële Morgen)."""
    if _preceded_by(text, start, _vocab().lists["morgen_blockers"]):
        return True
    before = text[:start].rstrip(" \t\"'“‘„(")
    return word[0].isupper() and bool(before) and before[-1] not in ".!?:;\n"


def _h_relday(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    v = _vocab()
    word = " ".join(m["r"].lower().split())
    if top and word in v.keywords["tomorrow"] and _is_morning(ctx.text, span[0], m["r"]):
        return None
    offset, part = v.reldays[word]
    if ctx.pub.day is None:
        return _unres("day", part_of_day=part)
    res = _r_day(ctx.pub.day + timedelta(days=offset), part)
    if top and offset == 0 and _quoted_tense(ctx.text, span) == "past":
        return res._replace(todo=("today",))  # said on the day the article reports on
    return res


_OPENING_QUOTES = "„“«‘"
_CLOSING_QUOTES = "”»’"
# the characters that _quote_mark can accept: only these change the state of a scan
_QUOTE_CHAR = re.compile(f'["{_OPENING_QUOTES}{_CLOSING_QUOTES}]')


def _quote_around(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The quotation (after its opening mark, up to its closing mark) holding span, or None."""
    opened = None
    for i in map(re.Match.start, _QUOTE_CHAR.finditer(text, text.rfind("\n", 0, span[0]) + 1, span[0])):
        if _quote_mark(text, i, opened is not None):
            opened = None if opened is not None else i + 1
    if opened is None:
        return None
    end = text.find("\n", span[1])
    end = len(text) if end < 0 else end
    marks = map(re.Match.start, _QUOTE_CHAR.finditer(text, span[1], end))
    close = next((i for i in marks if _quote_mark(text, i, True)), end)
    return opened, close


def _quote_mark(text: str, i: int, inside: bool) -> bool:
    """Whether text[i] opens (inside False) or closes (inside True) a quotation."""
    char = text[i]
    if char == '"' or (char == "“" and inside):
        return True
    if not inside:
        return char in _OPENING_QUOTES
    return char in _CLOSING_QUOTES and not text[i + 1 : i + 2].isalnum()  # not z’n, ’s, ’80


def _quoted_tense(text: str, span: tuple[int, int]) -> str | None:
    """past|future from the nearest tense cue inside the quotation holding span (None outside one)."""
    bounds = _quote_around(text, span)
    if bounds is None:
        return None
    a, b = span[0] - bounds[0], span[1] - bounds[0]
    cues = [c for c in _cues(text[bounds[0] : bounds[1]]) if c[1] <= a or c[0] >= b]
    if not cues:
        return None
    return min(cues, key=lambda c: (a - c[1] if c[1] <= a else c[0] - b, c[2] != "past"))[2]


def _h_pod_adverb(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """'s ochtends, 's avonds: that part of the day the context gives (see _anchor)."""
    v = _vocab()
    if _preceded_by(ctx.text, span[0], v.lists["habitual_before"]):
        return None
    part = v.parts[m["pod"].lower().removesuffix("s")]
    past = "past" if _tense(ctx, span) == "past" else ""
    return _unres("day", part_of_day=part)._replace(todo=("pod", past))


def _h_same(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """datzelfde jaar, diezelfde dag: the period of an earlier date (see _anchor)."""
    kw = _vocab().keywords
    word = m["u"].lower()
    unit = next(u for u in ("day", "week", "month", "year") if word in kw[u])
    return _unres(unit)._replace(todo=("same", unit))


def _h_nth_after(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """de derde dinsdag na kerst 2014: counted in weeks from a date or holiday."""
    v = _vocab()
    ref = _fragment(m["ref"], ctx, span, ("holiday", *_DATE_NAMES))
    if ref is None or ref.granularity != "day":
        return None
    if ref.start is None:
        return _unres("day")
    n, weekday = v.ordinals[m["o"].lower()], v.weekdays[m["wd"].lower()][0]
    if m["dir"].lower() in v.keywords["after"]:
        first = ref.start + timedelta(days=(weekday - ref.start.weekday() - 1) % 7 + 1)
        return _r_day(first + timedelta(weeks=n - 1))
    first = ref.start - timedelta(days=(ref.start.weekday() - weekday - 1) % 7 + 1)
    return _r_day(first - timedelta(weeks=n - 1))


def _h_holiday(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    rule, part = _vocab().holidays[" ".join(m["h"].lower().split())]
    if m["y"]:
        return _r_day(holiday_date(rule, int(m["y"])), part)
    day = _pick_holiday(rule, ctx, _tense(ctx, span))
    return _r_day(day, part) if day else _unres("day", part_of_day=part)


def _h_decade(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    decades = _vocab().decades
    if m["d4"]:
        return _r_decade(int(m["d4"]))
    key = (m["w"] or m["dd"]).lower()
    return _r_decade(decades[key]) if key in decades else None


def _h_season_fb(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    first, second = int(m["y1"]), m["y2"]
    if (len(second) == 4 and int(second) != first + 1) or (
        len(second) == 2 and int(second) != (first + 1) % 100
    ):
        return None
    return _r_football_season(first)


def _h_rel_unit(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    v = _vocab()
    return _rel_unit(m["u"].lower(), v.determiners[m["det"].lower()], ctx, _tense(ctx, span))


def _h_cur_unit(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    return _rel_unit(m["u"].lower(), 0, ctx)


def _h_soy_year(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    year = int(m["y"]) if m["y"] else _two_digit_year(m["yy"])
    return _r_season_of_year(year, _vocab().seasons[m["s"].lower()])


def _h_week_n(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    year = int(m["y"]) if m["y"] else ctx.pub.year
    if year is None:
        return _unres("week")
    try:
        return _r_week(date.fromisocalendar(year, int(m["w"]), 1))
    except ValueError:
        return None


def _h_nth(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """de derde dinsdag in september, de laatste dag van oktober, de eerste week in oktober."""
    v = _vocab()
    month = v.months[m["m"].lower()][0]
    n = v.ordinals[m["o"].lower()]
    year = int(m["y"]) if m["y"] else None
    if year is None:
        month_res = _resolve_month(month, ctx, _tense(ctx, span))
        if month_res.start is None:
            return _unres("week" if m["what"].lower() in v.keywords["week"] else "day")
        year = month_res.start.year
    what = m["what"].lower()
    if what in v.weekdays:
        found = _nth_weekday(year, month, v.weekdays[what][0], n)
        return _r_day(found) if found else None
    if what in v.keywords["day"]:
        found = _month_end(year, month) if n < 0 else _valid_date(year, month, n)
        return _r_day(found) if found else None
    mondays = [d for w in range(1, 6) if (d := _nth_weekday(year, month, 0, w))]
    full = [d for d in mondays if (d + timedelta(days=6)).month == month]
    index = n - 1 if n > 0 else n
    return _r_week(full[index]) if -len(full) <= index < len(full) else None


def _h_op_de_ord(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    v = _vocab()
    word = m["span"].lower()
    day = v.ordinals[word] if word in v.ordinals else int(re.sub(r"\D", "", word))
    pub = ctx.pub.day
    if pub is None:
        return _unres("day")
    past = _tense(ctx, span) == "past"
    months = [_add_months(pub.year, pub.month, k) for k in ((0, -1, -2) if past else (0, 1, 2))]
    days = [d for y, mo in months if (d := _valid_date(y, mo, day)) and (d <= pub if past else d >= pub)]
    return _r_day(days[0]) if days else None


def _h_mod(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    found = _fragment_named(m["t"], ctx, span, _MOD_NAMES)
    if found is None:
        return None
    name, res = found
    if name == "cur_unit" and not m["art"]:
        return None
    return _narrow(res, _vocab().modifiers[" ".join(m["mod"].lower().split())])


def _h_range_days(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """13 - 15 juli, 13 t/m 15 juli 2013: one interval row."""
    v = _vocab()
    if top and m["c"].lower() in v.keywords["and"] and not _preceded_by(ctx.text, span[0], _between()):
        return None
    month = v.months[m["m"].lower().rstrip(".")][0]
    year = int(m["y"]) if m["y"] else None
    end = _resolve_dm(int(m["d2"]), month, year, ctx, _tense(ctx, span))
    if end is None or int(m["d1"]) >= int(m["d2"]):
        return None
    if end.start is None:
        return _unres("day", range="interval")
    start = _r_day(date(end.start.year, month, int(m["d1"])))
    return _r_interval(start, end)


def _between() -> frozenset[str]:
    return frozenset(_vocab().keywords["between"])


def _h_range(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """van 2003 tot 2007, tussen mei en juli, 14/10 - 15/10: one interval row."""
    v = _vocab()
    conn = " ".join(m["c"].lower().split())
    if conn in v.keywords["and"] and not _preceded_by(ctx.text, span[0], _between()):
        return None
    end = _fragment(m["b"], ctx, span, _RANGE_NAMES)
    hint = end.start.year if end and end.start and not _EXPLICIT_YEAR.search(m["a"]) else None
    start = _fragment(m["a"], replace(ctx, year_hint=hint) if hint else ctx, span, _RANGE_NAMES)
    if start is None or end is None:
        return None
    if len(conn) == 1 and _consecutive_years(start, end):
        return None  # a dash between consecutive years (2021-2022) is a football season
    if start.start and end.end and start.start > end.end:
        return None
    return _r_interval(start, end)


def _consecutive_years(a: _Res, b: _Res) -> bool:
    years = a.granularity == "year" == b.granularity
    return bool(years and a.start and b.start and b.start.year == a.start.year + 1)


def _h_rel_n(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """de afgelopen twee jaar, de komende drie dagen: the n whole units before or after now."""
    v = _vocab()
    det, n, unit = v.determiners[m["det"].lower()], _number(m["n"]), v.units[m["u"].lower()]
    if det == 0 or n != int(n) or n < 1:
        return None
    k = int(n)
    first, last = (-k, -1) if det < 0 else (1, k)
    pub = ctx.pub
    if unit in ("day", "week"):
        if pub.day is None:
            return _unres(unit, range="interval")
        if unit == "day":
            return _r_interval(_r_day(pub.day + timedelta(first)), _r_day(pub.day + timedelta(last)))
        monday = _monday(pub.day)
        return _r_interval(_r_week(monday + timedelta(weeks=first)), _r_week(monday + timedelta(weeks=last)))
    if unit == "year":
        if pub.year is None:
            return _unres("year", range="interval")
        return _r_interval(_r_year(pub.year + first), _r_year(pub.year + last))
    if pub.year is None or pub.month is None:
        return _unres("month", range="interval")
    return _r_interval(
        _r_month(*_add_months(pub.year, pub.month, first)), _r_month(*_add_months(pub.year, pub.month, last))
    )


def _h_offset_ago(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    v = _vocab()
    return _shift(ctx.pub, -_number(m["n"]), v.units[m["u"].lower()])


def _h_offset_in(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """over vier jaar, in 3 jaar (not a duration such as 'voor het eerst in twee jaar')."""
    v = _vocab()
    if top:
        after = _next_words(ctx.text, span[1])
        if after in v.keywords["duration_after"]:
            return None
        if m["p"].lower() not in v.keywords["over"] and (
            _tense(ctx, span) == "past" or _preceded_by(ctx.text, span[0], v.lists["offset_in_blockers"])
        ):
            return None
    return _shift(ctx.pub, _number(m["n"]), v.units[m["u"].lower()])


def _h_offset_rel(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    """drie dagen later: anchored by the text-level pass on the nearest earlier date."""
    v = _vocab()
    n = _number(m["n"])
    sign = 1 if m["dir"].lower() in v.keywords["anchored_after"] else -1
    unit = v.units[m["u"].lower()]
    granularity = {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]
    return _unres(granularity)._replace(todo=("offset", str(sign * n), unit))


_TIME_PARTS = re.compile(r"(\d{1,2})(?:\s*[.:u]\s*(\d{2}))?")


def _clock(piece: str) -> tuple[int, int]:
    m = _TIME_PARTS.match(piece)
    if not m:
        raise ValueError(f"not a clock time: {piece!r}")
    return int(m[1]), int(m[2] or 0)


def _plain_time(piece: str) -> bool:
    """20.45 or 14 uur, which need 'om' or a day before them to be a clock time."""
    piece = piece.strip()
    return (
        ":" not in piece
        and not re.search(r"\du\d", piece)
        and not ("." in piece and re.search(r"[^\d.]", piece))
    )


def _h_day_time(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    if not m["p"] and re.fullmatch(r"\d{1,2}\.\d{2}", m["t"].strip()):
        return None
    day = _fragment(m["day"], ctx, span, _DAY_NAMES)
    if day is None or day.granularity != "day":
        return None
    hour, minute = _clock(m["t"])
    part = dict(day.extra).get("part_of_day")
    if day.start is None:
        return _unres("time", time=f"{hour:02d}:{minute:02d}", part_of_day=part)
    value = f"{day.start.isoformat()}T{hour:02d}:{minute:02d}"
    return _Res(value, "time", day.start, day.start).with_extra(
        part_of_day=part, time=f"{hour:02d}:{minute:02d}"
    )


def _h_time(m: re.Match[str], ctx: _Ctx, span: tuple[int, int], top: bool) -> _Res | None:
    if not m["p"] and _plain_time(m["span"]):
        return None
    hour, minute = _clock(m["span"])
    return _unres("time", time=f"{hour:02d}:{minute:02d}")._replace(todo=("time", str(hour), str(minute)))


_HANDLERS: dict[str, Handler] = {
    "day_time": _h_day_time,
    "range_days": _h_range_days,
    "range": _h_range,
    "weekday_date": _h_weekday_date,
    "rel_n": _h_rel_n,
    "offset_ago": _h_offset_ago,
    "offset_in": _h_offset_in,
    "offset_rel": _h_offset_rel,
    "rel_week_wd": _h_week_wd,
    "wd_rel_week": _h_week_wd,
    "wd_over": _h_week_wd,
    "nth_after": _h_nth_after,
    "nth": _h_nth,
    "mod": _h_mod,
    "rel_year_month": _h_rel_year_month,
    "date_txt": _h_date_txt,
    "date_num": _h_date_num,
    "date_sl": _h_date_sl,
    "date_dm": _h_date_dm,
    "date_md": _h_date_md,
    "month_year": _h_month_year,
    "decade": _h_decade,
    "season_fb": _h_season_fb,
    "rel_unit": _h_rel_unit,
    "soy_year": _h_soy_year,
    "week_n": _h_week_n,
    "op_de_ord": _h_op_de_ord,
    "holiday": _h_holiday,
    "det_wd": _h_det_wd,
    "weekday": _h_weekday,
    "weekday_abbr": _h_weekday_abbr,
    "relday": _h_relday,
    "month": _h_month,
    "year": _h_year,
    "year_apos": _h_year_apos,
    "time": _h_time,
    "pod_adverb": _h_pod_adverb,
    "same": _h_same,
    "weekday_any": _h_weekday_abbr,
    "cur_unit": _h_cur_unit,
}


def _fragment_named(
    piece: str, ctx: _Ctx, span: tuple[int, int], names: tuple[str, ...]
) -> tuple[str, _Res] | None:
    """Resolve a piece of a longer expression with the first atom that matches all of it."""
    grammar = _grammar()
    for name in names:
        m = grammar[name].fullmatch(piece)
        if m and (res := _HANDLERS[name](m, ctx, span, False)) is not None:
            return name, res
    return None


def _fragment(piece: str, ctx: _Ctx, span: tuple[int, int], names: tuple[str, ...]) -> _Res | None:
    found = _fragment_named(piece, ctx, span, names)
    return found[1] if found else None


# --------------------------------------------------------------------------- text level


class _Cand(NamedTuple):
    start: int
    end: int
    rank: int
    res: _Res
    parts: tuple[_Cand, ...] = ()  # the mentions a selected match becomes (a day and its clock time)


@lru_cache(maxsize=1)
def _false_friends() -> re.Pattern[str]:
    return _any_case(_vocab().lists["false_friends"])


@lru_cache(maxsize=1)
def _gate_words() -> dict[str, frozenset[str]]:
    """The first word of every form (the last for holidays), by vocabulary class, for the scan gates."""
    v = _vocab()

    def firsts(forms: Iterable[str]) -> frozenset[str]:
        return frozenset(m.group() for f in forms if (m := _WORD.search(f.lower())))

    full = [f for f, (_, kind) in v.weekdays.items() if kind == "full"]
    gates = {
        "months": firsts(v.months),
        "weekdays": firsts(full) | {w + p for w in full for p in v.parts},
        "wd_abbr": firsts(f for f, (_, kind) in v.weekdays.items() if kind != "full"),
        "reldays": firsts(v.reldays),
        "holidays": frozenset(f.split()[-1] for f in v.holidays),
        "holiday_starts": firsts(v.holidays),
        "numbers": firsts(v.numbers),
        "determiners": firsts(v.determiners),
        "modifiers": firsts(v.modifiers),
        "units": firsts(v.units),
        "seasons": firsts(v.seasons),
        "ordinals": firsts(v.ordinals),
    }
    return gates | {f"kw_{slot}": firsts(forms) for slot, forms in v.keywords.items()}


_WORD = re.compile(r"[^\W\d_]+")


def _closed_atoms(words: frozenset[str], digits: bool) -> frozenset[str]:
    """The scanned atoms that cannot match in a text with these (lower case) words and digits or
    none: a word class they need does not occur in it (each class tested once)."""
    requirements, closers = _requirements(), _closers()
    unmet = compress(requirements, map(words.isdisjoint, requirements.values()))
    closed = frozenset().union(*map(closers.__getitem__, unmet))
    return closed if digits else closed | closers.get("digit", frozenset())


@lru_cache(maxsize=1)
def _closers() -> dict[str, frozenset[str]]:
    """{gate of a scanned atom: the scanned atoms that need it}."""
    closers: dict[str, set[str]] = {}
    for name, gates in _scan_gates():
        for gate in gates:
            closers.setdefault(gate, set()).add(name)
    return {gate: frozenset(names) for gate, names in closers.items()}


@lru_cache(maxsize=1)
def _scan_gates() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(name, gates) of the scanned atoms."""
    return tuple((atom.name, atom.gates) for atom in _atoms() if atom.mode == "scan")


@lru_cache(maxsize=1)
def _requirements() -> dict[str, frozenset[str]]:
    """{gate of a scanned atom other than "digit": the words that open it (a|b: a word of class
    a or b)}."""
    gate_words = _gate_words()
    gates = {r for _, atom_gates in _scan_gates() for r in atom_gates} - {"digit"}
    return {r: frozenset().union(*(gate_words[alt] for alt in r.split("|"))) for r in gates}


_Opened = tuple[tuple[int, str, re.Pattern[str]], ...]
_Index = dict[str, _Opened]


@lru_cache(maxsize=1)
def _start_index() -> _Index:
    """{first word | 'digit' | 'apostrophe': the (rank, name, pattern) of the scanned atoms
    that can start with it}."""
    gate_words, grammar = _gate_words(), _grammar()
    index: dict[str, list[tuple[int, str]]] = {}
    for rank, atom in enumerate(_atoms()):
        for kind in atom.starts if atom.mode == "scan" else ():
            for key in gate_words.get(kind, frozenset({kind})):
                index.setdefault(key, []).append((rank, atom.name))
    return {
        key: tuple((rank, name, grammar[name]) for rank, name in sorted(set(atoms)))
        for key, atoms in index.items()
    }


@lru_cache(maxsize=64)
def _open_index(closed: frozenset[str]) -> _Index:
    """The start index without the closed atoms and the words left with none (texts share few
    closed sets, so this is built once for many)."""
    index = {key: tuple(a for a in atoms if a[1] not in closed) for key, atoms in _start_index().items()}
    return {key: atoms for key, atoms in index.items() if atoms}


# the start index's tokens other than words, each regex led by a class that the engine skips
# ahead to: a number's first digit, an apostrophe
_NUMBER = re.compile(r"\d(?<!\d\d)")
_APOSTROPHE = re.compile(r"['’‘`]")


def _key(token: str) -> str:
    """The start index key of a token: 'digit', 'apostrophe' or the word in lower case."""
    if token.isdigit():
        return "digit"
    return "apostrophe" if len(token) == 1 and not token.isalpha() else token.lower()


def _words(text: str) -> tuple[frozenset[str], list[re.Match[str]], list[str]]:
    """The words of the lowered text (what the gates read), and the match and start index key of
    each word of text: one scan of the text serves both."""
    low = text.lower()
    found = list(_WORD.finditer(low))
    forms = list(map(re.Match.group, found))
    words = frozenset(forms)
    if len(low) != len(text) or "Σ" in text:
        # lowering changed a length ('İ') or a letter by its context (final sigma): only then
        # are the words of the lowered text not the lowered words of text
        found = list(_WORD.finditer(text))
        forms = list(map(str.lower, map(re.Match.group, found)))
    # lowering keeps letters letters, and only a word with a non-letter ('²', '½') has a key
    # other than its lower case: one test of all words at once tells whether there is one
    if not "".join(forms).isalpha():
        for i in compress(count(), map(not_, map(str.isalpha, forms))):
            forms[i] = _key(text[found[i].start() : found[i].end()])
    return words, found, forms


def _openings(text: str) -> list[tuple[int, _Opened]]:
    """(position, atoms) where a token that can start scanned atoms not closed for text begins,
    in text order."""
    words, found, keys = _words(text)
    numbers = list(map(re.Match.start, _NUMBER.finditer(text)))
    index = _open_index(_closed_atoms(words, bool(numbers)))
    opened = list(map(index.get, keys))  # None for none: the index has no empty entry
    # only the opened words' starts are read (filter keeps the same non-empty entries)
    starts = list(zip(map(re.Match.start, compress(found, opened)), filter(None, opened), strict=True))
    if atoms := index.get("digit"):
        starts += zip(numbers, repeat(atoms))
    if atoms := index.get("apostrophe"):
        starts += zip(map(re.Match.start, _APOSTROPHE.finditer(text)), repeat(atoms))
    return sorted(starts)


def _matches(text: str) -> Iterator[tuple[int, str, re.Match[str]]]:
    """(rank, atom name, match) for the scanned atoms where a word that can start them begins,
    then for the anchored ones at the starts of the scanned matches."""
    starts: dict[str, set[int]] = {}
    for at, atoms in _openings(text):
        for rank, name, pattern in atoms:
            if found := pattern.match(text, at):
                starts.setdefault(name, set()).add(at)
                yield rank, name, found
    for rank, name, pattern, anchors in _anchored():
        for pos in sorted({p for anchor in anchors for p in starts.get(anchor, ())}):
            if found := pattern.match(text, pos):
                yield rank, name, found


@lru_cache(maxsize=1)
def _anchored() -> tuple[tuple[int, str, re.Pattern[str], tuple[str, ...]], ...]:
    """(rank, name, pattern, anchors) of the anchored atoms."""
    grammar = _grammar()
    return tuple(
        (rank, atom.name, grammar[atom.name], atom.anchors)
        for rank, atom in enumerate(_atoms())
        if atom.mode == "anchored"
    )


def _candidates(ctx: _Ctx) -> list[_Cand]:
    """Every resolvable match of every atom, minus those inside false friends."""
    blocked = [m.span() for m in _false_friends().finditer(ctx.text)]
    out = []
    for rank, name, m in _matches(ctx.text):
        span = m.span("span") if "span" in m.re.groupindex else m.span()
        if span[0] == span[1] or (blocked and any(a < span[1] and span[0] < b for a, b in blocked)):
            continue
        res = _HANDLERS[name](m, ctx, span, True)
        if res is not None:
            parts = _day_time_parts(m, ctx, rank, res) if name == "day_time" else ()
            out.append(_Cand(span[0], span[1], rank, res, parts))
    return out


def _day_time_parts(m: re.Match[str], ctx: _Ctx, rank: int, res: _Res) -> tuple[_Cand, ...]:
    """'zaterdag om 18.45 uur' is two mentions: the day, and the clock time on that day."""
    day_span, time_span = m.span("day"), m.span("t")
    day = _fragment(m["day"], ctx, day_span, _DAY_NAMES)
    if day is None:
        return ()
    clock = res._replace(extra=tuple((k, v) for k, v in res.extra if k != "part_of_day"))
    return _Cand(*day_span, rank, day), _Cand(*time_span, rank, clock)


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest match wins; ties go to the earlier atom; no overlaps; sorted by start (candidates
    are never empty)."""
    chosen: list[_Cand] = []  # by start; being disjoint and not empty, also by end
    starts: list[int] = []
    for cand in sorted(cands, key=lambda c: (c.start - c.end, c.rank, c.start)):
        i = bisect.bisect_left(starts, cand.end)  # chosen[:i] start before cand ends
        if not i or chosen[i - 1].end <= cand.start:
            chosen.insert(i, cand)
            starts.insert(i, cand.start)
    return chosen


def _with_role(ctx: _Ctx, cand: _Cand) -> _Cand:
    """Add extra['range'] for sinds/vanaf/tot... right before an open-ended date."""
    if dict(cand.res.extra).get("range"):
        return cand
    words = _vocab().range_words
    before = _preceded_by(ctx.text, cand.start, words)
    return cand._replace(res=cand.res.with_extra(range=words[before])) if before else cand


def _anchor(ctx: _Ctx, cands: list[_Cand], i: int) -> _Cand | None:
    """Resolve what depends on the other mentions (None drops the mention).

    A lone clock time or "'s ochtends" takes its sentence's day, else the latest day before
    it; "vandaag" in a quote about the past is the latest day before it in the past week;
    "datzelfde jaar" is the latest date before it; "drie dagen later" counts from it.
    """
    cand = cands[i]
    kind, *args = cand.res.todo
    if kind in ("time", "pod"):
        day = _context_day(ctx, cands, i, nearby_only=kind == "pod" and not args[0])
        if day is None:
            return cand if kind == "time" else None
        if kind == "pod":
            return cand._replace(res=_r_day(day).with_extra(**dict(cand.res.extra)))
        value = f"{day.isoformat()}T{int(args[0]):02d}:{int(args[1]):02d}"
        return cand._replace(res=cand.res._replace(value=value, start=day, end=day, todo=()))
    if kind == "today":
        return cand._replace(res=_spoken_day(cands, i))
    if kind == "same":
        return cand._replace(res=_same_period(cands, i, args[0]))
    return cand._replace(res=_anchored_offset(ctx, cands, i, float(args[0]), args[1]))


def _context_day(ctx: _Ctx, cands: list[_Cand], i: int, nearby_only: bool = False) -> date | None:
    """The nearest day in the sentence of cands[i], else (unless nearby_only) the latest one before it."""
    cand = cands[i]
    sentence = ctx.sentence(cand.start)
    days = [c for c in cands if c.res.granularity == "day" and c.res.start and c.res.value]
    same = [c for c in days if ctx.sentence(c.start) == sentence]
    if same:
        return min(same, key=lambda c: abs(c.start - cand.start)).res.start
    earlier = [c for c in days if c.start < cand.start]
    return earlier[-1].res.start if earlier and not nearby_only else None


def _spoken_day(cands: list[_Cand], i: int) -> _Res:
    """'vandaag' quoted about the past: the latest day mentioned before it, in the week before publication."""
    res = cands[i].res._replace(todo=())
    pub = res.start
    days = [
        c.res.start
        for c in cands[:i]
        if c.res.granularity in ("day", "time") and c.res.start and pub and 0 < (pub - c.res.start).days <= 7
    ]
    return _r_day(days[-1]).with_extra(**dict(res.extra)) if days else res


_SAME_FROM = {
    "day": ("day", "time"),
    "week": ("day", "time", "week"),
    "month": ("day", "time", "month"),
    "year": ("day", "time", "week", "month", "year", "season_of_year"),
}


def _same_period(cands: list[_Cand], i: int, unit: str) -> _Res:
    """datzelfde jaar, diezelfde dag: the period of the latest date before it that fixes one."""
    res = cands[i].res._replace(todo=())
    earlier = [
        c.res.start
        for c in cands[:i]
        if c.res.start and c.res.value and c.res.granularity in _SAME_FROM[unit]
    ]
    if not earlier:
        return res
    day = earlier[-1]
    if unit == "day":
        return _r_day(day)
    if unit == "week":
        return _r_week(_monday(day))
    return _r_month(day.year, day.month) if unit == "month" else _r_year(day.year)


def _anchored_offset(ctx: _Ctx, cands: list[_Cand], i: int, n: float, unit: str) -> _Res:
    """drie dagen later: n units from the nearest earlier date precise enough, else from publication."""
    need = (
        ("day", "time") if unit in ("day", "week") else ("day", "time", "month") if unit == "month" else None
    )
    earlier = [
        c.res.start
        for c in cands[:i]
        if c.res.start and c.res.value and (need is None or c.res.granularity in need)
    ]
    base = _Pub(earlier[-1].year, earlier[-1].month, earlier[-1]) if earlier else ctx.pub
    shifted = _shift(base, n, unit) or cands[i].res
    return shifted._replace(todo=())


def _mention(ctx: _Ctx, cand: _Cand) -> DateMention:
    res = cand.res
    return DateMention(
        start=cand.start,
        end=cand.end,
        text=ctx.text[cand.start : cand.end],
        value=res.value,
        granularity=res.granularity,
        mod=res.mod,
        date_start=res.start if res.value else None,
        date_end=res.end if res.value else None,
        resolved=res.value is not None,
        extra=dict(res.extra),
    )


def extract_dates(text: str, published: str | None) -> list[DateMention]:
    """Every Dutch date expression in text, normalized against the publication date.

    ``published`` is ISO text at its known precision ('2022-05-03', '2022-05', '2022') or
    None. Mentions are sorted by start and do not overlap (the longest match wins).
    """
    ctx = _Ctx.of(text, parse_published(published))
    selected = [part for c in _select(_candidates(ctx)) for part in (c.parts or (c,))]
    cands = [_with_role(ctx, c) for c in selected]
    anchored = [_anchor(ctx, cands, i) if c.res.todo else c for i, c in enumerate(cands)]
    return [_mention(ctx, c) for c in anchored if c is not None]
