"""Find football clubs and national teams in a document and resolve them to canonical names.

The gazetteer (``resources/clubs.jsonl``, built by ``scripts/build_gazetteer.py``) lists each
club or national team with its aliases; the word lists that steer the rules are data in
``resources/clubs/``. Three kinds of alias behave differently:

* plain aliases ("Real Madrid", "Rode Duivels") are mentions wherever they occur, unless
  they are part of a longer name ("York City" in "New York City", "Koninklijke Musea");
* context aliases are also places or words ("Genk", "Liverpool", "Italië", "Oranje"). Never
  a team after a place word ("in Qatar", "in de Verenigde Staten", "naar Australië" for
  countries, "de burgemeester van Genk"), nor inside a longer name. A country is a national
  team where a football cue is near ("bondscoach bij Italië", "tegen Frankrijk") in a
  football article, and never as a parenthetical ("AC Milan (Italië)"). A city is a club
  where it is glued ("Club-Anderlecht"), parenthesized ("Van Dijk (Liverpool)"), near a
  football-only word or a match word plus another team, or in a sentence with a football
  cue in a football article;
* ambiguous aliases ("Real", "City", "Club", "de Limburgers") resolve to a club named in
  full in the same article, else (not for forms with an article) to the only candidate
  from a country the article's clubs or leagues belong to, else to the default club the
  data names for that alias when football context supports it.

Matching works on word pieces (text split at hyphens and punctuation), so glued forms such
as "Real-coach" or "Anderlecht-verdediger" yield the club part. Case matters ("real" is
not Real Madrid); diacritics do not ("Atletico" = "Atlético").
"""

from __future__ import annotations

import csv
import json
import logging
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import compress, count, filterfalse, product
from operator import attrgetter, itemgetter, not_
from typing import NamedTuple, cast

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

from .nlp import coarse_label, doc_ents, doc_text
from .records import ClubMention

logger = logging.getLogger(__name__)

KINDS = ("club", "national_team")
GAZETTEER_FILE = "clubs.jsonl"
RULES_DIR = "clubs"
WINDOW = 8  # words on either side in which a football cue makes a country a team
_PIECE = re.compile(r"\w+|[^\w\s]")
_SPACED_PIECE = re.compile(r"(\s*)(\w+|[^\w\s])")  # a piece and the whitespace before it
_REQUIRED: dict[str, type] = {"name": str, "aliases": list, "country": str, "kind": str}
_OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "league": (str, type(None)),
    "ambiguous_aliases": list,
    "context_aliases": list,
    "default_for": list,
}


@dataclass(frozen=True, slots=True)
class ClubEntry:
    """One club or national team with its aliases and how each may be used."""

    name: str
    kind: str
    country: str
    league: str | None
    aliases: tuple[str, ...]
    ambiguous_aliases: frozenset[str] = frozenset()
    context_aliases: frozenset[str] = frozenset()
    default_for: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class AliasRef:
    """An alias as the matcher sees it: the entry, how to treat it, and article pieces to skip."""

    entry: ClubEntry
    alias: str
    ambiguous: bool
    context: bool
    skip: int = 0


@dataclass(frozen=True, slots=True)
class Rules:
    """Word lists that decide between team and place, kept in ``resources/clubs/``."""

    cues: frozenset[str]
    article_cues: frozenset[str]
    place_words: Mapping[str, frozenset[str]]  # kind -> words that make the next name a place
    genitive: frozenset[str]  # "van": a place unless a football cue precedes it
    separators: frozenset[str]  # "en", ",": a list goes on ("in Italië, Engeland en Spanje")
    affixes: frozenset[str]  # legal-form words ("FC"), lowercased without dots
    determiners: frozenset[str]
    team_nouns: tuple[tuple[str, ...], ...]
    adjectives: Mapping[tuple[str, ...], str]  # folded pieces -> English country
    leagues: Mapping[tuple[str, ...], str]  # folded pieces -> English country
    firsts: frozenset[str] = frozenset()  # first pieces of adjectives and leagues
    team_suffixes: frozenset[str] = frozenset()  # "Vrouwen", "U21": a team of the club, not a longer name
    competitions: frozenset[str] = frozenset()  # "Beker": "Beker van België" names no team


@dataclass(frozen=True)
class Gazetteer:
    """Validated entries plus the piece index the matcher uses; build with :func:`make_gazetteer`."""

    entries: tuple[ClubEntry, ...]
    rules: Rules
    index: Mapping[tuple[str, ...], tuple[AliasRef, ...]] = field(repr=False)
    national_teams: Mapping[str, ClubEntry] = field(repr=False)  # English country -> entry
    first: Mapping[str, int] = field(repr=False)  # first piece of an alias -> longest such alias
    by_name: Mapping[str, ClubEntry] = field(repr=False, default_factory=dict)
    prefixes: frozenset[tuple[str, ...]] = field(repr=False, default=frozenset())  # of the index keys
    starters: frozenset[str] = field(repr=False, default=frozenset())  # first pieces of aliases and phrases

    def __post_init__(self) -> None:
        """Build the prefixes of the alias keys and the starters when the caller did not pass them."""
        if self.index and not self.prefixes:
            prefixes = frozenset(key[:n] for key in self.index for n in range(1, len(key) + 1))
            object.__setattr__(self, "prefixes", prefixes)
        if not self.starters:
            object.__setattr__(self, "starters", self.rules.firsts | self.first.keys())

    def get(self, name: str) -> ClubEntry | None:
        """The entry with this canonical name, if any."""
        return self.by_name.get(name)


