"""Score extraction output against gold annotations, per table.

``python -m pipeline.evaluate GOLD [GOLD ...] [--corpus DIR] [--model M]``

A gold file is JSON Lines, one article per line (``id``, ``article_date`` and
the expected rows per table), or a single JSON object such as the seed's
``*.expected.json`` (its id is the file name up to ``.expected``). Matching
rules (documented in the README):

- persons and clubs: names compare case- and accent-insensitively (clubs also by kind);
- dates: overlapping span and equal value;
- scores: equal goals and teams (home and away);
- quotes: span overlap of at least 50% and the same speaker.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .corpus import read_corpus
from .extract import extract_articles
from .metrics import Counts
from .nlp import load_nlp
from .settings import shared_dir

EVAL_TABLES = ("persons", "clubs", "dates", "scores", "quotes")


def fold(name: str | None) -> str:
    """Case- and accent-insensitive form of a name."""
    if name is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(name))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Gold articles from a JSON Lines file or a single ``*.expected.json`` object."""
    if path.suffix == ".json":
        record = json.loads(path.read_text(encoding="utf-8"))
        record.setdefault("id", path.name.split(".expected")[0].removesuffix(".json"))
        return [record]
    records = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{line_no}: invalid JSON ({exc}); fix the gold file") from exc
    return records


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """All (start, end) spans of ``needle`` in ``text``."""
    spans, start = [], text.find(needle)
    while needle and start >= 0:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return spans


def overlap_ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two spans relative to the longer one."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(inter, 0) / max(a[1] - a[0], b[1] - b[0], 1)


def match(gold: list[Any], pred: list[Any], same: Callable[[Any, Any], bool]) -> Counts:
    """Greedy one-to-one matching of gold and predicted rows."""
    used: set[int] = set()
    tp = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and same(g, p):
                used.add(i)
                tp += 1
                break
    return Counts(tp, len(pred) - tp, len(gold) - tp)


def score_article(gold: dict[str, Any], tables: dict[str, pd.DataFrame], text: str) -> dict[str, Counts]:
    """Counts per table for one gold article against the extracted tables."""
    rows = {
        name: tables[name][tables[name]["article_id"] == gold["id"]].to_dict("records")
        for name in EVAL_TABLES
    }
    out = {
        "persons": match(
            [fold(p["name"]) for p in gold.get("persons", [])],
            [fold(p["name"]) for p in rows["persons"]],
            lambda g, p: g == p,
        ),
        "clubs": match(
            [(fold(c["club"]), c.get("kind")) for c in gold.get("clubs", [])],
            [(fold(c["club"]), c["kind"]) for c in rows["clubs"]],
            lambda g, p: g == p,
        ),
        "scores": match(gold.get("scores", []), rows["scores"], _same_score),
    }
    out["dates"] = match(
        [(occurrences(text, d["text"]), d.get("value")) for d in gold.get("dates", [])],
        [((d["start"], d["end"]), _none(d["value"])) for d in rows["dates"]],
        lambda g, p: g[1] == p[1] and any(overlap_ratio(span, p[0]) > 0 for span in g[0]),
    )
    out["quotes"] = match(
        [(occurrences(text, q["quote"]), fold(q.get("speaker"))) for q in gold.get("quotes", [])],
        [((q["start"], q["end"]), fold(_none(q["speaker"]))) for q in rows["quotes"]],
        lambda g, p: g[1] == p[1] and any(overlap_ratio(span, p[0]) >= 0.5 for span in g[0]),
    )
    return out


def _none(value: Any) -> Any:
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else value


