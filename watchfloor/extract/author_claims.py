"""The author's own judgements: forecasts and assessments in the author's voice become claims.

In analysis, opinion and editorial pieces most of what an analyst wants is unattributed: "A major
attack on Western soil is very likely within the next year" in a headline, "the withdrawal was far
too little, too late" in the body. Each such sentence becomes a claim whose speaker is the byline
author, else the outlet, else "author of <title>", with its ICD 203 band and horizon, and the
sentence as evidence. Plain reporting, sentences already attributed to someone quoted, questions and
quotes are not the author's judgements.

Pure functions: a parsed document, its title, byline and outlet, and the spans of the claims already
attributed in it, in; claim records (and the speaker's entity record) out. Which sentences are
judgements is decided by a logistic model over transparent sentence features
(``watchfloor/models/author_claims/model.json``, trained on the dev part of the hand-annotated real
articles by ``training/author_claims/train.py``), or, when it is absent, by the hand-set weights in
``data/lexicons/author_claims.yaml``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from spacy.tokens import Doc, Span

from watchfloor.extract.claims_lexicon import load_claims_lexicon
from watchfloor.extract.docindex import doc_sents, doc_text, span_text, tables_of
from watchfloor.extract.horizon import find_horizon
from watchfloor.extract.speaker_labels import LABEL_CUES
from watchfloor.link.normalize import norm_name
from watchfloor.models import ClaimRecord, EntityRecord, MentionRecord
from watchfloor.nlp.phrases import word_pattern

EXTRACTOR_VERSION = "0.1.0"
CUE = "author's own judgement"
FEATURES = (
    "estimative",
    "future",
    "modal",
    "hedge",
    "prescriptive",
    "first_person",
    "evaluative",
    "copula_judgement",
    "comparative",
    "title",
    "opinion_doc",
    "doc_stance_rate",
    "reporting",
    "quoted",
    "numbers",
    "named",
    "question",
    "short",
    "past_root",
    "present_root",
    "date",
)
QUOTE_PAIRS = re.compile(r"“[^”]*”|\"[^\"\n]*\"|‘[^’\n]{12,}’|«[^»]*»")
NAMED_LABELS = {"PERSON", "ORG", "GPE", "DATE", "MONEY", "PERCENT", "CARDINAL", "NORP", "LOC", "FAC"}


@dataclass(frozen=True)
class AuthorLexicon:
    non_person: frozenset[str]
    tail_words: frozenset[str]
    opinion_title: re.Pattern[str]
    future: re.Pattern[str]
    stative: frozenset[str]
    hedges: re.Pattern[str]
    prescriptive: re.Pattern[str]
    first_person: re.Pattern[str]
    evaluative: re.Pattern[str]
    reporting: re.Pattern[str]
    weights: dict[str, float]
    threshold: float


def _words(items: list[Any]) -> re.Pattern[str]:
    return word_pattern(str(w) for w in items)


@lru_cache(maxsize=1)
def load_author_lexicon() -> AuthorLexicon:
    """Parse data/lexicons/author_claims.yaml into matchers (once)."""
    text = (resources.files("watchfloor") / "data/lexicons/author_claims.yaml").read_text("utf-8")
    spec = yaml.safe_load(text)
    return AuthorLexicon(
        non_person=frozenset(str(w).lower() for w in spec["non_person_bylines"]),
        tail_words=frozenset(str(w).lower() for w in spec["byline_tail_words"]),
        opinion_title=re.compile("|".join(re.escape(str(w)) for w in spec["opinion_title"]), re.I),
        future=_words(spec["future"]),
        stative=frozenset(str(w) for w in spec["stative_verbs"]),
        hedges=_words(spec["hedges"]),
        prescriptive=_words(spec["prescriptive"]),
        first_person=_words(spec["first_person"]),
        evaluative=_words(spec["evaluative"]),
        reporting=_words(spec["reporting_words"]),
        weights={str(k): float(v) for k, v in spec["rule_weights"].items()},
        threshold=float(spec["rule_threshold"]),
    )


@dataclass(frozen=True)
class SentenceModel:
    """A logistic model over FEATURES: P(judgement) = sigmoid(bias + Σ w·x)."""

    weights: dict[str, float]
    bias: float
    threshold: float
    name: str

    def probability(self, x: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in x.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def rule_model() -> SentenceModel:
    """The transparent fallback: hand-set weights from the lexicon file."""
    lex = load_author_lexicon()
    weights = {k: v for k, v in lex.weights.items() if k != "bias"}
    return SentenceModel(weights, lex.weights.get("bias", 0.0), 1.0 / (1.0 + math.exp(-lex.threshold)), "rules")


@lru_cache(maxsize=1)
def load_sentence_model() -> SentenceModel:
    """The trained model when shipped, else the rules."""
    path = resources.files("watchfloor") / "models/author_claims/model.json"
    if not path.is_file():
        return rule_model()
    spec = json.loads(path.read_text("utf-8"))
    return SentenceModel(
        {str(k): float(v) for k, v in spec["weights"].items()},
        float(spec["bias"]),
        float(spec["threshold"]),
        "logistic",
    )


# -- who the author is -----------------------------------------------------------------------------
@dataclass(frozen=True)
class AuthorSpeaker:
    key: str
    name: str
    kind: str  # person, media_outlet or document
    role: str | None
    mention: str  # the byline, outlet or title as the document gives it
    entity: EntityRecord | None  # to store when the speaker is not already a known entity


def _slug(text: str) -> str:
    return norm_name(text).replace(" ", "-")[:80] or "unknown"


def byline_people(author: str | None, outlet: str | None = None) -> list[str]:
    """The people a byline names: "By JANE DOE; AP Writer" → ["Jane Doe"]; "Editorial" → []."""
    if not author:
        return []
    lex = load_author_lexicon()
    text = re.sub(r"[\[\]'\"]", " ", author)
    text = re.sub(r"^\s*(?:by|von|par|por)\s+", "", text, flags=re.I)
    outlet_key = re.sub(r"\W", "", (outlet or "").lower())
    people: list[str] = []
    for part in re.split(r";|\||,(?!\s*(?:phd|md|jr|sr)\b)|\s+(?:and|&)\s+", text, flags=re.I):
        tokens = part.split()
        kept: list[str] = []
        for tok in tokens:
            low = re.sub(r"\W", "", tok.lower())
            if kept and (low in lex.tail_words or (len(low) > 3 and outlet_key and outlet_key.startswith(low))):
                break
            kept.append(tok)
        name = " ".join(kept).strip(" .,-")
        low = name.lower()
        if not name or low in lex.non_person or any(w in lex.non_person for w in low.split() if len(w) > 3):
            continue
        if outlet and norm_name(name) == norm_name(outlet):
            continue
        if len(kept) == 1 and name.isupper() and len(name) <= 5:  # "AP", "PTI": an agency
            continue
        if not re.search(r"[A-Za-z]", name):
            continue
        people.append(name.title() if name.isupper() else name)
    return list(dict.fromkeys(people))


def _known_key(name: str, mentions: list[MentionRecord], labels: tuple[str, ...]) -> str | None:
    wanted = norm_name(name)
    for m in mentions:
        if m.entity_key and m.label in labels and norm_name(m.text) == wanted:
            return m.entity_key
    return None


def author_speaker(
    title: str | None, author: str | None, outlet: str | None, mentions: list[MentionRecord] | None = None
) -> AuthorSpeaker:
    """The byline's first person, else the outlet, else "author of <title>"."""
    mentions = mentions or []
    people = byline_people(author, outlet)
    if people:
        name = people[0]
        role = "author" + (f", {outlet.strip()}" if outlet and outlet.strip() else "")
        known = _known_key(name, mentions, ("PERSON",))
        key = known or "person:" + _slug(name)
        entity = None if known else EntityRecord(key, name, "person", "PERSON", source="byline")
        return AuthorSpeaker(key, name, "person", role, author or name, entity)
    if outlet and outlet.strip():
        name = outlet.strip()
        known = _known_key(name, mentions, ("ORG",))
        key = known or "outlet:" + _slug(name)
        entity = None if known else EntityRecord(key, name, "media_outlet", "ORG", source="byline")
        return AuthorSpeaker(key, name, "media_outlet", "publisher", name, entity)
    shown = (title or "").strip() or "untitled document"
    name = f"author of {shown[:120]}"
    key = "document-author:" + _slug(shown)
    return AuthorSpeaker(key, name, "document", None, shown, EntityRecord(key, name, "document", "WORK_OF_ART",
                                                                           source="byline"))  # fmt: skip