class Piece(NamedTuple):
    """A word or punctuation piece of the document with its character offsets (a tuple: cheap to build)."""

    text: str
    key: str
    start: int
    end: int
    sent: int
    word: bool


@dataclass(slots=True)
class Match:
    """A gazetteer hit over pieces ``[i, j)``; ``refs`` are the entries the alias may mean."""

    i: int
    j: int
    refs: tuple[AliasRef, ...]
    skip: int = 0
    entry: ClubEntry | None = None


# --------------------------------------------------------------------------- text pieces


def fold(text: str) -> str:
    """Text without diacritics and with straight apostrophes; case is kept."""
    if text.isascii():
        return text
    text = text.replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(compress(decomposed, map(not_, map(unicodedata.combining, decomposed))))


@lru_cache(maxsize=4096)
def _fold_piece(piece: str) -> str:
    """:func:`fold` of one piece, cached: most non-ASCII pieces are a few quote marks and dashes."""
    return fold(piece)


def split_pieces(text: str) -> list[str]:
    """Words and single punctuation marks of ``text`` ("Real-coach" -> Real, -, coach)."""
    return _PIECE.findall(text)


def alias_key(alias: str) -> tuple[str, ...]:
    """The folded piece tuple an alias is indexed under."""
    return tuple(fold(p) for p in split_pieces(alias))


def doc_pieces(doc: Doc, text: str | None = None) -> list[Piece]:
    """All pieces of the doc (whose ``text`` may be passed in), with sentence numbers."""
    return _pieces_and_words(doc, doc_text(doc) if text is None else text)[0]


def _pieces_and_words(doc: Doc, text: str) -> tuple[list[Piece], list[str | None]]:
    """The pieces of ``doc`` (see :func:`doc_pieces`) and the key of each word piece, None for
    punctuation (built in the same pass: the per-piece scans start from these keys)."""
    rows = doc.to_array([IDX, SENT_START])[1:]  # SENT_START is 0 everywhere without sentences
    bounds: list[int] = rows[rows[:, 1] == 1, 0].tolist()
    bounds.append(len(text) + 1)
    pieces: list[Piece] = []
    words: list[str | None] = []
    make = tuple.__new__  # Piece(...) without the Python-level __new__ frame: same tuples, faster
    sent, bound, end = 0, bounds[0], 0
    ascii_text = text.isascii()  # then no word needs folding: one test instead of one per piece
    for space, word in _SPACED_PIECE.findall(text):  # offsets follow from the lengths
        start = end + len(space)
        end = start + len(word)
        while start >= bound:
            sent += 1
            bound = bounds[sent]
        key = word if ascii_text or word.isascii() else _fold_piece(word)
        is_word = word[0].isalnum()
        pieces.append(make(Piece, (word, key, start, end, sent, is_word)))
        words.append(key if is_word else None)
    return pieces, words


# --------------------------------------------------------------------------- loading


def _resource(*parts: str) -> Traversable:
    path = resources.files("pipeline") / "resources"
    for part in parts:
        path = path / part
    return path


def read_word_list(name: str) -> list[str]:
    """A one-item-per-line resource from ``resources/clubs/`` (``#`` starts a comment)."""
    path = _resource(RULES_DIR, name)
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = line.split("#", 1)[0].strip()
        if item:
            items.append(item)
    if not items:
        raise ValueError(f"{path}: the word list is empty; restore it from version control.")
    return items


def read_csv_rows(name: str, columns: Sequence[str]) -> list[dict[str, str]]:
    """Rows of a ``resources/clubs/`` CSV (``#`` lines are comments), checked for ``columns``."""
    path = _resource(RULES_DIR, name)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    reader = csv.DictReader(lines)
    if list(reader.fieldnames or []) != list(columns):
        raise ValueError(f"{path}: header must be {','.join(columns)}, found {reader.fieldnames}.")
    rows = []
    for number, row in enumerate(reader, start=2):
        if any(row.get(c) is None for c in columns) or None in row:
            raise ValueError(f"{path}: data row {number} must have exactly {len(columns)} columns.")
        rows.append({k: v.strip() for k, v in row.items()})
    return rows


COUNTRY_COLUMNS = ("code", "country", "name_nl", "adjectives", "national_team")
LEAGUE_COLUMNS = ("code", "country", "name", "aliases")


def load_rules() -> Rules:
    """The context word lists, validated."""
    kinds = ("all", "national_team", "unless_cue", "list")
    places: dict[str, set[str]] = {kind: set() for kind in kinds}
    for row in read_csv_rows("place_prepositions.csv", ("word", "applies_to")):
        if row["applies_to"] not in kinds:
            raise ValueError(f"place_prepositions.csv: applies_to must be one of {kinds}: {row}")
        places[row["applies_to"]].add(row["word"])
    places["club"] = places["all"]
    places["national_team"] |= places["all"]
    adjectives = {
        alias_key(adj): row["country"]
        for row in read_csv_rows("countries.csv", COUNTRY_COLUMNS)
        for adj in row["adjectives"].split("|")
        if adj
    }
    leagues = {
        alias_key(name): row["country"]
        for row in read_csv_rows("leagues.csv", LEAGUE_COLUMNS)
        for name in [row["name"], *row["aliases"].split("|")]
        if name
    }
    return Rules(
        cues=frozenset(w.lower() for w in read_word_list("football_cues.txt")),
        article_cues=frozenset(w.lower() for w in read_word_list("football_article_cues.txt")),
        place_words={k: frozenset(places[k]) for k in KINDS},
        genitive=frozenset(places["unless_cue"]),
        separators=frozenset(places["list"]),
        affixes=frozenset(w.lower().replace(".", "") for w in read_word_list("club_affixes.txt")),
        determiners=frozenset(w.lower() for w in read_word_list("determiners.txt")),
        team_nouns=tuple(tuple(p.lower() for p in split_pieces(n)) for n in read_word_list("team_nouns.txt")),
        adjectives=adjectives,
        leagues=leagues,
        firsts=frozenset(k[0] for k in [*adjectives, *leagues]),
        team_suffixes=frozenset(w.lower() for w in read_word_list("team_suffixes.txt")),
        competitions=frozenset(w.lower() for w in read_word_list("competition_heads.txt")),
    )


