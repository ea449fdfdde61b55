"""Attributions learned from real news (PolNeAR): which words are a reporting cue, who is its
source and what is its content. Text in (a parsed spaCy Doc), records out.

Three sparse linear models read the dependency parse: a cue classifier over content words, then,
for each cue, a softmax ranker over the parse's source candidates (its subject, the agent of a passive,
the object of "according to", the noun a relative clause hangs on, …) and one over its content
candidates (its clausal complement, its object, the clause it interrupts, the adjacent quote, …).
Weights live in ``watchfloor/models/attribution/model.json`` (see ``training/attribution``); a
model trained on another feature version is refused and the caller keeps its rules.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span, Token

from watchfloor.extract.datelines import dateline_spans
from watchfloor.extract.docindex import doc_text, tables_of

FEATURE_VERSION = 3
CUE_POS = frozenset({"VERB", "AUX", "NOUN", "ADJ"})
QUOTE_CHARS = frozenset('"“”')
PRONOUN_SOURCES = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that"})
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "attr", "oprd", "advcl", "acomp", "acl", "relcl", "dative"})
CONTENT_PREPS = frozenset({"about", "on", "of", "for", "that", "to", "against", "with", "over", "as", "in"})
SOURCE_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


@dataclass(frozen=True)
class Candidate:
    """A token range (start inclusive, end exclusive) proposed as a source or content, with why."""

    kind: str
    start: int
    end: int
    head: int  # the token that names it (the noun a source is resolved from)


@dataclass(frozen=True)
class Attribution:
    """One attribution: cue token, source tokens, content tokens, and the model's confidence."""

    cue: int
    source: Candidate
    content: Candidate
    cue_probability: float
    confidence: float  # cue probability x best-source share x best-content share


@dataclass(frozen=True)
class SparseLinear:
    weights: dict[str, float]
    bias: float

    def logit(self, features: list[str]) -> float:
        """Bias plus the weights of the features present (unknown features weigh nothing)."""
        get = self.weights.get
        return self.bias + sum([get(f, 0.0) for f in features])


@dataclass(frozen=True)
class AttributionModel:
    cue: SparseLinear
    source: SparseLinear
    content: SparseLinear
    cue_threshold: float
    cue_lemmas: frozenset[str]  # lemmas whose own weight favours a cue

    def may_cue_word(self, pos: str, lower: str, lemma: str) -> bool:
        """Whether a token (its POS, lower-case form and lower-cased lemma) may be a cue. Verbs always;
        nouns, adjectives and auxiliaries only with a lemma that favours a cue. They are 60 % of the
        candidates but 4 % of gold cues (PolNeAR train), nearly all with such a lemma."""
        return pos == "VERB" or lower == "according" or lemma in self.cue_lemmas


def _sparse(spec: dict[str, object]) -> SparseLinear:
    weights = spec["weights"]
    assert isinstance(weights, dict)
    return SparseLinear({str(k): float(v) for k, v in weights.items()}, float(str(spec["bias"])))


@cache
def load_attribution_model() -> AttributionModel | None:
    """The shipped model, or None when it is absent or was trained on another feature version."""
    path = resources.files("watchfloor") / "models/attribution/model.json"
    if not path.is_file():
        return None
    return model_from_spec(json.loads(path.read_text("utf-8")))


def model_from_spec(spec: dict[str, Any]) -> AttributionModel | None:
    """The model a parsed ``model.json`` describes; None when its feature version is not the code's."""
    if spec.get("feature_version") != FEATURE_VERSION:
        return None
    cue = _sparse(spec["cue"])
    lemmas = frozenset(k[2:] for k, w in cue.weights.items() if k.startswith("l=") and w > 0)
    return AttributionModel(
        cue, _sparse(spec["source"]), _sparse(spec["content"]), float(spec["cue_threshold"]), lemmas
    )


