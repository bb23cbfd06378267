"""Copy a trained spaCy pipeline into the package as the shipped model, with its model card.

Usage: python scripts/package_model.py [--src training/output/model-best]

Writes pipeline/models/nl_news_ner/ (config, weights, meta.json). The meta
records the training data and its licence, the labels, the dev scores
(ned.testa, measured here with the project's own evaluator) and the spaCy
version.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import spacy

from pipeline.conll import read_conll
from pipeline.evaluate_ner import score_conll
from pipeline.nlp import load_nlp, shipped_model_path
from pipeline.settings import conll2002_dir

LICENSE_NOTE = (
    "Trained on CoNLL-2002 Dutch (ned.train; De Morgen 2000, University of Antwerp / Atranos). "
    "That data may only be used for research applications in the context of the CoNLL-2002 "
    "shared task; no commercial use. Users who need other terms: choose nl_core_news_sm (or any "
    "spaCy pipeline) with --model, or retrain on your own data with `make model`."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, default=Path("training/output/model-best"))
    parser.add_argument("--train-seconds", type=float, default=None, help="wall time of the training run")
    args = parser.parse_args()
    dest = shipped_model_path()
    nlp = spacy.load(args.src)
    meta = nlp.meta
    meta.update(
        {
            "name": "news_ner",
            "lang": "nl",
            "version": "0.1.0",
            "description": "Dutch news NER (PER, ORG, LOC, MISC): CNN tok2vec + transition-based NER. "
            + LICENSE_NOTE,
            "author": "dutch-news-facts",
            "license": "research use only (CoNLL-2002 terms)",
            "sources": [
                {
                    "name": "CoNLL-2002 Dutch NER (ned.train)",
                    "url": "https://www.clips.uantwerpen.be/conll2002/ner/",
                    "license": "research use in the context of the CoNLL-2002 shared task; no commercial use",
                }
            ],
        }
    )
    if args.train_seconds:
        meta["training_seconds"] = round(args.train_seconds)
    if dest.exists():
        shutil.rmtree(dest)
    nlp.meta = meta
    nlp.to_disk(dest)
    for path in dest.rglob("*"):
        if path.name in {"model-last", "__pycache__"}:
            shutil.rmtree(path)
    dev = conll2002_dir() / "ned.testa"
    scores = score_conll(load_nlp(dest), read_conll(dev))
    meta["dev_scores"] = {
        s.label: {"p": round(s.precision, 4), "r": round(s.recall, 4), "f": round(s.f1, 4)} for s in scores
    }
    (dest / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    print(f"packaged {args.src} -> {dest} ({size / 1e6:.1f} MB); ned.testa F1 {scores[-1].f1:.3f}")


if __name__ == "__main__":
    main()
