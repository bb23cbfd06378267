"""The gold matching rules of `make evaluate`."""

from __future__ import annotations

import pandas as pd

from pipeline.evaluate import Counts, fold, load_gold, overlap_ratio, score_article
from pipeline.tables import make_table

TEXT = "Ancelotti zei dinsdag: “Ik blijf.” Real won met 4-3."


def tables(**rows) -> dict[str, pd.DataFrame]:
    names = ("persons", "clubs", "dates", "scores", "quotes")
    return {n: make_table(n, [{"article_id": "a", **r} for r in rows.get(n, [])]) for n in names}


def test_names_compare_case_and_accent_insensitively():
    assert fold("Kylian MBAPPÉ") == fold("kylian mbappe")


def test_overlap_is_relative_to_the_longer_span():
    assert overlap_ratio((0, 10), (5, 10)) == 0.5 and overlap_ratio((0, 4), (4, 8)) == 0


def test_score_article_counts_matches_per_table():
    gold = {
        "id": "a",
        "persons": [{"name": "Carlo Ancelotti"}],
        "clubs": [{"club": "Real Madrid", "kind": "club"}],
        "dates": [{"text": "dinsdag", "value": "2022-05-03"}],
        "scores": [{"goals_home": 4, "goals_away": 3, "team_home": "Real Madrid", "team_away": None}],
        "quotes": [{"quote": "“Ik blijf.”", "speaker": "Carlo Ancelotti"}],
    }
    start = TEXT.index("“")
    got = score_article(
        gold,
        tables(
            persons=[{"name": "carlo ancelotti", "mentions": 1, "first_start": 0}],
            clubs=[
                {"club": "Real Madrid", "kind": "club", "mentions": 1, "first_start": 35},
                {"club": "Chelsea", "kind": "club", "mentions": 1, "first_start": 0},
            ],
            dates=[{"start": 14, "end": 21, "text": "dinsdag", "value": "2022-05-10", "granularity": "day"}],
            scores=[
                {
                    "start": 46,
                    "end": 49,
                    "text": "4-3",
                    "goals_home": 4,
                    "goals_away": 3,
                    "team_home": "Real Madrid",
                    "kind": "final",
                }
            ],
            quotes=[
                {
                    "start": start,
                    "end": start + 8,
                    "quote": TEXT[start : start + 8],
                    "speaker": "Carlo Ancelotti",
                    "kind": "direct",
                }
            ],
        ),
        TEXT,
    )
    assert got == {
        "persons": Counts(1, 0, 0),
        "clubs": Counts(1, 1, 0),
        "scores": Counts(1, 0, 0),
        "dates": Counts(0, 1, 1),
        "quotes": Counts(1, 0, 0),
    }


def test_repository_gold_file_is_valid_and_its_texts_exist():
    from pipeline.corpus import read_text_file
    from tests.conftest import ROOT

    records = load_gold(ROOT / "gold" / "articles.jsonl")
    assert len(records) >= 5
    for record in records:
        text = read_text_file(ROOT / "corpus" / f"{record['id']}.txt").text
        for row in record.get("dates", []):
            assert row["text"] in text, (record["id"], row["text"])
        for row in record.get("quotes", []):
            assert row["quote"] in text, (record["id"], row["quote"][:30])


def test_per_article_f1_shows_a_dash_when_there_was_nothing_to_find():
    from pipeline.evaluate import _f1_text
    from pipeline.metrics import Counts

    assert _f1_text(Counts()) == "-"
    assert _f1_text(Counts(fp=1)) == "0.00"  # found something that is not there: a real miss
    assert _f1_text(Counts(tp=1, fn=1)) == "0.67"
