"""The learned relation classifier: every pair of argument phrases in a sentence, read through the parse.

Arguments are the sentence's entity mentions (linked or not) and its noun phrases ("government
forces", "the coalition", pronouns), a phrase holding a mention standing for it ("ISKP fighters").
Each unordered pair, first and second in text order, gets one-hot features of the dependency path
between their heads (the edges, the words on it and their lexicon predicate, the prepositions, the
lowest common ancestor), the words between them, the kinds of both arguments and the hand rules'
verdict on the pair, and a multinomial logistic regression says which of ``CLASSES`` holds:
``member_of>`` means the first is a member of the second, ``member_of<`` the reverse.

Weights live in ``watchfloor/models/relations/model.json`` (see ``training/relations``); inference
gathers the features' weight rows for all of a document's pairs at once (numpy, no scikit-learn at run
time). The parse is read once per document into plain lists (``DocFacts``), so the pair loop never
creates spaCy objects. A model trained on another feature version is refused and the hand rules
alone are used.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy
from spacy.attrs import DEP, ENT_TYPE, HEAD, IS_PUNCT, LEMMA, LOWER, POS, TAG
from spacy.tokens import Doc, Span

from watchfloor.models import MentionRecord

FEATURE_VERSION = 1
CLASSES = ("none", "hostile_to", "allied_with", "member_of>", "member_of<", "leads>", "leads<")
MENTION_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
SKIP_ENT_TYPES = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
RELATIVE_PRONOUNS = frozenset({"WDT", "WP", "WP$"})
MAX_PATH = 9  # pairs further apart in the parse are not candidates


MentionSpan = tuple[int, int, int, MentionRecord]  # token start, token end, root token, the mention


@dataclass(frozen=True)
class Argument:
    """A phrase that can be one end of a relation: token range, head token, the mention it stands for."""

    start: int
    end: int
    head: int
    mention: MentionRecord | None
    kind: str  # gazetteer kind of the linked entity, else "ent:LABEL", "pron" or "np"

    def chars(self, doc: Doc) -> tuple[int, int]:
        last = doc[self.end - 1]
        return doc[self.start].idx, last.idx + len(last)


INNER_DEPS = frozenset({"relcl", "appos", "conj", "poss", "compound", "acl", "agent"})
CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})
_NAMES: dict[int, str] = {}  # string hash -> string (hashes are the strings' own, the same in every vocab)
_LOWER: dict[int, str] = {}  # lemma hash -> lower-cased lemma
NP_DEPS = frozenset({"oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos", "attr", "ROOT"})
NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})


class DocFacts:
    """The document's tokens as plain lists, read once (one ``Doc.to_array``): the model's inner loops
    never create spaCy ``Token`` or ``Span`` objects (that was most of its cost), and what a token
    contributes to a pair's features is worked out once per token."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        n = len(doc)
        cols = doc.to_array([HEAD, DEP, POS, TAG, LEMMA, LOWER, IS_PUNCT, ENT_TYPE]).reshape(n, 8)
        rel = cols[:, 0].astype(numpy.int64).tolist()  # relative offsets, stored unsigned
        dep, pos, tag, lemma, lower, punct, ent = cols[:, 1:].T.tolist()
        strings = doc.vocab.strings
        if len(_NAMES) > 500_000:
            _NAMES.clear()
            _LOWER.clear()

        def text(ids: list[int]) -> list[str]:
            for h in set(ids).difference(_NAMES):
                _NAMES[h] = strings[h] if h else ""
            return [_NAMES[h] for h in ids]

        self.head: list[int] = [i + r for i, r in enumerate(rel)]
        self.dep, self.pos, self.tag, self.lower, self.ent = text(dep), text(pos), text(tag), text(lower), text(ent)
        for h in set(lemma).difference(_LOWER):
            _LOWER[h] = (strings[h] if h else "").lower()
        self.lemma: list[str] = [_LOWER[h] for h in lemma]
        self.punct: list[bool] = [bool(p) for p in punct]
        self.children: list[list[int]] = [[] for _ in range(n)]
        self.left: list[int] = list(range(n))  # the leftmost token of each token's subtree
        seen = [False] * n
        for i, h in enumerate(self.head):
            if h != i:
                self.children[h].append(i)
            j = i
            while not seen[j]:  # tokens left of i are done: the first visit of j is from its leftmost
                seen[j] = True
                self.left[j] = i
                if self.head[j] == j:
                    break
                j = self.head[j]
        self.neg: list[bool] = [any(self.dep[c] == "neg" for c in kids) for kids in self.children]
        self._up: dict[int, list[int]] = {}
        self._hlex: dict[int, list[str]] = {}
        self._arg: dict[tuple[int, str, str], list[str]] = {}
        self._inner: dict[int, list[str]] = {}
        self._gap: dict[int, list[str]] = {}

    def noun_chunks(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """spaCy's English base noun phrases (``spacy.lang.en.syntax_iterators``) of tokens start..end,
        as (left edge, head + 1): the head is the chunk's last token."""
        pos, dep, head, left = self.pos, self.dep, self.head, self.left
        prev_end = -1
        for i in range(start, end):
            if pos[i] not in NOMINAL or left[i] <= prev_end:
                continue
            if dep[i] in NP_DEPS:
                prev_end = i
                yield left[i], i + 1
            elif dep[i] == "conj":
                h = head[i]
                while dep[h] == "conj" and head[h] < h:
                    h = head[h]
                if dep[h] in NP_DEPS:
                    prev_end = i
                    yield left[i], i + 1

    def up(self, i: int) -> list[int]:
        """The token and its ancestors, nearest first (cached)."""
        chain = self._up.get(i)
        if chain is None:
            head = self.head[i]
            chain = [i] if head == i else [i, *self.up(head)]
            self._up[i] = chain
        return chain

    def path(self, a: int, b: int) -> tuple[list[int], int, list[int]] | None:
        """Tokens from ``a`` up to the lowest common ancestor (exclusive), the ancestor, and from it down
        to ``b`` (exclusive of the ancestor); None when they share no ancestor (different sentences)."""
        up_a, up_b = self.up(a), self.up(b)
        if up_a[-1] != up_b[-1]:
            return None
        i, j = len(up_a) - 1, len(up_b) - 1  # walk down the shared part of both root chains
        while i and j and up_a[i - 1] == up_b[j - 1]:
            i -= 1
            j -= 1
        return up_a[:i], up_a[i], up_b[:j][::-1]

    def argument(self, arg: Argument, name: str) -> list[str]:
        """The features of one end of a pair: its kind, and its head word when it is not a mention."""
        key = (arg.head, arg.kind, name)
        found = self._arg.get(key)
        if found is None:
            found = [f"k{name}={arg.kind}"]
            if arg.kind in ("np", "pron"):
                found.append(f"h{name}={self.lemma[arg.head]}")
            self._arg[key] = found
        return found

    def head_lexicon(self, i: int, lexicon: dict[str, str]) -> list[str]:
        """``hlex`` features of a head: its compound and adjective modifiers' lexicon predicates."""
        found = self._hlex.get(i)
        if found is None:
            found = [
                f"hlex={lexicon[self.lemma[c]]}"
                for c in self.children[i]
                if self.dep[c] in ("compound", "amod") and self.lemma[c] in lexicon
            ]
            self._hlex[i] = found
        return found

    def inner(self, t: int, lexicon: dict[str, str]) -> list[str]:
        """Features of a token on the dependency path strictly between the two heads."""
        found = self._inner.get(t)
        if found is None:
            found = []
            p = self.pos[t]
            if p == "ADP":
                found.append(f"prep={self.lower[t]}")
            elif p in CONTENT_POS:
                word = self.lemma[t]
                found.append(f"pw={word}")
                if word in lexicon:
                    found.append(f"plex={lexicon[word]}")
            if self.dep[t] in INNER_DEPS:
                found.append(f"pdep={self.dep[t]}")
            if self.neg[t]:
                found.append("neg")
            self._inner[t] = found
        return found

    def between(self, t: int, lexicon: dict[str, str]) -> list[str]:
        """Features of a token between the two phrases (none for punctuation)."""
        found = self._gap.get(t)
        if found is None:
            found = []
            if not self.punct[t]:
                word = self.lemma[t]
                found.append(f"bw={word}")
                if word in lexicon:
                    found.append(f"bwlex={lexicon[word]}")
            self._gap[t] = found
        return found


def mention_spans(doc: Doc, mentions: list[MentionRecord]) -> list[MentionSpan]:
    out = []
    for m in mentions:
        if m.label not in MENTION_LABELS:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and len(span):
            out.append((span.start, span.end, span.root.i, m))
    return out


def arguments(
    sent: Span, spans: list[MentionSpan], kind_of: Callable[[str], str | None], facts: DocFacts
) -> list[Argument]:
    """The sentence's candidate arguments, in text order, never overlapping each other."""
    s_start, s_end = sent.start, sent.end
    in_sent = [x for x in spans if s_start <= x[0] and x[1] <= s_end]

    def kind(m: MentionRecord | None, head: int) -> str:
        if m is None:
            return "pron" if facts.pos[head] == "PRON" else "np"
        if m.entity_key:
            found = kind_of(m.entity_key)
            if found:
                return found
        return f"ent:{m.label}"

    out: list[Argument] = []
    covered: set[int] = set()
    for c_start, c_end in facts.noun_chunks(s_start, s_end):
        root = c_end - 1  # the chunk's head word (the iterator yields left edge .. head)
        if facts.tag[root] in RELATIVE_PRONOUNS or facts.ent[root] in SKIP_ENT_TYPES:
            continue
        inside = [x for x in in_sent if c_start <= x[0] and x[1] <= c_end]
        if in_sent:
            crossing = sum(1 for x in in_sent if x[0] < c_end and c_start < x[1])
            if crossing > len(inside):
                continue  # a mention straddles the chunk: the mention stands alone below
        mention = next((x[3] for x in inside if x[0] <= root < x[1]), None)
        if mention is None and inside:
            modifiers = {c for c in facts.children[root] if facts.dep[c] in ("compound", "poss", "amod", "nmod")}
            mention = next((x[3] for x in inside if x[2] in modifiers), None)
        if mention is None and inside:
            mention = inside[-1][3]
        out.append(Argument(c_start, c_end, root, mention, kind(mention, root)))
        covered.update(range(c_start, c_end))
    for start, end, head, m in in_sent:
        if not covered.intersection(range(start, end)):
            out.append(Argument(start, end, head, m, kind(m, head)))
            covered.update(range(start, end))
    return sorted(out, key=lambda a: a.start)


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n < 7 else "7+"


def pair_features(
    facts: DocFacts,
    a: Argument,
    b: Argument,
    lexicon: dict[str, str],
    rules: dict[tuple[int, int], str],
    n_between_args: int,
) -> list[str] | None:
    """One-hot features of the unordered pair (``a`` before ``b``); None when not a candidate."""
    ha, hb = a.head, b.head
    found = facts.path(ha, hb)
    if found is None:
        return None
    up, lca, down = found
    if len(up) + len(down) > MAX_PATH:
        return None
    dep, lemma, pos = facts.dep, facts.lemma, facts.pos
    feats = [
        *facts.argument(a, "a"),
        *facts.argument(b, "b"),
        f"kk={a.kind}|{b.kind}",
        f"nargs={_bucket(n_between_args)}",
    ]
    n_edges = len(up) + len(down)
    if n_edges <= 5:
        feats.append("path=" + "/".join([*(dep[t] + "^" for t in up), *(dep[t] + "v" for t in down)]))
    else:
        feats.append("path=long")
    feats.append(f"plen={_bucket(n_edges)}")
    da = dep[up[-1]] if up else "self"
    db = dep[down[0]] if down else "self"
    lca_lemma = lemma[lca]
    lca_role = "a" if lca == ha else "b" if lca == hb else "mid"
    feats += [f"da={da}", f"db={db}", f"dadb={da}|{db}", f"lcarole={lca_role}", f"lcapos={pos[lca]}"]
    if lca_role == "mid":
        feats += [f"lca={lca_lemma}", f"lcad={lca_lemma}|{da}|{db}"]
        if lca_lemma in lexicon:
            feats += [f"lcalex={lexicon[lca_lemma]}", f"lcalexd={lexicon[lca_lemma]}|{da}|{db}"]
    for t in up[1:]:
        feats += facts.inner(t, lexicon)
    if lca_role == "mid":
        feats += facts.inner(lca, lexicon)
    for t in down[:-1]:
        feats += facts.inner(t, lexicon)
    feats += facts.head_lexicon(ha, lexicon)  # the heads' own modifiers: "ISIL fighters", "coalition strikes"
    feats += facts.head_lexicon(hb, lexicon)
    gap = range(a.end, b.start)
    if len(gap) <= 8:
        feats.append(f"gap={len(gap)}")
        for t in gap:
            feats += facts.between(t, lexicon)
        if len(gap) == 0:
            feats.append("adjacent")
        elif all(facts.punct[t] or facts.lower[t] in ("and", "or") for t in gap):
            feats.append("listed")
    else:
        feats.append("gap=far")
    if rules:
        for first, second, tag in ((ha, hb, ">"), (hb, ha, "<")):
            rule = rules.get((first, second))
            if rule is not None:
                feats += [f"rule{tag}={rule}", "rule"]
    return feats


def candidate_pairs(args: list[Argument], linked_only: bool = False) -> Iterator[tuple[Argument, Argument, int]]:
    """Every unordered pair of arguments (text order) whose linked entities differ, with the number of
    arguments between them; with ``linked_only`` only pairs of two linked entities (what the store keeps)."""
    keys = [a.mention.entity_key if a.mention else None for a in args]
    for i, a in enumerate(args):
        ka = keys[i]
        if linked_only and not ka:
            continue
        for j in range(i + 1, len(args)):
            if (ka and ka == keys[j]) or (linked_only and not keys[j]):
                continue
            yield a, args[j], j - i - 1


@dataclass(frozen=True)
class RelationModel:
    classes: tuple[str, ...]
    weights: dict[str, dict[str, float]]  # feature -> class -> weight
    bias: tuple[float, ...]
    threshold: float
    column: dict[str, int] = field(init=False, repr=False, compare=False)  # feature -> row of ``matrix``
    matrix: numpy.ndarray = field(init=False, repr=False, compare=False)  # row 0 all zero, then one per feature

    def __post_init__(self) -> None:
        index = {c: k for k, c in enumerate(self.classes)}
        matrix = numpy.zeros((len(self.weights) + 1, len(self.classes)))
        column: dict[str, int] = {}
        for r, (f, row) in enumerate(self.weights.items(), start=1):
            column[f] = r
            for c, w in row.items():
                matrix[r, index[c]] = w
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "matrix", matrix)

    def probabilities_many(self, rows: list[list[str]]) -> numpy.ndarray:
        """Class probabilities of each feature list, in one matrix gather; a feature counts once however
        often it fires in a list (one-hot, as in training)."""
        column = self.column
        ids: list[int] = []
        starts: list[int] = []
        for feats in rows:
            starts.append(len(ids))
            ids.append(0)  # the zero row: no segment is empty
            ids.extend(dict.fromkeys(filter(None, map(column.get, feats))))  # feature rows start at 1
        logits = numpy.add.reduceat(self.matrix[ids], starts, axis=0) + numpy.asarray(self.bias)
        logits -= logits.max(axis=1, keepdims=True)
        exp = numpy.exp(logits)
        probs: numpy.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return probs

    def probabilities(self, features: list[str]) -> list[float]:
        return [float(p) for p in self.probabilities_many([features])[0]]

    def predict_many(self, rows: list[list[str]]) -> list[tuple[str, float]]:
        """For each feature list, the most probable class other than "none" with its probability when
        that reaches the threshold, else ("none", its probability)."""
        if not rows:
            return []
        probs = self.probabilities_many(rows)
        none = self.classes.index("none")
        masked = probs.copy()
        masked[:, none] = -1.0
        best = masked.argmax(axis=1).tolist()
        out = []
        for row, c in zip(probs.tolist(), best, strict=True):
            out.append((self.classes[c], row[c]) if row[c] >= self.threshold else ("none", row[none]))
        return out

    def predict(self, features: list[str]) -> tuple[str, float]:
        """The most probable class other than "none" when its probability reaches the threshold."""
        return self.predict_many([features])[0]


def model_from_spec(spec: dict[str, Any]) -> RelationModel | None:
    """The model a parsed ``model.json`` describes; None when its feature version is not the code's."""
    if spec.get("feature_version") != FEATURE_VERSION or tuple(spec.get("classes", ())) != CLASSES:
        return None
    weights = {str(f): {str(c): float(w) for c, w in row.items()} for f, row in spec["weights"].items()}
    return RelationModel(CLASSES, weights, tuple(float(b) for b in spec["bias"]), float(spec["threshold"]))


@cache
def load_relation_model() -> RelationModel | None:
    """The shipped model, or None when it is absent or was trained on another feature version."""
    path = resources.files("watchfloor") / "models/relations/model.json"
    if not path.is_file():
        return None
    return model_from_spec(json.loads(path.read_text("utf-8")))
