"""Direct and partial quotes with the person (or organisation) who said them.

``extract_quotes(doc, persons)`` finds quotes in every style Dutch and Flemish papers
use („…”, “…”, "…", '…', ‘…’, «…» and dialogue lines opened by a dash), labels each
``direct`` (a full utterance) or ``partial`` (a few quoted words inside the writer's
sentence), drops titles, nicknames and scare quotes, and names the speaker.

Detection is one pass over each paragraph: double quote marks first, single quote marks
only outside them and only when they open and close in the same paragraph. Apostrophes
inside or in front of words (z'n, 's, 't) and possessives (Ajax') are not quote marks.
A quote still open at the end of a paragraph continues when the next paragraph opens
with a quote mark, and otherwise ends there, so one bad mark never swallows the rest of
the article.

Q&A interviews: a paragraph ``Name: answer`` (the name a person) and a dash paragraph after a
question are each one quote, to the end of the paragraph; quotes nested in a quote are listed too,
when a reporting cue introduces them, with the person named in their clause (or no speaker).

Speaker rules, first hit wins:

1. a cue right after the quote in its sentence: "…", zei hij / aldus X / klinkt het bij X;
2. a cue before the quote in its sentence: X zei: "…" / X: "…" / volgens X …;
3. partial quotes: the person the sentence is about ("X had het over “…”"), else the next
   sentence ("Dat bevestigde de 62-jarige Italiaan"); a partial quote nobody said is a cited term;
4. direct quotes: the continuation of the quote just before (interrupted quotes, quote
   paragraphs in a row), a cue in the previous sentence, the next sentence, the first
   person named in the previous sentence, the current speaker (last speaker, at most
   three paragraphs back);
5. headline quotes: the speaker of the later quote they repeat, else the main speaker.

Pronouns (hij, zij, ze, die, -ie) resolve to the most recent person mention outside
quotes that is not a prepositional object, not a first-person word, not addressed inside
the quote ("Kevin, kom!", zei hij) and not of the other gender (learnt from earlier
"zei hij" / "zei zij"), or else to the last speaker named in the third person.
Descriptions (de 62-jarige Italiaan, de coach) resolve to the most recent person mention.
All word lists live in ``pipeline/resources/quotes/``. The pass is linear in the text.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from spacy.tokens import Doc

from .clubs import alias_key, find_clubs, load_gazetteer
from .nlp import coarse_label, doc_ents, doc_text
from .records import ClubMention, PersonMention, Quote
from .spans import Intervals

logger = logging.getLogger(__name__)

# X X* rather than X+ throughout: re skips ahead to a match's first character only when a pattern
# opens with a character class, and a repeat hides it
_WORD = re.compile(r"[^\W_][^\W_]*(?:['’][^\W_]+|-(?!ie\b)[^\W_]+)*")  # zei-ie: two words
_TERMINAL = ".!?…"
_APOSTROPHES = "'’‘"
_LEFT_ONLY = "„“«‚‘‹"
_RIGHT_ONLY = "”»’›"
_OPEN_BEFORE = "([{/:;-–—"
_CLOSE_AFTER = ".,;:!?)]}/…-–—"
_MAX_SUBJECT_GAP = 6
_CURRENT_SPEAKER_PARAGRAPHS = 3
_HEADLINE_MAX_CHARS = 200


# ---------------------------------------------------------------------------
# Rule data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteLexicon:
    """The quote marks, cue words and reference words, loaded from resources/quotes/."""

    openers: dict[str, tuple[str, str]]  # opener -> (closers, family)
    family_chars: dict[str, str]  # family -> every mark character of that family
    verbs: dict[str, tuple[tuple[str, str | None], ...]]  # form -> ((lemma, particle), ...)
    # first word -> ((words, kind), ...), longest first
    markers: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    pronouns: dict[str, str]  # pronoun -> m | f | - (gender class, "-" for either)
    prepositions: frozenset[str]
    determiners: frozenset[str]
    fillers: frozenset[str]
    clitics: frozenset[str]
    abbreviations: frozenset[str]
    speech_words: frozenset[str]
    subordinators: frozenset[str]
    dashes: tuple[str, ...]
    person_nouns: tuple[str, ...]
    org_nouns: tuple[str, ...]

    @cached_property  # read per quote mark
    def mark_chars(self) -> str:
        """Every quote mark character."""
        return "".join(self.family_chars.values())

    @cached_property
    def cue_words(self) -> frozenset[str]:
        """Every word a cue starts with: a marker's first word or a verb form."""
        return frozenset(self.markers) | frozenset(self.verbs)

    @cached_property
    def abbreviation_reach(self) -> int:
        """The length of the shortest word that is longer than a letter and every abbreviation."""
        return max(1, max(map(len, self.abbreviations), default=1)) + 1

    @cached_property  # read per article
    def person_noun_set(self) -> frozenset[str]:
        """The person nouns, for membership tests."""
        return frozenset(self.person_nouns)


def _read_lines(name: str) -> list[tuple[int, str]]:
    """Numbered non-empty lines of a resource file, without # comments."""
    path = resources.files("pipeline").joinpath("resources", "quotes", name)
    if not path.is_file():
        raise ValueError(f"pipeline/resources/quotes/{name} is missing; reinstall the package.")
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        content = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if content:
            lines.append((number, content))
    return lines


def _fields(name: str, number: int, line: str, sizes: tuple[int, ...]) -> list[str]:
    """Split a ``a | b | c`` line and check the number of non-empty fields."""
    parts = [part.strip() for part in line.split("|")]
    if len(parts) not in sizes or not all(parts):
        raise ValueError(
            f"pipeline/resources/quotes/{name} line {number}: expected {' or '.join(map(str, sizes))} "
            f"non-empty fields separated by '|', got {line!r}"
        )
    return parts


def _word_list(name: str, multiword: bool = False) -> list[str]:
    """A one-item-per-line list; single words unless ``multiword``."""
    items = []
    for number, line in _read_lines(name):
        if "|" in line or (not multiword and " " in line):
            raise ValueError(
                f"pipeline/resources/quotes/{name} line {number}: expected one word, got {line!r}"
            )
        items.append(line)
    return items


def _load_marks() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    openers: dict[str, tuple[str, str]] = {}
    chars: dict[str, str] = {"double": "", "single": ""}
    for number, line in _read_lines("marks.txt"):
        opener, closers, family = _fields("marks.txt", number, line, (3,))
        if len(opener) != 1 or family not in chars:
            raise ValueError(
                f"pipeline/resources/quotes/marks.txt line {number}: the opener must be one character "
                f"and the family 'double' or 'single', got {line!r}"
            )
        openers[opener] = (closers, family)
        chars[family] += "".join(ch for ch in opener + closers if ch not in chars[family])
    return openers, chars


def _load_verbs() -> dict[str, tuple[tuple[str, str | None], ...]]:
    verbs: dict[str, list[tuple[str, str | None]]] = {}
    for number, line in _read_lines("verbs.txt"):
        parts = _fields("verbs.txt", number, line, (2, 3))
        forms = parts[1].split()
        particle = parts[2] if len(parts) == 3 else None
        if any(form != form.lower() or not _WORD.fullmatch(form) for form in forms):
            raise ValueError(
                f"pipeline/resources/quotes/verbs.txt line {number}: forms must be lower-case words"
            )
        for form in forms:
            verbs.setdefault(form, []).append((parts[0], particle))
    return {form: tuple(entries) for form, entries in verbs.items()}


def _load_markers() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    markers = []
    for number, line in _read_lines("markers.txt"):
        kind, phrase = _fields("markers.txt", number, line, (2,))
        if kind not in {"speaker", "source"} or phrase != phrase.lower():
            raise ValueError(
                f"pipeline/resources/quotes/markers.txt line {number}: kind must be speaker|source "
                f"and the phrase lower case, got {line!r}"
            )
        markers.append((tuple(phrase.split()), kind))
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase_words, kind in sorted(markers, key=lambda item: -len(item[0])):
        by_first.setdefault(phrase_words[0], []).append((phrase_words, kind))
    return {first: tuple(items) for first, items in by_first.items()}


def _load_pronouns() -> dict[str, str]:
    pronouns = {}
    for number, line in _read_lines("pronouns.txt"):
        word, gender = _fields("pronouns.txt", number, line, (2,))
        if gender not in {"m", "f", "-"} or " " in word:
            raise ValueError(
                f"pipeline/resources/quotes/pronouns.txt line {number}: expected 'word | m|f|-', got {line!r}"
            )
        pronouns[word.lower()] = gender
    return pronouns