def _same_score(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return (
        int(g["goals_home"]) == int(p["goals_home"])
        and int(g["goals_away"]) == int(p["goals_away"])
        and fold(g.get("team_home")) == fold(_none(p["team_home"]))
        and fold(g.get("team_away")) == fold(_none(p["team_away"]))
    )


def score_articles(
    gold: Iterable[dict[str, Any]], tables: dict[str, pd.DataFrame], texts: dict[str, str]
) -> dict[str, dict[str, Counts]]:
    """Counts per table for each gold article, keyed by article id."""
    per_article = {}
    for record in gold:
        if record["id"] not in texts:
            raise KeyError(f"gold article {record['id']!r} is not in the corpus; pass --corpus with its file")
        per_article[record["id"]] = score_article(record, tables, texts[record["id"]])
    return per_article


def total_counts(per_article: dict[str, dict[str, Counts]]) -> dict[str, Counts]:
    """Counts per table summed over articles."""
    total = {name: Counts() for name in EVAL_TABLES}
    for counts in per_article.values():
        for name, c in counts.items():
            total[name] = total[name] + c
    return total


def evaluate(
    gold: Iterable[dict[str, Any]], tables: dict[str, pd.DataFrame], texts: dict[str, str]
) -> dict[str, Counts]:
    """Summed counts per table over all gold articles."""
    return total_counts(score_articles(gold, tables, texts))


def _gold_spans(text: str, entries: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Each gold entry's span: the k-th entry is found searching forward from the previous one."""
    spans, pos = [], 0
    for entry in entries:
        start = text.find(entry["text"], pos)
        start = text.find(entry["text"]) if start < 0 else start
        spans.append((start, start + len(entry["text"])) if start >= 0 else (-1, -1))
        pos = max(start, 0) + 1
    return spans


def date_report(
    gold: Iterable[dict[str, Any]], tables: dict[str, pd.DataFrame], texts: dict[str, str]
) -> str:
    """Date span F1 (overlap, value ignored) and value accuracy among the matched spans."""
    spans, right, matched = Counts(), 0, 0
    dates = tables["dates"]
    for record in gold:
        entries = record.get("dates", [])
        pred = dates[dates["article_id"] == record["id"]].to_dict("records")
        used: set[int] = set()
        for span, entry in zip(_gold_spans(texts[record["id"]], entries), entries, strict=True):
            overlaps = [(overlap_ratio(span, (p["start"], p["end"])), i) for i, p in enumerate(pred)]
            best = max((o for o in overlaps if o[0] > 0 and o[1] not in used), default=None)
            if best is not None:
                used.add(best[1])
                matched += 1
                right += _none(pred[best[1]]["value"]) == entry.get("value")
        spans = spans + Counts(len(used), len(pred) - len(used), len(entries) - len(used))
    accuracy = right / matched if matched else 0.0
    return (
        f"dates: span F1 {spans.f1:.3f} (P {spans.precision:.3f}, R {spans.recall:.3f}; "
        f"tp {spans.tp}, fp {spans.fp}, fn {spans.fn}); "
        f"value accuracy {accuracy:.3f} ({right}/{matched} matched spans)"
    )


def score_report(
    gold: Iterable[dict[str, Any]], tables: dict[str, pd.DataFrame], texts: dict[str, str]
) -> str:
    """Score F1 (overlapping span, same goals in either order) and the share of found scores
    with both teams and the goals in the right home-away order."""
    counts, right = Counts(), 0
    scores = tables["scores"]
    for record in gold:
        entries = record.get("scores", [])
        pred = scores[scores["article_id"] == record["id"]].to_dict("records")
        used: set[int] = set()
        for span, entry in zip(_gold_spans(texts[record["id"]], entries), entries, strict=True):
            goals = sorted((int(entry["goals_home"]), int(entry["goals_away"])))
            for i, p in enumerate(pred):
                same = sorted((int(p["goals_home"]), int(p["goals_away"]))) == goals
                if i not in used and same and overlap_ratio(span, (p["start"], p["end"])) > 0:
                    used.add(i)
                    right += _same_score(entry, p)
                    break
        counts = counts + Counts(len(used), len(pred) - len(used), len(entries) - len(used))
    share = right / counts.tp if counts.tp else 0.0
    return (
        f"scores: F1 {counts.f1:.3f} (P {counts.precision:.3f}, R {counts.recall:.3f}; "
        "span overlap and goals; "
        f"tp {counts.tp}, fp {counts.fp}, fn {counts.fn}); both teams right {share:.3f} ({right}/{counts.tp})"
    )


def format_counts(counts: dict[str, Counts]) -> str:
    """A plain-text table: precision, recall and F1 per table."""
    lines = [f"{'table':<10}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for name, c in counts.items():
        lines.append(f"{name:<10}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}")
    return "\n".join(lines)


def default_gold_files() -> list[Path]:
    """The gold files (gold/*.jsonl) plus the seed's expected extraction, where ../shared exists."""
    files = sorted(Path("gold").glob("*.jsonl"))
    seed = shared_dir() / "seed" / "ancelotti-2022-05.expected.json"
    return files + ([seed] if seed.exists() else [])


def quote_report(
    gold: Iterable[dict[str, Any]], tables: dict[str, pd.DataFrame], texts: dict[str, str]
) -> str:
    """Quote detection P/R/F1 (span overlap >= 50%, speaker ignored) and speaker accuracy on the
    quotes found, over all gold articles; indirect quotes are left out."""
    counts, right = Counts(), 0
    quotes = tables["quotes"]
    for record in gold:
        text = texts[record["id"]]
        rows = quotes[(quotes["article_id"] == record["id"]) & (quotes["kind"] != "indirect")]
        preds = [((q["start"], q["end"]), fold(_none(q["speaker"]))) for q in rows.to_dict("records")]
        used: set[int] = set()
        for entry in record.get("quotes", []):
            spans = occurrences(text, entry["quote"])
            for i, (span, speaker) in enumerate(preds):
                if i not in used and any(overlap_ratio(s, span) >= 0.5 for s in spans):
                    used.add(i)
                    right += speaker == fold(entry.get("speaker"))
                    break
        counts = counts + Counts(len(used), len(preds) - len(used), len(record.get("quotes", [])) - len(used))
    accuracy = right / counts.tp if counts.tp else 0.0
    return (
        f"quotes: detection P {counts.precision:.3f}, R {counts.recall:.3f}, F1 {counts.f1:.3f} "
        f"(span overlap >= 50%, speaker ignored; tp {counts.tp}, fp {counts.fp}, fn {counts.fn}); "
        f"speaker accuracy {accuracy:.3f} ({right}/{counts.tp} quotes found)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Per-table precision/recall/F1 against gold annotations.")
    parser.add_argument("gold", nargs="*", type=Path, help="gold .jsonl or .expected.json files")
    parser.add_argument("--corpus", nargs="+", default=["corpus"], help="where the gold articles' texts are")
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    gold_files = args.gold or default_gold_files()
    gold = [record for path in gold_files for record in load_gold(path)]
    wanted = {record["id"] for record in gold}
    articles = [a for a in read_corpus(args.corpus) if a.id in wanted]
    tables = extract_articles(articles, nlp=load_nlp(args.model))
    texts = {a.id: a.text for a in articles}
    print(f"gold: {len(gold)} articles from {', '.join(map(str, gold_files))}")
    per_article = score_articles(gold, tables, texts)
    print(format_counts(total_counts(per_article)))
    print(quote_report(gold, tables, texts))
    print(date_report(gold, tables, texts))
    print(score_report(gold, tables, texts))
    print("per article (- where neither the gold nor the output has a row):")
    for article_id, per in per_article.items():
        print(f"  {article_id}: " + ", ".join(f"{k} F1 {_f1_text(v)}" for k, v in per.items()))


def _f1_text(counts: Counts) -> str:
    """F1 with two decimals, or "-" when there was nothing to find and nothing was found."""
    return "-" if counts.tp + counts.fp + counts.fn == 0 else f"{counts.f1:.2f}"


if __name__ == "__main__":
    main()
