"""Readers for the NER evaluation formats."""

from __future__ import annotations

from pipeline.conll import read_conll, read_meantime, sentences_to_docs


def test_conll_articles_sentences_and_tags(tmp_path):
    path = tmp_path / "x.conll"
    path.write_text(
        "-DOCSTART- -DOCSTART- O\nJan N B-PER\nPeeters N I-PER\nwint V O\n\nIn Prep O\nGent N B-LOC\n"
        "-DOCSTART- -DOCSTART- O\nAjax N B-ORG\n",
        encoding="utf-8",
    )
    sentences = list(read_conll(path))
    assert [(s.words, s.article) for s in sentences] == [
        (["Jan", "Peeters", "wint"], 1),
        (["In", "Gent"], 1),
        (["Ajax"], 2),
    ]
    import spacy

    docs = sentences_to_docs(spacy.blank("nl").vocab, sentences)
    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == [
        [("Jan Peeters", "PER"), ("Gent", "LOC")],
        [("Ajax", "ORG")],
    ]


def test_meantime_brackets_become_iob_with_misc_for_products(tmp_path):
    path = tmp_path / "a.xml.ne"
    path.write_text(
        "1\tApple\t(ORG)\t_\n2\tintroduceert\t_\t_\n3\tiPhone\t(PRO\t_\n4\tSDK\tPRO)\t_\n\n"
        "5\tin\t_\t_\n6\tSan\t(LOC|(LOC\t_\n7\tFrancisco\tLOC)\t_\n",
        encoding="utf-8",
    )
    first, second = read_meantime([path])
    assert first.tags == ["B-ORG", "O", "B-MISC", "I-MISC"]
    assert second.tags == ["O", "B-LOC", "I-LOC"]