@lru_cache(maxsize=1)
def load_lexicon() -> QuoteLexicon:
    """Load and validate the rule data in ``pipeline/resources/quotes/``."""
    openers, family_chars = _load_marks()

    def words(name: str) -> frozenset[str]:
        return frozenset(item.lower() for item in _word_list(name))

    return QuoteLexicon(
        openers=openers,
        family_chars=family_chars,
        verbs=_load_verbs(),
        markers=_load_markers(),
        pronouns=_load_pronouns(),
        prepositions=words("prepositions.txt"),
        determiners=words("determiners.txt"),
        fillers=words("fillers.txt"),
        clitics=words("clitics.txt"),
        abbreviations=words("abbreviations.txt"),
        speech_words=words("speech_words.txt"),
        subordinators=words("subordinators.txt"),
        dashes=tuple(sorted(_word_list("dashes.txt"), key=len, reverse=True)),
        person_nouns=tuple(_word_list("person_nouns.txt", multiword=True)),
        org_nouns=tuple(_word_list("org_nouns.txt", multiword=True)),
    )


# ---------------------------------------------------------------------------
# Paragraphs and quote spans
# ---------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_ANY_NEWLINE = re.compile(r"\n\s*")
_NEWLINE_THEN = re.compile(r"\n[ \t]*(\S)")
_LINE_END = _TERMINAL + ":" + "”\"’'»"  # a single newline after these may end a sentence


def _single_newlines(text: str) -> list[tuple[str, str]]:
    """The characters around each single newline: ``re.findall(r"(\\S)[ \\t\\r]*\\n[ \\t]*(\\S)", text)``.

    That pattern opens with \\S, so re would try it at every character; starting at the newlines
    and looking back is ten times faster. Like findall's, the pairs do not overlap.
    """
    pairs = []
    taken = 0
    for match in _NEWLINE_THEN.finditer(text):
        k = match.start()
        while k > taken and text[k - 1] in " \t\r":
            k -= 1
        if k > taken and not text[k - 1].isspace():  # str.isspace is re's \s
            pairs.append((text[k - 1], match.group(1)))
            taken = match.end()
    return pairs


def _is_wrapped(text: str) -> bool:
    """True for hard-wrapped text, where single newlines fall inside sentences."""
    pairs = _single_newlines(text)
    if len(pairs) < 3:
        return False
    mid = sum(1 for before, after in pairs if before not in _LINE_END and after.islower())
    return mid >= 0.3 * len(pairs)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (whitespace trimmed): blank lines always split, single newlines unless wrapped."""
    separator = _BLANK_LINE if _is_wrapped(text) else _ANY_NEWLINE
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*separator.finditer(text), None]:
        stop = match.start() if match else len(text)
        piece = text[position:stop]
        start = stop - len(piece.lstrip())  # str.strip drops exactly the str.isspace characters
        end = position + len(piece.rstrip())
        if end > start:
            spans.append((start, end))
        position = match.end() if match else len(text)
    return spans


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A candidate quote from :func:`find_quote_spans`: the span with its marks, the text
    between the marks, the style (double, single or dash), its paragraph, and whether a
    closing mark was found (False for a quote recovered at a sentence or paragraph end)."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    style: str  # "double" | "single" | "dash" | "prefix" (Q&A ``Name: answer``)
    para: int
    closed: bool = True
    answer: bool = False  # a whole Q&A answer paragraph


class _Open(NamedTuple):  # NamedTuples here and in _Pairing: built per mark and per paragraph
    pos: int
    closers: str
    family: str
    para: int


def _is_apostrophe(text: str, i: int, prev: str, nxt: str, lex: QuoteLexicon) -> bool:
    """An apostrophe inside a word, in front of a clitic or year, or a possessive (Ajax')."""
    if prev.isalnum() and nxt.isalnum():
        return True
    if nxt.isalnum() and not prev.isalnum():
        word = _WORD.match(text, i + 1)
        token = word.group() if word else ""  # 'Er zijn ... opens a quote, 'er is a clitic
        return token in lex.clitics or (token.isdigit() and len(token) == 2)
    if prev.isalpha() and nxt.isspace() and text[i] != "‘" and prev in "sxzSXZ":
        before = re.search(r"[^\W_][^\W_]*$", text[max(0, i - 40) : i])
        after = _WORD.match(text, i + 2)
        if before and before.group()[0].isupper() and after and after.group()[0].islower():
            return after.group().lower() not in lex.verbs
    return False


def _flanks(text: str, i: int, lo: int, hi: int, lex: QuoteLexicon) -> tuple[bool, bool]:
    """Whether the mark at ``i`` can open and whether it can close a quote.

    Apostrophes (:func:`_is_apostrophe`) are no marks: :func:`_mark_events` has left them out.
    """
    ch = text[i]
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if ch in "«»‹›":  # French spacing: « Bonjour »
        prev = text[i - 2] if prev in " \u00a0" and i - 1 > lo else prev
        nxt = text[i + 2] if nxt in " \u00a0" and i + 2 < hi else nxt
    marks = lex.mark_chars
    can_open = not nxt.isspace() and (prev.isspace() or prev in _OPEN_BEFORE or prev in marks)
    can_close = not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_AFTER or nxt in marks)
    if not can_open and not can_close:
        return ch in _LEFT_ONLY, ch in _RIGHT_ONLY
    return can_open, can_close


def _raw(text: str, opened: _Open, end: int, closed: bool) -> QuoteSpan:
    inner_end = end - 1 if closed else end
    return QuoteSpan(opened.pos, end, opened.pos + 1, inner_end, opened.family, opened.para, closed)


def _recover(text: str, opened: _Open, stop: int) -> QuoteSpan | None:
    """Close a quote that never closed at its last sentence end before ``stop``, if any."""
    ends = [m.end() for m in re.finditer(r"[.!?…][.!?…]*(?=\s)", text[opened.pos + 1 : stop])]
    if not ends:
        logger.debug("dropping unclosed quote mark at %d", opened.pos)
        return None
    return _raw(text, opened, opened.pos + 1 + ends[-1], closed=False)


@lru_cache(maxsize=4)
def _family_pattern(chars: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(chars) + "]")


def _mark_events(
    text: str, span: tuple[int, int], family: str, lex: QuoteLexicon
) -> list[tuple[int, str, bool, bool]]:
    """Every mark of a family in ``span`` with whether it can open and whether it can close."""
    lo, hi = span
    events = []
    for m in _family_pattern(lex.family_chars[family]).finditer(text, lo, hi):
        i = m.start()
        prev = text[i - 1] if i > lo else " "
        nxt = text[i + 1] if i + 1 < hi else " "
        if m.group() in _APOSTROPHES and _is_apostrophe(text, i, prev, nxt, lex):
            continue  # z'n, 's, Ajax': never a quote mark, so it cannot close one either
        events.append((i, m.group(), *_flanks(text, i, lo, hi, lex)))
    return events


class _Pairing(NamedTuple):
    family: str
    para: int
    carry: _Open | None = None


def _pair_events(
    text: str, events: Sequence[tuple[int, str, bool, bool]], how: _Pairing, lex: QuoteLexicon, nesting: bool
) -> tuple[list[QuoteSpan], list[_Open]] | None:
    """Pair marks; with ``nesting`` an opener inside a quote opens an inner quote (None if that fails)."""
    found: list[QuoteSpan] = []
    stack = [how.carry] if how.carry else []
    for i, ch, can_open, can_close in events:
        entry = lex.openers.get(ch)
        new = _Open(i, entry[0], how.family, how.para) if entry and entry[1] == how.family else None
        if not stack:
            stack += [new] if can_open and new else []
        elif ch in stack[-1].closers and (can_close or not can_open):
            closed = stack.pop()
            found.append(_raw(text, closed, i + 1, closed=True))  # inner quotes too
        elif can_open and new and nesting:
            if len(stack) > 1:
                return None
            stack.append(new)
        elif can_open and new:
            found += [r for r in [_recover(text, stack[0], i)] if r]
            stack = [new]
    return found, stack


def _pair_marks(
    text: str, span: tuple[int, int], how: _Pairing, lex: QuoteLexicon, continues: bool
) -> tuple[list[QuoteSpan], _Open | None]:
    """Pair the marks of one family inside ``span``; returns the quotes and one still open.

    Inner quotes with the same marks ("al wat "stilstand" heet") are tried first and kept
    when every mark pairs up; otherwise an opener inside an open quote closes that quote
    at its last sentence end (recovery from a missing closing mark).
    """
    events = _mark_events(text, span, how.family, lex)
    if not events:
        return [], how.carry  # what both pairings below give: nothing pairs, the carried quote stays open
    nested = _pair_events(text, events, how, lex, nesting=True)
    if nested is not None and (not nested[1] or (len(nested[1]) == 1 and continues)):
        return nested[0], nested[1][0] if nested[1] else None
    flat = _pair_events(text, events, how, lex, nesting=False)
    assert flat is not None
    return flat[0], flat[1][0] if flat[1] else None


