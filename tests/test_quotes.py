"""Quotes: golden cases, the seed article, robustness properties and OpenBoek."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.openboek import evaluate_openboek, openboek_dir
from pipeline.quotes import _fields, extract_quotes, load_lexicon
from pipeline.records import PersonMention, Quote
from pipeline.settings import shared_dir

CASES = Path(__file__).parent / "data" / "quotes.jsonl"
SEED = shared_dir() / "seed" / "ancelotti-2022-05.txt"
SEED_EXPECTED = shared_dir() / "seed" / "ancelotti-2022-05.expected.json"


@lru_cache(maxsize=1)
def _nlp() -> Language:
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    return nlp


def _mentions(text: str, persons: list[dict[str, str]]) -> list[PersonMention]:
    """Every occurrence of each person's surface form, longest forms first, without overlaps."""
    found: list[PersonMention] = []
    for person in sorted(persons, key=lambda p: -len(p["text"])):
        for match in re.finditer(rf"(?<!\w){re.escape(person['text'])}(?!\w)", text):
            if not any(m.start < match.end() and match.start() < m.end for m in found):
                found.append(PersonMention(match.start(), match.end(), match.group(), person["name"]))
    return sorted(found, key=lambda m: m.start)


def _doc(text: str, orgs: list[str]) -> Doc:
    """A blank Dutch doc with sentence boundaries and the given organisations as ORG entities."""
    doc = _nlp()(text)
    spans = []
    for org in orgs:
        for match in re.finditer(re.escape(org), text):
            span = doc.char_span(match.start(), match.end(), label="ORG")
            assert span is not None, f"{org!r} does not fall on token boundaries"
            spans.append(span)
    doc.ents = spans
    return doc


def _run(text: str, persons: list[dict[str, str]], orgs: list[str] | None = None) -> list[Quote]:
    return extract_quotes(_doc(text, orgs or []), _mentions(text, persons))


def _load_cases() -> list[Any]:
    params = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


@pytest.mark.parametrize("case", _load_cases())
def test_golden_case(case: dict[str, Any]) -> None:
    quotes = _run(case["text"], case["persons"], case.get("orgs"))
    got = [{"quote": q.quote, "speaker": q.speaker, "kind": q.kind, "cue": q.cue} for q in quotes]
    expected = case["expect"]
    # a case states the cue only where it matters; compare the fields it states
    assert [{key: row[key] for key in want} for row, want in zip(got, expected, strict=False)] == expected
    assert len(got) == len(expected), f"extra or missing quotes: {[g['quote'] for g in got]}"


def test_cases_cover_enough_ground() -> None:
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(cases) >= 40
    assert len({c["id"] for c in cases}) == len(cases)


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seed is missing (set SHARED_DIR)")
def test_seed_article_quotes() -> None:
    text = re.sub(r"^\W*date \S+ ", "", SEED.read_text(encoding="utf-8"))
    persons = [
        {"text": "Carlo Ancelotti", "name": "Carlo Ancelotti"},
        {"text": "Ancelotti", "name": "Carlo Ancelotti"},
        {"text": "Arrigo Sacchi", "name": "Arrigo Sacchi"},
    ]
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))["quotes"]
    quotes = _run(text, persons)
    assert [{"quote": q.quote, "speaker": q.speaker, "kind": q.kind} for q in quotes] == expected
    assert all(text[q.start : q.end] == q.quote for q in quotes)


