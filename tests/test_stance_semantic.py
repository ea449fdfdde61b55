"""Stance by meaning: MiniLM embeddings (int8 ONNX) + direction. Sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import run_cli
from watchfloor.eval.stance import LABELS, evaluate, load_pairs
from watchfloor.extract.forecast import direction
from watchfloor.extract.stance import StanceIndex, StanceInput, semantic_stance, stance_links
from watchfloor.nlp.embed import available, encoder, from_blob, to_blob, wordpiece_ids

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval"
SUBJECT = frozenset({"iskp"})


def _claims(*texts: str, about: frozenset[str] = SUBJECT, vectors: bool = True) -> list[StanceInput]:
    found = encoder().encode(list(texts))
    return [
        StanceInput(i + 1, f"speaker {i}", about, t, False, "forecast", found[i] if vectors else None, direction(t))
        for i, t in enumerate(texts)
    ]


def test_the_model_is_installed_and_the_tokenizer_matches_bert_uncased() -> None:
    assert available()
    # [CLS] hello , world ! [SEP] in the bert-base-uncased vocabulary; accents are stripped, unknown words split
    assert wordpiece_ids("Hello, world!") == [101, 7592, 1010, 2088, 999, 102]
    assert wordpiece_ids("Café") == wordpiece_ids("cafe")
    vectors = encoder().encode(["one sentence", "another one"])
    assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert np.allclose(from_blob(to_blob(vectors[0])), vectors[0], atol=1e-3) and len(to_blob(vectors[0])) == 768


def test_paraphrases_agree() -> None:
    a, b = _claims(
        "ISKP will very likely attack Kabul within the year.",
        "An assault on Kabul by ISKP is highly probable in the coming twelve months.",
    )
    assert semantic_stance(a, b) == "agree"


def test_negation_contradicts() -> None:
    a, b = _claims("ISKP will very likely attack Kabul within the year.", "ISKP will not attack Kabul within the year.")
    assert semantic_stance(a, b) == "contradict"


def test_a_likelihood_reversal_contradicts() -> None:
    a, b = _claims(
        "ISKP will very likely attack Kabul within the year.", "An ISKP attack on Kabul within the year is unlikely."
    )
    assert semantic_stance(a, b) == "contradict"


def test_small_likelihood_of_cooperation_contradicts_a_forecast_of_cooperation() -> None:
    a, b = _claims(
        "The likelihood that the Taliban and al-Qaeda cooperate against the United States is small.",
        "The Taliban and al-Qaeda will work together against the United States.",
    )
    assert semantic_stance(a, b) == "contradict"


def test_a_different_statement_about_the_same_actor_is_unrelated() -> None:
    a, b = _claims(
        "ISKP will very likely attack Kabul within the year.", "ISKP's founder studied engineering in Peshawar."
    )
    assert semantic_stance(a, b) is None


def test_only_claims_about_a_common_subject_are_compared() -> None:
    a, b = _claims("ISKP will very likely attack Kabul within the year.", "ISKP will not attack Kabul within the year.")
    other = StanceInput(b.id, b.speaker, frozenset({"somebody else"}), b.text, b.negative, b.kind, b.vector, b.sign)
    assert stance_links([a, other]) == {1: ([], []), 2: ([], [])}
    assert stance_links([a, b]) == {1: ([], [2]), 2: ([], [1])}


def test_the_index_gives_what_pairwise_links_give_with_and_without_embeddings() -> None:
    texts = [
        "ISKP will very likely attack Kabul within the year.",
        "An assault on Kabul by ISKP is highly probable in the coming twelve months.",
        "ISKP will not attack Kabul within the year.",
        "ISKP's founder studied engineering in Peshawar.",
        "ISKP will attack Kabul within the year, officials warned.",
    ]
    with_vectors = _claims(*texts)
    old_rows = _claims(*texts, vectors=False)  # stored before embeddings existed: the lexical rule
    pool = [*with_vectors[:3], *old_rows[3:]]
    pool = [
        StanceInput(i + 1, c.speaker, c.about, c.text, c.sign < 0, c.kind, c.vector, c.direction)
        for i, c in enumerate(pool)
    ]
    expected = stance_links(pool)
    index = StanceIndex(pool)
    assert {c.id: index.links(c.id) for c in pool} == expected
    assert 2 in expected[1][0] and 3 in expected[1][1]  # paraphrase agrees, negation contradicts
    same_speaker = [
        StanceInput(c.id, "one speaker", c.about, c.text, c.negative, c.kind, c.vector, c.direction)
        for c in with_vectors
    ]
    assert all(v == ([], []) for v in stance_links(same_speaker).values())


def test_the_pair_set_holds_offsets_and_labels_only_with_a_held_out_third() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 100 and {p.label for p in pairs} == set(LABELS)
    assert all(p.start_a < p.end_a and p.start_b < p.end_b and len(p.hash_a) == 10 for p in pairs)
    held_out = sum(1 for p in pairs if p.part == "heldout") / len(pairs)
    assert 0.25 < held_out < 0.4
    raw = (REPO / "watchfloor" / "data" / "eval" / "stance_pairs.jsonl").read_text("utf-8")
    assert '"text"' not in raw  # never the claims' words


def test_eval_stance_without_the_corpus_says_what_to_pass(tmp_path: Path) -> None:
    result = run_cli("eval", "stance", "--data", str(tmp_path))
    assert result.returncode != 0 and "pass --data" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/eval is not here")
def test_eval_stance_beats_the_lexical_baseline_on_held_out_pairs() -> None:
    result = evaluate(SHARED).as_dict()
    assert not result["drifted"]
    ours, base = result["heldout"]["semantic"], result["heldout"]["lexical"]
    assert ours["accuracy"] > base["accuracy"] and ours["agree"]["f1"] > base["agree"]["f1"]