def _gaps(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``span`` outside the sorted ``taken`` intervals."""
    gaps, position = [], span[0]
    for start, end in taken:
        if start > position:
            gaps.append((position, min(start, span[1])))
        position = max(position, end)
    if position < span[1]:
        gaps.append((position, span[1]))
    return [gap for gap in gaps if gap[1] > gap[0]]


_ATTRIBUTION_GAP = re.compile(r"([,!?…;:]|\.{2,})\s+(?=[^\W\d_])")


def _next_sentence_start(text: str, position: int, stop: int) -> int:
    """The start of the sentence after ``position`` (an upper-case word after . ! ?), or ``stop``."""
    for match in re.finditer(r"[.!?…][.!?…]*\s+", text[position:stop]):
        k = position + match.end()
        if k < stop and (text[k].isupper() or text[k].isdigit()):
            return k
    return stop


def _dash_segments(
    text: str, start: int, stop: int, para: int, lex: QuoteLexicon
) -> tuple[list[QuoteSpan], bool]:
    """Split a dialogue line into speech segments around its attribution clauses."""
    segments, attributed, cursor = [], False, start
    while cursor < stop:
        hit = None
        for match in _ATTRIBUTION_GAP.finditer(text, cursor, stop):
            if text[match.end()].islower() and _first_cue(
                text, match.end(), min(stop, match.end() + 120), lex
            ):
                hit = match
                break
        end = stop if hit is None else (hit.start(1) if hit.group(1) in ",;:" else hit.end(1))
        while end > cursor and text[end - 1].isspace():
            end -= 1
        if end > cursor and (not attributed or _sounds_spoken(text[cursor:end], lex)):
            segments.append(QuoteSpan(cursor, end, cursor, end, "dash", para))
        if hit is None:
            break
        attributed = True
        cursor = _next_sentence_start(text, hit.end(), stop)
    return segments, attributed


def _sounds_spoken(passage: str, lex: QuoteLexicon) -> bool:
    """Speech rather than narration: a ? or !, or a first- or second-person word."""
    return (
        "?" in passage or "!" in passage or any(w.lower() in lex.speech_words for w in _WORD.findall(passage))
    )


def _dash_at(text: str, position: int, lex: QuoteLexicon) -> str | None:
    """The (longest) dialogue dash at ``position``, if any."""
    if not text.startswith(lex.dashes, position):  # one C-level test for the many lines without one
        return None
    return next(d for d in lex.dashes if text.startswith(d, position))


def _dash_quotes(text: str, span: tuple[int, int], para: int, lex: QuoteLexicon) -> list[QuoteSpan] | None:
    """Speech segments of a paragraph that opens with a dialogue dash; None when it is no dialogue."""
    lo, hi = span
    dash = _dash_at(text, lo, lex)
    if dash is None:
        return None
    start = lo + len(dash)
    while start < hi and text[start] in " \u00a0\t":
        start += 1
    if start >= hi or not (text[start].isalpha() or text[start] in "…."):
        return None
    if _family_pattern(lex.family_chars["double"]).search(text, lo, hi):
        return None
    segments, attributed = _dash_segments(text, start, hi, para, lex)
    body = text[start:hi]
    if dash != "-" or attributed or "?" in body or "!" in body:
        return segments  # a single hyphen may also be a list bullet
    speechlike = any(w.group().lower() in lex.speech_words for w in _WORD.finditer(body))
    return segments if speechlike else None


def _opens_with_mark(text: str, position: int, family: str, lex: QuoteLexicon) -> bool:
    ch = text[position]
    return ch in lex.openers and lex.openers[ch][1] == family


def _starts_utterance(text: str, para_start: int, position: int) -> bool:
    """True when a quote mark opens a sentence (or follows a colon), as a quote spanning paragraphs does."""
    before = text[para_start:position].rstrip()
    return not before or before[-1] in _TERMINAL + ":"


_NAME_PREFIX = re.compile(r"([^\W\d_][\w’'-]*(?: [^\W\d_][\w’'-]*){0,2}): +")


def _qa_answer(text: str, paras: Sequence[tuple[int, int]], k: int, lex: QuoteLexicon) -> QuoteSpan | None:
    """A Q&A answer paragraph: a dash line after a question, or ``Name: answer`` (the whole paragraph).

    A ``prefix`` answer is kept later only when its name is a person (see :func:`_kinds`).
    """
    lo, hi = paras[k]
    prefix = _NAME_PREFIX.match(text, lo, hi)
    if prefix and prefix.group(1)[0].isupper() and prefix.end() < hi:
        first = text[prefix.end()]
        if first not in lex.mark_chars and not text.startswith(lex.dashes, prefix.end()):
            return QuoteSpan(prefix.end(), hi, prefix.end(), hi, "prefix", k, answer=True)
    dash = _dash_at(text, lo, lex)
    if dash is None or k == 0 or not text[lo + len(dash) : lo + len(dash) + 1].isspace():
        return None
    before_lo, before_hi = paras[k - 1]
    question = text[before_hi - 1] == "?" and not text.startswith(lex.dashes, before_lo)
    return QuoteSpan(lo, hi, lo + len(dash), hi, "dash", k, answer=True) if question else None


def find_quote_spans(text: str, lex: QuoteLexicon | None = None) -> list[QuoteSpan]:
    """All candidate quote spans (before the title/scare-quote filter), sorted by start.

    Quotes nested in another quote (a father's words inside a player's answer) are candidates too.
    """
    return _quote_spans(text, paragraphs(text), lex or load_lexicon())


def _quote_spans(text: str, paras: Sequence[tuple[int, int]], lex: QuoteLexicon) -> list[QuoteSpan]:
    """:func:`find_quote_spans` for the text's :func:`paragraphs` ``paras``."""
    found: list[QuoteSpan] = []
    carry: _Open | None = None
    for k, (lo, hi) in enumerate(paras):
        start = lo
        if carry is not None and _opens_with_mark(text, lo, carry.family, lex):
            start = lo + 1  # a paragraph that opens with a quote mark continues the open quote
        elif carry is not None:
            found.append(_raw(text, carry, paras[k - 1][1], closed=False))
            carry = None
        answer = _qa_answer(text, paras, k, lex) if carry is None else None
        if answer is not None:
            found.append(answer)
            start = answer.inner_start
        dash = _dash_quotes(text, (lo, hi), k, lex) if carry is None and answer is None else None
        if dash is not None:
            found.extend(dash)
            continue
        if not _family_pattern(lex.mark_chars).search(text, lo, hi):
            continue  # nothing to pair, and no quote is open: an open one closed above
        continues = k + 1 < len(paras) and _opens_with_mark(text, paras[k + 1][0], "double", lex)
        doubles, carry = _pair_marks(text, (start, hi), _Pairing("double", k, carry), lex, continues)
        if carry is not None and not (continues and _starts_utterance(text, lo, carry.pos)):
            doubles.append(_raw(text, carry, hi, closed=False))  # recover: close at the paragraph end
            carry = None
        found.extend(doubles)
        if not _family_pattern(lex.family_chars["single"]).search(text, lo, hi):
            continue  # no single mark in the paragraph: no single quote inside or outside the doubles
        for outer in doubles:
            if outer.closed:
                inner, _ = _pair_marks(
                    text, (outer.inner_start, outer.inner_end), _Pairing("single", k), lex, continues=False
                )
                found.extend(inner)
        taken = [(q.start, q.end) for q in doubles] + ([(carry.pos, hi)] if carry else [])
        for gap in _gaps((lo, hi), sorted(taken)):
            singles, _ = _pair_marks(text, gap, _Pairing("single", k), lex, continues=False)
            found.extend(singles)
    if carry is not None:
        found.append(_raw(text, carry, paras[-1][1], closed=False))
    return sorted(found, key=lambda q: q.start)


# ---------------------------------------------------------------------------
# Words, sentences and references
# ---------------------------------------------------------------------------


class _Word(NamedTuple):
    start: int
    end: int
    lower: str


def _words(text: str, start: int, stop: int) -> list[_Word]:
    make = tuple.__new__  # _Word(...) without the Python-level __new__ frame: same tuples, faster
    return [make(_Word, (*m.span(), m.group().lower())) for m in _WORD.finditer(text, start, stop)]


def _skip_fillers(words: Sequence[_Word], i: int, lex: QuoteLexicon) -> int:
    while i < len(words) and words[i].lower in lex.fillers:
        i += 1
    return i


def _first_cue(text: str, start: int, stop: int, lex: QuoteLexicon) -> tuple[list[_Word], int] | None:
    """The :func:`_words` of [start, stop) and the index of the first non-filler, if a cue starts there."""
    for match in _WORD.finditer(text, start, stop):
        word = match.group().lower()
        if word not in lex.fillers:
            if word not in lex.cue_words:
                return None  # the usual case, found without building the words: no cue starts with it
            words = _words(text, start, stop)
            i = _skip_fillers(words, 0, lex)
            return (words, i) if _cue_at(text, words, i, lex) is not None else None
    return None


def _cue_indexes(words: Sequence[_Word], lex: QuoteLexicon) -> list[int]:
    """The indexes of the words that can start a cue: :func:`_cue_at` finds nothing at the others."""
    starts = lex.cue_words
    return [i for i, word in enumerate(words) if word.lower in starts]


def _has_cue_word(text: str, start: int, stop: int, lex: QuoteLexicon, first_words: int = 0) -> bool:
    """True when a word of [start, stop) (of its first ``first_words``, when given) can start a cue.

    :func:`_cue_indexes` of the :func:`_words` in one C-level pass, without building the words.
    """
    lowers = map(str.lower, _WORD.findall(text, start, stop))
    return not lex.cue_words.isdisjoint(islice(lowers, first_words) if first_words else lowers)


def _cues(text: str, words: Sequence[_Word], lex: QuoteLexicon) -> Iterator[tuple[int, tuple[str, str, int]]]:
    """``(index, cue)`` for each word of ``words`` that starts a cue (see :func:`_cue_at`), in order."""
    for i in _cue_indexes(words, lex):
        if (hit := _cue_at(text, words, i, lex)) is not None:
            yield i, hit


def _cue_at(text: str, words: Sequence[_Word], i: int, lex: QuoteLexicon) -> tuple[str, str, int] | None:
    """``(kind, cue as written, next word index)`` when ``words[i:]`` starts with a cue."""
    if i >= len(words):
        return None
    for phrase, kind in lex.markers.get(words[i].lower, ()):
        n = len(phrase)
        if tuple(w.lower for w in words[i : i + n]) == phrase:
            return kind, text[words[i].start : words[i + n - 1].end], i + n
    for _lemma, particle in lex.verbs.get(words[i].lower, ()):
        if particle is None:
            return "verb", text[words[i].start : words[i].end], i + 1
        for j in range(i + 1, min(len(words), i + 12)):
            if words[j].lower == particle:
                return (
                    "verb",
                    f"{text[words[i].start : words[i].end]} {text[words[j].start : words[j].end]}",
                    i + 1,
                )
    return None


class _Ref(NamedTuple):  # not a frozen dataclass: thousands are built per article, and tuples build fast
    """A possible speaker: a person or organisation, a pronoun, or a description."""

    start: int
    end: int
    kind: str  # person | org | pronoun | description | org_description
    name: str | None = None


def _trie(words: Collection[str]) -> str:
    """A regex for ``words`` as a trie: one branch per next character, so re no longer tries every word.

    At each step at most one branch fits the text and a longer word is tried before its prefix, so a
    match followed by ``\\b`` is the one the longest-first alternation of the words finds.
    """
    groups: dict[str, list[str]] = {}
    for word in sorted(words):
        if word:
            groups.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(first) + _trie(rests) for first, rests in groups.items()]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in words else body


