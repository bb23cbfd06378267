"""Build the spaCy pipeline once: the configured NER model plus a sentence splitter.

The model is one setting: a Python argument, the CLI's ``--model`` or the
``DUTCH_NEWS_MODEL`` environment variable, each taking an installed package name
(``nl_core_news_sm``) or a path to a spaCy pipeline folder. The default is the
model shipped inside this package (``pipeline/models/nl_news_ner``).
"""

from __future__ import annotations

import logging
import os
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import entity_consistency, ner_features  # noqa: F401  (register the project's spaCy factories)
from .records import Entity

logger = logging.getLogger(__name__)

MODEL_ENV = "DUTCH_NEWS_MODEL"
SHIPPED_MODEL = "nl_news_ner"

# Both label schemes (CoNLL's PER/ORG/LOC/MISC and OntoNotes' PERSON/ORG/GPE/…)
# map onto the four coarse labels every table uses.
_LABELS = {
    "PER": "person",
    "PERSON": "person",
    "ORG": "organisation",
    "LOC": "location",
    "GPE": "location",
    "FAC": "location",
}
COARSE_LABELS = ("person", "organisation", "location", "misc")


class ModelNotFoundError(RuntimeError):
    """The requested spaCy model is neither an installed package nor a folder."""


def coarse_label(label: str) -> str:
    """Map a model's entity label to person|organisation|location|misc."""
    return _LABELS.get(label.upper(), "misc")


def shipped_model_path() -> Path:
    """The folder of the NER model that ships inside the package."""
    return Path(str(resources.files("pipeline") / "models" / SHIPPED_MODEL))


def resolve_model(model: str | Path | None = None) -> str | Path:
    """The model to load: the argument, else $DUTCH_NEWS_MODEL, else the shipped model."""
    chosen = model or os.environ.get(MODEL_ENV) or None
    if chosen is None or str(chosen) == SHIPPED_MODEL:
        path = shipped_model_path()
        if not (path / "config.cfg").exists():
            raise ModelNotFoundError(
                f"The shipped model is missing at {path}. Rebuild it with `make model`, "
                f"or point --model / ${MODEL_ENV} at another spaCy pipeline."
            )
        return path
    path = Path(chosen)
    if path.exists():
        if not (path / "config.cfg").exists():
            raise ModelNotFoundError(f"{path} is not a spaCy pipeline folder (no config.cfg in it).")
        return path
    if find_spec(str(chosen)) is None:
        raise ModelNotFoundError(
            f"spaCy model {chosen!r} is not installed and is not a folder. Install it with "
            f"`python -m spacy download {chosen}` (or `pip install` its wheel), or pass a path "
            f"to a spaCy pipeline folder."
        )
    return str(chosen)


def load_nlp(model: str | Path | None = None) -> Language:
    """Load the configured model and make sure documents get sentence boundaries."""
    source = resolve_model(model)
    logger.info("loading spaCy model %s", source)
    # The shipped model's tokenizer is spaCy's Dutch default (a test checks this), which
    # spacy.load builds from the config before it reads the saved one: reading it again
    # would build its ~9,000 special cases a second time, half of the model's load time.
    nlp = spacy.load(source, exclude=["tokenizer"] if source == shipped_model_path() else [])
    if "senter" in nlp.component_names and "parser" in nlp.pipe_names:
        # The extractors need sentences, not trees: the statistical senter is much faster.
        nlp.disable_pipe("parser")
        nlp.enable_pipe("senter")
    if not ({"parser", "senter", "sentencizer"} & set(nlp.pipe_names)):
        nlp.add_pipe("sentencizer", first=True)
    if "ner" in nlp.pipe_names and "doc_entity_consistency" not in nlp.pipe_names:
        nlp.add_pipe("doc_entity_consistency", after="ner")
    return nlp


_TEXT_KEY = "dutch_news.text"
_ENTS_KEY = "dutch_news.ents"


def doc_text(doc: Doc) -> str:
    """``doc.text``; read from :func:`freeze_doc`'s record when there is one.

    spaCy joins all the tokens again on every access to ``doc.text``, and builds
    new spans on every access to ``doc.ents``: the extractors read both often.
    """
    text = doc.user_data.get(_TEXT_KEY)
    return doc.text if text is None else text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``; read from :func:`freeze_doc`'s record when there is one."""
    ents = doc.user_data.get(_ENTS_KEY)
    return tuple(doc.ents) if ents is None else ents


def freeze_doc(doc: Doc, text: str) -> Doc:
    """Record the text a finished Doc was made from and its entities, for the extractors.

    Call it once the pipeline has run: later changes to ``doc.ents`` are not seen.
    Undo it with :func:`thaw_doc` when the extractors are done.
    """
    end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if end != len(text):
        raise ValueError(f"the Doc was not made from this text ({end} vs {len(text)} characters)")
    doc.user_data[_TEXT_KEY] = text
    doc.user_data[_ENTS_KEY] = tuple(doc.ents)
    return doc


def thaw_doc(doc: Doc) -> Doc:
    """Drop :func:`freeze_doc`'s record. The recorded spans point back at the Doc, and
    such a cycle would keep every analysed Doc in memory until a full garbage collection."""
    doc.user_data.pop(_TEXT_KEY, None)
    doc.user_data.pop(_ENTS_KEY, None)
    return doc


def entities(doc: Doc) -> list[Entity]:
    """The doc's NER spans as coarse-labelled records."""
    text = doc_text(doc)  # a slice of the text is span.text, without joining the tokens again
    return [
        Entity(start, end, text[start:end], coarse_label(label))
        for start, end, label in [(ent.start_char, ent.end_char, ent.label_) for ent in doc_ents(doc)]
    ]
