"""OpenBoek quotes: Dutch novels with gold speakers, and an evaluation of ``pipeline.quotes``.

The data (CC BY 4.0) lives in ``<shared>/data/openboek-quotes`` (``$OPENBOEK_DIR`` points
elsewhere): ``quotes/<book>.xml`` holds the annotated opening of each novel as tokenized
text with ``<quote speaker=… type=…>`` and ``<mention speaker=…>`` tags, ``original/<book>.txt``
the running text. The loader aligns the tokenized text to the original (non-space
characters, resynchronising where the tokenizer changed ``--`` into ``-``), so every gold
quote gets character offsets in the original, and cuts the original after the paragraph
where the annotation stops.

``evaluate_openboek`` runs :func:`pipeline.quotes.extract_quotes` on those texts with a
blank Dutch spaCy pipeline plus sentencizer. Person mentions come from the gold: every
capitalised surface form that the annotators tagged as a mention of a character (and
the characters' aliases), found in the text and linked to that character, or from the
NER of an ``nlp`` you pass. A gold quote is found when a predicted quote overlaps it by
at least half of both spans' lengths.
"""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from .nlp import coarse_label
from .quotes import extract_quotes, find_quote_spans
from .records import PersonMention, Quote
from .settings import shared_dir

logger = logging.getLogger(__name__)

MIN_OVERLAP = 0.5
DEFAULT_MAX_CHARS = 120_000  # per book; the annotated openings are 20-90k characters
_RESYNC_WINDOW = 40
_RESYNC_LENGTH = 5


def openboek_dir() -> Path:
    """The OpenBoek quotes folder: $OPENBOEK_DIR or <shared>/data/openboek-quotes."""
    env = os.environ.get("OPENBOEK_DIR")
    return Path(env) if env else shared_dir() / "data" / "openboek-quotes"


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """A gold quote with offsets into :attr:`Book.text`."""

    start: int
    end: int
    speaker: str
    type: str  # explicit | anaphor_pronoun | anaphor_other | implicit


@dataclass(frozen=True, slots=True)
class Book:
    """The annotated opening of one novel."""

    name: str
    text: str
    quotes: tuple[GoldQuote, ...]
    names: dict[str, str]  # surface form -> character


@dataclass(frozen=True, slots=True)
class _Tokenized:
    text: str
    quotes: list[tuple[int, int, str, str]]
    surfaces: dict[str, Counter[str]]


def _read_tokenized(path: Path) -> _Tokenized:
    """The tokenized text of a quotes XML file with its quote spans and mention surfaces."""
    root = ET.parse(path).getroot()
    body = root.find("text")
    if body is None:
        raise ValueError(f"{path} has no <text> element; is it an OpenBoek quotes file?")
    parts, quotes = [body.text or ""], []
    surfaces: dict[str, Counter[str]] = {}
    position = len(parts[0])
    for child in body:
        content = "".join(child.itertext())
        if child.tag == "quote":
            quotes.append(
                (position, position + len(content), child.get("speaker", ""), child.get("type", ""))
            )
        for mention in child.iter("mention"):
            surface = "".join(mention.itertext()).strip()
            surfaces.setdefault(surface, Counter())[mention.get("speaker", "")] += 1
        parts += [content, child.tail or ""]
        position += len(content) + len(child.tail or "")
    for character in root.iter("character"):
        for alias in (character.get("aliases") or "").split(";"):
            surfaces.setdefault(alias.strip(), Counter())[character.get("name", "")] += 1
    return _Tokenized("".join(parts), quotes, surfaces)


def _resync(a: str, b: str, i: int, j: int) -> tuple[int, int] | None:
    """The nearest (i', j') after a mismatch where both streams agree again."""
    for distance in range(1, _RESYNC_WINDOW):
        for di in range(distance + 1):
            dj = distance - di
            chunk = a[i + di : i + di + _RESYNC_LENGTH]
            if chunk and chunk == b[j + dj : j + dj + _RESYNC_LENGTH]:
                return i + di, j + dj
    return None


def align(tokenized: str, original: str) -> list[int]:
    """For each character of ``tokenized``, its offset in ``original`` (-1 where none)."""
    tok_index = [i for i, ch in enumerate(tokenized) if not ch.isspace()]
    orig_index = [j for j, ch in enumerate(original) if not ch.isspace()]
    a = "".join(tokenized[i] for i in tok_index)
    b = "".join(original[j] for j in orig_index)
    mapping = [-1] * len(tokenized)
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            mapping[tok_index[i]] = orig_index[j]
            i, j = i + 1, j + 1
            continue
        found = _resync(a, b, i, j)
        i, j = found if found else (i + 1, j)
    return mapping


def _span(mapping: Sequence[int], start: int, end: int) -> tuple[int, int] | None:
    """The original span of tokenized [start, end), from its first and last aligned characters."""
    mapped = [m for m in mapping[start:end] if m >= 0]
    return (mapped[0], mapped[-1] + 1) if mapped else None


