"""Persons: one canonical person per real person per article, from every mention.

``extract_persons(doc, clubs)`` takes a spaCy Doc with sentence boundaries and NER
entities (CoNLL or OntoNotes labels, read through :func:`pipeline.nlp.coarse_label`)
and the article's club mentions, and returns the person mentions (each linked to its
canonical name) and the persons with their roles, club, age and nationality.

Mentions
    NER person spans are cleaned: words that cannot be part of a name are cut off
    (role words, demonyms, words of the not_name list, tokens inside a club mention,
    glued forms such as "Real-coach", and at the start of a clause also stop words and
    words the article writes in lower case: "Maar", "Snel"), and the rest is split into
    runs of capitalized name tokens with particles (De Bruyne, van Dijk, Jean-Marie,
    Preud’homme). Spans with a digit (result lines) or a stadium word are dropped. A run
    may grow by particles plus one name token on either side ("Kevin" + "De Bruyne"),
    but not into another entity, a clause opener or a word tagged as a place elsewhere.
    Added: names right after a role word, demonym or age that NER missed ("bondscoach
    Roberto Martínez"; over another label only for first name + surname), names that
    NER labelled otherwise but the article uses for a person ("Romelu Lukaku" as ORG),
    and every other occurrence of a known name or surname (headlines included).
    Pronouns are never mentions.
Persons
    A shorter name joins the longer one it fits: surname (a suffix of the full name),
    first name, first name + surname without middle names, or initial + surname; case
    and accents do not matter. When it fits several people (Eden and Thorgan Hazard),
    it joins the one mentioned most recently before it, else the first one after it.
Attributes
    Role words, ages and demonyms attach to a person in a description next to a
    mention ("de Belgische verdediger Jan Vertonghen", "Real-coach Ancelotti",
    "X, trainer van Club Brugge", "X is de nieuwe coach", "X (28)", "X bij Italië"), or
    in a definite description that refers back ("de 62-jarige Italiaan", "de
    Feyenoord-trainer"): such a description needs a demonym, an age or a glued club
    to count on its own (a bare "de trainer" is not attached), and goes to a person
    mentioned before it that it does not contradict (see :func:`_resolve_anaphor`).
    "assistent-bondscoach van X" makes X the bondscoach. Nationality is the country's
    Dutch name ("Italiaan" -> "Italië"); roles are normalized through roles.csv.
    Former roles count ("oud-bondscoach X" -> bondscoach). The first value found for
    club, age and nationality wins. The word lists live in
    ``pipeline/resources/persons/``.
"""

from __future__ import annotations

import csv
import logging
import operator
import re
import unicodedata
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import accumulate, chain, compress
from typing import NamedTuple

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from .clubs import alias_key, load_gazetteer
from .nlp import coarse_label, doc_ents, doc_text
from .records import ClubMention, Person, PersonMention

logger = logging.getLogger(__name__)

RESOURCE_FILES = ("roles.csv", "demonyms.csv", "words.csv")
PLACES_FILE = "places.txt"
MAX_PLACE_WORDS = 3  # words of the longest place name looked for at the start of a person span
WORD_KINDS = frozenset(
    {
        "particle",
        "not_name",
        "article",
        "anaphor",
        "copula",
        "club_link",
        "assistant_link",
        "age_suffix",
        "age_unit",
        "preposition",
        "venue_suffix",
        "quote_pair",
        "place_preposition",
        "action_noun",
        "action_link",
    }
)
DEMONYM_FORMS = frozenset({"noun", "adj"})
AGE_RANGE = (12, 99)  # plausible ages of people in sports news
MAX_MODIFIERS = 4  # adjectives between an article and the head of a description
MIN_COMPOUND_HEAD, MIN_COMPOUND_PREFIX = 6, 3  # "medespeler": role word >= 6 letters after >= 3 more
PATTERN_CACHE = 4096  # regexes of names kept for later articles; bounded, as a batch meets ever new names
KEY_CACHE = 4096  # folded names and entity texts, which recur within an article and across articles
ANTECEDENT_WINDOW = 2  # sentences back in which a subject is preferred as antecedent of a description
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# the last characters where _POSSESSIVE can match ($ also matches before a final newline)
_POSSESSIVE_LAST = frozenset({"s", "'", "’", "\n"})
_INITIAL = re.compile(r"^\w\.$")
_APOSTROPHES = frozenset({"'", "’"})
_QUOTE_OPENERS = frozenset({"“", '"', "‘", "„", "«", "'", "(", ":", "-", "–", "—"})
_HEAD = operator.itemgetter(slice(1))  # text[:1], for map()
_LABEL = operator.attrgetter("label")  # Span.label, for map()
_WORD_CHAR = re.compile(r"\w")
_HYPHEN = re.compile("-")


# ----------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists of ``resources/persons`` (all keys lower case)."""

    roles: Mapping[str, str]
    role_groups: Mapping[str, str]
    assistant_of: Mapping[str, str]
    demonyms: Mapping[str, str]
    demonym_nouns: frozenset[str]
    words: Mapping[str, frozenset[str]]
    not_names: frozenset[str]  # never part of a name
    stop_words: frozenset[str]  # not a name at the start of a clause
    quotes: re.Pattern[str]  # a quoted passage
    compound_heads: frozenset[str]  # role words that may end a compound
    compound_sizes: tuple[int, ...]  # their lengths, longest first
    compound_tails: frozenset[str]  # their last MIN_COMPOUND_HEAD letters
    venue_suffixes: tuple[str, ...]  # the venue_suffix words, for str.endswith

    def has(self, kind: str, word: str) -> bool:
        """Whether ``word`` (any case) belongs to the closed class ``kind`` of words.csv."""
        return word.lower() in self.words.get(kind, frozenset())

    def may_lead(self, low: str) -> bool:
        """Whether a lower-cased word passes a cheap test that every role word (also compound or
        glued), noun demonym and age passes."""
        tail = low[-MIN_COMPOUND_HEAD:]
        return low in self.roles or low in self.demonym_nouns or "-" in low or tail in self.compound_tails

    def role_of(self, low: str, *, compound: bool) -> str | None:
        """The normalized role of a lower-cased word; ``compound`` also tries role words at its end."""
        if low in self.roles or not compound or "-" in low:
            return self.roles.get(low)
        room = len(low) - MIN_COMPOUND_PREFIX  # the longest role word that leaves a long enough prefix
        if not self.compound_sizes or room < self.compound_sizes[-1]:
            return None
        if low[-MIN_COMPOUND_HEAD:] not in self.compound_tails:
            return None  # one set lookup instead of one per head length: every head ends so
        for size in self.compound_sizes:
            if size <= room and low[-size:] in self.compound_heads:
                return self.roles[low[-size:]]
        return None


def read_rows(text: str, source: str, columns: tuple[str, ...], required: int) -> list[tuple[int, list[str]]]:
    """The (line number, cells) rows of a CSV resource with a header line and ``#`` comments.

    The first ``required`` cells of each row must be non-empty.
    """
    rows: list[tuple[int, list[str]]] = []
    header_seen = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if not header_seen:
            if tuple(cells) != columns:
                raise ValueError(f"{source} line {number}: expected the header {','.join(columns)!r}")
            header_seen = True
            continue
        if len(cells) != len(columns) or not all(cells[:required]):
            raise ValueError(
                f"{source} line {number}: expected {len(columns)} comma-separated cells "
                f"({','.join(columns)}) with the first {required} filled in, got {line!r}"
            )
        rows.append((number, cells))
    if not header_seen:
        raise ValueError(f"{source}: empty file; it needs the header {','.join(columns)!r}")
    return rows