# -- shared token facts ----------------------------------------------------------------------------
@dataclass
class DocFacts:
    """Per-document facts computed once: which tokens sit inside quotes, entity labels by token."""

    doc: Doc
    in_quote: list[bool]
    ent_label: list[str]
    quotes: list[tuple[int, int]]  # token ranges inside quotation marks
    sent_of: list[tuple[int, int]]  # each token's sentence as a token range
    sent_quoted: dict[int, bool]  # sentence start -> whether any of its tokens is quoted
    ents_in: dict[int, list[tuple[int, int, str, int]]]  # sentence start -> (start, end, label, root)
    quote_mark: list[bool]
    dateline: list[bool] = field(default_factory=list)  # tokens of a paragraph's dateline ("KABUL, May 3 --")
    words: list[str] = field(default_factory=list)  # every token's text


def doc_facts(doc: Doc) -> DocFacts:
    """Quote membership and entity labels for every token (one pass over the document)."""
    strings = doc.vocab.strings
    texts = [strings[h] for h in doc.to_array(ORTH).tolist()] if len(doc) else []  # no Token objects
    in_quote = [False] * len(doc)
    quote_mark = [t in QUOTE_CHARS for t in texts]
    quotes: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, text in enumerate(texts):
        if quote_mark[i] or text in ("``", "''"):
            opening = text in ("“", "``") or (text == '"' and open_at is None)
            if opening and open_at is None:
                open_at = i + 1
            elif open_at is not None:
                if i > open_at:
                    quotes.append((open_at, i))
                open_at = None
        elif open_at is not None:
            if "\n\n" in text and doc[i].is_space:  # a paragraph break ends an unclosed quote
                open_at = None
            else:
                in_quote[i] = True
    ent_label = [""] * len(doc)
    sent_of: list[tuple[int, int]] = [(0, len(doc))] * len(doc)
    sent_quoted: dict[int, bool] = {}
    ents_in: dict[int, list[tuple[int, int, str, int]]] = {}
    tables = tables_of(doc)
    for sent in tables.sents:
        bounds = (sent.start, sent.end)
        sent_of[sent.start : sent.end] = [bounds] * (sent.end - sent.start)
        sent_quoted[sent.start] = any(in_quote[sent.start : sent.end])
        ents_in[sent.start] = []
    for ent in tables.ents:
        for i in range(ent.start, ent.end):
            ent_label[i] = ent.label_
        ents_in.setdefault(sent_of[ent.start][0], []).append((ent.start, ent.end, ent.label_, ent.root.i))
    dateline = _dateline_tokens(doc, ent_label)
    return DocFacts(doc, in_quote, ent_label, quotes, sent_of, sent_quoted, ents_in, quote_mark, dateline, texts)


def _dateline_tokens(doc: Doc, ent_label: list[str]) -> list[bool]:
    """Which tokens belong to a dateline; a name the NER calls a person or group is not a place."""
    flags = [False] * len(doc)
    for start, end in dateline_spans(doc_text(doc)):
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None or any(ent_label[i] in ("PERSON", "ORG", "NORP") for i in range(span.start, span.end)):
            continue
        flags[span.start : span.end] = [True] * len(span)
    return flags


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2" if n <= 3 else "4" if n <= 7 else "8" if n <= 15 else "16"


def cue_candidates(doc: Doc) -> Iterator[Token]:
    """Tokens that could head a cue: content words, and "according"."""
    for i in cue_candidate_indices(doc):
        yield doc[i]


def cue_candidate_indices(doc: Doc) -> list[int]:
    """The positions of :func:`cue_candidates`, read from the token columns (no ``Token`` made)."""
    cols = tables_of(doc).columns
    pairs = enumerate(zip(cols.pos, cols.lower, strict=True))
    return [i for i, (pos, lower) in pairs if pos in CUE_POS or lower == "according"]


def cue_features(tok: Token, facts: DocFacts) -> list[str]:
    """Lexical and syntactic features of a would-be cue token."""
    return cue_features_at(tok.i, facts)