@lru_cache(maxsize=1)
def _non_names() -> frozenset[str]:
    """Pronouns never used as a character's surface form (resources/quotes/non_names.txt)."""
    path = resources.files("pipeline").joinpath("resources", "quotes", "non_names.txt")
    words = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        item = line.split("#", 1)[0].strip()
        if " " in item:
            raise ValueError(f"pipeline/resources/quotes/non_names.txt line {number}: one word per line")
        words.add(item.lower())
    return frozenset(words - {""})


def _names(surfaces: dict[str, Counter[str]]) -> dict[str, str]:
    """Surface forms that name one character (capitalised or 'ik', 80% of their uses)."""
    names = {}
    for surface, speakers in surfaces.items():
        speaker, count = speakers.most_common(1)[0]
        usable = surface[:1].isupper() or surface.lower() == "ik"
        if usable and surface.lower() not in _non_names() and count >= 0.8 * sum(speakers.values()):
            names[surface] = speaker
    return names


def _clean(raw: str) -> str:
    return raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def load_book(root: Path, name: str, max_chars: int | None = DEFAULT_MAX_CHARS) -> Book:
    """One book: the original text up to the end of the annotated part, with gold quotes."""
    xml_path, text_path = root / "quotes" / f"{name}.xml", root / "original" / f"{name}.txt"
    if not xml_path.is_file() or not text_path.is_file():
        raise FileNotFoundError(f"OpenBoek book {name!r} not found under {root}; set $OPENBOEK_DIR.")
    tokenized = _read_tokenized(xml_path)
    original = _clean(text_path.read_text(encoding="utf-8"))
    mapping = align(tokenized.text, original)
    last = max((m for m in mapping if m >= 0), default=0)
    cut = original.find("\n\n", last)
    cut = len(original) if cut < 0 else cut
    if max_chars is not None:
        cut = min(cut, max_chars)
    quotes = []
    for start, end, speaker, kind in tokenized.quotes:
        span = _span(mapping, start, end)
        if span is None:
            logger.warning("%s: gold quote at %d could not be aligned", name, start)
        elif span[1] <= cut:
            quotes.append(GoldQuote(span[0], span[1], speaker, kind))
    return Book(name, original[:cut], tuple(quotes), _names(tokenized.surfaces))


def book_names(root: Path) -> list[str]:
    """The books that have both a quotes XML file and an original text."""
    return sorted(
        p.stem for p in (root / "quotes").glob("*.xml") if (root / "original" / f"{p.stem}.txt").is_file()
    )


