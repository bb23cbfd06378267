"""Tests for pipeline.persons: canonical persons, their mentions and attributes.

The golden cases in ``tests/data/persons.jsonl`` give a text, the NER entities a model
would produce on it (``ents``, in text order, ``skip`` = occurrences to pass over) and
the club mentions another stage would find (``clubs``, in text order). The helper sets
them on a ``spacy.blank("nl")`` + sentencizer Doc.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.persons import build_lexicon, extract_persons, lexicon, parse_demonyms, parse_roles, parse_words
from pipeline.records import ClubMention, Person, PersonMention
from pipeline.settings import shared_dir

DATA = Path(__file__).parent / "data" / "persons.jsonl"
SEED = shared_dir() / "seed" / "ancelotti-2022-05.txt"
ONTONOTES = {"PER": "PERSON", "LOC": "GPE", "MISC": "NORP"}


def load_cases(*, known_failures: bool) -> list[Any]:
    """The golden cases; with ``known_failures`` the ones with an "xfail" reason are marked."""
    params = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        xfail = known_failures and "xfail" in case
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if xfail else []
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


CASES = load_cases(known_failures=True)
ALL_CASES = load_cases(known_failures=False)  # for checks that hold whatever the expected output


@pytest.fixture(scope="module")
def nlp() -> Language:
    blank = spacy.blank("nl")
    blank.add_pipe("sentencizer")
    return blank


def locate(text: str, items: list[dict[str, Any]]) -> list[tuple[int, int, dict[str, Any]]]:
    """Character spans of ``items`` found one after the other in ``text`` (whole words)."""
    found, cursor = [], 0
    for item in items:
        matches = re.finditer(rf"(?<!\w){re.escape(item['text'])}(?!\w)", text[cursor:])
        for _ in range(item.get("skip", 0)):
            next(matches, None)
        match = next(matches, None)
        if match is None:
            raise AssertionError(f"{item['text']!r} not found after character {cursor} in {text!r}")
        start, end = cursor + match.start(), cursor + match.end()
        found.append((start, end, item))
        cursor = end
    return found


def make_doc(
    nlp: Language, text: str, ents: list[dict[str, Any]], relabel: dict[str, str] | None = None
) -> Doc:
    """A blank-model Doc with the given NER entities set on it."""
    doc = nlp(text)
    spans = []
    for start, end, item in locate(text, ents):
        label = (relabel or {}).get(item["label"], item["label"])
        span = doc.char_span(start, end, label=label)
        if span is None:
            raise AssertionError(f"entity {item['text']!r} does not fall on token boundaries")
        spans.append(span)
    doc.ents = spans
    return doc


def make_clubs(text: str, clubs: list[dict[str, Any]]) -> list[ClubMention]:
    return [
        ClubMention(start, end, text[start:end], item["club"], item["kind"])
        for start, end, item in locate(text, clubs)
    ]


def as_rows(persons: list[Person]) -> list[dict[str, Any]]:
    rows = []
    for person in persons:
        row = asdict(person)
        row.pop("first_start")
        row["roles"] = list(row["roles"])
        rows.append(row)
    return rows


def run_case(
    nlp: Language, case: dict[str, Any], relabel: dict[str, str] | None = None
) -> tuple[Doc, tuple[list[PersonMention], list[Person]]]:
    doc = make_doc(nlp, case["text"], case["ents"], relabel)
    return doc, extract_persons(doc, make_clubs(case["text"], case["clubs"]))


@pytest.mark.parametrize("case", CASES)
def test_golden_persons(nlp: Language, case: dict[str, Any]) -> None:
    _, (_, persons) = run_case(nlp, case)
    assert as_rows(persons) == case["persons"]


@pytest.mark.parametrize("case", [c for c in CASES if "links" in c.values[0]])
def test_golden_mention_links(nlp: Language, case: dict[str, Any]) -> None:
    _, (mentions, _) = run_case(nlp, case)
    assert [[m.text, m.name] for m in mentions] == case["links"]


@pytest.mark.parametrize("case", ALL_CASES)
def test_ontonotes_labels_give_the_same_output(nlp: Language, case: dict[str, Any]) -> None:
    _, conll = run_case(nlp, case)
    _, ontonotes = run_case(nlp, case, relabel=ONTONOTES)
    assert ontonotes == conll


@pytest.mark.parametrize("case", ALL_CASES)
def test_mentions_and_persons_are_consistent(nlp: Language, case: dict[str, Any]) -> None:
    doc, (mentions, persons) = run_case(nlp, case)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(doc.text[m.start : m.end] == m.text for m in mentions)
    assert [p.first_start for p in persons] == sorted(p.first_start for p in persons)
    for person in persons:
        own = [m for m in mentions if m.name == person.name]
        assert person.mentions == len(own)
        assert person.first_start == own[0].start
    assert {m.name for m in mentions} == {p.name for p in persons}


def test_persons_without_entities_or_names(nlp: Language) -> None:
    assert extract_persons(nlp("Het regende de hele wedstrijd."), []) == ([], [])
    assert extract_persons(nlp(""), []) == ([], [])


def test_doc_without_sentence_boundaries_is_refused() -> None:
    doc = spacy.blank("nl")("Carlo Ancelotti wint opnieuw.")
    with pytest.raises(ValueError, match="sentence boundaries"):
        extract_persons(doc, [])


# ----------------------------------------------------------------------------- seed article


def seed_doc(nlp: Language) -> tuple[Doc, list[ClubMention]]:
    """The seed article with the entities a decent NER model gives and the clubs in it."""
    from pipeline.corpus import split_header

    _, text = split_header(SEED.read_text(encoding="utf-8"))
    persons = ["Carlo Ancelotti", "Ancelotti", "Arrigo Sacchi"]
    orgs = ["Real Madrid", "Real", "AC Milan", "Chelsea", "Bayern München", "Paris Saint-Germain", "City"]
    orgs += ["Prime Video", "Rode Duivels"]
    locs = ["Madrid", "Italië", "Engeland", "Duitsland", "Frankrijk", "Verenigde Staten", "Canada", "Qatar"]
    locs += ["Australië", "Rio de Janeiro"]
    labelled = [(n, "PER") for n in persons] + [(n, "ORG") for n in orgs] + [(n, "LOC") for n in locs]
    labelled += [("Champions League", "MISC"), ("WK", "MISC")]
    doc = nlp(text)
    spans = [doc.char_span(s, e, label=label) for s, e, label in all_occurrences(text, labelled)]
    doc.ents = [span for span in spans if span is not None]
    assert len(doc.ents) == len(spans), "a seed entity does not fall on token boundaries"
    club_names = {"Real Madrid": "Real Madrid", "Real": "Real Madrid", "AC Milan": "AC Milan"}
    club_names |= {"Chelsea": "Chelsea", "Bayern München": "Bayern München", "City": "Manchester City"}
    club_names |= {"Paris Saint-Germain": "Paris Saint-Germain"}
    clubs = [
        ClubMention(s, e, text[s:e], club_names[text[s:e]], "club")
        for s, e, _ in all_occurrences(text, [(name, "club") for name in club_names])
    ]
    teams = {"Rode Duivels": "België", "Canada": "Canada"}
    clubs += [
        ClubMention(s, e, text[s:e], teams[text[s:e]], "national_team")
        for s, e, _ in all_occurrences(text, [(name, "team") for name in teams])
    ]
    italy = text.index("bij Italië") + len("bij ")
    clubs.append(ClubMention(italy, italy + len("Italië"), "Italië", "Italië", "national_team"))
    return doc, sorted(clubs, key=lambda c: c.start)


def all_occurrences(text: str, labelled: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Every whole-word occurrence of each form, longer forms first, without overlaps."""
    taken: list[tuple[int, int, str]] = []
    for form, label in sorted(labelled, key=lambda item: -len(item[0])):
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if not any(match.start() < e and s < match.end() for s, e, _ in taken):
                taken.append((match.start(), match.end(), label))
    return sorted(taken)