def cue_features_at(i: int, facts: DocFacts) -> list[str]:
    """:func:`cue_features` of the token at ``i``, from the shared token columns: a document has dozens of
    candidates and few cues, and making a ``Token`` for each one and its neighbours was most of the cost."""
    cols = tables_of(facts.doc).columns
    lemma, dep, pos, tag = cols.lemma[i], cols.dep[i], cols.pos[i], cols.tag[i]
    word = facts.words[i] if facts.words else facts.doc[i].text
    f = [f"l={lemma}", f"p={pos}", f"d={dep}", f"t={tag}", f"l|d={lemma}|{dep}"]
    f.append(f"l|t={lemma}|{tag}")
    f.append(f"shape={'U' if word.isupper() else 'T' if word.istitle() else 'l'}")
    deps = set()
    children = cols.children[i]
    for child in children:
        child_dep = cols.dep[child]
        deps.add(child_dep)
        if child_dep in ("prep", "prt", "mark", "neg", "aux", "auxpass", "dobj", "dative"):
            f.append(f"c={child_dep}:{cols.lower[child]}")
    for d in sorted(deps):
        f.append(f"cd={d}")
        if d in ("ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "parataxis", "prep", "agent", "poss"):
            f.append(f"l|cd={lemma}|{d}")
    subj = next((c for c in children if cols.dep[c] in ("nsubj", "nsubjpass")), None)
    if subj is not None:
        kind = "pron" if cols.pos[subj] == "PRON" else facts.ent_label[subj] or cols.pos[subj]
        f.append(f"subj={kind}")
        f.append(f"l|subj={lemma}|{kind}")
    head = cols.head[i]
    if dep in ("parataxis", "conj", "xcomp", "advcl", "relcl", "acl", "ccomp", "pcomp"):
        f.append(f"h={cols.lemma[head]}|{dep}")
    f.append(f"hp={cols.pos[head]}|{dep}")
    if facts.in_quote[i]:
        f.append("inq")
    sent_start, sent_end = facts.sent_of[i]
    if facts.sent_quoted[sent_start]:
        f.append("sq")
        f.append(f"l|sq={lemma}")
    if any(facts.quote_mark[max(sent_start, i - 3) : min(sent_end, i + 4)]):
        f.append("qnear")
        f.append(f"l|qnear={lemma}")
    if i > 0:
        f.append(f"p1={cols.lower[i - 1]}")
    if i + 1 < len(cols.lower):
        f.append(f"n1={cols.lower[i + 1]}")
        f.append(f"l|n1={lemma}|{cols.lower[i + 1]}")
    return f


# -- sources -----------------------------------------------------------------------------------------
def _np_range(tok: Token) -> tuple[int, int]:
    """The noun phrase of a token: its subtree, cut before a relative clause or apposition."""
    start, end = tok.left_edge.i, tok.i + 1
    for child in tok.rights:
        if child.dep_ in ("relcl", "appos", "acl", "punct", "cc", "conj"):
            break
        end = child.right_edge.i + 1
    return start, end


def _subject(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def source_candidates(cue: Token, facts: DocFacts) -> list[Candidate]:
    """Where the cue's source could be, each with how it was found."""
    out: list[Candidate] = []
    seen: set[tuple[int, int]] = set()

    def add(kind: str, tok: Token, span: tuple[int, int] | None = None) -> None:
        start, end = span or _np_range(tok)
        if facts.dateline and facts.dateline[start]:  # "WASHINGTON -- President X, ..., said": X speaks
            while start < end and (facts.dateline[start] or cue.doc[start].is_punct or cue.doc[start].is_space):
                start += 1
            if start >= end or facts.dateline[tok.i]:
                appos = next((c for c in tok.children if c.dep_ == "appos" and not facts.dateline[c.i]), None)
                if appos is not None:
                    add(kind, appos)
                return
        if (start, end) not in seen:
            seen.add((start, end))
            out.append(Candidate(kind, start, end, tok.i))

    for child in cue.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            if child.lower_ in ("who", "which", "that") and cue.dep_ == "relcl":
                add("relwho", cue.head, (_np_range(cue.head)[0], child.i + 1))
            else:
                add(child.dep_, child)
                for appos in (c for c in child.children if c.dep_ == "appos"):  # "Dred Scott, Justice Roberts said"
                    add("appos", appos)
        elif child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    add("agent", pobj)
        elif child.dep_ == "poss":
            add("poss", child)
        elif child.dep_ == "prep" and child.lower_ in ("to", "by", "from", "of", "for"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    add(f"prep:{child.lower_}", pobj)
    if _subject(cue) is None:
        up = cue
        for _ in range(3):
            if up.dep_ not in ("conj", "xcomp", "advcl", "ccomp", "pcomp") or up.head is up:
                break
            up = up.head
            if up.dep_ == "prep" and cue.dep_ == "pcomp" and up.head is not up:  # "they ended by announcing"
                up = up.head
            subj = _subject(up)
            if subj is not None:
                add("inherit", subj)
                break
        if cue.dep_ in ("acl", "relcl", "appos") and cue.head.pos_ in ("NOUN", "PROPN", "PRON"):
            add("nounhead", cue.head)
    for start, end, label, root in facts.ents_in[facts.sent_of[cue.i][0]]:
        if label in SOURCE_ENTS:
            add("ent", cue.doc[root], (start, end))
    return out


def source_features(cue: Token, cand: Candidate, facts: DocFacts) -> list[str]:
    """Features of one source candidate for one cue."""
    doc = facts.doc
    head = doc[cand.head]
    lemma = cue.lemma_.lower()
    label = facts.ent_label[cand.head] or "-"
    pron = "pron" if head.lower_ in PRONOUN_SOURCES or head.pos_ == "PRON" else "np"
    side = "L" if cand.end <= cue.i else "R" if cand.start > cue.i else "in"
    dist = min(abs(cand.start - cue.i), abs(cand.end - 1 - cue.i))
    f = [f"k={cand.kind}", f"k|l={cand.kind}|{lemma}", f"k|e={cand.kind}|{label}", f"k|pron={cand.kind}|{pron}"]
    f += [f"e={label}", f"side={side}", f"k|side={cand.kind}|{side}", f"dist={_bucket(dist)}"]
    f += [f"k|dist={cand.kind}|{_bucket(dist)}", f"hp={head.pos_}", f"k|cp={cand.kind}|{cue.pos_}"]
    f.append(f"len={_bucket(cand.end - cand.start)}")
    has_subject = _subject(cue) is not None
    f.append(f"k|hassubj={cand.kind}|{has_subject}")
    f.append(f"k|hd={cand.kind}|{head.dep_}")
    if cand.kind == "ent":
        f.append(f"ent|subj={head.dep_ in ('nsubj', 'nsubjpass')}|{head.head.i == cue.i}")
        f.append(f"ent|hl={head.head.lemma_.lower()}")
    if facts.in_quote[cand.head]:
        f.append("inq")
    return f


# -- contents ----------------------------------------------------------------------------------------
def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation, spaces and a leading "that"/"whether" at the edges of a token range."""
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ in ("that", "whether")):
        if doc[start].text in QUOTE_CHARS and start + 1 < end and not doc[start + 1].is_punct:
            break  # keep an opening quote mark with its quote
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in QUOTE_CHARS:
        end -= 1
    return start, end


def content_candidates(cue: Token, source: Candidate | None, facts: DocFacts) -> list[Candidate]:
    """Where the cue's content could be, each with how it was found."""
    doc = facts.doc
    sent_start, sent_end = facts.sent_of[cue.i]
    out: list[Candidate] = []
    seen: set[tuple[int, int]] = set()

    def add(kind: str, start: int, end: int, head: int) -> None:
        start, end = _trim(doc, start, end)
        if end - start >= 1 and (start, end) not in seen:
            seen.add((start, end))
            out.append(Candidate(kind, start, end, head))

    for child in cue.children:
        if child.dep_ in CONTENT_DEPS:
            add(f"c:{child.dep_}", child.left_edge.i, child.right_edge.i + 1, child.i)
        elif child.dep_ == "prep" and child.lower_ in CONTENT_PREPS:
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                add(f"p:{child.lower_}", pobj.left_edge.i, pobj.right_edge.i + 1, pobj.i)
    cue_left = min(cue.left_edge.i, source.start if source is not None else cue.i)
    if cue.dep_ in ("parataxis", "advcl", "ccomp", "conj") or cue_left > sent_start:
        # "CONTENT, he said" / "CONTENT, according to X": the clause before the cue phrase
        add("before", sent_start, cue_left, cue.head.i)
    if cue.dep_ in ("parataxis", "ccomp") and cue.head.i != cue.i:
        head = cue.head
        add("head", head.left_edge.i, head.right_edge.i + 1, head.i)
    right = max([cue.i, *(c.right_edge.i for c in cue.children if c.dep_ in ("prt", "neg", "dative", "npadvmod"))])
    if source is not None and source.start > cue.i:
        right = max(right, source.end - 1)
    add("after", right + 1, sent_end, cue.i)
    for q_start, q_end in facts.quotes:
        if q_end >= sent_start - 1 and q_start <= sent_end + 1 and not (q_start <= cue.i < q_end):
            if q_start >= sent_end and _next_paragraph_quote_taken(facts, sent_start, q_start, q_end):
                continue
            add("quote", q_start, q_end, q_start)
    return out


def _next_paragraph_quote_taken(facts: DocFacts, sent_start: int, q_start: int, q_end: int) -> bool:
    """A quote opening the next paragraph belongs to this cue only when the cue's sentence quotes nothing
    itself and the quote's paragraph names no speaker of its own ('“…,” Graham said.')."""
    doc = facts.doc
    if not any("\n" in doc[i].text for i in range(max(0, q_start - 3), q_start)):
        return False  # the same paragraph
    if facts.sent_quoted.get(sent_start, False):
        return True
    for i in range(q_end, len(doc)):
        if "\n" in doc[i].text:
            break
        if doc[i].is_alpha:
            return True
    return False


def content_features(cue: Token, cand: Candidate, facts: DocFacts) -> list[str]:
    """Features of one content candidate for one cue."""
    doc = facts.doc
    lemma = cue.lemma_.lower()
    n = cand.end - cand.start
    side = "L" if cand.end <= cue.i else "R" if cand.start > cue.i else "in"
    quoted = sum(facts.in_quote[i] for i in range(cand.start, cand.end)) / max(1, n)
    qb = "q0" if quoted == 0 else "q1" if quoted > 0.9 else "qp"
    pos = tables_of(doc).columns.pos
    verbs = sum(1 for i in range(cand.start, cand.end) if pos[i] in ("VERB", "AUX"))
    f = [f"k={cand.kind}", f"k|l={cand.kind}|{lemma}", f"k|cp={cand.kind}|{cue.pos_}", f"k|cd={cand.kind}|{cue.dep_}"]
    f += [f"len={_bucket(n)}", f"k|len={cand.kind}|{_bucket(n)}", f"side={side}", f"qb={qb}", f"k|qb={cand.kind}|{qb}"]
    f += [f"verbs={_bucket(verbs)}", f"k|verbs={cand.kind}|{_bucket(verbs)}", f"hp={doc[cand.head].pos_}"]
    sent_start, sent_end = facts.sent_of[cue.i]
    if cand.start <= sent_start and cand.end >= sent_end - 1:
        f.append("wholesent")
    if cue.i + 1 < len(doc) and doc[cue.i + 1].text == ":":  # 'He concluded: "…"': what follows the colon
        f.append(f"colon|k|side={cand.kind}|{side}")
    return f


# -- inference -----------------------------------------------------------------------------------------
def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, x))))


