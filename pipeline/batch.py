"""Large batches: worker processes, per-article time limits, ordered streaming output, resume.

``run_batch(paths, out_dir)`` loads the model once, forks ``workers`` processes
that share it, reads the articles lazily, sends fixed chunks of readable
articles to the workers (two at a time each), and writes the rows in input
order as they arrive, in row groups of
``group_articles`` articles, to temporary files that are renamed into place at
the end. Chunks depend only on the input, so the tables are identical whatever
the number of workers. A worker that dies or exceeds the per-article time limit
is replaced; the articles it had are retried one by one, and the one that fails
again becomes an error row. ``resume`` reuses the rows of articles whose content
hash matches the previous run's ``articles`` table.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from spacy.language import Language

from .corpus import MAX_CHARS, Article, read_corpus
from .extract import ArticleResult, analyse_corpus, result_rows, warm_up
from .nlp import load_nlp
from .tables import FORMATS, TABLE_NAMES, read_table
from .writer import TableWriter

logger = logging.getLogger(__name__)

Rows = dict[str, list[dict[str, Any]]]
DEFAULT_TIMEOUT = 60.0


class BatchError(RuntimeError):
    """The batch cannot run at all (for example, the model does not load in a worker)."""


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs; the defaults suit a laptop."""

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout: float = DEFAULT_TIMEOUT
    max_chars: int = MAX_CHARS
    chunk_size: int = 16
    group_articles: int = 1000
    formats: tuple[str, ...] = FORMATS
    resume: bool = False
    limit: int | None = None


@dataclass
class ArticleDone:
    """One finished article as the parent sees it: its rows plus accounting."""

    seq: int
    rows: Rows
    n_words: int = 0
    worker_rss_mb: float = 0.0
    reused: bool = False

    @property
    def error(self) -> str | None:
        return self.rows["articles"][0]["error"]


@dataclass
class BatchSummary:
    """What a batch did: articles ok and failed, rows per table, words, worker memory."""

    ok: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    reused: int = 0
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLE_NAMES, 0))
    words: int = 0
    worker_peak_rss_mb: float = 0.0
    startup_seconds: float = 0.0  # loading the model and warming up the extractors, once

    def add(self, done: ArticleDone) -> None:
        article = done.rows["articles"][0]
        if done.error:
            self.failed.append((article["article_id"], article["source"], done.error))
        else:
            self.ok += 1
        self.reused += done.reused
        self.words += done.n_words
        self.worker_peak_rss_mb = max(self.worker_peak_rss_mb, done.worker_rss_mb)
        for name, table_rows in done.rows.items():
            self.rows[name] += len(table_rows)


def run_batch(
    paths: Iterable[str | Path],
    out_dir: Path,
    *,
    model: str | Path | None = None,
    nlp: Language | None = None,
    options: BatchOptions | None = None,
    on_done: Callable[[ArticleDone], None] | None = None,
) -> BatchSummary:
    """Extract the tables for ``paths`` into ``out_dir``; every input article gets a row."""
    options = options or BatchOptions()
    if options.workers < 1 or options.timeout <= 0 or options.chunk_size < 1:
        raise ValueError("workers and chunk_size must be 1 or more and timeout positive")
    reuse = previous_rows(out_dir) if options.resume else {}
    articles: Iterator[Article] = read_corpus(paths, max_chars=options.max_chars)
    summary = BatchSummary()
    writer = TableWriter(out_dir, options.formats, options.group_articles)
    try:
        started = time.perf_counter()
        ready = _ready_for_workers(nlp, model)
        summary.startup_seconds = time.perf_counter() - started
        with _Pool(options, ready) as pool:
            for done in _ordered_results(articles, pool, reuse, options):
                writer.add(done.rows)
                summary.add(done)
                if on_done is not None:
                    on_done(done)
        writer.close()
    finally:
        writer.discard()
    return summary


