"""Tests for pipeline.clubs and the gazetteer it loads.

Golden sentences live in ``tests/data/clubs.jsonl``: a text, optional NER entities
(``ents``: [text, label], found left to right) and the expected mentions as
[mention text, canonical club, kind] in text order. They run on ``spacy.blank("nl")``
plus a sentencizer, so they check the rules without any trained model.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import clubs
from pipeline.clubs import alias_key, find_clubs, load_gazetteer, parse_entries, validate_entries
from pipeline.records import ClubMention
from tests.conftest import ROOT, require_shared

DATA = Path(__file__).parent / "data" / "clubs.jsonl"
GAZETTEER = ROOT / "pipeline" / "resources" / "clubs.jsonl"

REQUIRED = {
    "club": [
        "Real Madrid", "AC Milan", "Chelsea", "Bayern München", "Paris Saint-Germain", "Manchester City",
        "Club Brugge", "Anderlecht", "Standard Luik", "Racing Genk", "Antwerp", "AA Gent", "Feyenoord",
        "Ajax", "PSV", "AZ", "FC Twente", "Inter", "Juventus", "Barcelona", "Atlético Madrid",
        "Borussia Dortmund", "Liverpool", "Manchester United", "Arsenal", "Tottenham Hotspur",
        "Union Saint-Gilloise",
    ],
    "national_team": [
        "België", "Nederland", "Italië", "Canada", "Frankrijk", "Duitsland", "Spanje", "Engeland",
    ],
}  # fmt: skip
# (league, least number of clubs the gazetteer must place in it)
LEAGUE_FLOORS = [
    ("Jupiler Pro League", 16), ("Challenger Pro League", 12), ("Eredivisie", 18),
    ("Keuken Kampioen Divisie", 16), ("Premier League", 20), ("La Liga", 20), ("Serie A", 20),
    ("Bundesliga", 18), ("Ligue 1", 17),
]  # fmt: skip
COUNTRY_FLOORS = {"Belgium": 30, "Netherlands": 30, "England": 40, "Spain": 40, "Italy": 40, "Germany": 40}


def load_cases(*, known_failures: bool) -> list[Any]:
    """Golden cases as pytest params; with ``known_failures`` the "xfail" ones are marked strict."""
    params = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            xfail = known_failures and "xfail" in case
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if xfail else []
            params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


@pytest.fixture(scope="module")
def nlp() -> Language:
    blank = spacy.blank("nl")
    blank.add_pipe("sentencizer")
    return blank


def make_doc(nlp: Language, case: dict[str, Any]) -> Doc:
    """The case's text as a Doc, with its NER entities set when the case gives them."""
    doc = nlp(case["text"])
    spans, cursor = [], 0
    for text, label in case.get("ents", []):
        start = case["text"].index(text, cursor)
        cursor = start + len(text)
        span = doc.char_span(start, cursor, label=label)
        assert span is not None, f"entity {text!r} does not fall on token boundaries"
        spans.append(span)
    doc.ents = [Span(doc, s.start, s.end, label=s.label_) for s in spans]
    return doc


# --------------------------------------------------------------------------- golden sentences


@pytest.mark.parametrize("case", load_cases(known_failures=True))
def test_golden_sentence(nlp: Language, case: dict[str, Any]) -> None:
    found = [[m.text, m.club, m.kind] for m in find_clubs(make_doc(nlp, case))]
    assert found == case["expected"]


@pytest.mark.parametrize("case", load_cases(known_failures=False))
def test_mentions_point_into_the_text(nlp: Language, case: dict[str, Any]) -> None:
    mentions = find_clubs(make_doc(nlp, case))
    assert all(case["text"][m.start : m.end] == m.text for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))
    gazetteer = load_gazetteer()
    for m in mentions:
        entry = gazetteer.get(m.club)
        assert entry is not None and (m.kind, m.country) == (entry.kind, entry.country)


def test_empty_doc(nlp: Language) -> None:
    assert find_clubs(nlp("")) == []


def test_doc_without_sentences_still_works() -> None:
    doc = spacy.blank("nl")("Anderlecht won van Genk.")
    assert [m.club for m in find_clubs(doc)] == ["Anderlecht", "Racing Genk"]


# --------------------------------------------------------------------------- the seed article


def test_seed_article(nlp: Language, seed_text: str) -> None:
    expected = json.loads(
        require_shared("seed", "ancelotti-2022-05.expected.json").read_text(encoding="utf-8")
    )
    mentions = find_clubs(nlp(seed_text))
    assert {(m.club, m.kind) for m in mentions} == {(c["club"], c["kind"]) for c in expected["clubs"]}
    for club in expected["clubs"]:
        seen = {m.text for m in mentions if m.club == club["club"]}
        for form in club.get("seen_as", []):
            assert form.split(" (in:")[0] in seen, f"{club['club']} not seen as {form!r}"
    italy = [m for m in mentions if m.club == "Italië"]
    assert [seed_text[m.start - 4 : m.end] for m in italy] == ["bij Italië"]
    for item in expected["not_clubs"]:
        name = item.split(" (")[0]
        assert all(m.text != name for m in mentions if m.club != "Italië"), f"{name} taken for a club"