# -- which sentences are judgements ----------------------------------------------------------------
def _blank_quotes(text: str) -> tuple[str, int]:
    """The sentence with quoted words blanked (offsets kept), and how many characters were quoted."""
    quoted = 0
    out = text
    for m in QUOTE_PAIRS.finditer(text):
        quoted += m.end() - m.start()
        out = out[: m.start()] + " " * (m.end() - m.start()) + out[m.end() :]
    return out, quoted


def _title_end(text: str, title: str | None) -> int:
    if not title or not title.strip():
        return 0
    at = text.find(title.strip()[:60])
    return at + len(title.strip()) if 0 <= at <= 300 else 0


def _sentences(doc: Doc) -> list[Span]:
    return [s for s in doc_sents(doc) if span_text(s).strip()]


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> float:
    """Share of [start, end) covered by the given spans."""
    marks = sorted((max(s, start), min(e, end)) for s, e in spans if s < end and start < e)
    covered, reach = 0, start
    for s, e in marks:
        s = max(s, reach)
        if e > s:
            covered += e - s
            reach = e
    return covered / max(1, end - start)


@dataclass(frozen=True)
class TokenColumns:
    """The token attributes the sentence features read, for the whole document at once: the features'
    loops then never create spaCy ``Token`` objects."""

    idx: list[int]
    tag: list[str]
    ent_type: list[str]
    like_num: list[bool]
    skip: list[bool]  # punctuation or whitespace: not a word

    @classmethod
    def of(cls, doc: Doc) -> TokenColumns:
        """The document's shared tables (``docindex.tables_of``, read once for every extractor), plus
        which tokens are white space."""
        from spacy.attrs import IS_SPACE

        if not len(doc):
            return cls([], [], [], [], [])
        tables = tables_of(doc)
        cols = tables.columns
        space = doc.to_array(IS_SPACE).tolist()
        skip = [bool(p or s) for p, s in zip(cols.punct, space, strict=True)]
        return cls(tables.lowers[2], cols.tag, cols.ent, tables.like_num, skip)