# \b(?:[Dd]e|[Hh]et|[Dd]ie|[Dd]eze|[Dd]en), opening with a character class so that re skips
# straight to the D's and H's: far faster on a long text
_DETERMINER = r"[DdHh](?<!\w[DdHh])(?:(?<=[Dd])(?:e|ie|eze|en)|(?<=[Hh])et)"
# An adjective before the noun: (?:[^\W\d_]+-)*[^\W\d_]+(?:e|en) followed by whitespace, so all of a
# hyphenated word; possessive, so that re does not backtrack letter by letter through every word
# after a determiner to find an ending that is not there.
_MODIFIERS = (
    r"(?:(?!(?:de|het|een|die|deze|dat|den)\b)"
    r"(?:\d+-jarige|[^\W\d_]++(?:-[^\W\d_]++)*+(?:(?<=[^\W\d_]e)|(?<=[^\W\d_]en)))\s+){0,3}"
)


def _description_pattern(nouns: Collection[str]) -> re.Pattern[str]:
    return re.compile(rf"{_DETERMINER}\s+{_MODIFIERS}{_trie(nouns)}\b")


def _pronoun_pattern(pronouns: Sequence[str]) -> re.Pattern[str]:
    """``\\b(?:hij|zij|…)\\b`` case-insensitively, led by a character class so that re skips ahead.

    The class holds the ASCII characters a first letter matches and every non-ASCII character
    (İ matches i); ``(?<!\\w.)`` then drops a letter inside a word with one test, so the letter
    opens a word (every character a first letter matches is a word character). One branch per
    first letter checks it once, then tries the rests of its words in the sorted order.
    """
    firsts = re.compile("[" + re.escape("".join({word[0] for word in pronouns})) + "]", re.IGNORECASE)
    lead = re.escape("".join(ch for ch in map(chr, range(128)) if firsts.match(ch)))
    rests: dict[str, list[str]] = {}
    for word in pronouns:
        rests.setdefault(word[0], []).append(re.escape(word[1:]))
    branches = "|".join(rf"(?<={re.escape(first)})(?:{'|'.join(ends)})" for first, ends in rests.items())
    return re.compile(rf"[{lead}\x80-\U0010ffff](?<!\w.)(?i:{branches})\b")


class _RefPatterns(NamedTuple):
    pronoun: re.Pattern[str]
    person: re.Pattern[str]
    org: re.Pattern[str]
    either: re.Pattern[str]  # a determiner where a person or an organisation description can start


@lru_cache(maxsize=1)
def _ref_patterns() -> _RefPatterns:
    lex = load_lexicon()
    heads = _trie({*lex.person_nouns, *lex.org_nouns})
    return _RefPatterns(
        _pronoun_pattern(sorted(lex.pronouns)),
        _description_pattern(lex.person_nouns),
        _description_pattern(lex.org_nouns),
        re.compile(rf"{_DETERMINER}(?=\s+{_MODIFIERS}{heads}\b)"),
    )


def _matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> list[tuple[int, int]]:
    """``[m.span() for m in pattern.finditer(text)]``, where matches start only at ``starts`` (sorted)."""
    spans: list[tuple[int, int]] = []
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            spans.append(match.span())
            end = match.end()
    return spans


def _ref_spans(text: str) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """The spans of pronouns, of person descriptions and of organisation descriptions in ``text``.

    One scan finds the determiners that either description can start at (a determiner's letters
    hide no other), and each description pattern is tried at those alone.
    """
    patterns = _ref_patterns()
    yield "pronoun", [m.span() for m in patterns.pronoun.finditer(text)]
    starts = [m.start() for m in patterns.either.finditer(text)]
    yield "description", _matches_at(patterns.person, text, starts)
    yield "org_description", _matches_at(patterns.org, text, starts)


def _named_refs(
    doc: Doc, persons: Sequence[PersonMention], lex: QuoteLexicon, clubs: Sequence[ClubMention] | None
) -> list[_Ref]:
    """Persons, clubs (canonical names) and other organisations, without overlaps.

    A person mention that is a club mention ("Standard" taken for a name) counts as the club; an
    organisation entity over a person ("CEO Michel Louwagie") or a description ("Rode Duivel") is dropped.
    """
    clubs = find_clubs(doc) if clubs is None else clubs
    club_spans = {(c.start, c.end) for c in clubs}
    make = tuple.__new__  # _Ref(...) without the Python-level __new__ frame, as in _words
    refs = [make(_Ref, (c.start, c.end, "org", c.club)) for c in clubs]
    refs += [
        make(_Ref, (p.start, p.end, "person", p.name)) for p in persons if (p.start, p.end) not in club_spans
    ]
    taken = Intervals([(r.start, r.end) for r in refs])
    text = doc_text(doc)
    is_org: dict[int, bool] = {}  # by label id: an article has a few labels and many entities
    for ent in doc_ents(doc):
        label = ent.label
        if label not in is_org:
            is_org[label] = coarse_label(ent.label_) == "organisation"
        if not is_org[label]:
            continue  # before the offsets, which spaCy computes on every access
        start, end = ent.start_char, ent.end_char
        if taken.covers(start, end):
            continue
        name = text[start:end]  # ent.text, which spaCy builds again from the tokens on every access
        if name not in lex.person_noun_set:
            refs.append(_Ref(start, end, "org", name))
    return refs


def _collect_refs(
    doc: Doc,
    text: str,
    persons: Sequence[PersonMention],
    quotes: Intervals,
    clubs: Sequence[ClubMention] | None = None,
) -> list[_Ref]:
    """Every possible speaker reference outside quotes, sorted by start."""
    named = _named_refs(doc, persons, load_lexicon(), clubs)
    taken = Intervals([(r.start, r.end) for r in named] + quotes.spans)  # a name or a quote: one test
    refs = [r for r in named if not quotes.covers(r.start, r.end)]
    make = tuple.__new__
    covers = taken.covers
    for kind, spans in _ref_spans(text):
        refs += [make(_Ref, (*span, kind, None)) for span in spans if not covers(*span)]
    refs.sort(key=itemgetter(1), reverse=True)  # then stably by start: by (start, -end), without a lambda
    refs.sort(key=itemgetter(0))
    return refs


def _sentence_ends(
    text: str, paras: Sequence[tuple[int, int]], raw: Intervals, lex: QuoteLexicon
) -> list[int]:
    """Offsets where sentences end: . ! ? before an upper-case start, outside quotes, and paragraph ends."""
    ends = {end for _, end in paras}
    openers = "".join(lex.openers) + "".join(lex.dashes)
    size = len(text)
    # the ends grow, so one walk along the quotes replaces a search per end: quote_start and
    # quote_end bound the first quote that ends after the last end seen
    quotes = iter([*raw.spans, (size + 1, size + 2)])
    quote_start, quote_end = next(quotes)
    for match in _sentence_end_pattern(lex.mark_chars + ")").finditer(text):
        end = match.end(2)
        if end in ends:
            continue  # a paragraph's last sentence: an end already, whatever the tests below say
        k = match.end()  # the next sentence's first character
        if k < size and not ((first := text[k]).isupper() or first.isdigit() or first in openers):
            continue
        while quote_end <= end:
            quote_start, quote_end = next(quotes)
        if quote_start < end:
            continue  # strictly inside a quote; tested before abbreviations, which cost more
        if match.group(1) != "." or not _is_abbreviation(text, match.start(), lex):
            ends.add(end)
    return sorted(ends)


@lru_cache(maxsize=4)
def _sentence_end_pattern(closing: str) -> re.Pattern[str]:
    """A run of . ! ? …, the ``closing`` marks after it, then the whitespace (or text end) after them."""
    return re.compile(r"([.!?…][.!?…]*)([" + re.escape(closing) + r"]*)(?!\S)\s*")


_LAST_WORD = re.compile(r"[\w.][\w.]*$")


def _is_abbreviation(text: str, dot: int, lex: QuoteLexicon) -> bool:
    n = lex.abbreviation_reach
    if n <= min(dot, 12) and text[dot - n : dot].isalnum():
        return False  # the word before the dot (12 characters at most) is too long: most sentence ends
    word = _LAST_WORD.search(text, max(0, dot - 12), dot)  # $ matches at dot, as at a slice's end
    token = word.group().lower() if word else ""
    return len(token) == 1 or token in lex.abbreviations


# ---------------------------------------------------------------------------
# Attribution
# ---------------------------------------------------------------------------


class _Attribution(NamedTuple):  # NamedTuples, not frozen dataclasses: built for every quote and cue
    speaker: str | None
    cue: str | None
    end: int  # end of the text the attribution used (its clause), for the next quote's window
    third: bool = False  # named by a third-person reference, so a later "hij" can pick it up
    gender: str | None = None  # m | f when a gendered pronoun named the speaker


class _Found(NamedTuple):  # NamedTuples, like _Kept: one or two per quote, compared by identity only
    raw: QuoteSpan
    kind: str
    speaker: str | None
    cue: str | None
    explicit: bool


class _Context:
    """Everything the attribution rules look at for one document."""

    def __init__(
        self,
        doc: Doc,
        text: str,
        paras: list[tuple[int, int]],
        persons: Sequence[PersonMention],
        raw: Sequence[QuoteSpan],
        lex: QuoteLexicon,
        clubs: Sequence[ClubMention] | None = None,
    ):
        self.text = text
        self.lex = lex
        self.paras = paras
        self.para_starts = [start for start, _ in self.paras]
        self.raw = list(raw)
        inner = Intervals([(q.inner_start, q.inner_end) for q in raw])
        self.quote_spans = Intervals([(q.start, q.end) for q in raw])
        self.refs = _collect_refs(doc, text, persons, inner, clubs)
        self.all_people = sorted(persons, key=lambda p: p.start)
        self.all_people_starts = [p.start for p in self.all_people]
        self.ref_starts = [r.start for r in self.refs]
        self.people = [r for r in self.refs if r.kind == "person"]
        self.people_starts = [r.start for r in self.people]
        self.orgs = [r for r in self.refs if r.kind == "org"]
        self.org_starts = [r.start for r in self.orgs]
        self.sent_ends = _sentence_ends(self.text, self.paras, self.quote_spans, lex)

    # para_of and the sentence bounds run for nearly every quote and reference: conditional
    # expressions instead of max() and min(), which are calls
    def para_of(self, position: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.para_starts, position)
        return self.paras[i - 1 if i else 0]

    def sentence_start(self, position: int) -> int:
        """Start of the sentence holding ``position`` (never before its paragraph)."""
        i = bisect.bisect_right(self.sent_ends, position) - 1
        start = self.sent_ends[i] if i >= 0 else 0
        para_start = self.para_of(position)[0]
        return start if start >= para_start else para_start

    def sentence_end(self, position: int) -> int:
        """End of the sentence holding ``position`` (never after its paragraph)."""
        i = bisect.bisect_left(self.sent_ends, position)
        end = self.sent_ends[i] if i < len(self.sent_ends) else len(self.text)
        para_end = self.para_of(position)[1]
        return end if end <= para_end else para_end

    def is_topic(self, position: int) -> bool:
        """A subject, or a name fronted with its preposition ("Bij Westerlo is de teleurstelling groot")."""
        if not self.after_preposition(position):
            return True
        return len(_words(self.text, self.sentence_start(position), position)) <= 2

    def after_preposition(self, position: int) -> bool:
        """True when the words before ``position`` are a preposition (plus determiner)."""
        before = [w.lower() for w in _WORD.findall(self.text, max(0, position - 40), position)[-2:]]
        if before and before[-1] in self.lex.determiners:
            before = before[:-1]
        return bool(before) and before[-1] in self.lex.prepositions


def _recent(refs: Sequence[_Ref], starts: Sequence[int], position: int, limit: int = 12) -> list[_Ref]:
    """Up to ``limit`` refs ending before ``position``, nearest first."""
    found: list[_Ref] = []
    i = bisect.bisect_left(starts, position) - 1
    while i >= 0 and len(found) < limit:
        if refs[i].end <= position:
            found.append(refs[i])
        i -= 1
    return found


class _Focus(NamedTuple):
    """Who the passage is about: the current speaker and the last third-person speaker."""

    speaker: str | None = None
    third: str | None = None
    third_at: int = -1
    genders: dict[str, str] | None = None  # speaker -> m | f, learnt from "zei hij" / "zei zij"
    addressed: frozenset[str] = frozenset()  # people named inside the quote: "Kevin, kom!", zei hij


def _third_person(ctx: _Context, ref: _Ref) -> bool:
    """False for mentions such as 'ik' that a third-person pronoun cannot pick up."""
    return ctx.text[ref.start : ref.end].lower() not in ctx.lex.speech_words


def _resolve(ctx: _Context, ref: _Ref, focus: _Focus) -> str | None:
    """The name a reference stands for."""
    if ref.kind in {"person", "org"}:
        return ref.name
    if ref.kind == "org_description":
        before = _recent(ctx.orgs, ctx.org_starts, ref.start)
        subjects = [r for r in before if ctx.is_topic(r.start)] or before
        return subjects[0].name if subjects else None
    people = [r for r in _recent(ctx.people, ctx.people_starts, ref.start) if _third_person(ctx, r)]
    if ref.kind == "description":
        i = bisect.bisect_left(ctx.people_starts, ref.end)
        if i < len(ctx.people) and not ctx.text[ref.end : ctx.people[i].start].strip(" ,"):
            return ctx.people[i].name  # apposition: de coach Carlo Ancelotti
        return people[0].name if people else focus.third or focus.speaker
    gender = ctx.lex.pronouns.get(ctx.text[ref.start : ref.end].lower(), "-")
    genders = focus.genders or {}

    def fits(name: str | None) -> bool:
        return name is not None and name not in focus.addressed and genders.get(name, gender) in {gender, "-"}

    people = [r for r in people if fits(r.name)]
    subjects = [r for r in people if not ctx.after_preposition(r.start)] or people
    third = focus.third if fits(focus.third) else None
    if subjects and (third is None or subjects[0].end > focus.third_at):
        return subjects[0].name
    return third or (focus.speaker if fits(focus.speaker) else None)


