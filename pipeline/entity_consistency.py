"""Document-level label consistency for NER, as a spaCy component.

A name keeps one label within an article: the CNN tagger sees only a few tokens
around each mention, so "Ajax" can come out ORG in one sentence and PER in the
next. This component (1) relabels each repeated surface form to its majority
label and (2) tags later unlabelled occurrences of a form that the model did tag
elsewhere in the article, including the last name of a tagged full name.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans


@Language.factory(
    "doc_entity_consistency",
    default_config={"min_length": 2, "propagate": True, "surnames": True},
)
def make_doc_entity_consistency(
    nlp: Language, name: str, *, min_length: int, propagate: bool, surnames: bool
) -> DocEntityConsistency:
    """Create the component (see module docstring)."""
    return DocEntityConsistency(min_length=min_length, propagate=propagate, surnames=surnames)


class DocEntityConsistency:
    """Make entity labels consistent within a Doc."""

    def __init__(self, *, min_length: int = 2, propagate: bool = True, surnames: bool = True) -> None:
        self.min_length = min_length
        self.propagate = propagate
        self.surnames = surnames

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for ent in doc.ents:
            votes[ent.text][ent.label_] += 1
        majority = {form: counts.most_common(1)[0][0] for form, counts in votes.items()}
        ents = [Span(doc, e.start, e.end, label=majority[e.text]) for e in doc.ents]
        if self.propagate:
            forms = self._propagation_forms(doc, majority)
            ents.extend(self._find_untagged(doc, forms))
        doc.ents = filter_spans(ents)
        return doc

    def _propagation_forms(self, doc: Doc, majority: dict[str, str]) -> dict[tuple[str, ...], str]:
        forms = {}
        for ent in doc.ents:
            tokens = tuple(t.text for t in ent)
            if all(t[:1].isupper() for t in tokens if t.isalpha()) and len(ent.text) >= self.min_length:
                forms[tokens] = majority[ent.text]
            if self.surnames and ent.label_ in {"PER", "PERSON"} and len(ent) >= 2 and ent[-1].is_title:
                forms.setdefault((ent[-1].text,), ent.label_)
        return forms

    def _find_untagged(self, doc: Doc, forms: dict[tuple[str, ...], str]) -> list[Span]:
        tagged = {i for e in doc.ents for i in range(e.start, e.end)}
        by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for tokens in forms:
            by_first[tokens[0]].append(tokens)
        found = []
        for i, token in enumerate(doc):
            if i in tagged or token.text not in by_first:
                continue
            for tokens in sorted(by_first[token.text], key=len, reverse=True):
                end = i + len(tokens)
                if end <= len(doc) and tuple(t.text for t in doc[i:end]) == tokens:
                    if not any(j in tagged for j in range(i, end)):
                        found.append(Span(doc, i, end, label=forms[tokens]))
                    break
        return found