def _best(model: SparseLinear, cands: list[Candidate], feats: list[list[str]]) -> tuple[Candidate, float]:
    logits = [model.logit(f) for f in feats]
    top = max(range(len(cands)), key=lambda i: logits[i])
    peak = logits[top]
    share = 1 / sum(math.exp(x - peak) for x in logits)
    return cands[top], share


def find_attributions(doc: Doc, model: AttributionModel, facts: DocFacts | None = None) -> list[Attribution]:
    """Every attribution the model finds: cue above threshold, with a source and a content."""
    facts = facts or doc_facts(doc)
    out: list[Attribution] = []
    cols = tables_of(doc).columns
    for i in cue_candidate_indices(doc):
        if not model.may_cue_word(cols.pos[i], cols.lower[i], cols.lemma[i]):
            continue
        p = _sigmoid(model.cue.logit(cue_features_at(i, facts)))
        if p < model.cue_threshold:
            continue
        tok = doc[i]
        sources = source_candidates(tok, facts)
        if not sources:
            continue
        source, s_share = _best(model.source, sources, [source_features(tok, c, facts) for c in sources])
        contents = content_candidates(tok, source, facts)
        contents = [c for c in contents if c.end <= source.start or c.start >= source.end]
        if not contents:
            continue
        content, c_share = _best(model.content, contents, [content_features(tok, c, facts) for c in contents])
        out.append(Attribution(tok.i, source, content, p, p * s_share * c_share))
    return univocal(out, doc)