@pytest.mark.shared
@pytest.mark.skipif(not SEED.exists(), reason=f"seed article missing at {SEED}: set SHARED_DIR")
def test_seed_article_persons(nlp: Language) -> None:
    doc, clubs = seed_doc(nlp)
    mentions, persons = extract_persons(doc, clubs)
    assert [(p.name, p.roles) for p in persons] == [
        ("Carlo Ancelotti", ("trainer",)),
        ("Arrigo Sacchi", ("bondscoach",)),
    ]
    ancelotti = persons[0]
    assert (ancelotti.age, ancelotti.nationality, ancelotti.mentions) == (62, "Italië", 6)
    assert persons[1].club == "Italië"
    assert all(m.name == "Carlo Ancelotti" for m in mentions if "Ancelotti" in m.text)
    assert all(m.name == "Arrigo Sacchi" for m in mentions if "Sacchi" in m.text)


MODEL = Path(__file__).resolve().parent.parent / "pipeline" / "models" / "nl_news_ner"


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.skipif(not (MODEL / "config.cfg").exists(), reason=f"no trained model at {MODEL}")
@pytest.mark.skipif(not SEED.exists(), reason=f"seed article missing at {SEED}: set SHARED_DIR")
def test_seed_article_with_the_shipped_model() -> None:
    from pipeline.corpus import split_header
    from pipeline.nlp import load_nlp

    _, text = split_header(SEED.read_text(encoding="utf-8"))
    _, clubs = seed_doc(spacy.blank("nl"))
    mentions, persons = extract_persons(load_nlp()(text), clubs)
    names = [p.name for p in persons]
    assert names[:1] == ["Carlo Ancelotti"] and "Arrigo Sacchi" in names
    assert all(m.name == "Carlo Ancelotti" for m in mentions if "Ancelotti" in m.text)
    assert persons[0].roles == ("trainer",)