# --------------------------------------------------------------------------- the gazetteer


def test_gazetteer_loads_and_every_entry_is_complete() -> None:
    gazetteer = load_gazetteer()
    assert len(gazetteer.entries) > 500
    for entry in gazetteer.entries:
        assert entry.name and entry.country and entry.kind in clubs.KINDS
        assert entry.name in entry.aliases
        assert entry.ambiguous_aliases <= set(entry.aliases) and entry.context_aliases <= set(entry.aliases)


def test_required_clubs_and_national_teams_exist() -> None:
    gazetteer = load_gazetteer()
    for kind, names in REQUIRED.items():
        missing = [n for n in names if (e := gazetteer.get(n)) is None or e.kind != kind]
        assert not missing, f"missing {kind}: {missing}"


def test_no_alias_names_two_entries_unless_flagged_ambiguous() -> None:
    owners: dict[tuple[str, ...], list[clubs.ClubEntry]] = {}
    for entry in load_gazetteer().entries:
        for alias in entry.aliases:
            owners.setdefault(alias_key(alias), []).append(entry)
    for key, entries in owners.items():
        if len({e.name for e in entries}) > 1:
            for entry in entries:
                assert any(alias_key(a) == key for a in entry.ambiguous_aliases), (key, entry.name)


@pytest.mark.parametrize(("league", "floor"), LEAGUE_FLOORS, ids=[x[0] for x in LEAGUE_FLOORS])
def test_league_coverage(league: str, floor: int) -> None:
    count = sum(e.league == league for e in load_gazetteer().entries)
    assert count >= floor, f"{league}: {count} clubs"


def test_country_coverage() -> None:
    counts = Counter(e.country for e in load_gazetteer().entries if e.kind == "club")
    low = {c: counts[c] for c, floor in COUNTRY_FLOORS.items() if counts[c] < floor}
    assert not low, f"too few clubs: {low}"


def test_european_cup_clubs_have_dutch_press_names() -> None:
    names = {e.name for e in load_gazetteer().entries}
    for name in ["Benfica", "FC Porto", "Celtic", "Galatasaray", "Rode Ster Belgrado", "Red Bull Salzburg"]:
        assert name in names


def test_bad_gazetteer_line_names_file_and_line() -> None:
    with pytest.raises(ValueError, match=r"x\.jsonl:2"):
        parse_entries(
            ['{"name": "A", "aliases": ["A"], "country": "Belgium", "kind": "club"}', "{oops"], "x.jsonl"
        )
    with pytest.raises(ValueError, match=r"x\.jsonl:1: field 'country'"):
        parse_entries(['{"name": "A", "aliases": ["A"], "kind": "club"}'], "x.jsonl")
    with pytest.raises(ValueError, match="kind must be"):
        parse_entries(['{"name": "A", "aliases": ["A"], "country": "Belgium", "kind": "team"}'], "x.jsonl")


def test_shared_alias_must_be_flagged() -> None:
    lines = [
        '{"name": "A", "aliases": ["A", "Sporting"], "country": "Belgium", "kind": "club"}',
        '{"name": "B", "aliases": ["B", "Sporting"], "country": "Portugal", "kind": "club"}',
    ]
    with pytest.raises(ValueError, match="not flagged ambiguous"):
        validate_entries(parse_entries(lines, "x.jsonl"), "x.jsonl", ["Belgium", "Portugal"])


def test_custom_gazetteer_is_used() -> None:
    line = json.dumps(
        {
            "name": "Lutjebroek",
            "aliases": ["Lutjebroek", "VV Lutjebroek"],
            "country": "Netherlands",
            "kind": "club",
        }
    )
    gazetteer = clubs.make_gazetteer(parse_entries([line], "x.jsonl"), clubs.load_rules())
    mentions = find_clubs(spacy.blank("nl")("VV Lutjebroek won."), gazetteer)
    assert mentions == [ClubMention(0, 13, "VV Lutjebroek", "Lutjebroek", "club", "Netherlands")]


# --------------------------------------------------------------------------- rebuilding


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.shared
def test_rebuilding_gives_the_committed_gazetteer() -> None:
    root = require_shared("data", "openfootball")
    builder = _builder()
    text = builder.build(root, builder.CURATED)
    assert text == GAZETTEER.read_text(encoding="utf-8"), "clubs.jsonl is stale: run `make gazetteer`"


@pytest.mark.shared
def test_every_recent_champions_league_club_is_in_the_gazetteer() -> None:
    root = require_shared("data", "openfootball")
    builder = _builder()
    known = {alias_key(a) for e in load_gazetteer().entries if e.kind == "club" for a in e.aliases}
    teams = {team for team, _, code, _ in builder.result_teams(root) if code == "uefa.cl"}
    assert len(teams) > 60
    missing = sorted(t for t in teams if alias_key(t) not in known)
    assert not missing, f"Champions League clubs missing: {missing}"