_COMPARATIVE_TAGS = frozenset({"JJR", "JJS", "RBR", "RBS"})


def sentence_features(
    sent: Span, in_title: bool, opinion_doc: bool, stance_rate: float, columns: TokenColumns | None = None
) -> dict[str, float]:
    """The features of one sentence (names in FEATURES), each in [0, 1]."""
    lex, claims = load_author_lexicon(), load_claims_lexicon()
    cols = columns or TokenColumns.of(sent.doc)
    whole = span_text(sent)
    raw = whole.strip()
    text, quoted = _blank_quotes(raw)
    quoted_at = [(m.start() + sent.start_char, m.end() + sent.start_char) for m in QUOTE_PAIRS.finditer(whole)]
    own = [i for i in range(sent.start, sent.end) if not any(s <= cols.idx[i] < e for s, e in quoted_at)]
    words = [i for i in own if not cols.skip[i]]
    root = sent.root
    copula = root.lemma_ == "be" and any(
        c.dep_ in ("acomp", "attr") and (c.pos_ == "ADJ" or any(t.tag_ in ("JJS", "RBS") for t in c.subtree))
        for c in root.children
    )
    evaluative = len(lex.evaluative.findall(text))
    named = sum(1 for i in words if cols.ent_type[i] in NAMED_LABELS)
    numbers = sum(1 for i in words if cols.like_num[i])
    modal = any(cols.tag[i] == "MD" for i in own)
    return {
        "estimative": float(bool(claims.any_estimative.search(text))),
        "future": float(bool(lex.future.search(text))),
        "modal": float(modal),
        "hedge": float(bool(lex.hedges.search(text))),
        "prescriptive": float(bool(lex.prescriptive.search(text))),
        "first_person": float(bool(lex.first_person.search(text))),
        "evaluative": min(evaluative, 3) / 3,
        "copula_judgement": float(copula or root.pos_ == "ADJ"),
        "comparative": float(any(cols.tag[i] in _COMPARATIVE_TAGS for i in own)),
        "title": float(in_title),
        "opinion_doc": float(opinion_doc),
        "doc_stance_rate": stance_rate,
        "reporting": float(bool(lex.reporting.search(text))),
        "quoted": quoted / max(1, len(raw)),
        "numbers": min(numbers, 3) / 3,
        "named": min(1.0, 3 * named / max(1, len(words))),
        "question": float(raw.rstrip("”\"’' )").endswith("?")),
        "short": float(len(words) < 4),
        "past_root": float(root.tag_ in ("VBD", "VBN") and not modal),
        "present_root": float(root.tag_ in ("VBZ", "VBP") or (root.pos_ == "ADJ" and root.tag_ != "VBN")),
        "date": float(any(cols.ent_type[i] == "DATE" for i in own)),
    }


@dataclass(frozen=True)
class Candidate:
    """A sentence in the author's voice (not attributed, not a quote) with its features."""

    start: int
    end: int
    sent: Span
    features: dict[str, float]


