"""Command line: ``python -m pipeline extract PATHS --out DIR``.

Exit codes: 0 when every article was read and analysed, 1 when some failed
(all the others are still written), 2 on usage errors (bad options, missing
input paths, a model that is not installed).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from tqdm import tqdm

from . import __version__
from .corpus import expand_paths
from .extract import ArticleResult, extract
from .nlp import MODEL_ENV, ModelNotFoundError, load_nlp
from .tables import FORMATS, write_tables

EXIT_OK, EXIT_FAILED_ARTICLES, EXIT_USAGE = 0, 1, 2


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
    ext.add_argument("--quiet", action="store_true", help="no progress bar")
    ext.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser


def run_extract(args: argparse.Namespace) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        print(f"error: --format takes {', '.join(FORMATS)}; got {args.format!r}", file=sys.stderr)
        return EXIT_USAGE
    if args.limit is not None and args.limit < 0:
        print("error: --limit must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    try:
        n_files = len(expand_paths(args.paths))
        nlp = load_nlp(args.model)
    except (FileNotFoundError, ModelNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    words = 0
    with tqdm(
        total=n_files if args.limit is None else min(n_files, args.limit),
        unit="article",
        disable=args.quiet,
        file=sys.stderr,
    ) as bar:

        def progress(result: ArticleResult) -> None:
            nonlocal words
            words += result.n_words
            bar.update(1)

        tables = extract(args.paths, nlp=nlp, limit=args.limit, on_result=progress)
    elapsed = time.perf_counter() - started
    write_tables(tables, args.out, formats)
    articles = tables["articles"]
    failed = int((articles["status"] == "error").sum())
    print(f"articles: {len(articles) - failed} ok, {failed} failed", file=sys.stderr)
    for _, row in articles[articles["status"] == "error"].iterrows():
        print(f"  failed {row['article_id']} ({row['source']}): {row['error']}", file=sys.stderr)
    print("rows: " + ", ".join(f"{name} {len(frame)}" for name, frame in tables.items()), file=sys.stderr)
    print(
        f"speed: {words / elapsed if elapsed else 0:,.0f} words/s ({words:,} words in {elapsed:.1f} s)",
        file=sys.stderr,
    )
    print(f"tables written to {args.out}/ ({', '.join(formats)})", file=sys.stderr)
    return EXIT_FAILED_ARTICLES if failed else EXIT_OK


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
