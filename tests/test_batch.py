"""Large batches: the same tables for any number of workers, no lost articles, resume, streaming."""

from __future__ import annotations

import os
import platform
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import pipeline.batch as batch
from pipeline.batch import BatchOptions, run_batch, tune_allocator
from pipeline.tables import TABLE_NAMES
from tests.conftest import ROOT

CORPUS_FILES = sorted((ROOT / "corpus").glob("*.txt"))[:5]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Five corpus articles plus an empty and a binary file, in a stable order."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i, path in enumerate(CORPUS_FILES):
        shutil.copy(path, folder / f"{i:02d}-{path.name}")
    (folder / "02b-empty.txt").write_bytes(b"")
    (folder / "03b-binary.txt").write_bytes(bytes(range(256)) * 8)
    return folder


def options(**overrides) -> BatchOptions:
    """Small chunks and row groups, so that a handful of articles spans several of each."""
    return BatchOptions(**{"workers": 1, "chunk_size": 2, "group_articles": 3, "timeout": 30.0, **overrides})


def files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_output_is_byte_identical_for_one_and_two_workers(folder, tmp_path, nlp):
    one = run_batch([folder], tmp_path / "one", nlp=nlp, options=options(workers=1))
    two = run_batch([folder], tmp_path / "two", nlp=nlp, options=options(workers=2))
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert (one.ok, len(one.failed), one.rows) == (two.ok, len(two.failed), two.rows)
    articles = pd.read_parquet(tmp_path / "two" / "articles.parquet")
    assert list(articles["article_id"]) == sorted(p.stem for p in folder.iterdir())
    assert pq.ParquetFile(tmp_path / "two" / "articles.parquet").num_row_groups == 3


def test_every_input_is_accounted_for_and_no_temporary_files_remain(folder, tmp_path, nlp):
    summary = run_batch([folder], tmp_path / "out", nlp=nlp, options=options())
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet").set_index("article_id")
    assert len(articles) == 7 and summary.ok == 5
    assert summary.startup_seconds > 0  # the extractors were warmed up before the workers forked
    assert articles.loc["02b-empty", "status"] == "error" and "empty" in articles.loc["02b-empty", "error"]
    assert articles.loc["03b-binary", "status"] == "error"
    assert articles["content_hash"].notna().sum() == 5
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{n}.{fmt}" for n in TABLE_NAMES for fmt in ("parquet", "csv")
    )
    csv = pd.read_csv(tmp_path / "out" / "mentions.csv")
    assert len(csv) == summary.rows["mentions"] == len(pd.read_parquet(tmp_path / "out" / "mentions.parquet"))


def _crash_on(marker: str, how: str):
    real = batch.analyse_corpus

    def analyse(articles, nlp, *, batch_size=16):
        if any(marker in a.text for a in articles):
            if how == "crash":
                os._exit(3)
            if how == "raise":
                raise ValueError("the model cannot read this")
            import time

            time.sleep(120)
        yield from real(articles, nlp, batch_size=batch_size)

    return analyse


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        pytest.param("crash", "worker process died", id="crash"),
        pytest.param("hang", "timed out", id="hang"),
        pytest.param("raise", "NLP pipeline failed: ValueError", id="model-raises"),
    ],
)
@pytest.mark.parametrize("workers", [1, 2])  # one worker: the chunk queued behind the poison is resent
def test_a_crashing_hanging_or_failing_article_becomes_an_error_row(
    folder, tmp_path, nlp, monkeypatch, how, reason, workers
):
    (folder / "01b-poison.txt").write_text("Dit artikel laat de worker POISON vastlopen.", encoding="utf-8")
    monkeypatch.setattr(batch, "analyse_corpus", _crash_on("POISON", how))
    summary = run_batch([folder], tmp_path / "out", nlp=nlp, options=options(workers=workers, timeout=3.0))
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet").set_index("article_id")
    assert list(articles.index) == sorted(p.stem for p in folder.iterdir())
    assert reason in articles.loc["01b-poison", "error"]
    assert summary.ok == 5 and len(summary.failed) == 3


def test_resume_reproduces_the_tables_byte_for_byte_and_redoes_changed_articles(folder, tmp_path, nlp):
    out = tmp_path / "out"
    run_batch([folder], out, nlp=nlp, options=options())
    first = files(out)
    again = run_batch([folder], out, nlp=nlp, options=options(resume=True, chunk_size=1))
    assert again.reused == 5 and files(out) == first
    changed = next(folder.glob("00-*.txt"))
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n\nAjax won met 3-0 van PSV.", encoding="utf-8"
    )
    third = run_batch([folder], out, nlp=nlp, options=options(resume=True))
    assert third.reused == 4
    scores = pd.read_parquet(out / "scores.parquet")
    assert "3-0" in set(scores.loc[scores["article_id"] == changed.stem, "text"])


def test_an_interrupted_run_leaves_the_previous_tables_untouched(folder, tmp_path, nlp):
    out = tmp_path / "out"
    run_batch([folder], out, nlp=nlp, options=options())
    before = files(out)

    def interrupt(done):
        if done.seq == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([folder], out, nlp=nlp, options=options(group_articles=1), on_done=interrupt)
    assert files(out) == before


def test_limit_reads_only_the_first_articles(folder, tmp_path, nlp):
    summary = run_batch([folder], tmp_path / "out", nlp=nlp, options=options(limit=2))
    assert summary.ok == 2 and summary.rows["articles"] == 2


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is a glibc function")
def test_workers_can_tune_the_allocator_on_glibc():
    assert tune_allocator() is True


def test_a_model_that_does_not_load_stops_the_batch_before_any_table_is_written(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(batch.BatchError, match=r"does not load or run.*not installed"):
        run_batch(CORPUS_FILES, out, model="nl_no_such_model", options=BatchOptions(workers=1))
    assert not out.exists() or not any(out.glob("*.parquet"))