def _ready_for_workers(nlp: Language | None, model: str | Path | None) -> Language:
    """The pipeline (``nlp``, or ``model`` loaded) and the extractors' word lists, made
    ready here before the workers fork.

    The workers share them copy-on-write and start at once, and so does a worker that
    replaces a crashed one.
    """
    try:
        nlp = nlp if nlp is not None else load_nlp(model)
        warm_up(nlp)
    except Exception as exc:
        raise BatchError(f"the model does not load or run: {type(exc).__name__}: {exc}") from exc
    return nlp


def _ordered_results(
    articles: Iterator[Article], pool: _Pool, reuse: dict[str, tuple[str, Rows]], options: BatchOptions
) -> Iterator[ArticleDone]:
    """Finished articles in input order, with a bounded number in flight.

    The next chunk is read (and its text cleaned) while the workers are busy, so that a
    worker that finishes gets new work at once.
    """
    numbered = enumerate(articles if options.limit is None else _take(articles, options.limit))
    finished: dict[int, ArticleDone] = {}
    next_seq, read_seq, exhausted = 0, 0, False
    ahead: list[tuple[int, Article]] = []
    window = options.workers * options.chunk_size * 4
    while True:
        while (ahead or not exhausted) and read_seq - next_seq < window:
            if not ahead:
                ahead, read_seq, exhausted = _next_chunk(
                    numbered, finished, reuse, options.chunk_size, read_seq
                )
            if not ahead or not pool.has_idle():
                break
            pool.submit(ahead)
            ahead = []
        while next_seq in finished:
            yield finished.pop(next_seq)
            next_seq += 1
        if exhausted and next_seq == read_seq:
            return
        for done in pool.collect():
            finished[done.seq] = done


def _take(articles: Iterator[Article], limit: int) -> Iterator[Article]:
    for i, article in enumerate(articles):
        if i >= limit:
            return
        yield article


def _next_chunk(
    numbered: Iterator[tuple[int, Article]],
    finished: dict[int, ArticleDone],
    reuse: dict[str, tuple[str, Rows]],
    size: int,
    read_seq: int,
) -> tuple[list[tuple[int, Article]], int, bool]:
    """Up to ``size`` readable articles to analyse; unreadable and reused ones finish at once.

    Stops early after ``4 * size`` articles that need no analysis, so that they can be
    written out before the next chunk (memory stays bounded on a resumed run).
    """
    chunk: list[tuple[int, Article]] = []
    start = read_seq
    for seq, article in numbered:
        read_seq = seq + 1
        previous = reuse.get(article.id)
        if not article.ok:
            finished[seq] = ArticleDone(seq, result_rows(ArticleResult(article, error=article.error)))
        elif previous is not None and previous[0] == article.content_hash:
            rows = previous[1]
            finished[seq] = ArticleDone(seq, rows, n_words=rows["articles"][0]["n_words"], reused=True)
        else:
            chunk.append((seq, article))
        if len(chunk) >= size or read_seq - start - len(chunk) >= 4 * size:
            return chunk, read_seq, False
    return chunk, read_seq, True


def _error_done(seq: int, article: Article, error: str) -> ArticleDone:
    return ArticleDone(seq, result_rows(ArticleResult(article, error=error)))


# Chunks a worker holds at once: the one it analyses and the next, so that it never waits
# for the parent between chunks.
_QUEUE_DEPTH = 2


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    task: dict[int, Article] = field(default_factory=dict)  # sent, no result yet
    chunks: deque[list[int]] = field(default_factory=deque)  # the seqs of each chunk sent, in order
    deadline: float = 0.0

    @property
    def idle(self) -> bool:
        return self.ready and not self.task

    @property
    def has_room(self) -> bool:
        """Ready for another chunk: it holds fewer than ``_QUEUE_DEPTH``, and no retried
        article (which must run alone, so that a crash points at it)."""
        if not self.ready or len(self.chunks) >= _QUEUE_DEPTH:
            return False
        return not any(len(chunk) == 1 for chunk in self.chunks)


