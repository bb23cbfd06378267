"""Reading articles: headers, encodings, JSON Lines, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.corpus import normalize_date, read_corpus, read_text_file, split_header
from tests.conftest import ROOT, require_shared


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_key_value_header_is_removed_and_parsed(tmp_path):
    a = read_text_file(
        write(tmp_path / "a.txt", "date: 2023-03-12\ntitle: Club wint\nsource: HLN\n\nClub won.\n")
    )
    assert (a.id, a.date, a.title, a.text, a.metadata["source"]) == (
        "a",
        "2023-03-12",
        "Club wint",
        "Club won.",
        "HLN",
    )


def test_compact_seed_header_gives_partial_date():
    seed = require_shared("seed", "ancelotti-2022-05.txt")
    article = read_text_file(seed)
    assert article.date == "2022-05"
    assert article.text.startswith("Voor Carlo Ancelotti is Real Madrid")


def test_corpus_copy_of_seed_has_the_same_text_and_full_date():
    seed = require_shared("seed", "ancelotti-2022-05.txt")
    ours = read_text_file(ROOT / "corpus" / "ancelotti-2022-05.txt")
    assert ours.date == "2022-05-03"
    assert ours.text == read_text_file(seed).text


def test_text_without_header_is_kept_whole():
    meta, body = split_header("Dinsdag: Club wint.\n\nTweede alinea.")
    assert meta == {} and body.startswith("Dinsdag: Club wint.")


def test_utf8_bom_and_latin1_are_decoded(tmp_path):
    bom = read_text_file(write(tmp_path / "bom.txt", "\ufeffdate: 2022-05-03\n\nDe Buffalo’s wonnen."))
    latin = read_text_file(
        write(tmp_path / "latin.txt", "Café De Kuip: Feyenoord wint één keer.".encode("cp1252"))
    )
    assert bom.date == "2022-05-03" and bom.text == "De Buffalo’s wonnen."
    assert latin.ok and latin.text == "Café De Kuip: Feyenoord wint één keer."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"   \n\t\n", "empty", id="whitespace-only"),
        pytest.param(bytes(range(256)) * 4, "binary", id="binary"),
    ],
)
def test_unreadable_files_become_error_articles(tmp_path, data, reason):
    article = read_text_file(write(tmp_path / "bad.txt", data))
    assert not article.ok and reason in article.error and article.text == ""


def test_mojibake_is_repaired_and_curly_quotes_kept(tmp_path):
    text = "DembÃ©lÃ© zei: “Ik blijf.”"
    article = read_text_file(write(tmp_path / "m.txt", text))
    assert article.text == "Dembélé zei: “Ik blijf.”" and article.repaired


def test_jsonl_keeps_metadata_and_isolates_a_broken_line(tmp_path):
    lines = [
        json.dumps(
            {"id": "x1", "date": "2022-05-03", "title": "T", "text": "Eerste.", "url": "https://e.nl"}
        ),
        "{not json",
        json.dumps({"id": "x2", "text": "Tweede."}),
    ]
    articles = list(read_corpus([write(tmp_path / "a.jsonl", "\n".join(lines))]))
    assert [a.id for a in articles] == ["x1", "a:2", "x2"]
    assert articles[0].metadata["url"] == "https://e.nl" and articles[0].date == "2022-05-03"
    assert not articles[1].ok and "line 2" in articles[1].error
    assert articles[2].ok and articles[2].date is None


def test_duplicate_ids_are_an_error_naming_both_sources(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write(tmp_path / "a" / "same.txt", "Een.")
    write(tmp_path / "b" / "same.txt", "Twee.")
    first, second = read_corpus([tmp_path])
    assert first.ok and not second.ok
    assert (
        str(tmp_path / "a" / "same.txt") in second.error and str(tmp_path / "b" / "same.txt") in second.error
    )


def test_missing_path_raises_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="input path not found"):
        list(read_corpus([tmp_path / "nope"]))


def test_glob_selects_files(tmp_path):
    write(tmp_path / "a.txt", "Een.")
    write(tmp_path / "b.md", "Niet.")
    assert [a.id for a in read_corpus([str(tmp_path / "*.txt")])] == ["a"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-05-03", "2022-05-03"),
        ("2022-05", "2022-05"),
        ("2022", "2022"),
        ("3-5-2022", "2022-05-03"),
        ("2022-13", None),
        ("gisteren", None),
        ("2022-05-03T10:00:00Z", "2022-05-03"),
        ("31.02.2022", None),  # no such day
        ("2022-02-31", None),
        ("2024-02-29", "2024-02-29"),
        ("3 mei 2022", "2022-05-03"),  # written out: dateparser
        ("dinsdag 3 mei 2022, 14:30", "2022-05-03"),
        ("May 3, 2022", "2022-05-03"),
        ("mei 2022", "2022-05"),
        ("3 mei", None),  # no year: which one?
    ],
)
def test_publication_dates_are_normalized_at_their_precision(raw, expected):
    assert normalize_date(raw) == expected