def univocal(found: list[Attribution], doc: Doc | None = None) -> list[Attribution]:
    """One attribution per word, as PolNeAR annotates: a cue or source inside a more confident
    attribution's content is a statement reported inside it, not a second speaker's claim; unless it
    opens a clause of its own at the content's end ("X is promising A, but he has also intensified
    B"): then the content stops before that clause and both attributions stand."""
    kept: list[Attribution] = []
    for a in sorted(found, key=lambda a: -a.cue_probability):
        cuts: dict[int, Attribution] = {}  # kept attributions to shorten if ``a`` stands
        for i, k in enumerate(kept):
            if not _conflict(a, k):
                continue
            if doc is not None and (cut := _tail_split(doc, k, a)) is not None:
                cuts[i] = cut
            elif doc is not None and (cut := _tail_split(doc, a, k)) is not None:
                a = cut  # a shorter content conflicts with nothing the longer one did not
            else:
                break
        else:
            for i, cut in cuts.items():
                kept[i] = cut
            kept.append(a)
    return sorted(kept, key=lambda a: a.cue)


def _conflict(a: Attribution, k: Attribution) -> bool:
    return (
        k.content.start <= a.cue < k.content.end
        or (k.content.start <= a.source.start and a.source.end <= k.content.end)
        or a.content.start <= k.cue < a.content.end
    )


