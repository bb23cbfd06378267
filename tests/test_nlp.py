"""Model loading, the label mapping and the shipped NER model."""

from __future__ import annotations

import json

import pytest
import spacy

from pipeline.extract import extract
from pipeline.nlp import (
    MODEL_ENV,
    ModelNotFoundError,
    coarse_label,
    doc_ents,
    doc_text,
    freeze_doc,
    load_nlp,
    resolve_model,
    shipped_model_path,
)
from tests.conftest import require_shared

TEXT = "Bondscoach Roberto Martínez zag hoe België in Brussel won. Martínez was tevreden, zei de KBVB."


@pytest.mark.parametrize(
    ("label", "coarse"),
    [
        ("PER", "person"),
        ("PERSON", "person"),
        ("ORG", "organisation"),
        ("LOC", "location"),
        ("GPE", "location"),
        ("FAC", "location"),
        ("MISC", "misc"),
        ("NORP", "misc"),
        ("EVENT", "misc"),
        ("PRODUCT", "misc"),
    ],
)
def test_both_label_schemes_map_to_the_same_coarse_labels(label, coarse):
    assert coarse_label(label) == coarse


def ruler_pipeline(tmp_path, labels: dict[str, str]):
    """A tiny spaCy pipeline (entity ruler only) that uses the given label names, saved to disk."""
    nlp = spacy.blank("nl")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": labels["person"], "pattern": "Roberto Martínez"},
            {"label": labels["person"], "pattern": "Martínez"},
            {"label": labels["location"], "pattern": "Brussel"},
            {"label": labels["organisation"], "pattern": "KBVB"},
        ]
    )
    path = tmp_path / labels["person"]
    nlp.to_disk(path)
    return path


def test_ontonotes_label_pipeline_gives_the_same_tables_as_conll_labels(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    conll = ruler_pipeline(tmp_path, {"person": "PER", "location": "LOC", "organisation": "ORG"})
    onto = ruler_pipeline(tmp_path, {"person": "PERSON", "location": "GPE", "organisation": "ORG"})
    a = extract(tmp_path / "a.txt", model=conll)
    b = extract(tmp_path / "a.txt", model=onto)
    for name in ("mentions", "persons", "clubs", "quotes"):
        assert a[name].equals(b[name]), name
    assert a["persons"]["name"].tolist() == ["Roberto Martínez"]
    assert {"location", "organisation"} <= set(a["mentions"]["label"])


def test_model_setting_from_environment(tmp_path, monkeypatch):
    path = ruler_pipeline(tmp_path, {"person": "PERSON", "location": "GPE", "organisation": "ORG"})
    monkeypatch.setenv(MODEL_ENV, str(path))
    assert resolve_model() == path


def test_missing_model_fails_at_once_with_install_hint():
    with pytest.raises(ModelNotFoundError, match="python -m spacy download nl_core_news_notinstalled"):
        load_nlp("nl_core_news_notinstalled")


def test_folder_that_is_not_a_pipeline_is_rejected(tmp_path):
    with pytest.raises(ModelNotFoundError, match=r"no config\.cfg"):
        resolve_model(tmp_path)


def test_shipped_model_is_small_documented_and_loads(nlp):
    path = shipped_model_path()
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    assert size <= 25 * 1024 * 1024
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    assert "research" in meta["license"] and set(meta["labels"]["ner"]) == {"PER", "ORG", "LOC", "MISC"}
    assert meta["spacy_version"].startswith(">=3.8")
    assert "sentencizer" in nlp.pipe_names and "doc_entity_consistency" in nlp.pipe_names
    doc = nlp("Voor Carlo Ancelotti is Real Madrid zijn laatste club.")
    assert ("Carlo Ancelotti", "PER") in {(e.text, e.label_) for e in doc.ents}


def test_shipped_model_tokenizer_is_the_dutch_default_that_load_nlp_keeps(nlp):
    # load_nlp skips reading the saved tokenizer of the shipped model: it must be the default
    saved = spacy.load(shipped_model_path()).tokenizer.to_bytes(exclude=["vocab"])
    assert saved == spacy.blank("nl").tokenizer.to_bytes(exclude=["vocab"])
    assert nlp.tokenizer.to_bytes(exclude=["vocab"]) == saved


@pytest.mark.slow
def test_shipped_model_scores_on_conll_dev(nlp):
    from pipeline.conll import read_conll
    from pipeline.evaluate_ner import score_conll

    dev = require_shared("data", "conll2002", "ned.testa")
    overall = score_conll(nlp, read_conll(dev))[-1]
    assert overall.label == "ALL" and overall.f1 >= 0.74


def test_frozen_doc_reads_text_and_entities_once():
    nlp = spacy.blank("nl")
    text = "Erik ten Hag  sprak.\n"
    doc = nlp(text)
    doc.ents = [spacy.tokens.Span(doc, 0, 3, label="PER")]
    assert doc_text(doc) == text and [e.text for e in doc_ents(doc)] == ["Erik ten Hag"]
    freeze_doc(doc, text)
    doc.ents = []  # after freezing, the extractors keep reading what the pipeline made
    assert [e.text for e in doc_ents(doc)] == ["Erik ten Hag"]
    assert doc_text(doc) is text


def test_freeze_doc_rejects_another_text():
    doc = spacy.blank("nl")("Ajax won.")
    with pytest.raises(ValueError, match="not made from this text"):
        freeze_doc(doc, "Ajax won met 2-1.")
