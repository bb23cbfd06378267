"""End-to-end golden test: every expected row of the seed article's hand-written extraction.

The expected file is read from ../shared/seed at run time; each row becomes one
test case. Known failures are listed in tests/data/seed_xfail.jsonl with the reason.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.evaluate import fold
from pipeline.settings import shared_dir
from tests.conftest import ROOT

EXPECTED = shared_dir() / "seed" / "ancelotti-2022-05.expected.json"
XFAIL = {
    r["id"]: r["reason"]
    for r in map(
        json.loads, (ROOT / "tests" / "data" / "seed_xfail.jsonl").read_text(encoding="utf-8").splitlines()
    )
    if r
}


def cases() -> list[Any]:
    if not EXPECTED.exists():
        reason = f"{EXPECTED} not found: set SHARED_DIR"
        return [
            pytest.param(
                None,
                None,
                id="seed-missing",
                marks=pytest.mark.skipif(not os.environ.get("CI"), reason=reason),
            )
        ]
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    params = []
    for table in ("persons", "clubs", "dates", "scores", "quotes", "not_clubs", "not_dates"):
        for i, row in enumerate(expected.get(table, [])):
            label = (
                row if isinstance(row, str) else row.get("name") or row.get("club") or row.get("text") or ""
            )
            case_id = f"{table}-{i}-{label[:30]}"
            marks = [pytest.mark.xfail(reason=XFAIL[case_id], strict=True)] if case_id in XFAIL else []
            params.append(pytest.param(table, row, id=case_id, marks=marks))
    return params


@lru_cache(maxsize=1)
def seed_tables() -> dict[str, pd.DataFrame]:
    from pipeline.extract import extract
    from pipeline.nlp import load_nlp

    return extract(ROOT / "corpus" / "ancelotti-2022-05.txt", nlp=load_nlp())


@pytest.mark.parametrize(("table", "row"), cases())
def test_seed_expected_row(table: str, row: Any) -> None:
    if table is None:
        pytest.fail(f"{EXPECTED} is missing")
    tables = seed_tables()
    check = globals()[f"check_{table}"]
    check(tables, row)


def check_persons(tables: dict[str, pd.DataFrame], row: dict[str, Any]) -> None:
    persons = tables["persons"]
    match = persons[persons["name"].map(fold) == fold(row["name"])]
    assert len(match) == 1, f"{row['name']} not found in {persons['name'].tolist()}"
    roles = set((match.iloc[0]["roles"] or "").split("|")) - {""}
    assert set(row.get("roles", [])) <= roles


def check_clubs(tables: dict[str, pd.DataFrame], row: dict[str, Any]) -> None:
    clubs = tables["clubs"]
    match = clubs[clubs["club"].map(fold) == fold(row["club"])]
    assert len(match) == 1, f"{row['club']} not found in {clubs['club'].tolist()}"
    assert match.iloc[0]["kind"] == row["kind"]


def check_not_clubs(tables: dict[str, pd.DataFrame], row: str) -> None:
    surface = row.split(" (")[0]
    mentions = tables["mentions"]
    text = Path(ROOT / "corpus" / "ancelotti-2022-05.txt").read_text(encoding="utf-8")
    assert surface in text
    clubs = mentions[mentions["label"] == "club"]
    if "after AC Milan" in row:  # the place "Italië" in "AC Milan (Italië)"
        start = text.split("\n\n", 1)[1].index("AC Milan (Italië)") + len("AC Milan (")
        clubs = clubs[clubs["start"] == start]
    assert surface not in clubs["text"].tolist()


def check_dates(tables: dict[str, pd.DataFrame], row: dict[str, Any]) -> None:
    dates = tables["dates"]
    match = dates[dates["text"] == row["text"]]
    assert len(match) >= 1, f"{row['text']!r} not found in {dates['text'].tolist()}"
    values = [(r["value"], None if pd.isna(r["mod"]) else r["mod"]) for _, r in match.iterrows()]
    assert (row["value"], row.get("mod")) in values


def check_not_dates(tables: dict[str, pd.DataFrame], row: str) -> None:
    surface = row.split(" (")[0]
    dates = tables["dates"]
    assert not any(surface in text for text in dates["text"].tolist())


def check_scores(tables: dict[str, pd.DataFrame], row: dict[str, Any]) -> None:
    scores = tables["scores"]
    match = scores[scores["text"] == row["text"]]
    assert len(match) == 1
    got = match.iloc[0]
    assert (got["team_home"], got["team_away"], got["goals_home"], got["goals_away"], got["kind"]) == (
        row["team_home"],
        row["team_away"],
        row["goals_home"],
        row["goals_away"],
        row["kind"],
    )


def check_quotes(tables: dict[str, pd.DataFrame], row: dict[str, Any]) -> None:
    quotes = tables["quotes"]
    match = quotes[quotes["quote"] == row["quote"]]
    assert len(match) == 1, f"quote not found: {row['quote'][:40]}"
    assert (match.iloc[0]["speaker"], match.iloc[0]["kind"]) == (row["speaker"], row["kind"])


def test_seed_with_compact_header_leaves_weekdays_unresolved() -> None:
    if not EXPECTED.exists():
        pytest.skip("../shared/seed missing")
    from pipeline.extract import extract
    from pipeline.nlp import load_nlp

    tables = extract(shared_dir() / "seed" / "ancelotti-2022-05.txt", nlp=load_nlp())
    assert tables["articles"].loc[0, "date_precision"] == "month"
    dates = tables["dates"].set_index("text")
    assert pd.isna(dates.loc["dinsdag", "value"]) and not dates.loc["dinsdag", "resolved"]
    assert dates.loc["medio 2024", "value"] == "2024"