@pytest.mark.parametrize("mark", ["„", "“", '"', "«", "'", "‘"])
def test_one_unbalanced_mark_does_not_swallow_later_quotes(mark: str) -> None:
    text = (
        f"De zaak begon met een {mark}anonieme brief aan het bestuur van de club.\n\n"
        "Peter Croonen reageerde kort. “We laten ons niet doen”, zei Croonen.\n\n"
        "Later volgde nog een mededeling. “Het onderzoek loopt”, aldus Croonen."
    )
    quotes = _run(
        text,
        [{"text": "Peter Croonen", "name": "Peter Croonen"}, {"text": "Croonen", "name": "Peter Croonen"}],
    )
    later = [q for q in quotes if q.start > text.index("\n")]
    assert [(q.quote, q.speaker) for q in later] == [
        ("“We laten ons niet doen”", "Peter Croonen"),
        ("“Het onderzoek loopt”", "Peter Croonen"),
    ]
    assert all("\n" not in q.quote for q in quotes)


def test_many_stray_marks_in_a_long_text() -> None:
    paragraph = (
        "Hij zei \"ja en toen 't ging mis. “Nee”, zei Jan. «Oké », aldus Jan; ‘ stray ” marks „ here.\n\n"
    )
    text = paragraph * 300
    quotes = _run(text, [{"text": "Jan", "name": "Jan Peeters"}])
    assert quotes, "the paired quotes in every paragraph should still be found"
    assert all(q.quote.count("\n\n") == 0 for q in quotes)


_FRAGMENTS = [
    "“", "”", "„", '"', "'", "‘", "’", "«", "»", "‹", "›", "- ", "– ", "— ", "--", "\n", "\n\n", " ",
    ", zei hij", ", aldus Jan", "Jan: ", "volgens Jan ", "z'n ", "'t ", "Ajax' ", "’94 ", ". ", "? ", "!",
    "Het is zo", "de coach", "klinkt het bij Jan", "Dat bevestigde hij.", "gaf toe", "…",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(alphabet="abcXYZ .,:", max_size=4)), max_size=60)
)
def test_random_text_with_random_marks_never_breaks(pieces: list[str]) -> None:
    text = "".join(pieces)
    quotes = _run(text, [{"text": "Jan", "name": "Jan Peeters"}])
    previous_end = 0
    for quote in quotes:
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.quote
        assert quote.start >= previous_end, "quotes overlap or are out of order"
        assert quote.kind in {"direct", "partial"}
        # a person's canonical name, or an organisation named in the text ("klinkt het bij X")
        assert quote.speaker is None or quote.speaker == "Jan Peeters" or quote.speaker in text
        previous_end = quote.end


def test_rule_data_is_loaded_and_large_enough() -> None:
    lexicon = load_lexicon()
    lemmas = {lemma for entries in lexicon.verbs.values() for lemma, _ in entries}
    assert len(lemmas) >= 100
    assert {"zeggen", "stellen", "benadrukken", "erkennen", "toegeven", "reageren", "lachen"} <= lemmas
    assert ("gaf" in lexicon.verbs) and ("toegeven", "toe") in lexicon.verbs["gaf"]


def test_bad_rule_data_names_file_and_line() -> None:
    with pytest.raises(ValueError, match=r"verbs\.txt line 7"):
        _fields("verbs.txt", 7, "zeggen |  | ", (2, 3))


# a quote-mark book (Nescio) and a dash-dialogue book (Couperus), 30k characters each
OPENBOEK_BOOKS = ["Nescio_Titaantjes", "Couperus_ElineVere"]


@pytest.mark.shared
@pytest.mark.skipif(
    not all((openboek_dir() / "quotes" / f"{book}.xml").is_file() for book in OPENBOEK_BOOKS),
    reason="../shared/data/openboek-quotes is missing (set SHARED_DIR or OPENBOEK_DIR)",
)
def test_openboek_slice_recall_and_speakers() -> None:
    result = evaluate_openboek(openboek_dir(), books=OPENBOEK_BOOKS, max_chars=30_000)
    assert result["gold"] >= 100
    # measured: recall 0.952, precision 0.908, speaker accuracy 0.696
    assert result["recall"] >= 0.93
    assert result["precision"] >= 0.88
    assert result["speaker_accuracy"] >= 0.65
    assert result["per_book"]["Nescio_Titaantjes"]["recall"] >= 0.98
