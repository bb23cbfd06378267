"""Run the extractors over a corpus and assemble the output tables.

``extract(paths)`` reads every article, runs the spaCy pipeline over the
readable ones with ``nlp.pipe``, applies the five extractors to each Doc and
returns the seven tables. A failing stage marks its article as an error and the
batch goes on; unreadable articles appear in ``articles`` with their reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from .clubs import find_clubs
from .corpus import Article, date_precision, read_corpus
from .dates import extract_dates
from .nlp import doc_text, entities, freeze_doc, load_nlp, thaw_doc
from .persons import extract_persons
from .quotes import extract_quotes
from .records import ClubMention, DateMention, Entity, Person, PersonMention, Quote, Score
from .scores import attach_match_dates, extract_scores
from .spans import Intervals
from .tables import SCHEMAS, TABLE_NAMES, join_list, make_table

logger = logging.getLogger(__name__)


@dataclass
class ArticleResult:
    """Everything extracted from one article (empty lists for an unreadable one)."""

    article: Article
    n_words: int = 0
    entities: list[Entity] = field(default_factory=list)
    clubs: list[ClubMention] = field(default_factory=list)
    person_mentions: list[PersonMention] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    error: str | None = None


def analyse(article: Article, doc: Doc) -> ArticleResult:
    """Apply the extractors to one article's Doc (made from ``article.text``); a failing
    stage sets ``error``."""
    freeze_doc(doc, article.text)
    try:
        return _analyse(article, doc)
    finally:
        thaw_doc(doc)


def _analyse(article: Article, doc: Doc) -> ArticleResult:
    result = ArticleResult(article, n_words=count_words(doc))
    stages: list[tuple[str, Callable[[], None]]] = [
        ("entities", lambda: setattr(result, "entities", entities(doc))),
        ("clubs", lambda: setattr(result, "clubs", find_clubs(doc))),
        ("persons", lambda: _set_persons(result, doc)),
        ("dates", lambda: setattr(result, "dates", extract_dates(doc_text(doc), article.date))),
        ("scores", lambda: _set_scores(result, doc)),
        (
            "quotes",
            lambda: setattr(
                result, "quotes", extract_quotes(doc, result.person_mentions, clubs=result.clubs)
            ),
        ),
    ]
    for name, stage in stages:
        try:
            stage()
        except Exception as exc:  # one broken article never stops the batch
            logger.exception("%s: %s stage failed", article.id, name)
            result.error = f"{name} stage failed: {type(exc).__name__}: {exc}"
            break
    return result


_WARM_UP_TEXT = (
    "Ajax won zondag in de Johan Cruijff ArenA met 2-1 van PSV. "
    "'We waren de betere ploeg', zei trainer Francesco Farioli (35) na afloop."
)


def warm_up(nlp: Language) -> None:
    """Analyse one short article so that every extractor has read its word lists.

    The lists are read on first use; the batch calls this before its workers fork,
    so that they share them (and the model) instead of each reading them again.
    """
    article = Article(id="warm-up", source="warm-up", text=_WARM_UP_TEXT, date="2024-01-01")
    result = analyse(article, nlp(article.text))
    if result.error is not None:
        raise RuntimeError(f"the extractors fail on a plain article: {result.error}")


def count_words(doc: Doc) -> int:
    """Tokens that are neither punctuation nor whitespace (vectorized: this runs on every token)."""
    if not len(doc):
        return 0
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    return int((flags.sum(axis=1) == 0).sum())


def _set_scores(result: ArticleResult, doc: Doc) -> None:
    result.scores = attach_match_dates(doc, extract_scores(doc, result.clubs), result.dates)


def _set_persons(result: ArticleResult, doc: Doc) -> None:
    result.person_mentions, result.persons = extract_persons(doc, result.clubs)


def analyse_corpus(
    articles: Iterable[Article], nlp: Language, *, batch_size: int = 16
) -> Iterator[ArticleResult]:
    """Results in input order; readable articles go through ``nlp.pipe`` in batches."""
    pending: list[Article] = []
    for article in articles:
        if not article.ok:
            yield from _flush(pending, nlp, batch_size)
            pending = []
            yield ArticleResult(article, error=article.error)
            continue
        pending.append(article)
        if len(pending) >= batch_size:
            yield from _flush(pending, nlp, batch_size)
            pending = []
    yield from _flush(pending, nlp, batch_size)


def _flush(pending: list[Article], nlp: Language, batch_size: int) -> Iterator[ArticleResult]:
    for article, doc in zip(pending, nlp.pipe((a.text for a in pending), batch_size=batch_size), strict=True):
        yield analyse(article, doc)


def extract(
    paths: Iterable[str | Path] | str | Path,
    *,
    model: str | Path | None = None,
    nlp: Language | None = None,
    limit: int | None = None,
    on_result: Callable[[ArticleResult], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Extract the seven tables from the articles under ``paths``.

    ``model`` is a spaCy package name or path (default: the shipped model, or
    $DUTCH_NEWS_MODEL); pass ``nlp`` to reuse a loaded pipeline.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    articles: Iterable[Article] = read_corpus(paths)
    if limit is not None:
        articles = islice(articles, limit)
    return extract_articles(articles, nlp=nlp or load_nlp(model), on_result=on_result)


def extract_articles(
    articles: Iterable[Article], *, nlp: Language, on_result: Callable[[ArticleResult], None] | None = None
) -> dict[str, pd.DataFrame]:
    """The seven tables for already-read articles."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    for result in analyse_corpus(articles, nlp):
        for name, table_rows in result_rows(result).items():
            rows[name].extend(table_rows)
        if on_result is not None:
            on_result(result)
    return {name: make_table(name, rows[name]) for name in TABLE_NAMES}