CLAUSE_JOINS = frozenset({"and", "but", "while", "although", "though", "yet", "whereas", "so", "or"})


def _tail_split(doc: Doc, outer: Attribution, inner: Attribution) -> Attribution | None:
    """``outer`` with its content cut before ``inner`` when ``inner`` (cue, source and content) follows
    the outer cue and source and fills the end of the outer content after a comma or conjunction."""
    # "…, which he said were at his side": a relative pronoun's noun stays with the outer content
    source_start = inner.source.end - 1 if inner.source.kind == "relwho" else inner.source.start
    begin = min(inner.cue, source_start, inner.content.start)
    if begin <= max(outer.cue, outer.source.end - 1) or begin <= outer.content.start:
        return None
    if max(inner.content.end, inner.source.end, inner.cue + 1) < outer.content.end:
        return None
    end = begin
    joined = False
    while end > outer.content.start and (
        doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].lower_ in CLAUSE_JOINS
    ):
        joined = joined or doc[end - 1].text in (",", ";", "—", "--") or doc[end - 1].lower_ in CLAUSE_JOINS
        end -= 1
    if not joined or end - outer.content.start < 3:
        return None
    content = Candidate(outer.content.kind, outer.content.start, end, outer.content.head)
    return Attribution(outer.cue, outer.source, content, outer.cue_probability, outer.confidence)


def span_chars(doc: Doc, cand: Candidate) -> tuple[int, int]:
    """Character offsets of a candidate's token range."""
    span: Span = doc[cand.start : cand.end]
    return span.start_char, span.end_char
