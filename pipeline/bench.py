"""Throughput benchmarks: ``python -m pipeline.bench [--ner-only]``.

Timings are medians over several runs, reported next to a baseline measured
in the same run (``spacy.blank("nl")`` tokenizing the same text), because
shared machines are noisy: the ratio is the figure to compare.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import spacy
from spacy.tokenizer import Tokenizer

from .corpus import Article, read_corpus
from .extract import analyse_corpus
from .nlp import load_nlp


def bench_articles(corpus: Path, n: int, seed: int = 13) -> list[Article]:
    """At least ``n`` articles: the corpus repeated with shuffled paragraphs and fresh ids."""
    base = [a for a in read_corpus([corpus]) if a.ok]
    if not base:
        raise SystemExit(f"no readable articles in {corpus}")
    rng = random.Random(seed)
    out = []
    for i in range(n):
        article = base[i % len(base)]
        paragraphs = article.text.split("\n\n")
        if i >= len(base):
            rng.shuffle(paragraphs)
        out.append(replace(article, id=f"{article.id}-{i}", text="\n\n".join(paragraphs)))
    return out


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``run`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model", default=None)
    parser.add_argument("--ner-only", action="store_true", help="only the NER model vs the tokenizer")
    args = parser.parse_args(argv)
    articles = bench_articles(args.corpus, args.articles)
    texts = [a.text for a in articles]
    blank = spacy.blank("nl")
    tokenizer: Tokenizer = blank.tokenizer
    words = sum(int(not (t.is_punct or t.is_space)) for doc in tokenizer.pipe(texts) for t in doc)
    started = time.perf_counter()
    nlp = load_nlp(args.model)
    load_s = time.perf_counter() - started
    print(f"{len(articles)} articles, {words:,} words; model load {load_s:.2f} s; repeats {args.repeats}")
    rows = [("tokenizer (spacy.blank nl)", median_seconds(lambda: list(tokenizer.pipe(texts)), args.repeats))]
    rows.append(
        ("NER model (nlp.pipe)", median_seconds(lambda: list(nlp.pipe(texts, batch_size=64)), args.repeats))
    )
    if not args.ner_only:
        rows.append(
            (
                "end to end (all tables)",
                median_seconds(lambda: list(analyse_corpus(articles, nlp, batch_size=64)), args.repeats),
            )
        )
    base = rows[0][1]
    print(f"{'stage':<28}{'median s':>10}{'words/s':>12}{'articles/s':>12}{'x tokenizer':>13}")
    for name, seconds in rows:
        print(
            f"{name:<28}{seconds:>10.2f}{words / seconds:>12,.0f}{len(articles) / seconds:>12,.1f}"
            f"{seconds / base:>13.1f}"
        )
    if not args.ner_only:
        print(f"end-to-end throughput / NER-model throughput: {rows[1][1] / rows[2][1]:.2f}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