def _attribution(ctx: _Context, ref: _Ref, focus: _Focus, cue: str | None, end: int) -> _Attribution:
    """An attribution to ``ref``, remembering whether it was a third person and its pronoun's gender."""
    word = ctx.text[ref.start : ref.end].lower()
    gender = ctx.lex.pronouns.get(word) if ref.kind == "pronoun" else None
    return _Attribution(_resolve(ctx, ref, focus), cue, end, _third_person(ctx, ref), gender)


def _subject_after(ctx: _Context, position: int, limit: int, objects_ok: bool) -> _Ref | None:
    """The first reference after a cue word, within a few words and before ``limit``."""
    i = bisect.bisect_left(ctx.ref_starts, position)
    while i < len(ctx.refs) and ctx.refs[i].start < limit:
        ref = ctx.refs[i]
        gap = _WORD.findall(ctx.text, position, ref.start)
        if len(gap) > _MAX_SUBJECT_GAP or any(w.lower() in ctx.lex.subordinators for w in gap):
            return None
        modifier = ctx.text[ref.end : ref.end + 1] == "-"  # OHL-trainer Marc Brys
        if not modifier and (objects_ok or not ctx.after_preposition(ref.start)):
            return ref
        i += 1
    return None


def _subject_before(ctx: _Context, position: int, lo: int) -> _Ref | None:
    """A reference right before a verb (``Ancelotti zei``, ``Hij (62) zei``), not after ``lo``."""
    for ref in _recent(ctx.refs, ctx.ref_starts, position, limit=1):
        gap = ctx.text[ref.end : position]
        if ref.start >= lo and len(_WORD.findall(gap)) <= 1 and not re.search(r"[.!?:;]", gap):
            return None if ctx.after_preposition(ref.start) else ref
    return None


def _cue_in(ctx: _Context, lo: int, hi: int, focus: _Focus, first_words: int = 0) -> _Attribution | None:
    """The last cue in [lo, hi) with its subject (only in the first words when ``first_words``)."""
    if not _has_cue_word(ctx.text, lo, hi, ctx.lex, first_words):
        return None  # most sentences, found without building their words
    return _cue_among(ctx, _words(ctx.text, lo, hi), (lo, hi), focus, first_words)


def _cue_among(
    ctx: _Context, words: Sequence[_Word], span: tuple[int, int], focus: _Focus, first_words: int = 0
) -> _Attribution | None:
    """:func:`_cue_in` for ``words``, the :func:`_words` of ``span``, when the caller has them already."""
    lo, hi = span
    for i in reversed(_cue_indexes(words[:first_words] if first_words else words, ctx.lex)):
        hit = _cue_at(ctx.text, words, i, ctx.lex)
        if hit is None:
            continue
        kind, cue, after = hit
        ref = _subject_before(ctx, words[i].start, lo) if kind == "verb" else None
        start_after = words[after - 1].end
        ref = ref or _subject_after(ctx, start_after, hi, objects_ok=kind == "source")
        if ref is not None:
            return _attribution(ctx, ref, focus, cue, hi)
        name = (
            _source_name(ctx.text, start_after, hi)
            if kind == "source"
            else _club_after(ctx.text, start_after)
        )
        if name is not None:
            return _Attribution(name, cue, hi)
    return None


def _club_after(text: str, position: int) -> str | None:
    """The canonical club named by the capitalised word right after ``position``, if unambiguous."""
    match = re.match(r"\s+([A-Z][\w'’-]+)", text[position : position + 60])
    return _club_name(match.group(1)) if match else None


def _club_name(name: str) -> str | None:
    """The canonical club for a name when the gazetteer knows exactly one such club."""
    entries = {ref.entry.name for ref in load_gazetteer().index.get(alias_key(name), ())}
    return entries.pop() if len(entries) == 1 else None


def _source_name(text: str, position: int, hi: int) -> str | None:
    """The capitalised name after ``klinkt het bij`` when NER found no entity there."""
    match = re.match(
        r"\s+(?:bij|van|uit|in)\s+(?:(?:het|de)\s+kamp\s+van\s+)?((?:[A-Z][\w'’-]*\s?)+)", text[position:hi]
    )
    return (_club_name(match.group(1).strip()) or match.group(1).strip()) if match else None


def _after_gate(ctx: _Context, q: QuoteSpan, limit: int) -> bool:
    """True when the text after the quote can hold its attribution ("…", zei hij / "…?" vroeg hij)."""
    inner = ctx.text[q.inner_start : q.inner_end].rstrip()
    rest = ctx.text[q.end : limit].lstrip()
    if not rest:
        return False
    return rest[0] in ",;" or rest[0].islower() or bool(inner and inner[-1] in ",!?…-–—:")


def _cue_after(ctx: _Context, q: QuoteSpan, limit: int, focus: _Focus) -> _Attribution | None:
    """A cue right after the quote: "…", zei hij / aldus X / "…", Ancelotti lachte."""
    if not _after_gate(ctx, q, limit):
        return None
    clause_end = min(limit, ctx.sentence_end(q.end))
    first = _first_cue(ctx.text, q.end, clause_end, ctx.lex)
    if first is not None:
        words, i = first
        # a scan from a word's start finds the words that the scan from q.end found after it
        found = _cue_among(ctx, words[i:], (words[i].start, clause_end), focus, first_words=1)
        return found and _Attribution(found.speaker, found.cue, clause_end, found.third, found.gender)
    ref = _subject_after(ctx, q.end, clause_end, objects_ok=False)
    if ref is None or _WORD.search(ctx.text, q.end, ref.start):
        return None
    follows = _words(ctx.text, ref.end, clause_end)
    hit = _cue_at(ctx.text, follows, 0, ctx.lex)
    if hit is None and not (follows and ctx.text[q.end : ref.start].strip() == ","):
        return None
    return _attribution(ctx, ref, focus, hit[1] if hit else None, clause_end)  # "…", Vanaken was woedend


def _cue_follows(ctx: _Context, q: QuoteSpan, limit: int) -> bool:
    """Lexical test (no subject needed) for a cue right after the quote, used to tell quote kinds."""
    rest = ctx.text[q.end : limit].lstrip()
    if not rest or not (rest[0] in "," or rest[0].islower()):
        return False
    return _first_cue(ctx.text, q.end, min(limit, q.end + 80), ctx.lex) is not None


# ---------------------------------------------------------------------------
# Kinds and the document-level pass
# ---------------------------------------------------------------------------


def _is_title(words: Sequence[str]) -> bool:
    """A short run of capitalised words: a name or title, not an utterance."""
    return len(words) <= 5 and all(w[0].isupper() or w[0].isdigit() for w in words)


def _resumes(ctx: _Context, prev: QuoteSpan | None, q: QuoteSpan) -> bool:
    """True when only the previous quote's attribution stands between it and ``q``: "…", zei hij, "…"."""
    if prev is None or prev.para != q.para:
        return False
    between = ctx.text[prev.end : q.start].rstrip()
    if not between or re.search(r"[.!?…]\s", between):
        return False
    return _cue_follows(ctx, prev, q.start)  # "…", zei Japi "anders zit ik zoo laag."


_INNER_SENTENCE_END = re.compile(r"[.!?…]\s+\S")


def _kind(ctx: _Context, q: QuoteSpan, prev: QuoteSpan | None, next_start: int) -> str | None:
    """direct, partial, or None for titles, nicknames and scare quotes."""
    if q.style == "dash":
        return "direct"
    inner = ctx.text[q.inner_start : q.inner_end].strip()
    words = [m.group() for m in islice(_WORD.finditer(inner), 6)]  # a 7th word changes no test below
    if not words:
        return None
    terminal = inner[-1] in _TERMINAL or _INNER_SENTENCE_END.search(inner) is not None
    cue = _cue_follows(ctx, q, next_start)
    before = ctx.text[max(prev.end if prev else 0, ctx.sentence_start(q.start)) : q.start].rstrip()
    introduced = before.endswith(":") or (before.endswith(",") and _ends_with_cue(ctx, before[:-1]))
    at_start = not _WORD.search(before) or introduced or _resumes(ctx, prev, q)
    reported = _reported(ctx, before)
    if len(words) == 1 and not (cue or introduced or (terminal and at_start) or reported):
        return None
    if not terminal and not cue and not introduced and _is_title(words):
        return None
    if at_start or (inner[0].isupper() and (terminal or cue)):
        return "direct"
    return "partial" if len(words) >= 2 or reported else None


def _ends_with_cue(ctx: _Context, before: str) -> bool:
    """True when ``before`` ends with a reporting verb ("en zei, “…”")."""
    words = _words(before, max(0, len(before) - 40), len(before))
    return bool(words) and _cue_at(before, words, len(words) - 1, ctx.lex) is not None


def _reported(ctx: _Context, before: str) -> bool:
    """True when the text before a quote is reported speech: a cue verb, then 'dat' ("liet weten dat")."""
    if "dat" not in before.lower():
        return False  # no word 'dat': most sentences, found without splitting them into words
    words = _words(before, 0, len(before))
    for i, hit in _cues(before, words, ctx.lex):
        if hit[0] == "verb":
            return any(w.lower == "dat" for w in words[i + 1 :])
    return False


def _clause_cue(ctx: _Context, q: QuoteSpan, lo: int, focus: _Focus) -> _Attribution | None:
    """A cue before the quote in its own sentence: X zei: "…" / X: "…" / volgens X is het "…"."""
    start = max(lo, ctx.sentence_start(q.start))
    found = _cue_in(ctx, start, q.start, focus)
    if found is not None:
        return _Attribution(found.speaker, found.cue, q.end, found.third, found.gender)
    if not ctx.text[start : q.start].rstrip().endswith(":"):
        return None
    for ref in _recent(ctx.refs, ctx.ref_starts, q.start, limit=40):
        if ref.start < start:
            break
        if not ctx.after_preposition(ref.start):
            return _attribution(ctx, ref, focus, ":", q.end)
    return None


def _cue_next(ctx: _Context, q: QuoteSpan, focus: _Focus) -> _Attribution | None:
    """A cue early in the next sentence: "…" Dat bevestigde de 62-jarige Italiaan."""
    start = ctx.sentence_end(q.end)
    while start < len(ctx.text) and ctx.text[start].isspace():
        start += 1
    if start >= len(ctx.text):
        return None
    end = ctx.sentence_end(start + 1)
    if ctx.quote_spans.covers(start, end):
        return None  # that sentence introduces or holds another quote
    found = _cue_in(ctx, start, end, focus, first_words=4)
    return found and _Attribution(found.speaker, found.cue, q.end, found.third, found.gender)


def _sentence_subject(ctx: _Context, q: QuoteSpan, lo: int, focus: _Focus) -> _Attribution | None:
    """The person a partial quote's sentence is about: "Van Bommel zag een ploeg die “…” speelde"."""
    start = max(lo, ctx.sentence_start(q.start))
    words = _words(ctx.text, start, q.start)
    stop = next((w.start for w in words if w.lower in ctx.lex.subordinators), q.start)
    i = bisect.bisect_left(ctx.ref_starts, start)
    for ref in ctx.refs[i:]:
        if ref.start >= stop:
            break
        if ref.kind in {"person", "description", "pronoun"} and not ctx.after_preposition(ref.start):
            speaker = _resolve(ctx, ref, focus)
            if speaker is not None:
                return _Attribution(speaker, None, q.end)
    return None


def _previous_sentence(ctx: _Context, position: int) -> tuple[int, int] | None:
    """The sentence before the one holding ``position`` (it may end the previous paragraph)."""
    end = ctx.sentence_start(position)
    while end > 0 and ctx.text[end - 1].isspace():
        end -= 1
    return (ctx.sentence_start(end - 1), end) if end > 0 else None


def _first_subject(ctx: _Context, lo: int, hi: int, focus: _Focus) -> str | None:
    """The first person named in [lo, hi) who is not a prepositional object."""
    i = bisect.bisect_left(ctx.ref_starts, lo)
    for ref in ctx.refs[i:]:
        if ref.start >= hi:
            break
        if ref.kind != "org_description" and not ctx.after_preposition(ref.start):
            return _resolve(ctx, ref, focus)
    return None


@dataclass(slots=True)
class _State:
    """What the pass over one document remembers between quotes."""

    consumed: int = 0
    current: str | None = None
    current_para: int = -100
    third: str | None = None
    third_at: int = -1
    last: _Found | None = None
    genders: dict[str, str] = field(default_factory=dict)
    turn_taking: bool = False
    speakers: list[str] = field(default_factory=list)
    qa_speaker: str | None = None  # who answers in a Q&A interview


def _implicit(ctx: _Context, q: QuoteSpan, state: _State, focus: _Focus) -> tuple[_Attribution, bool]:
    """Speaker of a direct quote without a cue of its own."""
    last = state.last
    lo = state.consumed
    if last and last.speaker and not _WORD.search(ctx.text, lo, q.start) and q.para - last.raw.para <= 1:
        if state.turn_taking and q.para != last.raw.para:
            other = next((s for s in reversed(state.speakers[-6:]) if s != last.speaker), None)
            return _Attribution(other or last.speaker, None, q.end), False
        return _Attribution(last.speaker, last.cue if q.para == last.raw.para else None, q.end), False
    previous = _previous_sentence(ctx, q.start)
    if previous is not None and previous[0] >= lo:
        found = _cue_in(ctx, previous[0], previous[1], focus)
        if found is not None:
            return _Attribution(found.speaker, found.cue, q.end, found.third, found.gender), True
    found = _cue_next(ctx, q, focus)
    if found is not None:
        return found, True
    if previous is not None and previous[1] > lo:
        salient = _first_subject(ctx, max(lo, previous[0]), q.start, focus)
        if salient is not None:
            return _Attribution(salient, None, q.end), False
    return _Attribution(focus.speaker, None, q.end), False


def _attribute(
    ctx: _Context, q: QuoteSpan, kind: str, limit: int, state: _State
) -> tuple[_Attribution, bool]:
    """Speaker and cue of one quote, and whether a cue named the speaker."""
    current = state.current if q.para - state.current_para <= _CURRENT_SPEAKER_PARAGRAPHS else None
    inside = bisect.bisect_left(ctx.all_people_starts, q.start)
    after = bisect.bisect_left(ctx.all_people_starts, q.end, inside)
    addressed = {p.name for p in ctx.all_people[inside:after] if p.end <= q.end}
    focus = _Focus(current, state.third, state.third_at, state.genders, frozenset(addressed))
    found = _cue_after(ctx, q, limit, focus) or _clause_cue(ctx, q, state.consumed, focus)
    if found is not None:
        return found, True
    if kind == "partial":
        found = _sentence_subject(ctx, q, state.consumed, focus) or _cue_next(ctx, q, focus)
        return found or _Attribution(None, None, q.end), found is not None
    return _implicit(ctx, q, state, focus)


def _is_headline(ctx: _Context, q: QuoteSpan) -> bool:
    """A quote in a short first line that is not a sentence of the lead."""
    if q.para != 0 or len(ctx.paras) < 2:
        return False
    start, end = ctx.paras[0]
    line = ctx.text[start:end]
    return end - start <= _HEADLINE_MAX_CHARS and "\n" not in line and line[-1] != "."


def _headline_speaker(ctx: _Context, headline: _Found, found: Sequence[_Found]) -> str | None:
    """The speaker of the later quote the headline repeats, else the article's main speaker."""
    words = {w.lower() for w in _WORD.findall(ctx.text[headline.raw.inner_start : headline.raw.inner_end])}
    best, best_overlap = None, 0.5
    for other in found:
        if other is headline or other.speaker is None or not words:
            continue
        other_words = {
            w.lower() for w in _WORD.findall(ctx.text[other.raw.inner_start : other.raw.inner_end])
        }
        overlap = len(words & other_words) / len(words)
        if overlap >= best_overlap and (best is None or overlap > best_overlap):
            best, best_overlap = other.speaker, overlap
    if best is not None:
        return best
    speakers = Counter(f.speaker for f in found if f.speaker is not None and f is not headline)
    return speakers.most_common(1)[0][0] if speakers else None


def _nested_speaker(ctx: _Context, q: QuoteSpan, outer: _Found) -> _Attribution:
    """Speaker of a quote inside a quote: a name or pronoun in its clause ("Hij zei: '…'"), else None.

    Descriptions ("de voorzitter", "mijn vader") stay unnamed: the outer speaker is reporting them.
    """
    lo = _clause_start(ctx, outer.raw, q.start)
    words = _words(ctx.text, lo, q.start)
    if next(_cues(ctx.text, words, ctx.lex), None) is None:
        return _Attribution(None, None, q.end)
    i = bisect.bisect_left(ctx.all_people_starts, lo)
    for person in ctx.all_people[i:]:
        if person.start >= q.start:
            break
        if person.name != outer.speaker:
            return _Attribution(person.name, ":", q.end)
    pronouns = [w for w in words if w.lower in ctx.lex.pronouns and w.lower not in ctx.lex.speech_words]
    if pronouns:
        before = bisect.bisect_left(ctx.all_people_starts, lo)
        for person in reversed(ctx.all_people[:before]):
            if person.name != outer.speaker:
                return _Attribution(person.name, ":", q.end)
    return _Attribution(None, None, q.end)