@dataclass(frozen=True, slots=True)
class RoleTable:
    """The contents of roles.csv."""

    roles: dict[str, str]  # surface (lower case) -> normalized role
    groups: dict[str, str]  # normalized role -> group
    assistant_of: dict[str, str]  # assistant surface -> role of the person assisted


def parse_roles(text: str, source: str = "roles.csv") -> RoleTable:
    """Role words -> normalized role and group, and assistant role words -> the role assisted."""
    table = RoleTable({}, {}, {})
    columns = ("surface", "role", "group", "assistant_of")
    for number, (surface, role, group, assisted) in read_rows(text, source, columns, 3):
        key = surface.lower()
        if table.roles.get(key, role) != role:
            raise ValueError(f"{source} line {number}: {surface!r} is already mapped to {table.roles[key]!r}")
        if table.groups.get(role, group) != group:
            raise ValueError(
                f"{source} line {number}: role {role!r} is already in group {table.groups[role]!r}"
            )
        table.roles[key], table.groups[role] = role, group
        if assisted:
            table.assistant_of[key] = assisted
    unknown = set(table.assistant_of.values()) - set(table.groups)
    if unknown:
        raise ValueError(f"{source}: assistant_of names roles that no line defines: {sorted(unknown)}")
    return table


def parse_demonyms(text: str, source: str = "demonyms.csv") -> tuple[dict[str, str], frozenset[str]]:
    """Demonyms -> country (Dutch name), and the set of noun demonyms."""
    countries: dict[str, str] = {}
    nouns: set[str] = set()
    for number, (surface, country, form) in read_rows(text, source, ("surface", "country", "form"), 3):
        if form not in DEMONYM_FORMS:
            raise ValueError(
                f"{source} line {number}: form must be one of {sorted(DEMONYM_FORMS)}, got {form!r}"
            )
        key = surface.lower()
        if countries.get(key, country) != country:
            raise ValueError(f"{source} line {number}: {surface!r} is already mapped to {countries[key]!r}")
        countries[key] = country
        if form == "noun":
            nouns.add(key)
    return countries, frozenset(nouns)


def parse_words(text: str, source: str = "words.csv") -> dict[str, frozenset[str]]:
    """The closed word classes, kind -> words (lower case)."""
    words: dict[str, set[str]] = {kind: set() for kind in WORD_KINDS}
    for number, (word, kind) in read_rows(text, source, ("word", "kind"), 2):
        if kind not in WORD_KINDS:
            raise ValueError(
                f"{source} line {number}: kind must be one of {sorted(WORD_KINDS)}, got {kind!r}"
            )
        if kind == "quote_pair" and len(word) != 2:
            raise ValueError(f"{source} line {number}: a quote_pair is two characters, got {word!r}")
        words[kind].add(word.lower())
    return {kind: frozenset(members) for kind, members in words.items()}