def parse_entry(data: object, where: str) -> ClubEntry:
    """One gazetteer line as a :class:`ClubEntry`; ``where`` names file and line in errors."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(data).__name__}.")
    for key, typ in _REQUIRED.items():
        if not isinstance(data.get(key), typ):
            raise ValueError(f"{where}: field {key!r} is missing or not a {typ.__name__}.")
    unknown = set(data) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}; allowed: {[*_REQUIRED, *_OPTIONAL]}.")
    for key, types in _OPTIONAL.items():
        if key in data and not isinstance(data[key], types):
            raise ValueError(f"{where}: field {key!r} has the wrong type.")
    if data["kind"] not in KINDS:
        raise ValueError(f"{where}: kind must be one of {KINDS}, got {data['kind']!r}.")
    aliases = tuple(data["aliases"])
    if data["name"] not in aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ValueError(f"{where}: aliases must be non-empty strings and include the name {data['name']!r}.")
    flags = {k: frozenset(data.get(k, [])) for k in ("ambiguous_aliases", "context_aliases", "default_for")}
    for key, values in flags.items():
        stray = values - set(aliases) if key != "default_for" else values - flags["ambiguous_aliases"]
        if stray:
            raise ValueError(
                f"{where}: {key} {sorted(stray)} are not among the entry's aliases/ambiguous_aliases."
            )
    return ClubEntry(
        data["name"], data["kind"], data["country"], data.get("league"), aliases,
        flags["ambiguous_aliases"], flags["context_aliases"], flags["default_for"],
    )  # fmt: skip


def parse_entries(lines: Iterable[str], source: str) -> list[ClubEntry]:
    """Entries from JSON lines (blank lines skipped), each validated."""
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(
                f"{source}:{number}: not valid JSON ({err}); rebuild with `make gazetteer`."
            ) from err
        entries.append(parse_entry(data, f"{source}:{number}"))
    return entries


def validate_entries(entries: Sequence[ClubEntry], source: str, countries: Iterable[str]) -> None:
    """Cross-entry checks: unique names, known countries, shared aliases flagged ambiguous."""
    known = set(countries)
    seen: dict[str, ClubEntry] = {}
    owners: dict[tuple[str, ...], list[ClubEntry]] = {}
    for entry in entries:
        if entry.name in seen:
            raise ValueError(f"{source}: canonical name {entry.name!r} appears twice; merge the entries.")
        seen[entry.name] = entry
        if entry.country not in known:
            raise ValueError(f"{source}: {entry.name!r} has country {entry.country!r}, not in countries.csv.")
        for alias in entry.aliases:
            owners.setdefault(alias_key(alias), []).append(entry)
    for key, group in owners.items():
        if len({e.name for e in group}) > 1:
            unflagged = [e.name for e in group if not any(alias_key(a) == key for a in e.ambiguous_aliases)]
            if unflagged:
                raise ValueError(
                    f"{source}: alias {' '.join(key)!r} belongs to {[e.name for e in group]} but is not "
                    f"flagged ambiguous for {unflagged}; flag it in club_aliases_nl.jsonl and rebuild."
                )


def _alias_keys(alias: str, determiners: frozenset[str]) -> Iterator[tuple[tuple[str, ...], int]]:
    """Index keys of an alias with the number of leading article pieces to leave out of mentions."""
    key = alias_key(alias)
    skip = 1 if len(key) > 1 and key[0].lower() in determiners else 0
    variants = {key}
    first = key[0]
    if first[:1].islower():
        variants.add((first[:1].upper() + first[1:], *key[1:]))
    for variant in variants:
        yield variant, skip


def make_gazetteer(entries: Sequence[ClubEntry], rules: Rules) -> Gazetteer:
    """Index the entries for matching (built once per gazetteer)."""
    index: dict[tuple[str, ...], list[AliasRef]] = {}
    for entry in entries:
        for alias in entry.aliases:
            for key, skip in _alias_keys(alias, rules.determiners):
                ref = AliasRef(
                    entry, alias, alias in entry.ambiguous_aliases, alias in entry.context_aliases, skip
                )
                index.setdefault(key, []).append(ref)
    national = {e.country: e for e in entries if e.kind == "national_team"}
    first: dict[str, int] = {}
    for key in index:
        first[key[0]] = max(first.get(key[0], 0), len(key))
    frozen = {k: tuple(v) for k, v in index.items()}
    by_name = {e.name: e for e in entries}
    return Gazetteer(tuple(entries), rules, frozen, national, first, by_name)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer, validated on load."""
    path = _resource(GAZETTEER_FILE)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; build it with `make gazetteer`.")
    entries = parse_entries(path.read_text(encoding="utf-8").splitlines(), str(path))
    countries = [r["country"] for r in read_csv_rows("countries.csv", COUNTRY_COLUMNS)]
    validate_entries(entries, str(path), countries)
    gazetteer = make_gazetteer(entries, load_rules())
    logger.info("club gazetteer: %d entries, %d alias keys", len(entries), len(gazetteer.index))
    return gazetteer


