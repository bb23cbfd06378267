"""Tests for pipeline.dates: golden cases, the seed article, Duckling's corpus, properties."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import dates
from pipeline.dates import easter, extract_dates, holiday_date, parse_published
from pipeline.evaluate import date_report
from pipeline.evaluate_dates import Example, default_path, duckling_accuracy, is_correct
from pipeline.records import DateMention
from pipeline.settings import shared_dir

DATA = Path(__file__).parent / "data" / "dates.jsonl"
SEED = shared_dir() / "seed" / "ancelotti-2022-05.txt"
SEED_EXPECTED = shared_dir() / "seed" / "ancelotti-2022-05.expected.json"
# Measured 142/149 = 95.3% (see `python -m pipeline.evaluate_dates --misses`); the floor sits a bit below.
DUCKLING_FLOOR = 0.94
OPTIONAL_FIELDS = ("granularity", "date_start", "date_end")
EXTRA_FIELDS = ("part_of_day", "range", "offset")


def _golden_cases() -> list[Any]:
    params = []
    for line_no, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        case = json.loads(line)
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
        params.append(pytest.param(case, id=case.get("id", f"line-{line_no}"), marks=marks))
    return params


def _as_expected(mention: DateMention, wanted: dict[str, Any]) -> dict[str, Any]:
    """The mention written with the keys the golden case asks about."""
    got: dict[str, Any] = {"text": mention.text, "value": mention.value, "mod": mention.mod}
    for key in OPTIONAL_FIELDS:
        if key in wanted:
            value = getattr(mention, key)
            got[key] = value.isoformat() if isinstance(value, date) else value
    for key in EXTRA_FIELDS:
        if key in wanted:
            got[key] = mention.extra.get(key)
    return got


@pytest.mark.parametrize("case", _golden_cases())
def test_golden_case(case: dict[str, Any]) -> None:
    mentions = extract_dates(case["text"], case["published"])
    expected = [{"mod": None, **e} for e in case["expect"]]
    got = [_as_expected(m, e) for m, e in zip(mentions, expected, strict=False)]
    got += [{"text": m.text, "value": m.value, "mod": m.mod} for m in mentions[len(expected) :]]
    assert got == expected


def test_golden_file_has_enough_cases() -> None:
    cases = _golden_cases()
    assert len(cases) >= 80
    assert sum(1 for p in cases if not p.values[0]["expect"]) >= 15  # false friends


def _seed_body() -> str:
    raw = SEED.read_text(encoding="utf-8")
    header = "date 2022-05 "
    return raw[raw.index(header) + len(header) :]


@pytest.mark.shared
def test_seed_article_dates() -> None:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}; set SHARED_DIR to the shared data folder")
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    mentions = extract_dates(_seed_body(), expected["article_date"])
    got = [(m.text, m.value, m.mod) for m in mentions]
    assert got == [(d["text"], d["value"], d.get("mod")) for d in expected["dates"]]
    woensdag = next(m for m in mentions if m.text == "woensdagavond")
    assert woensdag.extra == {"part_of_day": "evening"}
    for not_date in expected["not_dates"]:
        phrase = not_date.split(" (")[0]
        assert all(phrase not in m.text and m.text not in phrase for m in mentions), phrase


@pytest.mark.shared
def test_seed_article_with_month_only_leaves_weekdays_unresolved() -> None:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}; set SHARED_DIR to the shared data folder")
    mentions = {m.text: m for m in extract_dates(_seed_body(), "2022-05")}
    for weekday in ("dinsdag", "zaterdag", "woensdagavond"):
        assert mentions[weekday].value is None and not mentions[weekday].resolved
        assert mentions[weekday].date_start is None
    assert mentions["medio 2024"].value == "2024" and mentions["over vier jaar"].value == "2026"


@pytest.mark.shared
def test_duckling_accuracy_floor() -> None:
    path = default_path()
    if not path.exists():
        pytest.skip(f"Duckling corpus not found at {path}; set SHARED_DIR to the shared data folder")
    correct, total = duckling_accuracy(path)
    assert total >= 140
    assert correct / total >= DUCKLING_FLOOR


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2022, date(2022, 4, 17)),
        (2023, date(2023, 4, 9)),
        (2019, date(2019, 4, 21)),
        (2038, date(2038, 4, 25)),
        (1818, date(1818, 3, 22)),
        (2000, date(2000, 4, 23)),
    ],
)
def test_easter(year: int, expected: date) -> None:
    assert easter(year) == expected


def test_holidays_follow_easter_and_fixed_rules() -> None:
    assert holiday_date("easter:+49", 2022) == date(2022, 6, 5)  # Pinksteren
    assert holiday_date("easter:+39", 2022) == date(2022, 5, 26)  # Hemelvaart
    assert holiday_date("fixed:04-27:sat_if_sunday", 2014) == date(2014, 4, 26)  # Koningsdag on a Sunday
    assert holiday_date("nth:05:6:2", 2013) == date(2013, 5, 12)  # Moederdag


@pytest.mark.parametrize("bad", ["fixed:13-45", "lunar:1", "nth:02:6:5"])
def test_bad_holiday_rule_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        holiday_date(bad, 2021)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Ajax won zaterdag van PSV.", "2022-04-30"),
        ("Ajax speelt zaterdag tegen PSV.", "2022-05-07"),
        ("Ajax heeft zaterdag van PSV gewonnen.", "2022-04-30"),
        ("Ajax zal zaterdag tegen PSV spelen.", "2022-05-07"),
        ("Zaterdag tegen PSV.", "2022-05-07"),
        ("Hij bevestigde dinsdag zijn vertrek.", "2022-05-03"),
        ("Hij maakt dinsdag zijn vertrek bekend.", "2022-05-10"),
        ("Afgelopen dinsdag maakte hij zijn vertrek bekend.", "2022-04-26"),
    ],
)
def test_weekday_tense(sentence: str, expected: str) -> None:
    """Published on Tuesday 2022-05-03: past tense looks back (today included), else ahead."""
    (mention,) = extract_dates(sentence, "2022-05-03")
    assert mention.value == expected


@pytest.mark.parametrize(
    ("published", "weekday", "year_ago", "month_date"),
    [
        ("2022-05-03", "2022-04-30", "2021", "2022-04-28"),
        ("2022-05", None, "2021", "2022-04-28"),
        ("2022", None, "2021", "2022-04-28"),
        (None, None, None, None),
    ],
)
def test_partial_publication_dates(
    published: str | None, weekday: str | None, year_ago: str | None, month_date: str | None
) -> None:
    text = "Ajax won zaterdag. Een jaar geleden won het op 28 april ook. In 1994 was het anders."
    mentions = extract_dates(text, published)
    assert [m.value for m in mentions] == [weekday, year_ago, month_date, "1994"]
    assert [m.resolved for m in mentions] == [v is not None for v in (weekday, year_ago, month_date, "1994")]


@pytest.mark.parametrize("bad", ["03-05-2022", "2022-13", "2022-02-30", "gisteren"])
def test_bad_publication_date_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="published"):
        parse_published(bad)


def test_weekday_date_mismatch_keeps_the_date_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="pipeline.dates"):
        (mention,) = extract_dates("De finale is op maandag 8 mei.", "2022-05-03")
    assert mention.value == "2022-05-08"
    assert "does not match" in caplog.text


def _check_mentions(text: str, mentions: list[DateMention]) -> None:
    previous_end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= previous_end
        assert m.resolved == (m.value is not None)
        previous_end = m.end


_DATE_PIECES = ["mei", "jaren", " 2022", "zondag", "om ", "uur", "tot", "geleden", "\n"]
_DATE_ALPHABET = st.sampled_from([*"0123456789-/.:,' ", *_DATE_PIECES])


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["2022-05-03", "2022-05", "2022", None]))
def test_random_text_never_raises(text: str, published: str | None) -> None:
    _check_mentions(text, extract_dates(text, published))


@settings(max_examples=150, deadline=None)
@given(st.lists(_DATE_ALPHABET, max_size=400).map("".join))
def test_date_like_noise_never_raises(text: str) -> None:
    _check_mentions(text, extract_dates(text, "2022-05-03"))


@pytest.mark.parametrize("unit", ["1-", "12-", "2022-", "1/", "3.", "9", "20.45 ", "4-3-3 "])
def test_long_runs_of_digits_and_dashes(unit: str) -> None:
    text = unit * 3000
    mentions = extract_dates(text, "2022-05-03")
    _check_mentions(text, mentions)


def test_bad_resource_line_names_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def bad_lines(name: str) -> Iterator[tuple[int, str]]:
        yield 7, "maandag,9,full"

    monkeypatch.setattr(dates, "_lines", bad_lines)
    with pytest.raises(ValueError, match=r"weekdays\.csv:7"):
        dates._table("weekdays.csv", 3, lambda f: dates._int_in(f[0], 0, 6))


@pytest.mark.parametrize(
    ("expression", "expected", "grain", "correct"),
    [
        ("twee jaar geleden", "2011-02", "Month", True),  # an offset is as precise as its unit
        ("drie maanden geleden", "2012-11-12", "Day", True),
        ("over een week", "2013-02-19", "Day", True),
        ("vier jaar geleden", "2011-02", "Month", False),  # the wrong year stays wrong
        ("in 2013", "2013-02", "Month", False),  # a plain year is not an offset: no coarser grain
        ("maart", "2013-03", "Month", True),
    ],
)
def test_duckling_comparison_grain(expression: str, expected: str, grain: str, correct: bool) -> None:
    assert is_correct(Example(expression, expected, grain, "datetime")) is correct


def test_date_report_separates_spans_from_values() -> None:
    text = "Ajax won zaterdag. Op 3 mei 2022 speelt het weer. In 1994 niet."
    gold = [
        {
            "id": "a",
            "dates": [
                {"text": "zaterdag", "value": "2022-04-30"},
                {"text": "3 mei 2022", "value": "2022-05-03"},
            ],
        }
    ]
    rows = [
        {"article_id": "a", "start": 9, "end": 17, "value": "2022-05-07"},  # right span, wrong value
        {"article_id": "a", "start": 22, "end": 32, "value": "2022-05-03"},
        {"article_id": "a", "start": 53, "end": 57, "value": "1994"},  # not in gold
    ]
    report = date_report(gold, {"dates": pd.DataFrame(rows)}, {"a": text})
    assert "span F1 0.800 (P 0.667, R 1.000; tp 2, fp 1, fn 0)" in report
    assert "value accuracy 0.500 (1/2 matched spans)" in report


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("weekday\tscan\tweekdays\t-\t-\t(?P<wd><WD>)", "scan atoms need starts"),
        ("range\tanchored\t-\t-\tnot_an_atom\t<REND>", "anchored at unknown atoms"),
        ("weekday\tsearch\tweekdays\tweekdays\t-\t<WD>", "mode must be one of"),
        ("weekday\tscan\tweekdays", "expected 6 tab-separated fields"),
    ],
    ids=["scan-without-starts", "unknown-anchor", "unknown-mode", "too-few-fields"],
)
def test_bad_grammar_line_is_refused_with_a_reason(
    monkeypatch: pytest.MonkeyPatch, line: str, message: str
) -> None:
    monkeypatch.setattr(dates, "_lines", lambda name: iter([(3, line)]))
    dates._atoms.cache_clear()
    try:
        with pytest.raises(ValueError, match=message):
            dates._atoms()
    finally:
        dates._atoms.cache_clear()