def person_mentions(book: Book) -> list[PersonMention]:
    """Occurrences of the characters' surface forms in the text, longest first, without overlaps."""
    if not book.names:
        return []
    forms = sorted(book.names, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")
    return [
        PersonMention(m.start(), m.end(), m.group(), book.names[m.group()])
        for m in pattern.finditer(book.text)
    ]


def _ner_mentions(book: Book, doc: spacy.tokens.Doc) -> list[PersonMention]:
    return [
        PersonMention(ent.start_char, ent.end_char, ent.text, book.names.get(ent.text, ent.text))
        for ent in doc.ents
        if coarse_label(ent.label_) == "person"
    ]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Shared characters as a share of the longer span."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, shared) / max(a[1] - a[0], b[1] - b[0], 1)


def match_quotes(gold: Sequence[GoldQuote], predicted: Sequence[Quote]) -> dict[int, int]:
    """Gold index -> predicted index, one-to-one, for pairs overlapping at least MIN_OVERLAP."""
    pairs = sorted(
        (
            (_overlap((g.start, g.end), (p.start, p.end)), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(predicted)
            if p.start < g.end and g.start < p.end
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for score, gi, pi in pairs:
        if score >= MIN_OVERLAP and gi not in matched and pi not in used:
            matched[gi] = pi
            used.add(pi)
    return matched


@dataclass(slots=True)
class _Tally:
    """Counts summed over books."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_right: int = 0
    errors: Counter[str] | None = None
    by_type: Counter[str] | None = None
    by_type_right: Counter[str] | None = None

    def __post_init__(self) -> None:
        self.errors, self.by_type, self.by_type_right = Counter(), Counter(), Counter()


def _miss_class(
    book: Book, gold: GoldQuote, predicted: Sequence[Quote], candidates: Sequence[tuple[int, int]]
) -> str:
    """Why a gold quote was not found."""
    first = book.text[gold.start : gold.start + 2]
    if not any(ch in "\"'„“”‘’«»-–—" for ch in first):
        return "missed: speech without a quote mark or dash"
    if any(p.start < gold.end and gold.start < p.end for p in predicted):
        return "missed: found but split or merged (overlap < 50%)"
    if any(_overlap((gold.start, gold.end), span) >= MIN_OVERLAP for span in candidates):
        return "missed: dropped as title, nickname or scare quote"
    return "missed: quote marks not paired"


def _speaker_class(book: Book, gold: GoldQuote, quote: Quote, known: set[str]) -> str | None:
    """Why a matched quote has the wrong speaker (None when it is right)."""
    if quote.speaker == gold.speaker:
        return None
    if gold.speaker not in known:
        return "speaker: gold speaker has no name mention (unreachable)"
    if quote.speaker is None:
        return "speaker: none found"
    return (
        "speaker: wrong, from a cue" if quote.cue else "speaker: wrong, no cue (turn-taking, current speaker)"
    )


def _evaluate_book(
    book: Book, nlp: Language | None, blank: Language, tally: _Tally, turn_taking: bool
) -> dict[str, float]:
    doc = (nlp or blank)(book.text)
    persons = _ner_mentions(book, doc) if nlp is not None else person_mentions(book)
    predicted = extract_quotes(doc, persons, turn_taking=turn_taking)
    matched = match_quotes(book.quotes, predicted)
    candidates = [(q.start, q.end) for q in find_quote_spans(book.text)]
    known = {p.name for p in persons}
    right = 0
    for gi, gold in enumerate(book.quotes):
        assert tally.errors is not None and tally.by_type is not None and tally.by_type_right is not None
        if gi not in matched:
            tally.errors[_miss_class(book, gold, predicted, candidates)] += 1
            continue
        problem = _speaker_class(book, gold, predicted[matched[gi]], known)
        tally.by_type[gold.type] += 1
        if problem is None:
            right += 1
            tally.by_type_right[gold.type] += 1
        else:
            tally.errors[problem] += 1
    assert tally.errors is not None
    used = set(matched.values())
    for pi, quote in enumerate(predicted):
        if pi not in used:
            tally.errors[f"spurious: {quote.kind} quote not in the gold"] += 1
    tally.gold, tally.predicted = tally.gold + len(book.quotes), tally.predicted + len(predicted)
    tally.matched, tally.speaker_right = tally.matched + len(matched), tally.speaker_right + right
    return {
        "gold": len(book.quotes),
        "predicted": len(predicted),
        "recall": _ratio(len(matched), len(book.quotes)),
        "precision": _ratio(len(matched), len(predicted)),
        "speaker_accuracy": _ratio(right, len(matched)),
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def evaluate_openboek(
    root: Path | None = None,
    nlp: Language | None = None,
    books: Iterable[str] | None = None,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    turn_taking: bool = False,
) -> dict[str, Any]:
    """Quote recall, precision and speaker accuracy of ``extract_quotes`` on OpenBoek.

    ``books`` limits the run to some book names (default all nine); ``max_chars`` cuts
    each text (gold quotes after the cut are left out). Without ``nlp`` a blank Dutch
    pipeline with a sentencizer is used and person mentions come from the gold names.
    ``turn_taking`` switches the quotes' fiction rule on (uncued dialogue turns alternate).
    """
    root = root or openboek_dir()
    names = list(books) if books is not None else book_names(root)
    if not names:
        raise FileNotFoundError(
            f"No OpenBoek books under {root}; set $OPENBOEK_DIR to the openboek-quotes folder."
        )
    blank = spacy.blank("nl")
    blank.add_pipe("sentencizer")
    blank.max_length = max(blank.max_length, 2_000_000)
    tally = _Tally()
    per_book = {
        name: _evaluate_book(load_book(root, name, max_chars), nlp, blank, tally, turn_taking)
        for name in names
    }
    assert tally.errors is not None and tally.by_type is not None and tally.by_type_right is not None
    recall, precision = _ratio(tally.matched, tally.gold), _ratio(tally.matched, tally.predicted)
    return {
        "books": len(names),
        "turn_taking": turn_taking,
        "gold": tally.gold,
        "predicted": tally.predicted,
        "matched": tally.matched,
        "recall": recall,
        "precision": precision,
        "f1": round(2 * recall * precision / (recall + precision), 3) if recall + precision else 0.0,
        "speaker_accuracy": _ratio(tally.speaker_right, tally.matched),
        "speaker_accuracy_by_type": {
            t: _ratio(tally.by_type_right[t], n) for t, n in sorted(tally.by_type.items())
        },
        "errors": dict(tally.errors.most_common()),
        "per_book": per_book,
    }


def main() -> None:
    """``python -m pipeline.openboek``: print the OpenBoek figures (used by ``make evaluate``)."""
    import json

    result = evaluate_openboek()
    print(
        f"OpenBoek quotes ({result['books']} novels): recall {result['recall']:.3f}, "
        f"precision {result['precision']:.3f}, speaker accuracy {result['speaker_accuracy']:.3f}"
    )
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