# --------------------------------------------------------------------------- matching


@dataclass
class _Context:
    """What the resolver knows about the article: pieces, cues, accepted mentions, evidence."""

    pieces: list[Piece]
    gazetteer: Gazetteer
    cue: set[int]  # positions of football_cues.txt words and scores
    strong: set[int]  # positions of football_article_cues.txt words and scores
    persons: list[tuple[int, int]]
    league_countries: set[str]
    full: dict[str, list[int]] = field(default_factory=dict)  # name -> piece positions
    countries: set[str] = field(default_factory=set)
    starts: dict[int, Match] = field(default_factory=dict)
    ends: dict[int, Match] = field(default_factory=dict)
    at: dict[int, Match] = field(default_factory=dict)  # every piece a match covers
    place_ends: set[int] = field(default_factory=set)
    text: str = ""  # the document text
    windows: dict[int, list[int]] = field(default_factory=dict)  # match start -> its _window
    recurring: bool = field(init=False)  # two or more article cues: counted once, asked per match

    def __post_init__(self) -> None:
        """Count the article cues once."""
        self.recurring = len(self.strong) >= 2

    @property
    def football(self) -> bool:
        """The article is about football: a club was named outright, or football words recur."""
        return bool(self.full) or self.recurring

    def accept(self, match: Match, entry: ClubEntry) -> None:
        """Record a resolved mention as evidence for later decisions."""
        match.entry = entry
        self.full.setdefault(entry.name, []).append(match.i)
        if entry.kind == "club":
            self.countries.add(entry.country)


_LONG = 6  # cues this long also count as the end of a compound; indexed by this many last letters
_DASHES = frozenset("-–")  # between the goals of a score
# a dash glued on both sides to a word of at most 2 letters, as in a score: one regex per dash,
# each led by its dash (re then jumps from dash to dash far faster than for a class)
_SCORE_DASHES = tuple(re.compile(rf"{d}(?<=\w{d})(?<!\w\w\w{d})(?=\w)(?!\w\w\w)") for d in sorted(_DASHES))
_KEY, _START, _SENT = attrgetter("key"), attrgetter("start"), attrgetter("sent")
_FIRST = itemgetter(0)
_I, _J, _LABEL = attrgetter("i"), attrgetter("j"), attrgetter("label_")
_AMBIGUOUS, _CONTEXT, _NAME = attrgetter("ambiguous"), attrgetter("context"), attrgetter("entry.name")
_TAIL = itemgetter(slice(-_LONG, None))  # the last letters by which long cues are indexed


@lru_cache(maxsize=8)
def _cue_tails(cues: frozenset[str]) -> Mapping[str, tuple[str, ...]]:
    """The cues of 6+ letters (which also count as the end of a compound) by their last 6 letters."""
    tails: dict[str, list[str]] = {}
    for cue in sorted(cues):
        if len(cue) >= _LONG:
            tails.setdefault(cue[-_LONG:], []).append(cue)
    return {tail: tuple(group) for tail, group in tails.items()}


@lru_cache(maxsize=8)
def _cue_screen(cues: frozenset[str], strong_cues: frozenset[str]) -> frozenset[str]:
    """The short cues of both lists and the last letters of their long cues: a lowercase word
    whose last 6 letters (all of a shorter word) are not among them is no cue of either list.

    A long cue ends in its own tail, and a short word cannot equal a 6-letter tail."""
    short = {cue for cue in cues | strong_cues if len(cue) < _LONG}
    return frozenset(short | _cue_tails(cues).keys() | _cue_tails(strong_cues).keys())


