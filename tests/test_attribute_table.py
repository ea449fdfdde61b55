"""The attribute ruler as table look-ups gives exactly the annotations of spaCy's own ruler."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from watchfloor.nlp.attributes import TableAttributeRuler, UnsupportedPattern, use_table_attribute_ruler
from watchfloor.nlp.pipeline import load_base_model
from watchfloor.workspace import demo_corpus_path

# Words the ruler's exceptions and two-token rules are about, beside ordinary prose.
EXCEPTIONS = (
    "I ain't going, and they gonna say we can't. He's got 'em. You'd better not, y'all.\n\n"
    "She wanna go  there;   it's 5 o'clock. Who's there? Ain't it so? We're gon na see.\t \n"
)


def _annotations(doc: Doc) -> list[tuple[str, str, str, str, str, str]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def _texts() -> list[str]:
    return [EXCEPTIONS] + [p.read_text("utf-8") for p in sorted(demo_corpus_path().glob("*.txt"))]


@pytest.mark.parametrize("model", ["md", "sm"])
def test_same_annotations_as_spacys_ruler(model: str) -> None:
    stock = load_base_model(model)
    table = load_base_model(model)
    assert use_table_attribute_ruler(table)
    assert isinstance(table.get_pipe("attribute_ruler"), TableAttributeRuler)
    assert table.pipe_names == stock.pipe_names
    texts = _texts()
    tokens = 0
    for ours, theirs in zip(table.pipe(texts), stock.pipe(texts), strict=True):
        assert _annotations(ours) == _annotations(theirs)
        tokens += len(ours)
    assert tokens > 10_000


def _ruler(patterns: list[dict[str, object]]) -> tuple[Language, AttributeRuler]:
    nlp = load_base_model("sm")
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.clear()
    ruler.add_patterns(patterns)  # type: ignore[arg-type]
    return nlp, ruler


def test_later_rules_win_and_two_token_rules_set_their_index() -> None:
    nlp, ruler = _ruler(
        [
            {"patterns": [[{"LOWER": "bank"}]], "attrs": {"LEMMA": "first"}},
            {"patterns": [[{"LOWER": {"IN": ["bank", "river"]}}]], "attrs": {"LEMMA": "second"}},
            {"patterns": [[{"LOWER": "the"}, {"LOWER": "river"}]], "attrs": {"LEMMA": "rule3"}, "index": 1},
            {"patterns": [[{"LOWER": {"REGEX": "^b"}}, {"LOWER": "of"}]], "attrs": {"POS": "X"}, "index": -2},
        ]
    )
    text = "The bank of the river"
    table = TableAttributeRuler(ruler)
    ours = _annotations(table(nlp.make_doc(text)))
    theirs = _annotations(ruler(nlp.make_doc(text)))
    assert ours == theirs
    lemmas = {t[0]: t[4] for t in ours}
    assert lemmas["bank"] == "second" and lemmas["river"] == "rule3"
    assert [t[2] for t in ours][1] == "X"


def test_a_pattern_it_cannot_read_leaves_the_ruler() -> None:
    nlp, ruler = _ruler([{"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"LEMMA": "x"}}])
    with pytest.raises(UnsupportedPattern):
        TableAttributeRuler(ruler)
    assert not use_table_attribute_ruler(nlp)
    assert nlp.get_pipe("attribute_ruler") is ruler


def test_rules_that_name_no_word_mix_with_rules_that_do_in_the_ruler_order() -> None:
    # A table remembers the tag-only rules per tag and looks word rules up by word: a word seen under one
    # tag and then another, and a later tag rule overriding an earlier word rule, must come out as spaCy's.
    nlp, ruler = _ruler(
        [
            {"patterns": [[{"LOWER": "bank"}]], "attrs": {"LEMMA": "by-word"}},
            {"patterns": [[{"TAG": "NN"}]], "attrs": {"LEMMA": "by-tag"}},
            {"patterns": [[{"TAG": "VB", "LOWER": {"NOT_IN": ["run"]}}]], "attrs": {"LEMMA": "verb-not-run"}},
            {"patterns": [[{"LOWER": "run", "TAG": "VB"}]], "attrs": {"POS": "VERB"}},
        ]
    )
    table = TableAttributeRuler(ruler)
    words = ["bank", "run", "bank", "run", "walk"]
    docs = [("NN", "VB", "VB", "NN", "VB"), ("VB", "NN", "NN", "VB", "NN")]
    for tags in docs:
        ours = _annotations(table(Doc(nlp.vocab, words=words, tags=list(tags))))
        theirs = _annotations(ruler(Doc(nlp.vocab, words=words, tags=list(tags))))
        assert ours == theirs
    first = _annotations(table(Doc(nlp.vocab, words=words, tags=list(docs[0]))))
    assert [t[4] for t in first] == ["by-tag", "", "verb-not-run", "by-tag", "verb-not-run"]
    assert first[1][2] == "VERB"
