"""Read CoNLL-2002 style files (``token POS IOB2``) into sentences and spaCy Docs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc
from spacy.training import biluo_to_iob, iob_to_biluo
from spacy.vocab import Vocab

_NO_SPACE_BEFORE = {".", ",", ":", ";", "!", "?", ")", "]", "}", "%", "'s"}
_NO_SPACE_AFTER = {"(", "[", "{"}


@dataclass(frozen=True)
class Sentence:
    """One sentence: tokens, IOB2 tags and the index of the article it belongs to."""

    words: list[str]
    tags: list[str]
    article: int


def read_conll(path: Path) -> Iterator[Sentence]:
    """Yield the sentences of a CoNLL file; ``-DOCSTART-`` lines start a new article."""
    article, words, tags = 0, list[str](), list[str]()
    with path.open(encoding="utf-8") as handle:
        for line_no, raw in enumerate(handle, 1):
            line = raw.strip()
            if line.startswith("-DOCSTART-"):
                if words:
                    yield Sentence(words, tags, article)
                    words, tags = [], []
                article += 1
                continue
            if not line:
                if words:
                    yield Sentence(words, tags, article)
                    words, tags = [], []
                continue
            parts = line.split()
            if len(parts) < 2:
                raise ValueError(f"{path}:{line_no}: expected 'token [POS] TAG', got {line!r}")
            words.append(parts[0])
            tags.append(parts[-1])
    if words:
        yield Sentence(words, tags, article)


def spaces_for(words: list[str]) -> list[bool]:
    """Guess trailing whitespace so that the text reads like running prose."""
    spaces = []
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        spaces.append(nxt is not None and nxt not in _NO_SPACE_BEFORE and word not in _NO_SPACE_AFTER)
    return spaces


def sentence_to_doc(vocab: Vocab, sentence: Sentence) -> Doc:
    """A Doc with the sentence's gold entities set from its IOB2 tags."""
    tags = [t if t == "O" or "-" in t else "O" for t in sentence.tags]
    return Doc(
        vocab, words=sentence.words, spaces=spaces_for(sentence.words), ents=biluo_to_iob(iob_to_biluo(tags))
    )


def sentences_to_docs(vocab: Vocab, sentences: Iterable[Sentence], n_sents: int = 10) -> list[Doc]:
    """Docs of up to ``n_sents`` consecutive sentences of one article, in file order.

    Multi-sentence docs train the model on the cross-sentence context it sees on
    whole articles at run time.
    """
    docs: list[Doc] = []
    chunk: list[Sentence] = []
    for sentence in sentences:
        if chunk and (len(chunk) == n_sents or sentence.article != chunk[0].article):
            docs.append(Doc.from_docs([sentence_to_doc(vocab, s) for s in chunk]))
            chunk = []
        chunk.append(sentence)
    if chunk:
        docs.append(Doc.from_docs([sentence_to_doc(vocab, s) for s in chunk]))
    return docs


_MEANTIME_LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


def read_meantime(paths: Iterable[Path]) -> Iterator[Sentence]:
    """Sentences of MEANTIME/CLIN26 NE files (``n token (LABEL …``), one article per file.

    Brackets open and close entities; only the outermost annotation is kept, and
    PRO, FIN and MIX map to MISC so that the labels line up with CoNLL-2002.
    """
    for article, path in enumerate(sorted(paths)):
        words: list[str] = []
        tags: list[str] = []
        label: str | None = None
        for raw in path.read_text(encoding="utf-8").splitlines():
            parts = raw.split("\t")
            if len(parts) < 3:
                if words:
                    yield Sentence(words, tags, article)
                words, tags, label = [], [], None
                continue
            field = parts[2].split("|")[0]
            name = _MEANTIME_LABELS.get(field.strip("()"), "MISC")
            if field.startswith("("):
                tags.append(f"B-{name}")
                label = None if field.endswith(")") else name
            elif field != "_" and label is not None:
                tags.append(f"I-{label}")
                label = None if field.endswith(")") else label
            else:
                tags.append("O")
            words.append(parts[1])
        if words:
            yield Sentence(words, tags, article)
