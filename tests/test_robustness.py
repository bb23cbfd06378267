"""Bad and adversarial input: every extractor and the reader finish, never raise, give valid offsets.

The property tests run 200 examples per extractor; ``HYPOTHESIS_PROFILE=thorough``
runs 10,000 each, with a per-example time bound of 2 s (the normal suite has no
time bound, so a slow shared machine cannot make it flaky).
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clubs import find_clubs
from pipeline.corpus import read_corpus, read_text_file
from pipeline.dates import extract_dates
from pipeline.extract import analyse
from pipeline.persons import extract_persons
from pipeline.quotes import extract_quotes
from pipeline.scores import extract_scores

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
PROPERTY = settings(
    max_examples=10_000 if THOROUGH else 200,
    deadline=timedelta(seconds=2) if THOROUGH else None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces that the score, date and quote patterns react to, so random text hits their edges.
PIECES = [
    *"0123456789",
    "-", "–", "—", "/", ":", ".", ",", " ", " ", "\n", "\n\n", "(", ")",
    "„", "”", "“", "\"", "'", "‘", "’", "«", "»", "- ",
    "zei", "aldus", "vertelde", "mei", "januari", "dinsdag", "gisteren", "seizoen", "2022", "1990",
    "jaren negentig", "tegen", "won", "met", "van", "na strafschoppen", "rust", "Ajax", "PSV",
    "Club Brugge", "Anderlecht", "Real Madrid", "Carlo Ancelotti", "Ancelotti", "trainer", "De", "de",
]  # fmt: skip
ADVERSARIAL = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
TEXT = st.one_of(st.text(max_size=400), ADVERSARIAL)


def assert_spans(text: str, records, field: str = "text") -> None:
    for record in records:
        assert 0 <= record.start <= record.end <= len(text), record
        assert text[record.start : record.end] == getattr(record, field), record


@PROPERTY
@given(text=TEXT)
def test_extract_dates_never_raises_and_offsets_are_valid(text):
    assert_spans(text, extract_dates(text, "2022-05-03"))
    assert_spans(text, extract_dates(text, None))


@PROPERTY
@given(text=TEXT)
def test_find_clubs_never_raises_and_offsets_are_valid(nlp, text):
    assert_spans(text, find_clubs(nlp(text)))


@PROPERTY
@given(text=TEXT)
def test_extract_persons_never_raises_and_offsets_are_valid(nlp, text):
    doc = nlp(text)
    mentions, persons = extract_persons(doc, find_clubs(doc))
    assert_spans(text, mentions)
    assert all(0 <= p.first_start < max(len(text), 1) for p in persons)


@PROPERTY
@given(text=TEXT)
def test_extract_scores_never_raises_and_offsets_are_valid(nlp, text):
    doc = nlp(text)
    assert_spans(text, extract_scores(doc, find_clubs(doc)))


@PROPERTY
@given(text=TEXT)
def test_extract_quotes_never_raises_and_offsets_are_valid(nlp, text):
    doc = nlp(text)
    mentions, _ = extract_persons(doc, find_clubs(doc))
    assert_spans(text, extract_quotes(doc, mentions), field="quote")


@PROPERTY
@given(data=st.one_of(st.binary(max_size=600), TEXT.map(lambda t: t.encode("utf-8"))))
def test_the_reader_never_raises_and_accounts_for_every_file(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("read")
    (folder / "a.txt").write_bytes(data)
    (folder / "b.jsonl").write_bytes(data)
    articles = list(read_corpus([folder]))
    lines = [line for line in data.split(b"\n") if line.strip()]
    assert len(articles) == 1 + len(lines)
    for article in articles:
        assert (article.ok and article.text.strip() and article.content_hash) or (
            not article.ok and article.error and not article.text
        )


# Explicit bad-input cases, one test each.


def test_a_50_mb_file_becomes_an_error_row_without_being_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write((b"Ajax won met 2-1 van PSV. " * 40_000 + b"\n") * 50)
    assert path.stat().st_size > 50_000_000
    article = read_text_file(path)
    assert not article.ok and "too long" in article.error and "--max-chars" in article.error


def test_a_1_mb_line_without_spaces_is_analysed(tmp_path, nlp):
    (tmp_path / "line.txt").write_text("xQ9-" * 250_000, encoding="utf-8")
    (article,) = read_corpus([tmp_path], max_chars=1_000_000)
    assert article.ok and len(article.text) == 1_000_000
    result = analyse(article, nlp(article.text))
    assert result.error is None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("„" + "heel lang citaat zonder einde " * 2000, id="unbalanced-open-quote"),
        pytest.param("“" + "woord " * 20_000 + "”, zei Ancelotti.", id="very-long-quote"),
        pytest.param("”" * 3000 + "„" * 3000 + "'" * 3000, id="only-quote-marks"),
        pytest.param("1-" * 5000 + "1", id="thousands-of-digits-and-dashes"),
        pytest.param("2022-" * 4000, id="year-dash-chains"),
        pytest.param("9" * 20_000 + "-" * 20_000, id="digit-and-dash-runs"),
        pytest.param("3 mei 2022 " * 1000, id="thousands-of-dates"),
    ],
)
def test_adversarial_articles_are_analysed_without_error(nlp, text):
    from pipeline.corpus import Article

    result = analyse(Article("x", "x", text), nlp(text))
    assert result.error is None
    assert_spans(text, result.scores)
    assert_spans(text, result.dates)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"Caf\xe9 De Kuip: \xe9\xe9n keer.", "Café De Kuip: één keer.", id="cp1252"),
        pytest.param(
            "Dembélé scoorde. ".encode() + b"Caf\xe9 \x93Kuip\x94.",
            "Dembélé scoorde. Café “Kuip”.",
            id="mixed",
        ),
        pytest.param(b"Ajax \xff\xfe won.", "Ajax ÿþ won.", id="invalid-utf8-bytes"),
        pytest.param(b"Fran\xc3\xa7ois &amp; <b>Ajax</b>.", "François & Ajax.", id="utf8-with-html"),
    ],
)
def test_invalid_and_mixed_encodings_are_decoded(tmp_path, data, expected):
    article = read_text_file(_write(tmp_path / "a.txt", data))
    assert article.ok and article.text == expected


def test_jsonl_with_a_broken_line_and_a_duplicate_id_keeps_every_line(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "Een."}),
        '{"id": "b", "text": "kapot',
        json.dumps({"id": "a", "text": "Twee."}),
    ]
    articles = list(read_corpus([_write(tmp_path / "x.jsonl", "\n".join(lines).encode())]))
    assert [(a.id, a.ok) for a in articles] == [("a", True), ("x:2", False), ("a", False)]
    assert "line 2" in articles[1].error and "duplicate" in articles[2].error


def test_an_unreadable_file_becomes_an_error_row(tmp_path, monkeypatch):
    path = _write(tmp_path / "locked.txt", b"Ajax won.")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    article = read_text_file(path)
    assert not article.ok and "Permission denied" in article.error


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_a_file_without_read_permission_becomes_an_error_row(tmp_path):
    path = _write(tmp_path / "locked.txt", b"Ajax won.")
    path.chmod(0)
    try:
        article = read_text_file(path)
    finally:
        path.chmod(0o644)
    assert not article.ok and "Permission denied" in article.error


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_offsets_refer_to_the_repaired_text(tmp_path, nlp):
    raw = (
        "title: Derby\n\n<p>Ousmane DembÃ©lÃ© scoorde &amp; Barcelona won met 2-1.</p> "
        "â€œMooiâ€\x9d, zei Xavi."
    )
    article = read_text_file(_write(tmp_path / "scraped.txt", raw.encode("utf-8")))
    assert article.repaired and article.text.startswith("Ousmane Dembélé scoorde & Barcelona")
    result = analyse(article, nlp(article.text))
    spans = [*result.person_mentions, *result.clubs, *result.scores]
    assert spans and all(article.text[s.start : s.end] == s.text for s in spans)
    assert any(s.text == "2-1" for s in result.scores)