# ----------------------------------------------------------------------------- resources


def test_packaged_lexicon_loads_and_normalizes() -> None:
    lex = lexicon()
    assert lex.roles["clubtrainer"] == lex.roles["coach"] == "trainer"
    assert lex.assistant_of["assistent-bondscoach"] == "bondscoach"
    assert lex.demonyms["italiaan"] == lex.demonyms["italiaanse"] == "Italië"
    assert "italiaan" in lex.demonym_nouns and "italiaanse" not in lex.demonym_nouns


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        pytest.param(
            parse_roles,
            "surface,role,group,assistant_of\ntrainer,,staff,\n",
            "roles.csv line 2",
            id="role-empty",
        ),
        pytest.param(
            parse_roles, "surface,role,assistant_of\ntrainer,trainer,\n", "roles.csv line 1", id="role-header"
        ),
        pytest.param(
            parse_roles,
            "surface,role,group,assistant_of\ncoach,trainer,staff,\ncoach,speler,player,\n",
            "roles.csv line 3",
            id="role-conflict",
        ),
        pytest.param(
            parse_roles,
            "surface,role,group,assistant_of\nassistent,assistent,staff,baas\n",
            "baas",
            id="role-unknown-assistant-of",
        ),
        pytest.param(
            parse_roles,
            "surface,role,group,assistant_of\ncoach,trainer,staff,\ntrainer,trainer,player,\n",
            "roles.csv line 3",
            id="role-group-conflict",
        ),
        pytest.param(
            parse_demonyms,
            "surface,country,form\nBelg,België,zelfstandig\n",
            "demonyms.csv line 2",
            id="demonym-form",
        ),
        pytest.param(
            parse_words, "word,kind\n# comment\nvan,voorzetsel\n", "words.csv line 3", id="word-kind"
        ),
        pytest.param(parse_words, "# only a comment\n", "words.csv", id="word-empty"),
        pytest.param(
            parse_words, 'word,kind\n"«",quote_pair\n', "words.csv line 2", id="quote-pair-one-char"
        ),
    ],
)
def test_bad_resource_lines_are_reported_with_file_and_line(parse, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse(text)


def test_build_lexicon_takes_stop_words_but_not_particles_as_non_names() -> None:
    lex = build_lexicon(
        "surface,role,group,assistant_of\n", "surface,country,form\n", "word,kind\nvan,particle\n"
    )
    assert "hij" in lex.stop_words and "van" not in lex.stop_words and "van" not in lex.not_names