def _qa_speaker(ctx: _Context, q: QuoteSpan, state: _State) -> _Attribution:
    """Speaker of a Q&A answer: the prefixed name, else the interviewee answering so far."""
    if q.style == "prefix":
        return _Attribution(_prefix_person(ctx, q), ":", q.end)
    if state.qa_speaker is not None:
        return _Attribution(state.qa_speaker, None, q.end)
    first = next((r for r in ctx.refs if r.kind == "person"), None)
    return _Attribution(first.name if first else None, None, q.end)


def _attribute_all(ctx: _Context, kept: Sequence[_Kept], turn_taking: bool) -> list[_Found]:
    """One pass over the kept quotes in text order, then the headline quotes."""
    found: list[_Found] = []
    by_raw: dict[int, _Found] = {}
    top = [k for k in kept if k.outer is None]
    state = _State(turn_taking=turn_taking)
    for n, item_in in enumerate(top):
        q, kind = item_in.q, item_in.kind
        limit = min(top[n + 1].q.start if n + 1 < len(top) else len(ctx.text), ctx.para_of(q.end)[1])
        headline = _is_headline(ctx, q)
        if q.answer:
            attribution, explicit = _qa_speaker(ctx, q, state), q.style == "prefix"
            state.qa_speaker = attribution.speaker if q.style == "dash" else state.qa_speaker
        else:
            attribution, explicit = _attribute(ctx, q, kind, limit, state)
        if headline and attribution.speaker is None:
            explicit = False
        item = _Found(q, kind, attribution.speaker, attribution.cue, explicit)
        found.append(item)
        by_raw[id(q)] = item
        if headline:
            continue
        _remember(state, item, attribution)
    for k in kept:
        if k.outer is not None and id(k.outer) in by_raw:
            nested = _nested_speaker(ctx, k.q, by_raw[id(k.outer)])
            found.append(_Found(k.q, k.kind, nested.speaker, nested.cue, nested.speaker is not None))
    found.sort(key=lambda f: (f.raw.start, -f.raw.end))
    found = [f for f in found if f.kind != "partial" or f.speaker is not None or _unnamed_source(ctx, f.raw)]
    return [
        _Found(f.raw, f.kind, _headline_speaker(ctx, f, found), f.cue, False)
        if f.speaker is None and _is_headline(ctx, f.raw)
        else f
        for f in found
    ]


def _unnamed_source(ctx: _Context, q: QuoteSpan) -> bool:
    """A marker such as 'volgens' before a partial quote whose speaker has no name ("volgens kenners").

    Other partial quotes without a speaker are cited terms, not quotes.
    """
    start = ctx.sentence_start(q.start)
    if not _has_cue_word(ctx.text, start, q.start, ctx.lex):
        return False
    words = _words(ctx.text, start, q.start)
    return any(hit[0] == "speaker" for _, hit in _cues(ctx.text, words, ctx.lex))


def _remember(state: _State, item: _Found, attribution: _Attribution) -> None:
    """Update what the pass remembers after a top-level quote."""
    state.consumed = max(state.consumed, attribution.end, item.raw.end)
    state.last = item
    if item.speaker is not None:
        state.current, state.current_para = item.speaker, item.raw.para
        state.speakers.append(item.speaker)
    if item.speaker is not None and attribution.gender in {"m", "f"}:
        state.genders.setdefault(item.speaker, attribution.gender)
    if item.speaker is not None and attribution.third:
        state.third, state.third_at = item.speaker, item.raw.end


class _Kept(NamedTuple):
    """A candidate that is a quote: its kind, and the quote it is nested in (if any)."""

    q: QuoteSpan
    kind: str
    outer: QuoteSpan | None = None


def _prefix_person(ctx: _Context, q: QuoteSpan) -> str | None:
    """The person named by a Q&A prefix (``Vertonghen: …``)."""
    lo = ctx.para_of(q.start)[0]
    i = bisect.bisect_left(ctx.all_people_starts, lo)
    if i < len(ctx.all_people) and ctx.all_people[i].end <= q.start:
        person = ctx.all_people[i]
        if not _WORD.search(ctx.text, lo, person.start) and ctx.text[person.end : q.start].strip() == ":":
            return person.name
    return None


def _nested_kind(ctx: _Context, q: QuoteSpan, outer: QuoteSpan) -> str | None:
    """A quote inside a quote is kept when it is an utterance: after a colon, or a whole sentence."""
    inner = ctx.text[q.inner_start : q.inner_end].strip()
    if not _WORD.search(inner):
        return None
    lo = _clause_start(ctx, outer, q.start)
    words = _words(ctx.text, lo, q.start)
    if next(_cues(ctx.text, words, ctx.lex), None) is None:
        return None  # a title or a cited text inside the quote, not someone's words
    return "direct" if ctx.text[lo : q.start].rstrip().endswith(":") else None


def _clause_start(ctx: _Context, outer: QuoteSpan, position: int) -> int:
    """Start of the sentence inside ``outer`` that holds ``position``."""
    ends = [m.end() for m in re.finditer(r"[.!?…][.!?…]*\s", ctx.text[outer.inner_start : position])]
    return outer.inner_start + (ends[-1] if ends else 0)


def _kinds(ctx: _Context) -> list[_Kept]:
    """The candidate quotes that are quotes, with their kind and the quote they are nested in."""
    outer_of = _outers(ctx.raw)
    top = [q for q, outer in zip(ctx.raw, outer_of, strict=True) if outer is None]
    position = {id(q): t for t, q in enumerate(top)}
    prefixed = {q.start: _prefix_person(ctx, q) for q in top if q.style == "prefix"}
    qa_article = sum(1 for name in prefixed.values() if name) >= 2
    kept: list[_Kept] = []
    outers: dict[int, _Kept] = {}
    for q, outer in zip(ctx.raw, outer_of, strict=True):
        if outer is not None:
            if id(outer) in outers and (kind := _nested_kind(ctx, q, outer)) is not None:
                kept.append(_Kept(q, kind, outer))
            continue
        t = position[id(q)]
        if q.style == "prefix":
            body = ctx.text[q.inner_start : q.inner_end]
            kind = "direct" if prefixed[q.start] and (qa_article or _sounds_spoken(body, ctx.lex)) else None
        elif q.answer:
            kind = "direct"
        else:
            next_start = top[t + 1].start if t + 1 < len(top) else len(ctx.text)
            prev = top[t - 1] if t else None
            kind = _kind(ctx, q, prev, min(next_start, ctx.para_of(q.end)[1]))
        if kind is not None:
            item = _Kept(q, kind)
            kept.append(item)
            outers[id(q)] = item
    return kept


def _outers(raw: Sequence[QuoteSpan]) -> list[QuoteSpan | None]:
    """For each candidate (sorted by start), the top-level candidate that contains it, or None."""
    result: list[QuoteSpan | None] = []
    current: QuoteSpan | None = None
    for q in raw:
        inside = (
            current is not None and q.end <= current.end and (q.start, q.end) != (current.start, current.end)
        )
        result.append(current if inside else None)
        current = current if inside else q
    return result


def extract_quotes(
    doc: Doc,
    persons: list[PersonMention],
    *,
    turn_taking: bool = False,
    clubs: Sequence[ClubMention] | None = None,
) -> list[Quote]:
    """Every direct and partial quote in ``doc`` with its speaker and cue, in text order.

    ``persons`` are the doc's person mentions linked to canonical names; a speaker is one of
    those names, an organisation's name from the doc's entities, or None. News rules give a
    quote paragraph without a cue to the current speaker; ``turn_taking`` (for fiction) gives
    it to the previous other speaker instead, as in a dialogue. Pass the doc's ``clubs`` when
    they are already known, so that clubs are not looked up twice.
    """
    lex = load_lexicon()
    text = doc_text(doc)
    paras = paragraphs(text)
    raw = _quote_spans(text, paras, lex)
    ctx = _Context(doc, text, paras, persons, raw, lex, clubs)
    found = _attribute_all(ctx, _kinds(ctx), turn_taking)
    return [
        Quote(f.raw.start, f.raw.end, text[f.raw.start : f.raw.end], f.kind, f.speaker, f.cue) for f in found
    ]