def _is_cue(low: str, cues: frozenset[str], long_cues: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether the lowercase word is one of ``cues``, or a compound ending in one of ``long_cues``
    (from :func:`_cue_tails`); a word shorter than 6 letters has no 6-letter tail."""
    tail = low[-_LONG:]
    return low in cues or (tail in long_cues and low.endswith(long_cues[tail]))


@lru_cache(maxsize=8)
def _ascii_spellings(words: frozenset[str]) -> frozenset[str]:
    """The ASCII strings whose lowercase is one of ``words``: their letters in either case.

    An ASCII word is then tested without lowering it; no other ASCII string lowers to a word."""
    return frozenset(
        "".join(letters)
        for word in words
        if word.isascii() and word == word.lower()
        for letters in product(*({c, c.upper()} for c in word))
    )


def _vocabulary(words: Iterable[str | None]) -> tuple[set[str], list[str]]:
    """The distinct words of ``words`` (from :func:`_pieces_and_words`), and those of them that are
    not ASCII (few: the only ones lowered one by one)."""
    distinct = set(words)
    distinct.discard(None)  # punctuation
    keys = cast("set[str]", distinct)
    # one test of all the words at once, as they mostly are all ASCII
    return keys, [] if "".join(keys).isascii() else list(filterfalse(str.isascii, keys))


def _cue_flags(
    pieces: Sequence[Piece],
    words: Sequence[str | None],
    vocabulary: tuple[set[str], list[str]],
    rules: Rules,
    text: str,
) -> tuple[set[int], set[int]]:
    """The positions of the pieces of ``text`` that are cues, and of those that are article cues
    (also as the end of a compound, for cues of 6+ letters), or part of a score like 4-3. ``words``
    is from :func:`_pieces_and_words`, ``vocabulary`` from :func:`_vocabulary`."""
    cues, strong_cues = rules.cues, rules.article_cues
    long_cues, long_strong = _cue_tails(cues), _cue_tails(strong_cues)
    screen = _ascii_spellings(_cue_screen(cues, strong_cues))
    distinct, other = vocabulary
    cue_keys, strong_keys = set(), set()
    # each distinct word once; the screen, run in C on the words as written, rejects most ASCII
    # words at once (the screen only rules out: the other words go to the exact tests)
    for key in set(compress(distinct, map(screen.__contains__, map(_TAIL, distinct)))).union(other):
        low = key.lower()
        if _is_cue(low, cues, long_cues):
            cue_keys.add(key)
        if _is_cue(low, strong_cues, long_strong):
            strong_keys.add(key)
    found = _positions(cue_keys | strong_keys, words)  # one pass for both: cues are few
    flags = {k for k in found if words[k] in cue_keys}
    strong = {k for k in found if words[k] in strong_keys}
    for k in _scores(pieces, text):
        flags.update((k, k + 2))
        strong.update((k, k + 2))
    return flags, strong


def _positions(keys: set[str] | frozenset[str], words: Sequence[str | None]) -> list[int]:
    """The positions of ``words`` that are in ``keys`` (often empty: then no pass)."""
    return list(compress(count(), map(keys.__contains__, words))) if keys else []


def _scores(pieces: Sequence[Piece], text: str) -> Iterator[int]:
    """The first pieces of the scores like 4-3 in ``text``, whose ``pieces`` these are (by dash, then
    in order)."""
    for pattern in _SCORE_DASHES:  # the regexes find the few dashes between two short words
        for match in pattern.finditer(text):
            dash = bisect_left(pieces, match.start(), key=_START)
            if 0 < dash < len(pieces) - 1 and _is_score(pieces, dash - 1):
                yield dash - 1


def _is_score(pieces: Sequence[Piece], k: int) -> bool:
    """Pieces k..k+2 are a score like 4-3, not part of a longer code like 3-907044-88-6."""
    a, dash, b = pieces[k : k + 3]
    if not (a.text.isdigit() and b.text.isdigit() and len(a.text) <= 2 and len(b.text) <= 2):
        return False
    if dash.text not in _DASHES or not a.end == dash.start == b.start - 1:
        return False
    return not (_digits_glued(pieces, k, -1) or _digits_glued(pieces, k + 2, 1))


def _digits_glued(pieces: Sequence[Piece], k: int, step: int) -> bool:
    """Piece ``k`` continues, in direction ``step``, into more digits ("88-6" in "3-907044-88-6")."""
    near, far = k + step, k + 2 * step
    if not _touching(pieces, k, near):
        return False
    if pieces[near].text.isdigit():
        return True
    return pieces[near].text in _DASHES and _touching(pieces, near, far) and pieces[far].text.isdigit()


def _touching(pieces: Sequence[Piece], x: int, y: int) -> bool:
    """Pieces ``x`` and ``y`` (either order) both exist and nothing lies between them."""
    lo, hi = min(x, y), max(x, y)
    return lo >= 0 and hi < len(pieces) and pieces[lo].end == pieces[hi].start


def _persons(doc: Doc) -> list[tuple[int, int]]:
    """Character spans the NER tagged as persons (empty for a doc without NER)."""
    ents = doc_ents(doc)
    labels = list(map(_LABEL, ents))
    person = {label for label in set(labels) if coarse_label(label) == "person"}  # a few labels per doc
    return [(e.start_char, e.end_char) for e in compress(ents, map(person.__contains__, labels))]


def _lookup(
    pieces: Sequence[Piece], i: int, keys: Mapping[tuple[str, ...], str], rules: Rules
) -> tuple[int, str]:
    """Longest key (up to 5 pieces) starting at ``i`` within one sentence: (end, value) or (i, "")."""
    if pieces[i].key not in rules.firsts:
        return i, ""
    ahead = tuple(map(_KEY, pieces[i : i + 5]))
    for end in range(min(len(pieces), i + 5), i, -1):
        if pieces[end - 1].sent != pieces[i].sent:
            continue
        key = ahead[: end - i]
        if key in keys:
            return end, keys[key]
    return i, ""


def _league_countries(
    pieces: Sequence[Piece], words: Sequence[str | None], starts: Sequence[int], rules: Rules
) -> set[str]:
    """Countries of the leagues the article names ("Pro League" -> Belgium), looked up at the
    ``starts`` from :func:`_starts`."""
    found = set()
    # the starts where _lookup can match: first pieces (picked in C), capitalized
    for i in compress(starts, map(rules.firsts.__contains__, map(words.__getitem__, starts))):
        if pieces[i].text[:1].isupper():
            end, country = _lookup(pieces, i, rules.leagues, rules)
            if end > i:
                found.add(country)
    return found


def _phrase_at(pieces: Sequence[Piece], i: int, gaz: Gazetteer) -> Match | None:
    """ "de Canadese nationale elf" / "het Nederlands elftal" as a national-team match."""
    rules = gaz.rules
    k = i + 1 if pieces[i].key.lower() in rules.determiners else i
    if k >= len(pieces) or not pieces[k].text[:1].isupper():
        return None
    end, country = _lookup(pieces, k, rules.adjectives, rules)
    team = gaz.national_teams.get(country)
    if end == k or team is None:
        return None
    # lowered once for all nouns: the longest noun bounds the pieces they read
    ahead = tuple(p.key.lower() for p in pieces[end : end + max(map(len, rules.team_nouns), default=0)])
    for noun in rules.team_nouns:
        stop = end + len(noun)
        if ahead[: len(noun)] == noun and pieces[stop - 1].sent == pieces[i].sent:
            ref = AliasRef(team, " ".join(p.text for p in pieces[i:stop]), False, False)
            return Match(i, stop, (ref,), entry=team)
    return None


def _alias_at(pieces: Sequence[Piece], i: int, gaz: Gazetteer) -> Match | None:
    """The longest gazetteer alias starting at piece ``i``, within one sentence.

    Walks forward while the pieces so far begin some alias (sentence numbers never decrease).
    """
    sent = pieces[i].sent
    prefixes, index = gaz.prefixes, gaz.index
    key: tuple[str, ...] = ()
    found: tuple[int, tuple[AliasRef, ...]] | None = None
    for piece in pieces[i : i + gaz.first.get(pieces[i].key, 0)]:
        key = (*key, piece.key)
        if piece.sent != sent or key not in prefixes:
            break
        refs = index.get(key)
        if refs:
            found = (i + len(key), refs)
    return None if found is None else _alias_match(i, *found)


def _alias_match(i: int, j: int, refs: tuple[AliasRef, ...]) -> Match:
    """The match of an alias over pieces ``[i, j)`` (its leading article left out of mentions)."""
    return Match(i, j, refs, skip=refs[0].skip)


def _articles(vocabulary: tuple[set[str], list[str]], determiners: frozenset[str]) -> set[str]:
    """The distinct words (``vocabulary`` from :func:`_vocabulary`) that are articles in any case."""
    distinct, other = vocabulary
    articles = distinct.intersection(_ascii_spellings(determiners))
    return articles.union(key for key in other if key.lower() in determiners)


def _starts(words: Sequence[str | None], distinct: set[str], articles: set[str], gaz: Gazetteer) -> list[int]:
    """The word pieces where a match may start: an alias piece, an adjective or league piece, or
    one of the ``articles`` (``words`` from :func:`_pieces_and_words`, ``distinct`` the set of them)."""
    # set operations on the distinct words, then one pass over the pieces: all in C
    return _positions(gaz.starters.intersection(distinct).union(articles), words)


def _scan(pieces: Sequence[Piece], starts: Iterable[int], articles: set[str], gaz: Gazetteer) -> list[Match]:
    """Non-overlapping longest matches, left to right, tried at the ``starts`` from :func:`_starts`
    (``articles`` from :func:`_articles`)."""
    firsts = gaz.rules.firsts
    index, prefixes = gaz.index, gaz.prefixes
    matches: list[Match] = []
    done = 0  # pieces before this are inside a match
    for i in starts:
        if i < done:
            continue
        # cheap tests before the calls: the next piece must continue an alias, adjective or league
        key, nxt = pieces[i].key, pieces[i + 1].key if i + 1 < len(pieces) else ""
        phrase = key in firsts or (nxt in firsts and key in articles)
        best = _phrase_at(pieces, i, gaz) if phrase else None
        if (key, nxt) in prefixes:
            match = _alias_at(pieces, i, gaz)
        else:  # no alias goes on with the next piece: at most this one piece, without the walk
            refs = index.get((key,))
            match = _alias_match(i, i + 1, refs) if refs else None
        if match and (best is None or match.j > best.j):
            best = match  # the longer match; the phrase on a tie
        if best is not None:
            matches.append(best)
            done = best.j
    return matches


# --------------------------------------------------------------------------- resolution


def _entries(match: Match) -> list[ClubEntry]:
    """The distinct entries a match may stand for, in index order."""
    seen: dict[str, ClubEntry] = {}
    for ref in match.refs:
        seen.setdefault(ref.entry.name, ref.entry)
    return list(seen.values())


def _prev_word(ctx: _Context, k: int) -> int | None:
    """Index of the piece before ``k`` in the same sentence, or None."""
    return k - 1 if k > 0 and ctx.pieces[k - 1].sent == ctx.pieces[k].sent else None


def _after_place_word(ctx: _Context, match: Match, kind: str) -> bool:
    """ "in Qatar", "in de Verenigde Staten", "de burgemeester van Genk", and list members after one."""
    p = _prev_word(ctx, match.i + match.skip)
    if p is not None and ctx.pieces[p].key.lower() in ctx.gazetteer.rules.determiners:
        p = _prev_word(ctx, p)
    if p is None:
        return False
    word, rules = ctx.pieces[p].key.lower(), ctx.gazetteer.rules
    if word in rules.place_words[kind]:
        return True
    if word in rules.genitive:
        head = _prev_word(ctx, p)
        if head is not None and ctx.pieces[head].key.lower() in rules.competitions:
            return True  # "de Beker van België": a competition, not the team
        return head is None or not (head in ctx.cue or head in ctx.strong)
    return word in rules.separators and p in ctx.place_ends


def _in_parentheses(ctx: _Context, match: Match) -> bool:
    """ "AC Milan (Italië)": the name is the whole parenthetical."""
    before, after = match.i - 1, match.j
    return (
        before >= 0
        and after < len(ctx.pieces)
        and ctx.pieces[before].text == "("
        and ctx.pieces[after].text == ")"
    )


def _glued(ctx: _Context, match: Match) -> bool:
    """ "Club-Anderlecht", "België-Nederland": hyphenated to another name."""
    pieces, i, j = ctx.pieces, match.i, match.j
    left = (
        i >= 2
        and pieces[i - 1].text == "-"
        and pieces[i - 1].start == pieces[i - 2].end
        and (i - 1) in ctx.ends
    )
    right = j + 1 < len(pieces) and pieces[j].text == "-" and pieces[j].start == pieces[j - 1].end
    return left or (right and (j + 1) in ctx.starts)


def _window(ctx: _Context, match: Match) -> list[int]:
    """Pieces within WINDOW words before and after the match, in its sentence (found once per match:
    the resolver asks for them in several tests and rounds)."""
    window = ctx.windows.get(match.i)
    if window is not None:
        return window
    pieces, sent = ctx.pieces, ctx.pieces[match.i].sent
    window = ctx.windows[match.i] = []
    for direction, k in ((-1, match.i - 1), (1, match.j)):
        words = 0
        while 0 <= k < len(pieces) and pieces[k].sent == sent and words < WINDOW:
            window.append(k)
            words += pieces[k].word
            k += direction
    return window


def _lineup_head(ctx: _Context, match: Match) -> bool:
    """The name opens a line and a colon and a list follow: "Sint-Truiden: Kokubo; Sissako, Brüls, ..."."""
    start, end = ctx.pieces[match.i].start, ctx.pieces[match.j - 1].end
    if ctx.text[:start].rstrip(" \t")[-1:] not in ("", "\n") or ctx.text[end : end + 1] != ":":
        return False
    line = ctx.text[end : ctx.text.find("\n", end) % (len(ctx.text) + 1)]
    return line.count(",") + line.count(";") >= 2


def _team_near(ctx: _Context, match: Match, kind: str, *, resolved: bool) -> bool:
    """Another name of ``kind`` in the window (resolved, or with ``resolved=False`` a candidate)."""
    for k in _window(ctx, match):
        other = ctx.at.get(k)
        if other is None or other is match:
            continue
        if other.entry is not None and other.entry.kind == kind:
            return True
        if not resolved and other.entry is None and any(ref.entry.kind == kind for ref in other.refs):
            return True
    return False


def _football_sentence(ctx: _Context, match: Match) -> bool:
    """The article is football and this sentence has a football cue or another club name."""
    if not ctx.football:
        return False
    sent = ctx.pieces[match.i].sent
    for k in range(bisect_left(ctx.pieces, sent, key=_SENT), bisect_right(ctx.pieces, sent, key=_SENT)):
        if match.i <= k < match.j:
            continue
        other = ctx.at.get(k)
        if k in ctx.cue or (other is not None and any(ref.entry.kind == "club" for ref in other.refs)):
            return True
    return False


def _football_near(ctx: _Context, match: Match, kind: str) -> bool:
    """A football-only word nearby, or a match word ("won", "tegen") next to another team name."""
    window = _window(ctx, match)
    if not ctx.strong.isdisjoint(window):
        return True
    return not ctx.cue.isdisjoint(window) and _team_near(ctx, match, kind, resolved=False)


def _inside_name(ctx: _Context, match: Match, *, exact_person: bool = False) -> bool:
    """A name that is part of a longer proper name ("New York City", "Milan Borjan").

    That is: inside a longer person entity (or, with ``exact_person``, tagged as a person
    itself: "Toledo verloor de verkiezingen"), right after a capitalized word that is neither
    sentence-initial nor a legal form ("FC"), or right before one.
    """
    pieces, start, end = ctx.pieces, match.i + match.skip, match.j
    span = (pieces[start].start, pieces[end - 1].end)
    # entities do not overlap: only the last person starting at or before the name can hold it
    k = bisect_right(ctx.persons, span[0], key=_FIRST) - 1
    if k >= 0 and span[1] <= ctx.persons[k][1] and (ctx.persons[k] != span or exact_person):
        return True
    if _name_before(ctx, start):
        return True
    # the capital first: it rules out most names, and the tests have no side effects
    if end >= len(pieces) or not _capital_beside(pieces[end], pieces[end - 1], pieces[end]):
        return False
    if pieces[end].sent != pieces[start].sent or end in ctx.starts:
        return False
    # "FC Twente Vrouwen", "Jong Ajax U21": the club's own team
    return pieces[end].key.lower() not in ctx.gazetteer.rules.team_suffixes


def _name_before(ctx: _Context, start: int) -> bool:
    """The word before piece ``start`` is capitalized, not sentence-initial and no legal form ("FC")."""
    if start < 2:  # no word before, or a sentence-initial one
        return False
    word = ctx.pieces[start - 1]
    # the capital first: it rules out most names, and the tests have no side effects
    if not _capital_beside(word, word, ctx.pieces[start]):
        return False
    if _prev_word(ctx, start) is None or _prev_word(ctx, start - 1) is None or start in ctx.ends:
        return False
    return word.key.lower() not in ctx.gazetteer.rules.affixes


def _capital_beside(other: Piece, left: Piece, right: Piece) -> bool:
    """``other`` (``left`` or ``right``) is a capitalized word and the two are one space apart."""
    return other.word and other.text[:1].isupper() and left.end + 1 == right.start


def _context_ok(ctx: _Context, match: Match, entry: ClubEntry) -> bool | None:
    """Decide a place-like alias: True (team), False (place), None (not yet decidable).

    Never after a place word or inside a longer name. A name the NER tagged as a person
    ("Villarreal", "Standard") needs football context right next to it (see
    :func:`_person_tagged_ok`). A country is a national team in a
    football article (or next to a football-only word) when a football cue is near and it is
    not a parenthetical; a city is a club when glued, parenthesized, in football context
    nearby (see :func:`_football_near`), or in a football article in a sentence with a cue.
    """
    if _after_place_word(ctx, match, entry.kind) or _inside_name(ctx, match):
        ctx.place_ends.add(match.j)
        return False
    if _inside_name(ctx, match, exact_person=True):
        return _person_tagged_ok(ctx, match, entry)
    football = ctx.football or _football_near(ctx, match, entry.kind)
    if entry.kind == "national_team":
        if _in_parentheses(ctx, match):
            return False
        near = _glued(ctx, match) or not ctx.cue.isdisjoint(_window(ctx, match))
        near = near or _team_near(ctx, match, entry.kind, resolved=True)
        return True if near and football else None
    if _in_parentheses(ctx, match) or _glued(ctx, match) or _football_near(ctx, match, "club"):
        return True
    if ctx.football and _lineup_head(ctx, match):
        return True
    return True if _football_sentence(ctx, match) else None


def _person_tagged_ok(ctx: _Context, match: Match, entry: ClubEntry) -> bool | None:
    """A place-like alias tagged as a person: a team only with local football evidence.

    "de terugwedstrijd bij Villarreal" (a football-only word near), "Antwerp ontvangt
    Standard" (a match word next to another team), "Club-Villarreal" (glued). A person
    named like a town in a political story ("Toledo verloor de verkiezingen") has none.
    """
    if entry.kind == "club" and (_glued(ctx, match) or _football_near(ctx, match, "club")):
        return True
    return None


def _resolve_context(ctx: _Context, pending: list[Match]) -> list[Match]:
    """Accept place-like aliases that have football context; repeat while that adds evidence."""
    left = pending
    for _ in range(3):
        undecided = []
        for match in left:
            entry = _entries(match)[0]
            verdict = _context_ok(ctx, match, entry)
            if verdict:
                ctx.accept(match, entry)
            elif verdict is None:
                undecided.append(match)
        if len(undecided) == len(left):
            break
        left = undecided
    return left


def _pick_ambiguous(ctx: _Context, match: Match) -> ClubEntry | None:
    """Named in full elsewhere > only candidate from the article's countries (or from the
    country whose clubs it names most) > data default.

    The default needs football context near the mention, or a football article and a cue
    or another club in the sentence.
    Aliases written with an article ("de Limburgers") resolve only to a club named in full.
    """
    candidates = _entries(match)
    named = [e for e in candidates if e.name in ctx.full]
    if named:
        return min(named, key=lambda e: min(abs(p - match.i) - 0.5 * (p < match.i) for p in ctx.full[e.name]))
    if match.skip:  # "de Limburgers" names people as often as a club: only a club named in full counts
        return None
    countries = ctx.countries | ctx.league_countries
    local = [e for e in candidates if e.kind == "club" and e.country in countries]
    if len(local) == 1:
        return local[0]
    if len(local) > 1 and (home := _main_country(ctx)):
        in_home = [e for e in local if e.country == home]
        if len(in_home) == 1:
            return in_home[0]
    alias = {r.entry.name: r.alias for r in match.refs}
    defaults = [e for e in candidates if alias[e.name] in e.default_for]
    football = _football_near(ctx, match, "club") or _football_sentence(ctx, match)
    return defaults[0] if len(defaults) == 1 and football else None


def _main_country(ctx: _Context) -> str | None:
    """The country whose clubs the article names most often, if one leads outright."""
    counts: dict[str, int] = {}
    for name, positions in ctx.full.items():
        entry = ctx.gazetteer.get(name)
        if entry is not None and entry.kind == "club":
            counts[entry.country] = counts.get(entry.country, 0) + len(positions)
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(counts, key=counts.__getitem__)


def _resolve(ctx: _Context, matches: list[Match]) -> None:
    """Resolve every match in place: plain first, then place-like, then ambiguous aliases."""
    ctx.starts.update(zip(map(_I, matches), matches, strict=True))
    ctx.ends.update(zip(map(_J, matches), matches, strict=True))
    ctx.at.update((k, match) for match in matches for k in range(match.i, match.j))
    ambiguous, context = [], []
    for match in matches:
        if match.entry is not None:
            ctx.accept(match, match.entry)
            continue
        refs = match.refs
        if any(map(_AMBIGUOUS, refs)) or (len(refs) > 1 and len(set(map(_NAME, refs))) > 1):
            ambiguous.append(match)
        elif any(map(_CONTEXT, refs)):
            context.append(match)
        elif not _inside_name(ctx, match):
            ctx.accept(match, refs[0].entry)  # the first of its entries, as in _entries
    _resolve_context(ctx, context)
    for match in ambiguous:
        # no exact_person here: NER models often tag "Real" or "City" as a person
        if _inside_name(ctx, match) or _after_place_word(ctx, match, "club"):
            continue
        entry = _pick_ambiguous(ctx, match)
        if entry is not None:
            match.entry = entry
            if entry.kind == "club":
                ctx.countries.add(entry.country)


def find_clubs(doc: Doc, gazetteer: Gazetteer | None = None) -> list[ClubMention]:
    """Club and national-team mentions in ``doc``, longest match first, sorted by start."""
    gaz = gazetteer or load_gazetteer()
    text = doc_text(doc)
    pieces, words = _pieces_and_words(doc, text)
    if not pieces:
        return []
    rules = gaz.rules
    vocabulary = _vocabulary(words)
    cues, strong = _cue_flags(pieces, words, vocabulary, rules, text)
    articles = _articles(vocabulary, rules.determiners)
    starts = _starts(words, vocabulary[0], articles, gaz)
    leagues = _league_countries(pieces, words, starts, rules)
    ctx = _Context(pieces, gaz, cues, strong, _persons(doc), leagues, text=text)
    matches = _scan(pieces, starts, articles, gaz)
    _resolve(ctx, matches)
    mentions = []
    for match in matches:
        if match.entry is None:
            continue
        start, end = pieces[match.i + match.skip].start, pieces[match.j - 1].end
        entry = match.entry
        mentions.append(ClubMention(start, end, text[start:end], entry.name, entry.kind, entry.country))
    return sorted(mentions, key=lambda m: m.start)