def build_lexicon(roles_text: str, demonyms_text: str, words_text: str) -> Lexicon:
    """A :class:`Lexicon` from the texts of the three resource files."""
    table = parse_roles(roles_text)
    demonyms, nouns = parse_demonyms(demonyms_text)
    words = parse_words(words_text)
    not_names = words["not_name"] - words["particle"]
    stop_words = frozenset(STOP_WORDS) - words["particle"]
    heads = frozenset(r for r in table.roles if len(r) >= MIN_COMPOUND_HEAD and r.isalpha())
    sizes = tuple(sorted({len(h) for h in heads}, reverse=True))
    # each branch opens with its mark so that the regex engine can scan for the marks; the
    # look-behind after the mark checks the character before it, as (?<!\w) before the mark would
    quotes = "|".join(
        rf"{re.escape(p[0])}(?<!\w(?s:.))[^\n]*?{re.escape(p[1])}(?!\w)" for p in sorted(words["quote_pair"])
    )
    return Lexicon(
        table.roles,
        table.groups,
        table.assistant_of,
        demonyms,
        nouns,
        words,
        not_names,
        stop_words,
        re.compile(quotes or r"(?!)"),
        heads,
        sizes,
        frozenset(head[-MIN_COMPOUND_HEAD:] for head in heads),
        tuple(words["venue_suffix"]),
    )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon, read and validated once."""
    folder = resources.files("pipeline") / "resources" / "persons"
    texts = [(folder / name).read_text(encoding="utf-8") for name in RESOURCE_FILES]
    return build_lexicon(*texts)


def parse_places(text: str, source: str = PLACES_FILE) -> frozenset[str]:
    """Place names, one a line (``#`` comments), as folded keys; an empty list is an error."""
    keys = frozenset(" ".join(_key(line)) for line in text.splitlines() if line.strip() and line[0] != "#")
    if not keys:
        raise ValueError(f"{source}: no place names; restore the file from version control")
    return keys


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """The packaged place names (countries, capitals, big cities in Dutch), as folded keys."""
    path = resources.files("pipeline") / "resources" / "persons" / PLACES_FILE
    return parse_places(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- context


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What the rules look up while reading one Doc."""

    doc: Doc
    text: str  # doc.text, which spaCy rebuilds on every access
    texts: list[str]  # the text of each token
    lows: tuple[str, ...]  # the lower-cased text of each token (Token.lower_)
    sent_flags: list[bool]  # whether each token opens a sentence (Token.is_sent_start)
    lex: Lexicon
    clubs: tuple[ClubMention, ...]
    person_spans: tuple[Span, ...]  # NER spans with a person label
    other_spans: tuple[Span, ...]  # the other NER spans
    other_ents: tuple[tuple[int, int], ...]  # char ranges of the other NER spans
    other_tokens: frozenset[int]  # tokens inside the other NER spans
    other_words: frozenset[str]  # one-word non-person NER spans ("Sint-Niklaas" as a place)
    proper: frozenset[str]  # capitalized words seen mid-clause
    proper_words: frozenset[str]  # words (lower-cased) the article capitalizes mid-sentence
    token_starts: list[int]  # character offset of each token
    sentence_starts: list[int]  # token index of each sentence start
    clause_starts: frozenset[int]  # first tokens of sentences and of quotes, brackets, lines
    capitalized: tuple[int, ...]  # tokens that start with a capital, in order
    club_tokens: frozenset[int]  # tokens that overlap a club mention
    person_tokens: frozenset[int]  # tokens inside NER person spans
    kinds: list[str | None]  # memo of _token_kind per token (a list indexes faster than a dict)
    words: list[_Word | None]  # memo of _word per token

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """The tokens [first, end) covering the characters [start, end)."""
        return _token_range(self.token_starts, start, end)

    def space_after(self, token: int) -> bool:
        """Whether whitespace follows a token: the next one (or the text's end) starts later.

        Asked for few tokens, so not worked out for every token in advance.
        """
        following = token + 1
        end = self.token_starts[token] + len(self.texts[token])
        return end < (self.token_starts[following] if following < len(self.texts) else len(self.text))

    def sentence_of(self, token: int) -> int:
        """The index of the sentence that holds a token."""
        return bisect_right(self.sentence_starts, token) - 1

    def sentence_end(self, token: int) -> int:
        """The token index right after the sentence that holds a token."""
        following = self.sentence_of(token) + 1
        return self.sentence_starts[following] if following < len(self.sentence_starts) else len(self.texts)

    def lower_word(self, low: str) -> bool:
        """A word the article writes in lower case and never capitalizes mid-sentence."""
        # few words pass the substring test, so the token texts are searched rarely: cheaper than
        # a set of them built for every article
        return (
            low.isalpha()
            and low.islower()
            and low in self.text
            and low in self.texts
            and low.capitalize() not in self.proper
        )


@dataclass(frozen=True, slots=True)
class _Tokens:
    """What one pass over the Doc's tokens yields."""

    text: str
    texts: list[str]  # lists, not tuples: built for every article and never changed
    starts: list[int]
    sent_flags: list[bool]
    sentence_starts: list[int]
    clause_starts: frozenset[int]
    capitalized: tuple[int, ...]  # tokens that start with a capital
    proper: frozenset[str]  # capitalized words seen mid-clause
    sentence_annotated: bool  # the Doc has sentence boundaries


def _scan(doc: Doc) -> _Tokens:
    """The token columns, read as arrays (spaCy builds a Token object on every access).

    Where they can, the per-token tests run as map() over built-in methods, not as Python loops.
    """
    text = doc_text(doc)
    rows = doc.to_array([IDX, LENGTH, SENT_START]).astype(numpy.int64).reshape(-1, 3)
    end_column = rows[:, 0] + rows[:, 1]
    starts: list[int] = rows[:, 0].tolist()
    ends: list[int] = end_column.tolist()
    texts = [text[start:end] for start, end in zip(starts, ends, strict=True)]
    opens = rows[:, 2] == 1  # Token.is_sent_start
    first = opens.copy()
    first[:1] = True  # the first token opens the first sentence
    sentence_starts = numpy.flatnonzero(first).tolist()
    # the token after a quote opener or a line break opens a clause; quote openers are one
    # character long, so only such tokens are looked up (a lookup hashes the token's text)
    singles = numpy.flatnonzero(rows[:-1, 1] == 1).tolist()
    after_quote = [i + 1 for i in singles if texts[i] in _QUOTE_OPENERS]
    clauses = frozenset(chain(sentence_starts, after_quote, _after_lines(text, starts, ends)))
    capitalized = tuple(compress(range(len(texts)), map(str.isupper, map(_HEAD, texts))))
    return _Tokens(
        text,
        texts,
        starts,
        opens.tolist(),
        sentence_starts,
        clauses,
        capitalized,
        frozenset(map(texts.__getitem__, frozenset(capitalized) - clauses)),
        bool(rows[1:, 2].any()),
    )


def _after_lines(text: str, starts: list[int], ends: list[int]) -> list[int]:
    """The tokens right after a token with a line break in it.

    Found from the few line breaks in the text rather than by a test on every token; after a
    token with a break, the search goes on from its end (its other breaks add nothing).
    """
    found = []
    at = text.find("\n")
    while at >= 0:
        token = bisect_right(starts, at) - 1  # the only token that can hold the break
        if 0 <= token < len(starts) - 1 and at < ends[token]:
            found.append(token + 1)
            at = text.find("\n", ends[token])
        else:
            at = text.find("\n", at + 1)
    return found


def _make_ctx(doc: Doc, clubs: Iterable[ClubMention]) -> _Ctx:
    """The lookups for one Doc; refuses a Doc without sentence boundaries."""
    scan = _scan(doc)
    if len(doc) > 1 and not scan.sentence_annotated:
        raise ValueError(
            "extract_persons needs sentence boundaries: run the Doc through a pipeline with a "
            "parser, senter or sentencizer (pipeline.nlp.load_nlp adds one)"
        )
    ents = doc_ents(doc)
    # each label read once by its id: Span.label_ looks the id up in the vocabulary on every access
    labels = list(map(_LABEL, ents))
    strings = doc.vocab.strings
    person_labels = {label for label in set(labels) if coarse_label(strings[label]) == "person"}
    is_person = list(map(person_labels.__contains__, labels))
    persons = tuple(compress(ents, is_person))
    others = tuple(compress(ents, map(operator.not_, is_person)))
    lex = lexicon()
    starts, text = scan.starts, scan.text
    ordered = tuple(sorted(clubs, key=lambda c: c.start))
    in_clubs = chain.from_iterable(range(*_token_range(starts, c.start, c.end)) for c in ordered)
    return _Ctx(
        doc=doc,
        text=text,
        texts=scan.texts,
        lows=tuple(map(str.lower, scan.texts)),
        sent_flags=scan.sent_flags,
        lex=lex,
        clubs=ordered,
        person_spans=persons,
        other_spans=others,
        other_ents=tuple((e.start_char, e.end_char) for e in others),
        other_tokens=frozenset(chain.from_iterable(range(e.start, e.end) for e in others)),
        other_words=frozenset(text[e.start_char : e.end_char] for e in others if len(e) == 1),
        proper=scan.proper,
        proper_words=frozenset(map(str.lower, scan.proper)),
        token_starts=starts,
        sentence_starts=scan.sentence_starts,
        clause_starts=scan.clause_starts,
        capitalized=scan.capitalized,
        club_tokens=frozenset(in_clubs),
        person_tokens=frozenset(chain.from_iterable(range(e.start, e.end) for e in persons)),
        kinds=[None] * len(scan.texts),
        words=[None] * len(scan.texts),
    )


def _token_range(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """The tokens [first, end) covering the characters [start, end), given each token's start."""
    return bisect_right(starts, start) - 1, bisect_left(starts, end)


def _club_over(ctx: _Ctx, start: int, end: int) -> ClubMention | None:
    """The club mention overlapping the characters [start, end), if any."""
    return next((c for c in ctx.clubs if c.start < end and start < c.end), None)


def _club_at(ctx: _Ctx, start: int) -> ClubMention | None:
    """The club mention that begins at character ``start``."""
    return next((c for c in ctx.clubs if c.start == start), None)


def _strip_possessive(text: str) -> str:
    """The text without a possessive ending ("Ancelotti's" -> "Ancelotti"), unless nothing is left."""
    if text[-1:] not in _POSSESSIVE_LAST:
        return text  # cheap test first: the regex cannot match
    return _POSSESSIVE.sub("", text) or text


def _token_end(ctx: _Ctx, i: int) -> int:
    """End character of token ``i`` without a possessive ("Ancelotti's" -> "Ancelotti")."""
    text = ctx.texts[i]
    return ctx.token_starts[i] + len(_strip_possessive(text))


# ----------------------------------------------------------------------------- mentions


def _glued_piece(ctx: _Ctx, i: int) -> bool:
    """The apostrophe or the word after it in a name split by the tokenizer ("Preud", "’", "homme")."""
    texts = ctx.texts
    if texts[i] in _APOSTROPHES:
        before_ok = i > 0 and not ctx.space_after(i - 1) and texts[i - 1][:1].isupper()
        return before_ok and not ctx.space_after(i) and i + 1 < len(texts) and texts[i + 1].isalpha()
    return texts[i].isalpha() and i > 1 and texts[i - 1] in _APOSTROPHES and _glued_piece(ctx, i - 1)


def _token_kind(ctx: _Ctx, i: int) -> str:
    """``name``, ``particle``, ``glue`` (see :func:`_glued_piece`) or ``other`` for token ``i`` in a name."""
    kind = ctx.kinds[i]
    if kind is None:
        kind = ctx.kinds[i] = _classify(ctx, i)
    return kind


def _classify(ctx: _Ctx, i: int) -> str:
    """The kind of token ``i`` as part of a name (see :func:`_token_kind`), not memoized."""
    texts, lex = ctx.texts, ctx.lex
    # cheap tests first: glue is an apostrophe or follows one, a possessive ends in _POSSESSIVE_LAST
    if (texts[i] in _APOSTROPHES or (i > 1 and texts[i - 1] in _APOSTROPHES)) and _glued_piece(ctx, i):
        return "glue"
    text = _strip_possessive(texts[i]) if texts[i][-1:] in _POSSESSIVE_LAST else texts[i]
    low = text.lower()
    if i in ctx.club_tokens:
        return "other"
    if low in lex.words["particle"]:  # has() would lower the word again
        return "particle"
    if not text[:1].isupper() or not (text.isalpha() or any(map(str.isalpha, text))):  # cheap test first
        return "other"
    if (
        low in lex.not_names
        or low in lex.demonyms  # _country's first test, without a call
        or ("-" in text and _country(lex, text) is not None)
        or (text.endswith(".") and not _INITIAL.match(text))
    ):
        return "other"
    clause_start = i in ctx.clause_starts
    if low in lex.roles or (clause_start and lex.role_of(low, compound=True) is not None):
        return "other"
    if "-" in text and not all(part[:1].isupper() for part in text.split("-") if part):
        return "other"  # a glued form such as "Real-coach" or "Anderlecht-verdediger"
    if clause_start and (ctx.lower_word(low) or (low in ctx.lex.stop_words and low not in ctx.proper_words)):
        return "other"  # a common word capitalized at the start of a sentence ("Maar", "Snel")
    return "name"


def _trim(ctx: _Ctx, start: int, end: int) -> tuple[int, int] | None:
    """Token range without trailing particles or leading lower-case particles; None if no name."""
    while end > start and _token_kind(ctx, end - 1) == "particle":
        end -= 1
    while start < end and _token_kind(ctx, start) == "particle" and ctx.texts[start].islower():
        start += 1
    for i in range(start, end):  # a loop, not any() over a generator: called for every run
        if _token_kind(ctx, i) == "name":
            return start, end
    return None


def _runs(ctx: _Ctx, start: int, end: int) -> list[tuple[int, int]]:
    """The name runs (token ranges) inside tokens [start, end)."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < end:
        j = i
        while j < end and _token_kind(ctx, j) != "other":
            j += 1
        if j > i and (run := _trim(ctx, i, j)):
            runs.append(run)
        i = max(j, i + 1)
    return runs


def _is_name(ctx: _Ctx, i: int) -> bool:
    """Token ``i`` is a name token that extension may add: not in another entity or a club."""
    return i not in ctx.other_tokens and _token_kind(ctx, i) == "name"


def _addable(ctx: _Ctx, i: int) -> bool:
    """A name token that extension may add: not in another person span, not a stop word, and
    not capitalized only because it opens a clause ("Oppositieleider Ariel Sharon")."""
    low = ctx.lows[i]
    if i in ctx.person_tokens or low in ctx.lex.stop_words or not _is_name(ctx, i):
        return False  # set lookups first: _is_name may classify the token
    if ctx.texts[i] in ctx.other_words:
        return False  # tagged as a place or organisation elsewhere ("Foubert van Sint-Niklaas")
    return i not in ctx.clause_starts or low in ctx.proper_words


def _particle(ctx: _Ctx, i: int) -> bool:
    """Token ``i`` is a particle that extension may add: not in another entity or a club."""
    return i not in ctx.other_tokens and _token_kind(ctx, i) == "particle"


def _extend(ctx: _Ctx, start: int, end: int) -> tuple[int, int]:
    """Grow a run by particles plus one name token on either side ("Kevin" + "De Bruyne").

    A name token followed (or preceded) by yet another name is not taken: that is a
    longer proper name of its own ("Hazard de Champions League").
    """
    n, opens = len(ctx.texts), ctx.sent_flags
    while end < n and _token_kind(ctx, end) == "glue":
        end += 1
    j = end
    while j < n and not opens[j] and _particle(ctx, j) and j not in ctx.person_tokens:
        j += 1
    # the tests after _addable only when it holds: they would classify tokens nothing else needs
    if j < n and not opens[j] and _addable(ctx, j) and (j + 1 >= n or not _is_name(ctx, j + 1)):
        end = j + 1
    i = start
    while i > 0 and not opens[i] and _particle(ctx, i - 1) and i - 1 not in ctx.person_tokens:
        i -= 1
    if (
        i > 0
        and not opens[i]
        and _addable(ctx, i - 1)
        and (i < 2 or opens[i - 1] or not _is_name(ctx, i - 2))
    ):
        i -= 1
    return _trim(ctx, i, end) or (start, end)


def _ner_runs(ctx: _Ctx) -> list[tuple[int, int]]:
    """Cleaned and extended name runs from the NER person spans."""
    runs: list[tuple[int, int]] = []
    for start, end in _joined_person_spans(ctx):
        text = ctx.text[ctx.token_starts[start] : _token_end(ctx, end - 1)]
        if _is_venue(ctx, start, end) or any(map(str.isdigit, text)):
            logger.debug("dropped person span %r: a venue or a result line", text)
            continue
        if _place_led(ctx, start, end):
            logger.debug("dropped person span %r: a place after a place preposition", text)
            continue
        found = _runs(ctx, start, end)
        if not found:
            logger.debug("dropped person span %r: no name in it", text)
        runs.extend(_extend(ctx, *run) for run in found)
    return runs


def _joined_person_spans(ctx: _Ctx) -> list[tuple[int, int]]:
    """Token ranges of the person spans, two spans joined when only particles stand between
    them in one sentence ("Erik" + "ten" + "Hag" tagged as two persons)."""
    joined: list[tuple[int, int]] = []
    for ent in ctx.person_spans:
        if joined and _particles_between(ctx, joined[-1][1], ent.start):
            joined[-1] = (joined[-1][0], ent.end)
        else:
            joined.append((ent.start, ent.end))
    return joined


def _particles_between(ctx: _Ctx, end: int, start: int) -> bool:
    """Tokens [end, start) are one or more lower-case particles inside one sentence."""
    between = range(end, start)
    return (
        0 < len(between) <= 2
        and not any(ctx.sent_flags[end : start + 1])
        and all(ctx.texts[i].islower() and ctx.lex.has("particle", ctx.texts[i]) for i in between)
    )


def _place_led(ctx: _Ctx, start: int, end: int) -> bool:
    """A span that opens with a known place right after a place preposition ("uit Madrid La Decima")."""
    if start == 0 or ctx.lows[start - 1] not in ctx.lex.words["place_preposition"]:
        return False
    known = places()
    for size in range(1, min(MAX_PLACE_WORDS, end - start) + 1):
        if " ".join(_key(" ".join(ctx.texts[start : start + size]))) in known:
            return True
    return False


def _is_venue(ctx: _Ctx, start: int, end: int) -> bool:
    """Whether the tokens [start, end] (one past the span too) name a stadium ("Jan Breydelstadion")."""
    suffixes = ctx.lex.venue_suffixes
    return any(low.rstrip(".").endswith(suffixes) for low in ctx.lows[start : end + 1])


def _leads_name(ctx: _Ctx, i: int) -> bool:
    """A role word, glued "Club-role" form, noun demonym or age: a word a name may follow."""
    if not ctx.lex.may_lead(ctx.lows[i]):
        return False  # cheap test first: most words cannot be any of these
    word = _word(ctx, i)
    return word.head or word.age is not None


def _role_led_runs(ctx: _Ctx) -> list[tuple[int, int]]:
    """Names right after a role word, demonym or age ("bondscoach Roberto Martínez", "de Belg Lukaku")."""
    texts, opens, lows = ctx.texts, ctx.sent_flags, ctx.lows
    may_lead, links = ctx.lex.may_lead, ctx.lex.words["action_link"]
    runs: list[tuple[int, int]] = []
    # cheap tests first: names start with a capital, mid-sentence here, after a word that may lead one
    leads = [
        i for i in ctx.capitalized if i and not opens[i] and (may_lead(lows[i - 1]) or lows[i - 1] in links)
    ]
    for nxt in leads:
        i = nxt - 1
        if not (_leads_name(ctx, i) or _action_link(ctx, i)) or _token_kind(ctx, nxt) == "other":
            continue
        j = nxt
        while (
            j < len(texts)
            and j < nxt + 4
            and _token_kind(ctx, j) != "other"
            and not (j > nxt and (opens[j] or texts[j] in ctx.other_words))
        ):
            j += 1
        if (run := _trim(ctx, nxt, j)) and _may_override(ctx, run):
            runs.append(run)
    return runs


def _action_link(ctx: _Ctx, i: int) -> bool:
    """Token ``i`` links a football action to its author ("een voorzet van", "een schot door")."""
    words_of = ctx.lex.words
    return i > 0 and ctx.lows[i] in words_of["action_link"] and ctx.lows[i - 1] in words_of["action_noun"]


def _lineup_runs(ctx: _Ctx) -> list[tuple[int, int]]:
    """Names in line-up lines ("KV Mechelen: Coucke; Walsh, Bateau (72' Schoofs), ...").

    A line-up line opens with a club mention and a colon, and lists at least three names
    separated by commas or semicolons; every name run in the rest of the line counts.
    """
    runs: list[tuple[int, int]] = []
    for club in ctx.clubs:
        if club.start != ctx.text.rfind("\n", 0, club.start) + 1:
            continue  # not at the start of a line
        end = ctx.token_range(club.start, club.end)[1]
        if end >= len(ctx.texts) or ctx.texts[end] != ":":
            continue
        stop = end + 1
        while stop < len(ctx.texts) and "\n" not in ctx.texts[stop]:
            stop += 1
        if sum(ctx.texts[i] in {",", ";"} for i in range(end + 1, stop)) < 2:
            continue
        runs.extend(_runs(ctx, end + 1, stop))
    return runs


def _may_override(ctx: _Ctx, run: tuple[int, int]) -> bool:
    """Whether a name after a role word may be a person where NER gave another label.

    Only a first name plus surname ("bondscoach Ives Serneels" tagged ORG, "Aanvoerder Orkun
    Kökçü" tagged MISC), not a single word ("aanwinst Dragon"). Clubs never get here: their
    tokens are no name tokens.
    """
    first, end = run
    if not any(e.start < end and first < e.end for e in ctx.other_spans):
        return True
    return sum(_token_kind(ctx, i) == "name" for i in range(first, end)) >= 2


class _Cand(NamedTuple):  # NamedTuples here and in _Placed: built per run and per mention
    """A person mention before linking: character span and its text."""

    start: int
    end: int
    text: str


def _to_cand(ctx: _Ctx, run: tuple[int, int]) -> _Cand:
    start = ctx.token_starts[run[0]]
    end = _token_end(ctx, run[1] - 1)
    return _Cand(start, end, ctx.text[start:end])


def _dedupe(cands: Iterable[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates, the longer one winning an overlap, sorted by start."""
    kept: list[_Cand] = []
    # the kept (start, end) pairs in order; as they do not overlap, their ends ascend too, so a
    # candidate overlaps one iff the last that starts before its end ends after its start
    spans: list[tuple[int, int]] = []
    for cand in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        before = bisect_left(spans, (cand.end,))  # the spans that start before the candidate ends
        if before == 0 or spans[before - 1][1] <= cand.start:
            insort(spans, (cand.start, cand.end))
            kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


def _add_cands(cands: list[_Cand], more: list[_Cand]) -> list[_Cand]:
    """:func:`_dedupe` of the candidates of a :func:`_dedupe` and more; nothing to do for none more, as
    _dedupe keeps all of its own result in the same order."""
    return _dedupe([*cands, *more]) if more else cands


def _surname(text: str, lex: Lexicon) -> str:
    """The surname part of a full name: from its first inner particle on, else the last word."""
    parts = text.split()
    if len(parts) < 2:
        return text
    inner = next((i for i in range(1, len(parts) - 1) if lex.has("particle", parts[i])), None)
    return " ".join(parts[inner:]) if inner is not None else parts[-1]


def _form_starts(text: str, form: str, either_case: bool) -> list[int]:
    """The starts of a known name form in the text as a whole word, left to right and without
    overlaps, as a regex scan finds them; ``either_case``: its first letter may be written
    either case (a leading particle).

    Found with str.find for each spelling of the form: a regex per form would be compiled for
    every new name.
    """
    if either_case:
        heads = set(form[0].upper() + form[0].lower())  # the characters of the class [Dd]
        found = sorted(chain.from_iterable(_occurrences(text, head + form[1:]) for head in heads))
    else:
        found = _occurrences(text, form)
    size, limit = len(form), len(text) - len(form)
    starts: list[int] = []
    end = 0
    for start in found:
        # no word character (\w: alphanumeric or "_") and no apostrophe or hyphen right before
        # it, no word character or hyphen right after it
        if start < end or (start and (text[start - 1].isalnum() or text[start - 1] in "_'’-")):
            continue
        if start < limit and (text[start + size].isalnum() or text[start + size] in "_-"):
            continue
        starts.append(start)
        end = start + size
    return starts


def _occurrences(text: str, part: str) -> list[int]:
    """The starts of every occurrence of ``part`` in the text, overlapping ones included."""
    found: list[int] = []
    at = text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def _repeat_cands(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Later (or earlier) occurrences of known names and surnames that NER did not tag."""
    forms = {form for c in cands for form in (c.text, _surname(c.text, ctx.lex))}
    not_names, stop_words = ctx.lex.not_names, ctx.lex.stop_words
    forms = {f for f in forms if len(f) > 1 and f.lower() not in not_names and f.lower() not in stop_words}
    taken = bytearray(len(ctx.text))  # 1 for each character inside a candidate
    for cand in cands:
        taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
    found: list[_Cand] = []
    particles = ctx.lex.words["particle"]
    for form in sorted(forms, key=len, reverse=True):
        for start in _form_starts(ctx.text, form, form.split()[0].lower() in particles):
            end = start + len(form)
            if taken.find(1, start, end) >= 0 or _club_over(ctx, start, end):
                continue
            if any(s < start or e > end for s, e in ctx.other_ents if s < end and start < e):
                continue  # part of a longer entity of another kind ("Johan Cruijff ArenA")
            first = ctx.token_range(start, end)[0]
            if ctx.token_starts[first] != start:
                continue
            cand = _grow_left(ctx, first, start, end)
            taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
            found.append(cand)
    return found


def _name_like_ents(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Names inside entities of another label that the article uses for a person elsewhere.

    The whole entity counts when its text is that of a person mention; a name run inside
    it when it has two or more name words and ends in a word that ends a person mention
    ("Ives Serneels" tagged ORG next to "Serneels" tagged PER; "CEO Michel Louwagie").
    """
    particles = ctx.lex.words["particle"]
    texts = {_key(c.text) for c in cands}
    surnames = {key[-1] for key in texts}
    keys = [_key(ctx.text[start:end]) for start, end in ctx.other_ents]  # Span.text builds a Token per word
    # cheap test first: _key folds character by character, so a run's last word is part of the entity's
    named_in = _holding(keys, surnames)
    found: list[_Cand] = []
    for index, (ent, (start, end), key) in enumerate(zip(ctx.other_spans, ctx.other_ents, keys, strict=True)):
        if key in texts and not _club_over(ctx, start, end):
            found.append(_Cand(start, end, ctx.text[start:end]))
            continue
        if index not in named_in:
            continue
        for run in _runs(ctx, ent.start, ent.end):
            cand = _to_cand(ctx, run)
            named = [w for w in _key(cand.text) if w not in particles]
            if len(named) >= 2 and named[-1] in surnames:
                found.append(cand)
    return [c for c in found if not any(c.start < k.end and k.start < c.end for k in cands)]


def _holding(keys: list[tuple[str, ...]], words: set[str]) -> set[int]:
    """The indices of the keys that, their words joined by spaces, contain one of the words.

    Searched for in all keys at once, joined by line breaks (which no word holds), rather than
    in each key for each word.
    """
    folded = list(map(" ".join, keys))
    joined = "\n".join(folded)
    starts = list(accumulate((len(text) + 1 for text in folded[:-1]), initial=0))
    found: set[int] = set()
    for word in words:
        at = joined.find(word)
        while at >= 0:
            index = bisect_right(starts, at) - 1
            found.add(index)
            if index + 1 == len(starts):
                break
            at = joined.find(word, starts[index + 1])
    return found


def _grow_left(ctx: _Ctx, first: int, start: int, end: int) -> _Cand:
    """A surname occurrence plus the first name right before it, when there is one."""
    if first > 0 and not ctx.sent_flags[first] and ctx.space_after(first - 1) and _addable(ctx, first - 1):
        start = ctx.token_starts[first - 1]
    return _Cand(start, end, ctx.text[start:end])


# ----------------------------------------------------------------------------- linking


@lru_cache(maxsize=KEY_CACHE)
def _key(text: str) -> tuple[str, ...]:
    """A name as case- and accent-folded words (cached: each article folds its names several times)."""
    if text.isascii():  # no accents, and casefold() is lower() on ASCII
        return tuple(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return tuple("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _fits(short: tuple[str, ...], long: tuple[str, ...], particles: frozenset[str]) -> bool:
    """Whether ``short`` can be a shorter way to write the name ``long``."""
    n = len(short)
    if short == long or n > len(long):
        return False
    if _INITIAL.match(short[0]) and n >= 2 and long[0].startswith(short[0][0]):
        return long[1 - n :] == short[1:]
    if n == len(long):
        return False
    if long[-n:] == short and not all(word in particles for word in short):
        return True  # surname: "Ancelotti", "De Bruyne"
    if n == 1:
        return short[0] == long[0] and short[0] not in particles  # first name
    return short[0] == long[0] and long[1 - n :] == short[1:]  # without middle names


_Index = dict[str, list[tuple[str, ...]]]


def _targets(
    key: tuple[str, ...], by_first: _Index, by_last: _Index, particles: frozenset[str]
) -> list[tuple[str, ...]]:
    """The fullest names a name can stand for (itself when nothing longer fits), in no set order.

    A name fits only a longer one with the same first or last word, so only those
    (``by_first``, ``by_last``: the names by their first and last word) are tried.
    """
    frontier, result, seen = [key], [], {key}
    while frontier:
        current = frontier.pop()
        near = chain(by_first.get(current[0], ()), by_last.get(current[-1], ())) if current else ()
        longer = [other for other in near if _fits(current, other, particles)]
        if not longer:
            result.append(current)
        for other in longer:
            if other not in seen:
                seen.add(other)
                frontier.append(other)
    return result


def _link(cands: list[_Cand], lex: Lexicon) -> list[str]:
    """The canonical name of each candidate (candidates sorted by start)."""
    particles = lex.words["particle"]
    keys = [_key(c.text) for c in cands]
    distinct = list(dict.fromkeys(keys))
    first_at: dict[tuple[str, ...], int] = {}
    for i, key in enumerate(keys):
        first_at.setdefault(key, i)
    by_first: _Index = {}
    by_last: _Index = {}
    for key in filter(None, distinct):
        by_first.setdefault(key[0], []).append(key)
        by_last.setdefault(key[-1], []).append(key)
    # the order of each name's targets does not matter: they differ in first_at and last_seen, so no ties
    targets = {key: _targets(key, by_first, by_last, particles) for key in distinct}
    last_seen: dict[tuple[str, ...], int] = {}
    names: list[str] = []
    for i, key in enumerate(keys):
        options = targets[key]
        if len(options) == 1:  # most names: nothing to choose
            target = options[0]
        else:
            seen = [o for o in options if o in last_seen]
            target = max(seen, key=last_seen.__getitem__) if seen else min(options, key=first_at.__getitem__)
        last_seen[target] = i
        names.append(cands[first_at[target]].text)
    return names


# ----------------------------------------------------------------------------- attributes


@dataclass(frozen=True, slots=True)
class _Word:
    """What one token says about a person when it stands in a description."""

    role: str | None = None
    assisted: str | None = None  # role of the person named after "van" (assistant roles)
    country: str | None = None
    noun: bool = False  # a noun demonym, which can head a description
    age: int | None = None
    club: str | None = None  # from a glued form such as "Real-coach"
    modifier: bool = False  # an inflected adjective ("eerste", "nieuwe", "ervaren")

    @property
    def head(self) -> bool:
        return self.role is not None or self.noun


_NO_WORD = _Word()  # immutable: what a word that says nothing about a person says


def _word(ctx: _Ctx, i: int) -> _Word:
    """What token ``i`` says about a person in a description (memoized per token)."""
    word = ctx.words[i]
    if word is None:
        word = ctx.words[i] = _read_word(ctx, i)
    return word


def _read_word(ctx: _Ctx, i: int) -> _Word:
    lex, text, low = ctx.lex, ctx.texts[i], ctx.lows[i]
    role, club = lex.role_of(low, compound=text.islower() or i in ctx.clause_starts), None
    if role is None and "-" in text:
        prefix, _, suffix = text.rpartition("-")
        role = lex.roles.get(suffix.lower())
        if role is not None and prefix[:1].isupper():
            start = ctx.token_starts[i]
            club = _glued_club(ctx, start, start + len(prefix), prefix)
    country = _country(lex, text) if text[:1].isupper() else None  # cheap tests first, here and below
    modifier = low.endswith(("e", "en")) and text.isalpha() and text.islower() and not lex.has("article", low)
    assisted, age = lex.assistant_of.get(low), _age(lex, low) if "-" in low else None
    if role is None and assisted is None and country is None and age is None and not modifier:
        return _NO_WORD  # most words: share one instance instead of building a frozen dataclass
    return _Word(
        role, assisted, country, country is not None and low in lex.demonym_nouns, age, club, modifier
    )


def _country(lex: Lexicon, text: str) -> str | None:
    """The country of a capitalized demonym; of the first part of "Italiaans-Duitse"."""
    if not text[:1].isupper():
        return None
    if (country := lex.demonyms.get(text.lower())) or "-" not in text:
        return country
    parts = [part.lower() for part in text.split("-")]
    countries = [lex.demonyms.get(part) or lex.demonyms.get(part + "e") for part in parts]
    return countries[0] if all(countries) else None


def _age(lex: Lexicon, low: str) -> int | None:
    """The age in "62-jarige", else None."""
    number, dash, rest = low.partition("-")
    if not (dash and number.isdigit() and lex.has("age_suffix", rest)):
        return None
    return int(number) if AGE_RANGE[0] <= int(number) <= AGE_RANGE[1] else None


def _glued_club(ctx: _Ctx, start: int, end: int, prefix: str) -> str | None:
    """The club in "Real-coach": the club mention there, else one written the same elsewhere."""
    if club := _club_over(ctx, start, end):
        return club.club
    same = next((c for c in ctx.clubs if c.text == prefix), None)
    return same.club if same else None


@dataclass(slots=True)
class _Facts:
    """Roles, club, age and nationality gathered for one person (first value wins)."""

    roles: list[str] = field(default_factory=list)
    club: str | None = None
    age: int | None = None
    nationality: str | None = None

    def take(self, word: _Word) -> None:
        """Merge what one word says (without building a _Facts for it)."""
        self._add((word.role,) if word.role else (), word.club, word.age, word.country)

    def merge(self, other: _Facts) -> None:
        self._add(other.roles, other.club, other.age, other.nationality)

    def _add(self, roles: Iterable[str], club: str | None, age: int | None, nationality: str | None) -> None:
        """The roles not known yet, and each value still unknown (the first value wins)."""
        self.roles.extend(role for role in roles if role not in self.roles)
        self.club = self.club or club
        self.age = self.age if self.age is not None else age
        self.nationality = self.nationality or nationality

    def agrees(self, other: _Facts) -> bool:
        """The same known nationality or age as the other's."""
        same_country = self.nationality is not None and self.nationality == other.nationality
        return same_country or (self.age is not None and self.age == other.age)

    def contradicts(self, other: _Facts, groups: Mapping[str, str]) -> bool:
        """Known age or nationality that differs, or roles only of other groups (a player vs a coach)."""
        if None not in (self.age, other.age) and self.age != other.age:
            return True
        if None not in (self.nationality, other.nationality) and self.nationality != other.nationality:
            return True
        mine, theirs = {groups[r] for r in self.roles}, {groups[r] for r in other.roles}
        return bool(mine and theirs and not mine & theirs)


@dataclass(frozen=True, slots=True)
class _Np:
    """A description such as "de 62-jarige Italiaan" or "trainer van Club Brugge"."""

    facts: _Facts
    end: int  # token index after it
    specific: bool  # has a demonym, an age or a glued club, so it can refer back on its own


def _parse_np(ctx: _Ctx, i: int, limit: int) -> _Np | None:
    """The description starting at token ``i`` ([article] modifiers* head [van|bij CLUB])."""
    lows, words_of = ctx.lows, ctx.lex.words  # token tests on lows: has() would lower the word again
    if i < limit:
        i = _np_first(ctx, i)
    words: list[_Word] = []
    while True:
        if i >= limit or len(words) > MAX_MODIFIERS:
            return None
        word = _word(ctx, i)
        words.append(word)
        i += 1
        if word.head:
            break
        if not (word.country or word.age is not None or word.modifier):
            return None
    facts = _Facts()
    for word in words:
        facts.take(word)
    specific = any(w.country or w.age is not None or w.club for w in words)
    if (
        i + 1 < limit
        and lows[i] in words_of["club_link"]
        and (club := _club_at(ctx, ctx.token_starts[i + 1]))
    ):
        facts.club = facts.club or club.club
        i = ctx.token_range(club.start, club.end)[1]
    return _Np(facts, i, specific)


def _np_first(ctx: _Ctx, i: int) -> int:
    """The first word of a description that starts at token ``i``: the one after its article, if any."""
    return i + 1 if ctx.lows[i] in ctx.lex.words["article"] else i


def _np_chain(ctx: _Ctx, i: int, limit: int) -> _Np | None:
    """A description followed by appositions (", de eerste trainer ooit"), merged."""
    first = _parse_np(ctx, i, limit)
    if first is None:
        return None
    end = first.end
    while end + 1 < limit and ctx.texts[end] == "," and (more := _parse_np(ctx, end + 1, limit)):
        first.facts.merge(more.facts)
        end = more.end
    return _Np(first.facts, end, first.specific)


def _prefix_facts(ctx: _Ctx, first: int, facts: _Facts) -> None:
    """Add to ``facts`` the descriptions right before a name: "de Belgische verdediger", "Real-coach"."""
    lows, words_of = ctx.lows, ctx.lex.words
    if first >= 2 and lows[first - 1] in words_of["assistant_link"]:
        assisted = _word(ctx, first - 2).assisted
        if assisted and assisted not in facts.roles:
            facts.roles.append(assisted)
    if first == 0 or not _leads_name(ctx, first - 1):
        return
    words: list[_Word] = []
    i = first - 1
    while i >= 0 and len(words) <= MAX_MODIFIERS and lows[i] not in words_of["article"]:
        word = _word(ctx, i)
        if not (word.head or word.country or word.age is not None or word.modifier):
            break
        words.append(word)
        i -= 1
    for word in reversed(words):
        facts.take(word)


def _postfix_facts(ctx: _Ctx, after: int, facts: _Facts) -> None:
    """Add to ``facts`` the descriptions right after a name: "(28)", "bij Italië", "is de coach"."""
    texts = ctx.texts
    if after == 0 or after >= len(texts):
        return
    limit = ctx.sentence_end(after - 1)
    if texts[after] == "(":
        close = next((k for k in range(after + 2, min(limit, after + 6)) if texts[k] == ")"), None)
        if close is None:
            return
        facts.merge(_paren_facts(ctx, after + 1))
        after = close + 1
    if after + 1 >= limit:
        return
    text, low = texts[after], ctx.lows[after]
    if low in ctx.lex.words["club_link"]:
        club = _club_at(ctx, ctx.token_starts[after + 1])
        facts.club = facts.club or (club.club if club else None)
    elif (text == "," or low in ctx.lex.words["copula"]) and (np := _np_chain(ctx, after + 1, limit)):
        facts.merge(np.facts)


def _paren_facts(ctx: _Ctx, i: int) -> _Facts:
    """The age in "X (28)" / "X (28, Anderlecht)" / "X (28 jaar)", or the club in "X (Anderlecht)"."""
    text, nxt = ctx.texts[i], ctx.texts[i + 1]
    if text.isdigit() and AGE_RANGE[0] <= int(text) <= AGE_RANGE[1]:
        if nxt in {")", ","} or ctx.lex.has("age_unit", nxt):
            return _Facts(age=int(text))
        return _Facts()
    club = _club_at(ctx, ctx.token_starts[i])
    return _Facts(club=club.club) if club else _Facts()


class _Placed(NamedTuple):
    """A mention with its tokens [first, end) and the index of its sentence."""

    mention: PersonMention
    first: int
    end: int
    sentence: int


def _place(ctx: _Ctx, mentions: list[PersonMention]) -> list[_Placed]:
    placed = []
    for mention in mentions:
        first, end = ctx.token_range(mention.start, mention.end)
        placed.append(_Placed(mention, first, end, ctx.sentence_of(first)))
    return placed


def _anaphors(ctx: _Ctx, placed: list[_Placed]) -> list[tuple[int, _Facts]]:
    """Definite descriptions that can refer back to a person on their own: (first token, facts)."""
    covered = {i for p in placed for i in range(p.first, p.end)}
    name_starts = {p.first for p in placed}
    anaphors = ctx.lex.words.get("anaphor", frozenset())
    # a description is specific only with a marked word among its first MAX_MODIFIERS + 1 words
    # (after its article): only the tokens shortly before a marked one can open one
    marked = _marked_tokens(ctx)
    near = sorted({i for m in marked for i in range(max(m - MAX_MODIFIERS - 1, 0), m + 1)})
    found: list[tuple[int, _Facts]] = []
    for i in near:
        if ctx.lows[i] not in anaphors or i in covered:
            continue
        first = _np_first(ctx, i)
        at = bisect_left(marked, first)
        if at == len(marked) or marked[at] > first + MAX_MODIFIERS:
            continue
        if _word(ctx, first) is _NO_WORD:
            continue  # cheap test first: a description cannot start with a word that says nothing
        np = _np_chain(ctx, i, ctx.sentence_end(i))
        if np is None or not np.specific or np.end in name_starts:
            continue  # not a description on its own, or the prefix of a name
        found.append((i, np.facts))
    return found


def _marked_tokens(ctx: _Ctx) -> list[int]:
    """The capitalized demonyms and the hyphenated tokens, in order: only such a word makes a
    description specific (a nationality; an age or a glued club)."""
    lows, demonyms = ctx.lows, ctx.lex.demonyms
    hyphenated = (bisect_right(ctx.token_starts, m.start()) - 1 for m in _HYPHEN.finditer(ctx.text))
    capitalized = ctx.capitalized
    demonym = compress(capitalized, map(demonyms.__contains__, map(lows.__getitem__, capitalized)))
    return sorted({*demonym, *hyphenated})


def _quoted(ctx: _Ctx) -> frozenset[int]:
    """The tokens inside a quotation (only descriptions that refer back need them)."""
    quotes = ctx.lex.quotes.finditer(ctx.text)
    return frozenset(chain.from_iterable(range(*ctx.token_range(*m.span())) for m in quotes))


def _after_preposition(ctx: _Ctx, first: int) -> bool:
    """Whether a preposition comes right before token ``first`` or the description before it."""
    i = first - 1
    lows, prepositions, articles = ctx.lows, ctx.lex.words["preposition"], ctx.lex.words["article"]
    while i >= 0 and first - i <= MAX_MODIFIERS and lows[i] not in prepositions:
        word = _word(ctx, i)
        if not (lows[i] in articles or word.head or word.modifier or word.country):
            return False
        i -= 1
    return i >= 0 and lows[i] in prepositions


def _resolve_anaphor(
    ctx: _Ctx,
    start: int,
    facts: _Facts,
    placed: list[_Placed],
    known: dict[str, _Facts],
    quoted: frozenset[int],
) -> str | None:
    """The person a description refers to.

    Candidates are the persons mentioned before it whose facts it does not contradict,
    outside quotations (the ``quoted`` tokens) unless the description itself is quoted; a
    person named earlier in its own sentence is no candidate when the description is an
    object (right after that name, or after a preposition). Preferred, nearest first:
    a candidate already known with the same nationality or age ("de Noor" again), then
    one that is not itself after a preposition (a subject) in the last few sentences,
    then any candidate, then the first person named after it in the same sentence.
    """
    sentence = ctx.sentence_of(start)
    before = [p for p in reversed(placed) if p.end <= start]
    if start not in quoted:
        before = [p for p in before if p.first not in quoted]
    is_object = any(p.end == start for p in before) or _after_preposition(ctx, start)
    groups = ctx.lex.role_groups
    candidates = [
        p
        for p in before
        if not (is_object and p.sentence == sentence) and not known[p.mention.name].contradicts(facts, groups)
    ]
    subjects = [
        p
        for p in candidates
        if p.sentence >= sentence - ANTECEDENT_WINDOW and not _after_preposition(ctx, p.first)
    ]
    same = [p for p in candidates if known[p.mention.name].agrees(facts)]
    if pool := same or subjects or candidates:
        return pool[0].mention.name
    after = next((p for p in placed if p.first > start and p.sentence == sentence), None)
    return after.mention.name if after else None


def _collect_facts(ctx: _Ctx, mentions: list[PersonMention]) -> dict[str, _Facts]:
    """The facts of each person: descriptions next to a mention first, then those referring back."""
    known = {name: _Facts() for name in dict.fromkeys(m.name for m in mentions)}
    placed = _place(ctx, mentions)
    for p in placed:  # filled in place: building a _Facts per mention to merge it costs more
        _prefix_facts(ctx, p.first, known[p.mention.name])
        _postfix_facts(ctx, p.end, known[p.mention.name])
    anaphors = _anaphors(ctx, placed)
    quoted = _quoted(ctx) if anaphors else frozenset()
    for start, facts in anaphors:
        name = _resolve_anaphor(ctx, start, facts, placed, known, quoted)
        if name is not None:
            known[name].merge(facts)
    return known


# ----------------------------------------------------------------------------- entry point


def _not_a_person(ctx: _Ctx, name: str) -> bool:
    """A canonical name that is no person: a known place ("Rio de Janeiro"), in a football
    article a club name ("Standard"), or one word the article also writes after a place
    preposition ("in Sclessin")."""
    key = _key(name)
    if " ".join(key) in places():
        return True
    if ctx.clubs and alias_key(name) in load_gazetteer().index:
        return True
    if len(key) > 1:
        return False
    return any(ctx.lex.has("place_preposition", word) for word in _words_before(ctx.text, name))


def _words_before(text: str, name: str) -> list[str]:
    """The words right before a space and ``name``, as a left-to-right scan for "WORD NAME"
    finds them (none overlapping an earlier one).

    Found from the occurrences of the name: a regex led by the word would try every word.
    """
    words: list[str] = []
    end = 0
    for match in _spaced_regex(name).finditer(text):  # the match is the space alone: overlaps too
        space = start = match.start()
        while start > 0 and _WORD_CHAR.match(text, start - 1):
            start -= 1
        if start < space and start >= end:
            words.append(text[start:space])
            end = space + 1 + len(name)
    return words


@lru_cache(maxsize=PATTERN_CACHE)
def _spaced_regex(name: str) -> re.Pattern[str]:
    """A regex for a space before ``name`` (a whole word at its end); the match is the space."""
    return re.compile(rf" (?={re.escape(name)}(?!\w))")


def extract_persons(doc: Doc, clubs: list[ClubMention]) -> tuple[list[PersonMention], list[Person]]:
    """Person mentions (sorted by start) and persons (sorted by first mention) of one article."""
    ctx = _make_ctx(doc, clubs)
    runs = [*_ner_runs(ctx), *_role_led_runs(ctx), *_lineup_runs(ctx)]
    cands = _dedupe(_to_cand(ctx, run) for run in dict.fromkeys(runs))  # a run found twice: one candidate
    cands = _add_cands(cands, _name_like_ents(ctx, cands))
    cands = _add_cands(cands, _repeat_cands(ctx, cands))
    names = _link(cands, ctx.lex)
    dropped = {name for name in set(names) if _not_a_person(ctx, name)}
    mentions = [
        PersonMention(c.start, c.end, c.text, name)
        for c, name in zip(cands, names, strict=True)
        if name not in dropped
    ]
    facts = _collect_facts(ctx, mentions)
    persons: dict[str, Person] = {}
    for mention in mentions:
        person = persons.setdefault(mention.name, Person(mention.name, 0, mention.start))
        person.mentions += 1
    for person in persons.values():
        found = facts[person.name]
        person.roles, person.club = tuple(found.roles), found.club
        person.age, person.nationality = found.age, found.nationality
    return mentions, sorted(persons.values(), key=lambda p: p.first_start)
