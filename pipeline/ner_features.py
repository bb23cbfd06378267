"""Lexicon features for the NER model: word frequency and name/place gazetteers.

A CNN tagger that sees "Maar" at the start of a sentence cannot tell from the
characters alone that it is a common word, nor that "Vanhaezebrouck" is a
surname. This module adds one token feature that says so: the Dutch Zipf
frequency bucket of the lowercased word plus flags for first name, surname and
place, looked up in ``resources/ner_lexicon.tsv.gz`` (built by
``scripts/build_ner_lexicon.py``). ``LexiconMultiHashEmbed`` is spaCy's
MultiHashEmbed with that feature as one more hashed column.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources
from typing import cast

import numpy
from spacy.ml.featureextractor import FeatureExtractor
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d

FIRST_NAME, SURNAME, PLACE = 1 << 4, 1 << 5, 1 << 6
LEXICON_FILE = "ner_lexicon.tsv.gz"


def encode(zipf: float, flags: int) -> int:
    """One small integer: the Zipf bucket (0-7) in the low bits, the flags above it."""
    return min(int(zipf), 7) | flags


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, int]:
    """word (lowercase) -> feature value, validated on load."""
    path = resources.files("pipeline") / "resources" / LEXICON_FILE
    lexicon: dict[str, int] = {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            word, sep, value = line.rstrip("\n").partition("\t")
            if not sep or not value.isdigit():
                raise ValueError(
                    f"{LEXICON_FILE}:{line_no}: expected 'word<TAB>int'; rebuild it with "
                    "scripts/build_ner_lexicon.py"
                )
            lexicon[word] = int(value)
    return lexicon


def lexicon_feature(text: str, lexicon: dict[str, int]) -> int:
    """The feature of one token; 1 << 8 marks tokens not in the lexicon at all."""
    return lexicon.get(text.lower(), 1 << 8)


def lexicon_extractor() -> Model[list[Doc], list[Ints2d]]:
    """Docs -> one column of lexicon feature ids per token."""

    def forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], object]:
        lexicon = load_lexicon()
        out = [
            cast(
                Ints2d,
                numpy.array([lexicon_feature(t.text, lexicon) for t in doc], dtype="uint64").reshape(-1, 1),
            )
            for doc in docs
        ]
        return out, lambda d_features: []

    return Model("lexicon_extractor", forward)


@registry.architectures("dutch_news.LexiconMultiHashEmbed.v1")
def lexicon_multi_hash_embed(
    width: int, attrs: list[str], rows: list[int], lexicon_rows: int
) -> Model[list[Doc], list[Floats2d]]:
    """MultiHashEmbed over ``attrs`` plus the lexicon feature as one more column."""
    if len(rows) != len(attrs):
        raise ValueError(f"rows ({len(rows)}) must give one size per attribute ({len(attrs)})")
    embeddings: list[Model] = [
        HashEmbed(width, n_rows, column=i, seed=7 + i, dropout=0.0)
        for i, n_rows in enumerate([*rows, lexicon_rows])
    ]
    extract = concatenate_features(FeatureExtractor(attrs), lexicon_extractor())
    max_out = Maxout(width, width * len(embeddings), nP=3, dropout=0.0, normalize=True)
    model: Model[list[Doc], list[Floats2d]] = chain(
        extract,
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(max_out),
        ragged2list(),
    )
    return model


def concatenate_features(
    first: Model[list[Doc], list[Ints2d]], second: Model[list[Doc], list[Ints2d]]
) -> Model[list[Doc], list[Ints2d]]:
    """Column-wise concatenation of two feature extractors' outputs."""

    def forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], object]:
        a, _ = first(docs, is_train)
        b, _ = second(docs, is_train)
        out = [
            model.ops.xp.hstack([x.astype("uint64"), y.astype("uint64")]) for x, y in zip(a, b, strict=True)
        ]
        return out, lambda d_out: []

    return Model("concatenate_features", forward, layers=[first, second])