def candidates(doc: Doc, title: str | None, attributed: list[tuple[int, int]]) -> list[Candidate]:
    """Every sentence that could be the author's judgement, with its features."""
    whole = doc_text(doc)
    title_end = _title_end(whole, title)
    opinion = bool(title and load_author_lexicon().opinion_title.search(title))
    sents = _sentences(doc)
    free = [s for s in sents if _covered(s.start_char, s.end_char, attributed) < 0.5]
    columns = TokenColumns.of(doc)
    out = []
    for sent in free:
        start, end = sent.start_char, sent.end_char
        while start < end and whole[start].isspace():
            start += 1
        while end > start and whole[end - 1].isspace():
            end -= 1
        feats = sentence_features(sent, start < title_end, opinion, 0.0, columns)
        out.append(Candidate(start, end, sent, feats))
    # The share of the author's sentences that hedge, prescribe, speak in the first person or evaluate.
    marked = sum(1 for c in out if any(c.features[k] for k in ("hedge", "prescriptive", "first_person", "evaluative")))
    for c in out:
        c.features["doc_stance_rate"] = marked / max(1, len(free))
    return out


def judgement_kind(sent: Span, text: str, published: date | None) -> str:
    """Forecast when the sentence speaks of what will happen; otherwise an assessment."""
    lex = load_author_lexicon()
    plain, _ = _blank_quotes(text)
    if lex.future.search(plain) or find_horizon(plain, published) is not None:
        return "forecast"
    for tok in sent:
        if (
            tok.lower_ in ("could", "may", "might")
            and tok.head.pos_ in ("VERB", "AUX")
            and tok.head.lemma_.lower() not in lex.stative
            and not any(c.tag_ == "VBN" for c in tok.head.children)
        ):
            return "forecast"
    return "assessment"


def _estimate(text: str) -> tuple[str, float, float] | None:
    if not load_claims_lexicon().any_estimative.search(text):
        return None
    found = [(m.start(), -len(phrase), m.group(0), lo, hi) for p, phrase, lo, hi in load_claims_lexicon().estimative
             if (m := p.search(text))]  # fmt: skip
    if not found:
        return None
    _pos, _len, words, lo, hi = min(found)
    return words, lo, hi


def extract_author_claims(
    doc: Doc,
    title: str | None,
    author: str | None,
    outlet: str | None,
    attributed: list[tuple[int, int]],
    published: date | None = None,
    mentions: list[MentionRecord] | None = None,
    model: SentenceModel | None = None,
) -> tuple[list[ClaimRecord], AuthorSpeaker]:
    """The author's judgements in ``doc`` as claims (text order), and who the author is.

    ``attributed``: spans of claims already credited to someone quoted in the document (their
    content and evidence); sentences mostly inside them are not the author's.
    """
    model = model or load_sentence_model()
    speaker = author_speaker(title, author, outlet, mentions)
    mentions = mentions or []
    claims: list[ClaimRecord] = []
    whole = doc_text(doc)
    for cand in candidates(doc, title, attributed):
        p = model.probability(cand.features)
        if p < model.threshold:
            continue
        text = whole[cand.start : cand.end]
        kind = judgement_kind(cand.sent, text, published)
        plain, _ = _blank_quotes(text)
        estimate = _estimate(plain)
        horizon = find_horizon(plain, published) if kind == "forecast" else None
        about = list(dict.fromkeys(m.entity_key for m in mentions
                                   if m.entity_key and cand.start <= m.start and m.end <= cand.end))  # fmt: skip
        claims.append(
            ClaimRecord(
                start=cand.start,
                end=cand.end,
                text=text,
                quote=False,
                cue=CUE,
                speaker_key=speaker.key,
                speaker_text=speaker.name,
                speaker_mention=speaker.mention,
                speaker_role=speaker.role,
                kind=kind,
                evidence=[(cand.start, cand.end)],
                about=about,
                probability_words=estimate[0] if estimate else None,
                band_low=estimate[1] if estimate else None,
                band_high=estimate[2] if estimate else None,
                horizon_text=horizon.text if horizon else None,
                horizon_start=horizon.start.isoformat() if horizon else None,
                horizon_end=horizon.end.isoformat() if horizon else None,
                confidence=round(p, 3),
            )
        )
    return claims, speaker


IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "thought": "think", "according to": "according to"}


def _reporting_cue(cue: str) -> bool:
    """Whether a claim's cue is a word of saying ("said", "warns", "according to"), or the colon or dash
    of a transcript line or signed quote; not any verb."""
    word = cue.lower().strip()
    if word in LABEL_CUES:
        return True
    lemmas = {word, IRREGULAR.get(word, word), word[:-1], word[:-2], word[:-3] + "y", word[:-3]}
    cues = load_claims_lexicon().cue_verbs
    return word == "according to" or any(lemma in cues for lemma in lemmas if lemma)


def attributed_spans(claims: list[ClaimRecord]) -> list[tuple[int, int]]:
    """Content and evidence spans of the claims attributed to a quoted speaker (quotes, words of saying)."""
    spans: list[tuple[int, int]] = []
    for c in claims:
        if c.cue == CUE or not (c.quote or _reporting_cue(c.cue)):
            continue
        spans.append((c.start, c.end))
        spans.extend(c.evidence)
    return spans
