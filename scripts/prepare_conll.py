"""Convert CoNLL-2002 Dutch NER files into spaCy DocBin files for training.

Usage: python scripts/prepare_conll.py [--data-dir DIR] [--out DIR]

The data folder defaults to $CONLL2002_DIR or ../shared/data/conll2002. The raw
data is read at run time and never copied into the repository; only the
converted .spacy files land in training/corpus/ (ignored by git).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from pipeline.conll import read_conll, sentences_to_docs
from pipeline.settings import conll2002_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("training/corpus"))
    args = parser.parse_args()
    data_dir = args.data_dir or conll2002_dir()
    args.out.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("nl")
    for name in ("ned.train", "ned.testa"):
        path = data_dir / name
        if not path.exists():
            raise SystemExit(f"{path} not found: set CONLL2002_DIR to the CoNLL-2002 folder")
        docs = sentences_to_docs(nlp.vocab, read_conll(path))
        DocBin(docs=docs, store_user_data=False).to_disk(args.out / f"{name.replace('.', '_')}.spacy")
        print(
            f"{name}: {len(docs)} docs, {sum(len(d) for d in docs)} tokens, "
            f"{sum(len(d.ents) for d in docs)} entities"
        )


if __name__ == "__main__":
    main()
