"""The output tables: names, columns and dtypes (a contract with analysts), and writers.

Every table is a pandas DataFrame with nullable dtypes. ``SCHEMAS`` is the one
place where columns are defined; the README documents them and the tests check
that extraction output matches them exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

STRING = "string"
INT = "Int64"
BOOL = "boolean"
DATE = "datetime64[ns]"
LIST_SEPARATOR = "|"

SCHEMAS: dict[str, dict[str, Any]] = {
    "articles": {
        "article_id": STRING,
        "source": STRING,
        "date": STRING,
        "date_precision": STRING,
        "title": STRING,
        "n_words": INT,
        "status": STRING,
        "error": STRING,
        "repaired": BOOL,
        "content_hash": STRING,
    },
    "mentions": {
        "article_id": STRING,
        "start": INT,
        "end": INT,
        "text": STRING,
        "label": STRING,
        "entity": STRING,
    },
    "persons": {
        "article_id": STRING,
        "name": STRING,
        "mentions": INT,
        "first_start": INT,
        "roles": STRING,
        "club": STRING,
        "age": INT,
        "nationality": STRING,
    },
    "clubs": {
        "article_id": STRING,
        "club": STRING,
        "kind": STRING,
        "country": STRING,
        "mentions": INT,
        "first_start": INT,
    },
    "dates": {
        "article_id": STRING,
        "start": INT,
        "end": INT,
        "text": STRING,
        "value": STRING,
        "granularity": STRING,
        "mod": STRING,
        "date_start": DATE,
        "date_end": DATE,
        "resolved": BOOL,
        "part_of_day": STRING,
        "range": STRING,
    },
    "scores": {
        "article_id": STRING,
        "start": INT,
        "end": INT,
        "text": STRING,
        "team_home": STRING,
        "team_away": STRING,
        "goals_home": INT,
        "goals_away": INT,
        "kind": STRING,
        "after": STRING,
        "competition": STRING,
        "stage": STRING,
        "match_date": DATE,
    },
    "quotes": {
        "article_id": STRING,
        "start": INT,
        "end": INT,
        "quote": STRING,
        "speaker": STRING,
        "cue": STRING,
        "kind": STRING,
    },
}
TABLE_NAMES = tuple(SCHEMAS)
FORMATS = ("parquet", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def make_table(name: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A DataFrame for table ``name`` with exactly its schema's columns and dtypes."""
    schema = _schema(name)
    frame = pd.DataFrame.from_records(list(rows), columns=list(schema))
    for column, dtype in schema.items():
        if dtype == DATE:
            frame[column] = pd.to_datetime(frame[column], errors="raise")
        else:
            frame[column] = frame[column].astype(dtype)
    return frame


def check_table(name: str, frame: pd.DataFrame) -> None:
    """Raise if ``frame`` does not have the columns and dtypes of table ``name``."""
    schema = _schema(name)
    if list(frame.columns) != list(schema):
        raise ValueError(f"table {name}: columns {list(frame.columns)} differ from the schema {list(schema)}")
    for column, dtype in schema.items():
        if frame[column].dtype != dtype:
            raise ValueError(
                f"table {name}: column {column} has dtype {frame[column].dtype}, expected {dtype}"
            )


def _schema(name: str) -> dict[str, Any]:
    if name not in SCHEMAS:
        raise KeyError(f"unknown table {name!r}; the tables are {', '.join(TABLE_NAMES)}")
    return SCHEMAS[name]


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for CSV export with formula-like cells escaped by a leading quote."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == STRING:
            out[column] = out[column].map(_escape_formula, na_action="ignore").astype(STRING)
    return out


def join_list(values: Iterable[str]) -> str | None:
    """Multi-valued cells (persons.roles) are sorted, unique and joined with '|'; None when empty."""
    unique = sorted(set(values))
    return LIST_SEPARATOR.join(unique) if unique else None


def _escape_formula(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def read_table(path: Path) -> pd.DataFrame:
    """Read a table written by :mod:`pipeline.writer` back (Parquet keeps the dtypes)."""
    return pd.read_parquet(path)