def result_rows(result: ArticleResult) -> dict[str, list[dict[str, Any]]]:
    """The rows one article contributes to each table."""
    a = result.article
    aid = a.id
    article_row = {
        "article_id": aid,
        "source": a.source,
        "date": a.date,
        "date_precision": date_precision(a.date),
        "title": a.title,
        "n_words": result.n_words,
        "status": "error" if result.error else "ok",
        "error": result.error,
        "repaired": a.repaired,
        "content_hash": a.content_hash,
    }
    return {
        "articles": [article_row],
        "mentions": mention_rows(result),
        "persons": [
            {"article_id": aid, **record_dict(p), "roles": join_list(p.roles)} for p in result.persons
        ],
        "clubs": club_rows(aid, result.clubs),
        "dates": [date_row(aid, d) for d in result.dates],
        "scores": [{"article_id": aid, **{k: getattr(s, k) for k in _SCORE_COLUMNS}} for s in result.scores],
        "quotes": [{"article_id": aid, **record_dict(q)} for q in result.quotes],
    }


def record_dict(record: Any) -> dict[str, Any]:
    """A record's fields as a dict, shallow (``dataclasses.asdict`` deep-copies every value)."""
    return {name: getattr(record, name) for name in record.__slots__}


_SCORE_COLUMNS = tuple(column for column in SCHEMAS["scores"] if column != "article_id")


def date_row(article_id: str, mention: DateMention) -> dict[str, Any]:
    """One dates-table row; ``part_of_day`` and ``range`` come from the mention's extras."""
    row = {"article_id": article_id, **record_dict(mention)}
    del row["extra"]
    row["part_of_day"] = mention.extra.get("part_of_day")
    row["range"] = mention.extra.get("range")
    return row


def mention_rows(result: ArticleResult) -> list[dict[str, Any]]:
    """Person and club mentions, plus the other NER entities that are neither."""
    aid = result.article.id
    rows = [
        {
            "article_id": aid,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "label": "person",
            "entity": m.name,
        }
        for m in result.person_mentions
    ]
    rows += [
        {"article_id": aid, "start": c.start, "end": c.end, "text": c.text, "label": "club", "entity": c.club}
        for c in result.clubs
    ]
    taken = Intervals(
        [(m.start, m.end) for m in result.person_mentions] + [(c.start, c.end) for c in result.clubs]
    )
    for e in result.entities:
        if e.label == "person" or taken.covers(e.start, e.end):
            continue
        rows.append(
            {
                "article_id": aid,
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "label": e.label,
                "entity": e.text,
            }
        )
    return sorted(rows, key=lambda r: (r["start"], r["end"]))


def club_rows(article_id: str, clubs: list[ClubMention]) -> list[dict[str, Any]]:
    """One row per club or national team per article, in order of first mention."""
    grouped: dict[str, dict[str, Any]] = {}
    for c in sorted(clubs, key=lambda c: c.start):
        row = grouped.setdefault(
            c.club,
            {
                "article_id": article_id,
                "club": c.club,
                "kind": c.kind,
                "country": c.country,
                "mentions": 0,
                "first_start": c.start,
            },
        )
        row["mentions"] += 1
    return list(grouped.values())
