"""Scores: golden sentences, team-order cues, resource validation, robustness, real team names."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from pipeline.records import ClubMention, Score
from pipeline.scores import extract_scores, lexicon, orient, parse_rows
from tests.conftest import require_shared

DATA = Path(__file__).parent / "data" / "scores.jsonl"
FIELDS = ("text", "team_home", "goals_home", "goals_away", "team_away", "kind")
OPTIONAL = ("after", "competition", "stage")


@pytest.fixture(scope="module")
def blank_nlp() -> Language:
    """A blank Dutch pipeline with a sentence splitter: scores need no trained model."""
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    return nlp


def mentions(text: str, clubs: list[dict[str, str]]) -> list[ClubMention]:
    """Club mentions for every word-bounded occurrence of the given surfaces, longest first."""
    found: list[ClubMention] = []
    for club in sorted(clubs, key=lambda c: -len(c["text"])):
        for match in re.finditer(rf"(?<!\w){re.escape(club['text'])}(?!\w)", text):
            if not any(m.start < match.end() and match.start() < m.end for m in found):
                found.append(
                    ClubMention(
                        match.start(),
                        match.end(),
                        match.group(),
                        club["club"],
                        club.get("kind", "club"),
                        club.get("country"),
                    )
                )
    return sorted(found, key=lambda m: m.start)


def run(nlp: Language, text: str, clubs: list[dict[str, str]] | None = None) -> list[Score]:
    return extract_scores(nlp(text), mentions(text, clubs or []))


def view(score: Score | dict[str, Any], fields: tuple[str, ...] = FIELDS) -> dict[str, Any]:
    get = score.get if isinstance(score, dict) else lambda k: getattr(score, k)
    return {k: get(k) for k in fields}


def golden() -> list[Any]:
    params = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


# --------------------------------------------------------------------------- golden sentences


@pytest.mark.parametrize("case", golden())
def test_golden_sentence(blank_nlp: Language, case: dict[str, Any]) -> None:
    found = run(blank_nlp, case["text"], case["clubs"])
    assert [view(s) for s in found] == [view(e) for e in case["expect"]]
    for score, expected in zip(found, case["expect"], strict=True):
        assert case["text"][score.start : score.end] == score.text
        for key in OPTIONAL:
            if key in expected:
                assert getattr(score, key) == expected[key], key


def test_golden_file_covers_enough_cases() -> None:
    cases = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    assert len(cases) >= 50
    assert len({c["id"] for c in cases}) == len(cases)
    kinds = {e["kind"] for c in cases for e in c["expect"]}
    assert kinds == {"final", "halftime", "aggregate", "penalties", "running", "other"}
    assert sum(1 for c in cases if not c["expect"]) >= 10  # false friends


def test_seed_article_score(blank_nlp: Language) -> None:
    text = require_shared("seed", "ancelotti-2022-05.txt").read_text(encoding="utf-8")
    clubs = [
        {"text": "Real Madrid", "club": "Real Madrid", "country": "Spain"},
        {"text": "Real", "club": "Real Madrid", "country": "Spain"},
        {"text": "City", "club": "Manchester City", "country": "England"},
        {"text": "AC Milan", "club": "AC Milan", "country": "Italy"},
        {"text": "Chelsea", "club": "Chelsea", "country": "England"},
    ]
    assert [view(s) for s in run(blank_nlp, text, clubs)] == [
        {
            "text": "4-3",
            "team_home": "Manchester City",
            "goals_home": 4,
            "goals_away": 3,
            "team_away": "Real Madrid",
            "kind": "final",
        }
    ]


# --------------------------------------------------------------------------- ordering cues


@pytest.mark.parametrize(
    ("goals", "outcome", "subject_home", "expected"),
    [
        pytest.param((0, 2), "win", False, ("B", "A", 0, 2), id="won-0-2-bij"),
        pytest.param((3, 0), "win", False, ("B", "A", 0, 3), id="won-3-0-bij-winner-perspective"),
        pytest.param((1, 2), "loss", None, ("A", "B", 1, 2), id="verloor-1-2-van-home"),
        pytest.param((2, 1), "loss", None, ("B", "A", 2, 1), id="verloor-2-1-away"),
        pytest.param((3, 0), "win", None, ("A", "B", 3, 0), id="won-3-0-van-home"),
        pytest.param((1, 1), "draw", True, ("A", "B", 1, 1), id="draw-at-home"),
        pytest.param((1, 1), "draw", False, ("B", "A", 1, 1), id="draw-away"),
        pytest.param((4, 3), None, False, ("B", "A", 4, 3), id="venue-only-written-home-away"),
    ],
)
def test_orient(
    goals: tuple[int, int], outcome: str | None, subject_home: bool | None, expected: tuple
) -> None:
    assert orient(goals, "A", "B", outcome, subject_home) == expected


@pytest.mark.parametrize(
    ("goals", "outcome"),
    [pytest.param((1, 1), "draw", id="draw"), pytest.param((2, 1), None, id="no-cue")],
)
def test_orient_unknown_order_is_none(goals: tuple[int, int], outcome: str | None) -> None:
    assert orient(goals, "A", "B", outcome, None) is None


def test_same_score_flips_with_the_away_cue(blank_nlp: Language) -> None:
    clubs = [{"text": "Gent", "club": "KAA Gent"}, {"text": "Genk", "club": "KRC Genk"}]
    home = run(blank_nlp, "Gent won met 2-1 van Genk.", clubs)[0]
    away = run(blank_nlp, "Gent won met 2-1 bij Genk.", clubs)[0]
    assert (home.team_home, home.goals_home, home.team_away, home.goals_away) == (
        "KAA Gent",
        2,
        "KRC Genk",
        1,
    )
    assert (away.team_home, away.goals_home, away.team_away, away.goals_away) == (
        "KRC Genk",
        1,
        "KAA Gent",
        2,
    )


def test_earlier_match_of_the_article_gives_the_teams(blank_nlp: Language) -> None:
    clubs = [{"text": "Club", "club": "Club Brugge"}, {"text": "Anderlecht", "club": "RSC Anderlecht"}]
    text = "Club - Anderlecht\nHet was een saaie eerste helft. Pas na de pauze viel de 1-0. Het werd 2-0."
    assert [(s.team_home, s.team_away, s.kind) for s in run(blank_nlp, text, clubs)] == [
        ("Club Brugge", "RSC Anderlecht", "running"),
        ("Club Brugge", "RSC Anderlecht", "final"),
    ]


def test_without_clubs_teams_are_none(blank_nlp: Language) -> None:
    [score] = run(blank_nlp, "Het werd 2-1 na een spannende match.")
    assert (score.team_home, score.team_away, score.goals_home, score.goals_away) == (None, None, 2, 1)


def test_doc_without_sentence_boundaries() -> None:
    doc = spacy.blank("nl")("Club won met 2-0 van Gent.\nGenk 1 - Eupen 1")
    clubs = mentions(doc.text, [{"text": t, "club": t} for t in ("Club", "Gent", "Genk", "Eupen")])
    assert [(s.text, s.team_home, s.team_away) for s in extract_scores(doc, clubs)] == [
        ("2-0", "Club", "Gent"),
        ("Genk 1 - Eupen 1", "Genk", "Eupen"),
    ]


# --------------------------------------------------------------------------- resources


def test_resources_load() -> None:
    lex = lexicon()
    assert lex.nouns["zege"]["outcome"] == "win"
    assert "jaar" in {c.phrase for c in lex.false_after}
    assert lex.demonyms["Polen"] == "polen"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("word,kind\nzege,final\n", "header", id="wrong-header"),
        pytest.param("word,kind,outcome,venue\nzege,final\n", "line 2", id="missing-column"),
        pytest.param("word,kind,outcome,venue\n# c\nzege,finale,win,\n", "line 3", id="bad-value"),
        pytest.param("word,kind,outcome,venue\n,final,win,\n", "empty", id="empty-key"),
    ],
)
def test_bad_resource_rows_raise(text: str, message: str) -> None:
    columns = ("word", "kind", "outcome", "venue")
    with pytest.raises(ValueError, match=message) as info:
        parse_rows("score_nouns.csv", text, columns, {"kind": ("final",), "outcome": ("win", "")})
    assert "score_nouns.csv" in str(info.value)


# --------------------------------------------------------------------------- robustness


def _check_offsets(text: str, scores: list[Score]) -> None:
    for score in scores:
        assert 0 <= score.start < score.end <= len(text)
        assert text[score.start : score.end] == score.text
        assert score.kind in {"final", "halftime", "aggregate", "penalties", "running", "other"}


_PIECES = [
    *"0123456789-–—/.:, ()'\n",
    "Club",
    "Anderlecht",
    " ",
    "jaar",
    "-jarige",
    "e minuut",
    "na strafschoppen",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=120).map("".join))
def test_random_text_never_raises(blank_nlp: Language, text: str) -> None:
    clubs = [{"text": "Club", "club": "Club Brugge"}, {"text": "Anderlecht", "club": "RSC Anderlecht"}]
    _check_offsets(text, run(blank_nlp, text, clubs))


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["1-", "12-", "1 - ", "-1", "1-1 ", "2-1-"]))
def test_long_digit_dash_runs(blank_nlp: Language, repeat: int, unit: str) -> None:
    text = "Club won met " + unit * repeat + " van Anderlecht."
    clubs = [{"text": "Club", "club": "Club Brugge"}, {"text": "Anderlecht", "club": "RSC Anderlecht"}]
    _check_offsets(text, run(blank_nlp, text, clubs))


# --------------------------------------------------------------------------- real team names


def _results() -> list[dict[str, Any]]:
    root = require_shared("data", "openfootball", "results")
    matches = []
    for path in sorted(root.glob("*/*.json")):
        for match in json.loads(path.read_text(encoding="utf-8")).get("matches", []):
            if isinstance(match.get("score"), dict) and len(match["score"].get("ft", [])) == 2:
                matches.append(match)
    return random.Random(7).sample(matches, 300)


def _press_lines(home: str, away: str, gh: int, ga: int) -> list[str]:
    lines = [
        f"{home} - {away} {gh}-{ga}",
        f"{home} {gh} – {away} {ga}",
        f"{home} speelde in eigen huis {gh}-{ga} tegen {away}.",
    ]
    if gh > ga:
        lines += [f"{home} won met {gh}-{ga} van {away}.", f"{away} verloor met {gh}-{ga} bij {home}."]
    elif gh < ga:
        lines += [f"{away} won met {gh}-{ga} bij {home}.", f"{home} verloor met {gh}-{ga} van {away}."]
    return lines


@pytest.mark.shared
def test_real_team_names_from_openfootball(blank_nlp: Language) -> None:
    total = right = 0
    wrong = []
    for match in _results():
        home, away = match["team1"], match["team2"]
        gh, ga = match["score"]["ft"]
        clubs = [{"text": home, "club": home}, {"text": away, "club": away}]
        for line in _press_lines(home, away, gh, ga):
            total += 1
            got = [
                (s.team_home, s.team_away, s.goals_home, s.goals_away) for s in run(blank_nlp, line, clubs)
            ]
            if got == [(home, away, gh, ga)]:
                right += 1
            else:
                wrong.append((line, got))
    assert right == total, f"{total - right} of {total} press lines wrong, e.g. {wrong[:5]}"


def test_match_date_comes_from_a_resolved_day_in_the_score_sentence():
    import spacy

    from pipeline.dates import extract_dates
    from pipeline.records import ClubMention
    from pipeline.scores import attach_match_dates, extract_scores

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    text = "Club Brugge won zondag met 2-1 van Anderlecht. Eerder werd het 1-1 tegen Genk."
    doc = nlp(text)
    clubs = [
        ClubMention(text.index(n), text.index(n) + len(n), n, n, "club", "Belgium")
        for n in ("Club Brugge", "Anderlecht", "Genk")
    ]
    scores = attach_match_dates(doc, extract_scores(doc, clubs), extract_dates(text, "2023-03-14"))
    assert [(s.text, s.match_date) for s in scores] == [("2-1", "2023-03-12"), ("1-1", None)]
