"""Document-level NER label consistency."""

from __future__ import annotations

import spacy
from spacy.tokens import Span


def run(words: list[str], ents: list[tuple[int, int, str]], **config):
    nlp = spacy.blank("nl")
    component = nlp.add_pipe("doc_entity_consistency", config=config)
    doc = spacy.tokens.Doc(nlp.vocab, words=words)
    doc.ents = [Span(doc, s, e, label=lb) for s, e, lb in ents]
    return [(e.text, e.label_) for e in component(doc).ents]


def test_majority_label_wins_for_a_repeated_name():
    words = ["Ajax", "won", ".", "Ajax", "speelde", ".", "Ajax", "verloor", "."]
    assert run(words, [(0, 1, "ORG"), (3, 4, "PER"), (6, 7, "ORG")], propagate=False) == [
        ("Ajax", "ORG"),
        ("Ajax", "ORG"),
        ("Ajax", "ORG"),
    ]


def test_untagged_repeat_and_surname_of_a_full_name_are_tagged():
    words = ["Carlo", "Ancelotti", "won", ".", "Ancelotti", "lachte", ".", "Ajax", "en", "Ajax"]
    assert run(words, [(0, 2, "PER"), (7, 8, "ORG")]) == [
        ("Carlo Ancelotti", "PER"),
        ("Ancelotti", "PER"),
        ("Ajax", "ORG"),
        ("Ajax", "ORG"),
    ]


def test_lowercase_words_are_not_propagated():
    words = ["de", "Morgen", "schreef", "dat", "de", "krant"]
    assert run(words, [(0, 2, "ORG")]) == [("de Morgen", "ORG")]