class _Pool:
    """Worker processes, each holding up to ``_QUEUE_DEPTH`` chunks, replaced when they die or hang."""

    def __init__(self, options: BatchOptions, nlp: Language) -> None:
        self.options = options
        self.nlp = nlp
        self.context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        self.retry: deque[list[tuple[int, Article]]] = deque()
        self.done: list[ArticleDone] = []

    def __enter__(self) -> _Pool:
        self.workers = [self._start() for _ in range(self.options.workers)]
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            self._stop(worker, kill=exc[0] is not None)

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main, args=(child, self.nlp, self.options.max_chars), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _stop(worker: _Worker, kill: bool = False) -> None:
        if not kill:
            try:
                worker.conn.send(None)
                worker.process.join(timeout=10)
            except OSError:
                pass
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def has_idle(self) -> bool:
        """A worker has room for a new chunk (after the retried chunks had theirs).

        A retried chunk goes only to a worker that holds nothing.
        """
        for i, worker in enumerate(self.workers):
            if worker.idle and not worker.process.is_alive():  # died between chunks: nothing lost
                self._stop(worker, kill=True)
                self.workers[i] = self._start()
        while self.retry and any(w.idle for w in self.workers):
            self._send(next(w for w in self.workers if w.idle), self.retry.popleft())
        return any(w.has_room for w in self.workers)

    def submit(self, chunk: list[tuple[int, Article]]) -> None:
        """Send ``chunk`` to the worker with the least work in hand."""
        self._send(min((w for w in self.workers if w.has_room), key=lambda w: len(w.chunks)), chunk)

    def _send(self, worker: _Worker, chunk: list[tuple[int, Article]]) -> None:
        if not worker.task:  # the time limit runs from when the worker starts on it
            worker.deadline = time.monotonic() + self.options.timeout
        worker.task.update(chunk)
        worker.chunks.append([seq for seq, _ in chunk])
        worker.conn.send(chunk)

    def collect(self) -> list[ArticleDone]:
        """Wait for results, deaths or time limits; return the articles that finished."""
        self.has_idle()
        busy = [w for w in self.workers if w.task or not w.ready]
        if not busy:
            return []
        deadlines = [w.deadline for w in busy if w.task]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
        for worker in busy:
            self._check(worker, ready)
        done, self.done = self.done, []
        return done

    def _check(self, worker: _Worker, ready: list[Any]) -> None:
        try:
            while worker.conn.poll():
                self._receive(worker, worker.conn.recv())
        except (EOFError, OSError):
            pass
        if worker.process.sentinel in ready and not worker.process.is_alive():
            self._replace(worker, f"the worker process died (exit code {worker.process.exitcode})")
        elif worker.task and time.monotonic() > worker.deadline:
            self._replace(worker, f"timed out: no result within {self.options.timeout:g} s (--timeout)")

    def _receive(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        if message[0] == "ready":
            worker.ready = True
            return
        _, seq, rows, n_words, rss = message
        del worker.task[seq]
        if seq == worker.chunks[0][-1]:
            worker.chunks.popleft()
        worker.deadline = time.monotonic() + self.options.timeout
        self.done.append(ArticleDone(seq, rows, n_words, rss))

    def _replace(self, worker: _Worker, reason: str) -> None:
        """Replace a dead or hung worker. The articles left of the chunk it was on are retried
        alone, or fail if it was on a retried article (alone); the chunk it had not started
        is sent again whole."""
        if not worker.ready:
            raise BatchError(f"a worker could not start: {reason}")
        self._stop(worker, kill=True)
        current, *queued = worker.chunks
        left = [(seq, worker.task[seq]) for seq in current if seq in worker.task]
        again = [[(seq, worker.task[seq]) for seq in chunk] for chunk in queued]
        if len(current) == 1:
            for seq, article in left:
                logger.error("%s: %s", article.id, reason)
                self.done.append(_error_done(seq, article, reason))
            self.retry.extendleft(reversed(again))
        else:
            self.retry.extendleft(reversed([[item] for item in left] + again))
        self.workers[self.workers.index(worker)] = self._start()


# glibc mallopt parameters (malloc.h): M_TRIM_THRESHOLD and M_MMAP_THRESHOLD.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def tune_allocator(*, mmap_threshold_mb: int = 32, trim_threshold_mb: int = 128) -> bool:
    """Let this process keep the memory it frees instead of handing it back to the kernel.

    glibc's defaults return freed heap memory at once and map it again on the next
    allocation. With the NER's arrays and the extractors' objects interleaved, a worker
    took about 850,000 page faults per 1,000 articles, a tenth of its time; with these
    settings about 12,000, at the same peak memory. Returns False where the C library
    has no ``mallopt`` (not glibc); nothing changes there.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mb = 1024 * 1024
    return bool(mallopt(_M_MMAP_THRESHOLD, mmap_threshold_mb * mb)) and bool(
        mallopt(_M_TRIM_THRESHOLD, trim_threshold_mb * mb)
    )


def tune_garbage_collector(*, young_objects: int = 10_000) -> None:
    """Collect the young generation less often, and never scan what the worker inherited.

    The extractors allocate many short-lived lists and tuples, which refcounting frees;
    with Python's default threshold (700) the collector still ran about 300 times per
    1,000 articles, close to 1% of a worker's time (with 10,000: a handful). ``gc.freeze``
    moves the model and the word lists, inherited from the parent, out of the collector's
    sight: they are never garbage, and a full collection would otherwise walk them all.
    """
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(young_objects, older, oldest)


def _worker_main(conn: Connection, nlp: Language, max_chars: int) -> None:
    """A worker: analyse chunks with the pipeline it inherited until told to stop."""
    if not tune_allocator():
        logger.debug("no glibc mallopt here: the worker keeps the default allocator settings")
    tune_garbage_collector()
    nlp.max_length = max(nlp.max_length, max_chars + 1)
    conn.send(("ready",))
    while (chunk := conn.recv()) is not None:
        left = list(chunk)
        try:
            _analyse_chunk(conn, nlp, left)
        except Exception:  # the model failed on the batch: find the article, one at a time
            logger.exception("a chunk failed; analysing its articles one by one")
            for item in list(left):
                try:
                    _analyse_chunk(conn, nlp, [item])
                except Exception as exc:
                    error = f"the NLP pipeline failed: {type(exc).__name__}: {exc}"
                    result = ArticleResult(item[1], error=error)
                    conn.send(("result", item[0], result_rows(result), 0, _peak_rss_mb()))


def _analyse_chunk(conn: Connection, nlp: Language, left: list[tuple[int, Article]]) -> None:
    """Analyse the articles in ``left``, sending each result and removing it from ``left``."""
    results = analyse_corpus([a for _, a in left], nlp, batch_size=len(left))
    for result in results:
        seq = left.pop(0)[0]
        conn.send(("result", seq, result_rows(result), result.n_words, _peak_rss_mb()))


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def previous_rows(out_dir: Path) -> dict[str, tuple[str, Rows]]:
    """The rows of every article that was ``ok`` in the previous run in ``out_dir``, with its hash.

    Reads the Parquet tables (``--resume`` needs them); an empty dict when there is no previous run.
    """
    if not (out_dir / "articles.parquet").exists():
        logger.info("no previous run in %s; nothing to resume", out_dir)
        return {}
    articles = read_table(out_dir / "articles.parquet")
    ok = articles[(articles["status"] == "ok") & articles["content_hash"].notna()]
    reuse: dict[str, tuple[str, Rows]] = {
        str(row["article_id"]): (str(row["content_hash"]), {name: [] for name in TABLE_NAMES})
        for row in _records(ok)
    }
    for row in _records(ok):
        reuse[str(row["article_id"])][1]["articles"].append(row)
    for name in TABLE_NAMES[1:]:
        path = out_dir / f"{name}.parquet"
        if not path.exists():
            raise BatchError(f"{path} is missing; run without --resume to start over")
        for row in _records(read_table(path)):
            if (entry := reuse.get(str(row["article_id"]))) is not None:
                entry[1][name].append(row)
    return reuse


def _records(frame: Any) -> list[dict[str, Any]]:
    """Rows as dicts with missing values as None (what the extractors produce)."""
    return [{k: (None if _is_missing(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _is_missing(value: Any) -> bool:
    import pandas as pd

    return value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)
