"""The table contract: columns, dtypes, CSV safety and atomic writes."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.tables import SCHEMAS, TABLE_NAMES, check_table, csv_safe, make_table
from pipeline.writer import TableWriter, write_tables

DOCUMENTED = {
    "articles": [
        "article_id",
        "source",
        "date",
        "date_precision",
        "title",
        "n_words",
        "status",
        "error",
        "repaired",
        "content_hash",
    ],
    "mentions": ["article_id", "start", "end", "text", "label", "entity"],
    "persons": ["article_id", "name", "mentions", "first_start", "roles", "club", "age", "nationality"],
    "clubs": ["article_id", "club", "kind", "country", "mentions", "first_start"],
    "dates": [
        "article_id",
        "start",
        "end",
        "text",
        "value",
        "granularity",
        "mod",
        "date_start",
        "date_end",
        "resolved",
        "part_of_day",
        "range",
    ],
    "scores": [
        "article_id",
        "start",
        "end",
        "text",
        "team_home",
        "team_away",
        "goals_home",
        "goals_away",
        "kind",
        "after",
        "competition",
        "stage",
        "match_date",
    ],
    "quotes": ["article_id", "start", "end", "quote", "speaker", "cue", "kind"],
}


@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_empty_tables_have_the_documented_columns_and_no_object_dtypes(name):
    frame = make_table(name, [])
    assert list(frame.columns) == DOCUMENTED[name]
    assert not any(pd.api.types.is_object_dtype(dtype) for dtype in frame.dtypes)
    check_table(name, frame)


def test_readme_documents_every_column():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, columns in SCHEMAS.items():
        for column in columns:
            assert f"`{column}`" in readme, f"README lacks column {name}.{column}"


def test_check_table_rejects_wrong_dtype():
    frame = make_table("clubs", []).astype({"mentions": "float64"})
    with pytest.raises(ValueError, match="mentions"):
        check_table("clubs", frame)


def test_csv_cells_that_look_like_formulas_are_escaped_and_parquet_keeps_them(tmp_path):
    frame = make_table(
        "quotes",
        [
            {
                "article_id": "a",
                "start": 0,
                "end": 5,
                "quote": "=SUM(A1)",
                "speaker": "@x",
                "cue": "-",
                "kind": "direct",
            }
        ],
    )
    write_tables({"quotes": frame}, tmp_path)
    csv = pd.read_csv(tmp_path / "quotes.csv")
    assert csv.loc[0, "quote"] == "'=SUM(A1)" and csv.loc[0, "speaker"] == "'@x"
    assert pd.read_parquet(tmp_path / "quotes.parquet").loc[0, "quote"] == "=SUM(A1)"
    assert csv_safe(frame).loc[0, "kind"] == "direct"


def test_writes_leave_no_temporary_files(tmp_path):
    write_tables({name: make_table(name, []) for name in SCHEMAS}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{n}.{fmt}" for n in SCHEMAS for fmt in ("parquet", "csv")
    )


def test_unknown_format_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="unknown output format"):
        write_tables({"quotes": make_table("quotes", [])}, tmp_path, ["xlsx"])


def test_write_tables_publishes_nothing_when_one_table_is_broken(tmp_path):
    broken = make_table("dates", []).drop(columns=["value"])
    with pytest.raises(ValueError):
        write_tables({"quotes": make_table("quotes", []), "dates": broken}, tmp_path)
    assert list(tmp_path.iterdir()) == []


def _quote_rows(article: int) -> list[dict]:
    """Zero to two quote rows, so that some slices of a row group are empty."""
    return [
        {
            "article_id": f"a{article}",
            "start": i,
            "end": i + 3,
            "quote": f"q{i}",
            "speaker": None,
            "cue": "zei",
            "kind": "direct",
        }
        for i in range(article % 3)
    ]


def test_rows_added_article_by_article_give_the_same_tables_as_one_whole_write(tmp_path):
    rows = {name: [] for name in TABLE_NAMES}
    writer = TableWriter(tmp_path / "stream", group_articles=25)  # slices of 2 articles, 3 row groups
    for article in range(53):
        added = {name: [] for name in TABLE_NAMES} | {"quotes": _quote_rows(article)}
        writer.add(added)
        rows["quotes"] += added["quotes"]
    writer.close()
    write_tables({name: make_table(name, rows[name]) for name in TABLE_NAMES}, tmp_path / "whole")
    for name in TABLE_NAMES:
        stream, whole = (pd.read_parquet(tmp_path / out / f"{name}.parquet") for out in ("stream", "whole"))
        pd.testing.assert_frame_equal(stream, whole)
        assert (tmp_path / "stream" / f"{name}.csv").read_bytes() == (
            tmp_path / "whole" / f"{name}.csv"
        ).read_bytes()
    assert pq.ParquetFile(tmp_path / "stream" / "quotes.parquet").num_row_groups == 3
