"""Command line: ``python -m pipeline extract PATHS --out DIR``.

Exit codes: 0 when every article was read and analysed, 1 when some failed
(all the others are still written), 2 on usage errors (bad options, missing
input paths, a model that is not installed).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from tqdm import tqdm

from . import __version__
from .batch import DEFAULT_TIMEOUT, ArticleDone, BatchError, BatchOptions, BatchSummary, run_batch
from .corpus import JSONL_SUFFIXES, MAX_CHARS, expand_paths
from .nlp import MODEL_ENV, ModelNotFoundError, resolve_model
from .tables import FORMATS

EXIT_OK, EXIT_FAILED_ARTICLES, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline", description="Extract facts from Dutch and Flemish news articles."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    ext = sub.add_parser(
        "extract", help="extract the tables from articles (.txt files, folders, globs, .jsonl)"
    )
    ext.add_argument("paths", nargs="+", help="files, folders or glob patterns")
    ext.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    ext.add_argument(
        "--format",
        default=",".join(FORMATS),
        help=f"comma-separated output formats (default: {','.join(FORMATS)})",
    )
    ext.add_argument(
        "--model",
        default=None,
        help=f"spaCy package name or pipeline folder (default: ${MODEL_ENV} or the shipped model)",
    )
    ext.add_argument("--limit", type=int, default=None, help="read at most N articles")
    ext.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: the CPU count); the output is the same for any number",
    )
    ext.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds an article may take before it becomes an error row (default: {DEFAULT_TIMEOUT:g})",
    )
    ext.add_argument(
        "--max-chars",
        type=int,
        default=MAX_CHARS,
        help=f"longer articles become error rows (default: {MAX_CHARS:,}); memory grows with this",
    )
    ext.add_argument(
        "--resume",
        action="store_true",
        help="reuse the rows of articles in --out whose content hash is unchanged (needs parquet)",
    )
    ext.add_argument("--quiet", action="store_true", help="no progress bar")
    ext.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser


def _usage_error(args: argparse.Namespace, formats: list[str]) -> str | None:
    """The first problem with the options, or None."""
    if not formats or any(f not in FORMATS for f in formats):
        return f"--format takes {', '.join(FORMATS)}; got {args.format!r}"
    if args.resume and "parquet" not in formats:
        return "--resume reads the previous Parquet tables; keep parquet in --format"
    checks = [
        (args.limit is not None and args.limit < 0, "--limit must be 0 or more"),
        (args.workers < 1, "--workers must be 1 or more"),
        (args.timeout <= 0, "--timeout must be a positive number of seconds"),
        (args.max_chars < 1, "--max-chars must be 1 or more"),
    ]
    return next((message for failed, message in checks if failed), None)


def run_extract(args: argparse.Namespace) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    if problem := _usage_error(args, formats):
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        files = expand_paths(args.paths)
        resolve_model(args.model)
    except (FileNotFoundError, ModelNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    options = BatchOptions(
        workers=args.workers,
        timeout=args.timeout,
        max_chars=args.max_chars,
        formats=tuple(formats),
        resume=args.resume,
        limit=args.limit,
    )
    started = time.perf_counter()
    # One article per text file; a JSON Lines file holds an unknown number.
    total = None if any(f.suffix.lower() in JSONL_SUFFIXES for f in files) else len(files)
    if total is not None and args.limit is not None:
        total = min(total, args.limit)
    with tqdm(unit="article", disable=args.quiet, file=sys.stderr, total=total) as bar:

        def progress(done: ArticleDone) -> None:
            bar.update(1)

        try:
            summary = run_batch(args.paths, args.out, model=args.model, options=options, on_done=progress)
        except BatchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except KeyboardInterrupt:
            print(f"\ninterrupted: the tables in {args.out}/ were left as they were", file=sys.stderr)
            return EXIT_INTERRUPTED
    print_summary(summary, time.perf_counter() - started, args.out, formats)
    return EXIT_FAILED_ARTICLES if summary.failed else EXIT_OK


def print_summary(summary: BatchSummary, elapsed: float, out: Path, formats: list[str]) -> None:
    """Articles ok and failed (with reasons), rows per table, speed."""
    reused = f" ({summary.reused} reused from the previous run)" if summary.reused else ""
    print(f"articles: {summary.ok} ok, {len(summary.failed)} failed{reused}", file=sys.stderr)
    for article_id, source, error in summary.failed:
        print(f"  failed {article_id} ({source}): {error}", file=sys.stderr)
    print("rows: " + ", ".join(f"{name} {n}" for name, n in summary.rows.items()), file=sys.stderr)
    words = summary.words
    print(
        f"speed: {words / elapsed if elapsed else 0:,.0f} words/s ({words:,} words in {elapsed:.1f} s); "
        f"peak worker memory {summary.worker_peak_rss_mb:,.0f} MB",
        file=sys.stderr,
    )
    print(f"tables written to {out}/ ({', '.join(formats)})", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command == "extract":
        return run_extract(args)
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE
