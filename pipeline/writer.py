"""Table output: Parquet row groups and CSV chunks, renamed into place at the end.

:class:`TableWriter` takes the rows of one article at a time, writes a row group
per ``group_articles`` articles (and a CSV chunk per tenth of that, so that little
is left to write after the last article), so memory stays flat however large the
batch, and renames the temporary files onto ``<out>/<table>.<format>``
only in :meth:`close`. An interrupted run leaves the previous tables untouched.
:func:`write_tables` writes whole DataFrames (for example from
:func:`pipeline.extract.extract`) the same way.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .tables import FORMATS, TABLE_NAMES, check_table, csv_safe, make_table

logger = logging.getLogger(__name__)


def write_tables(
    tables: Mapping[str, pd.DataFrame], out_dir: Path, formats: Iterable[str] = FORMATS
) -> list[Path]:
    """Write each table as ``<out_dir>/<table>.<format>``; none appears before all are written."""
    writer = TableWriter(out_dir, formats)
    try:
        for name, frame in tables.items():
            writer.write_frame(name, frame)
        return writer.close()
    finally:
        writer.discard()


class TableWriter:
    """Write the seven tables in chunks; :meth:`close` publishes them, :meth:`discard` drops them."""

    def __init__(self, out_dir: Path, formats: Iterable[str] = FORMATS, group_articles: int = 1000) -> None:
        self.formats = tuple(formats)
        unknown = set(self.formats) - set(FORMATS)
        if unknown:
            raise ValueError(f"unknown output format(s) {sorted(unknown)}; choose from {', '.join(FORMATS)}")
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.group_articles = group_articles
        # Rows are turned into frames every tenth of a group, so that little is left to do
        # after the last article: the CSV chunk is written then, the Arrow part kept.
        self.slice_articles = max(1, group_articles // 10)
        self.buffer: dict[str, list[Mapping[str, Any]]] = {name: [] for name in TABLE_NAMES}
        self.arrow: dict[str, list[pa.Table]] = {name: [] for name in TABLE_NAMES}
        self.buffered = 0
        self.temps: dict[Path, Path] = {}
        self.parquet: dict[str, pq.ParquetWriter] = {}
        self.csv: dict[str, IO[str]] = {}

    def add(self, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        """Add one article's rows; a full group is written out."""
        for name, table_rows in rows.items():
            self.buffer[name].extend(table_rows)
        self.buffered += 1
        if self.buffered >= self.group_articles:
            self.flush()
        elif self.buffered % self.slice_articles == 0:
            self._convert()

    def flush(self) -> None:
        """Write the buffered rows as one row group per table."""
        self._convert()
        for name, parts in self.arrow.items():
            if "parquet" in self.formats:
                self._parquet(name).write_table(pa.concat_tables(parts))
            self.arrow[name] = []
        self.buffered = 0

    def _convert(self) -> None:
        """Turn the buffered rows into checked frames: write their CSV chunk, keep their Arrow
        table for the row group."""
        for name in TABLE_NAMES:
            frame = make_table(name, self.buffer[name])
            self.buffer[name] = []
            if "parquet" in self.formats:
                self.arrow[name].append(pa.Table.from_pandas(frame, preserve_index=False))
            if "csv" in self.formats:
                self._write_csv(name, frame)

    def write_frame(self, name: str, frame: pd.DataFrame) -> None:
        """Write a whole table, checked against its schema, as one row group."""
        check_table(name, frame)
        self._write(name, frame)

    def _write(self, name: str, frame: pd.DataFrame) -> None:
        if "parquet" in self.formats:
            self._parquet(name).write_table(pa.Table.from_pandas(frame, preserve_index=False))
        if "csv" in self.formats:
            self._write_csv(name, frame)

    def _write_csv(self, name: str, frame: pd.DataFrame) -> None:
        handle = self._csv(name)
        csv_safe(frame).to_csv(handle, index=False, header=handle.tell() == 0)

    def close(self) -> list[Path]:
        """Write what is left and rename every table into place; returns the written paths."""
        if self.buffered or not (self.parquet or self.csv):
            self.flush()
        for writer in self.parquet.values():
            writer.close()
        for handle in self.csv.values():
            handle.close()
        for target, tmp in self.temps.items():
            os.replace(tmp, target)
            logger.debug("wrote %s", target)
        written, self.temps = list(self.temps), {}
        return written

    def discard(self) -> None:
        """Drop unpublished temporary files (after an error or interruption)."""
        for writer in self.parquet.values():
            writer.close()
        for handle in self.csv.values():
            handle.close()
        for tmp in self.temps.values():
            tmp.unlink(missing_ok=True)
        self.temps = {}

    def _temp(self, name: str, fmt: str) -> Path:
        """A fresh hidden file beside the target (created with the usual permissions)."""
        target = self.out_dir / f"{name}.{fmt}"
        tmp = self.out_dir / f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp"
        tmp.open("xb").close()
        self.temps[target] = tmp
        return tmp

    def _parquet(self, name: str) -> pq.ParquetWriter:
        if name not in self.parquet:
            schema = pa.Schema.from_pandas(make_table(name, []), preserve_index=False)
            self.parquet[name] = pq.ParquetWriter(self._temp(name, "parquet"), schema)
        return self.parquet[name]

    def _csv(self, name: str) -> IO[str]:
        if name not in self.csv:
            self.csv[name] = self._temp(name, "csv").open("w", encoding="utf-8", newline="")
        return self.csv[name]
