"""Entity-level NER evaluation on CoNLL-format files (exact span and type).

``python -m pipeline.evaluate_ner FILE [--model M]`` prints precision, recall
and F1 per label and overall. Sentences of one article (between ``-DOCSTART-``
lines) are processed as one Doc on the gold tokens, so document-level
components see the whole article, as they do on real input.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import biluo_tags_to_spans, iob_to_biluo

from .conll import Sentence, read_conll, read_meantime, spaces_for
from .metrics import Counts
from .nlp import coarse_label, load_nlp


@dataclass(frozen=True)
class LabelScore(Counts):
    """Precision, recall and F1 for one label (or ``ALL``)."""

    label: str = "ALL"


def article_doc(nlp: Language, sentences: list[Sentence]) -> tuple[Doc, set[tuple[int, int, str]]]:
    """One Doc on the gold tokens of an article, and its gold spans (token offsets, coarse label)."""
    words = [w for s in sentences for w in s.words]
    spaces = [sp for s in sentences for sp in [*spaces_for(s.words)[:-1], True]]
    sent_starts: list[bool | int | None] = [i == 0 for s in sentences for i in range(len(s.words))]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=sent_starts)
    tags = [t for s in sentences for t in s.tags]
    gold = {
        (sp.start, sp.end, coarse_label(sp.label_)) for sp in biluo_tags_to_spans(doc, iob_to_biluo(tags))
    }
    return doc, gold


def score_conll(nlp: Language, sentences: Iterable[Sentence]) -> list[LabelScore]:
    """Per-label and overall entity scores of ``nlp`` on CoNLL sentences."""
    counts: Counter[tuple[str, str]] = Counter()
    for _, group in groupby(sentences, key=lambda s: s.article):
        doc, gold = article_doc(nlp, list(group))
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        pred = {(e.start, e.end, coarse_label(e.label_)) for e in doc.ents}
        for span in pred | gold:
            outcome = "tp" if span in pred and span in gold else ("fp" if span in pred else "fn")
            counts[(span[2], outcome)] += 1
            counts[("ALL", outcome)] += 1
    labels = [*sorted({label for label, _ in counts} - {"ALL"}), "ALL"]
    return [
        LabelScore(tp=counts[(lb, "tp")], fp=counts[(lb, "fp")], fn=counts[(lb, "fn")], label=lb)
        for lb in labels
    ]


def format_scores(scores: list[LabelScore]) -> str:
    """A plain-text table of the scores."""
    lines = [f"{'label':<14}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}"]
    for s in scores:
        lines.append(
            f"{s.label:<14}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}{s.tp + s.fn:>8}{s.tp + s.fp:>8}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Entity-level NER scores on a CoNLL file.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--model", default=None, help="package name or path (default: shipped model)")
    parser.add_argument(
        "--format",
        choices=["conll", "meantime"],
        default="conll",
        help="conll: token POS IOB2 files; meantime: CLIN26 NE files or folders of them",
    )
    args = parser.parse_args(argv)
    nlp = load_nlp(args.model)
    if args.format == "meantime":
        files = [f for p in args.files for f in (sorted(p.glob("*.ne")) if p.is_dir() else [p])]
        print(
            f"== MEANTIME: {len(files)} files ({args.model or 'shipped model'}); PRO/FIN/MIX counted as MISC"
        )
        print(format_scores(score_conll(nlp, read_meantime(files))))
        return
    for path in args.files:
        print(f"== {path} ({args.model or 'shipped model'})")
        print(format_scores(score_conll(nlp, read_conll(path))))


if __name__ == "__main__":
    main()
