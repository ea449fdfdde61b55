"""Attributed claims: who said what (direct quotes, indirect speech, written statements), in what
words of confidence, about which horizon. Text in, records out; nothing is stored here.

Speakers are resolved through the linker's mentions, then pronouns ("he said" → the last speaker or
person named), statement nouns ("the report warned" → the organisation that issued it) and titles
("the general" → the last speaker whose stated role has that word). A statement whose speaker cannot
be named is not a claim: it cannot be audited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from watchfloor.extract.attribution import AttributionModel, find_attributions, load_attribution_model, span_chars
from watchfloor.extract.claims_lexicon import ClaimsLexicon, load_claims_lexicon
from watchfloor.extract.docindex import doc_sents, doc_text
from watchfloor.extract.horizon import find_horizon
from watchfloor.extract.speaker_labels import LabelledSpeech, labelled_speech
from watchfloor.extract.versions import CLAIMS_VERSION
from watchfloor.link.actors import load_titles
from watchfloor.models import ClaimRecord, MentionRecord

EXTRACTOR_VERSION = CLAIMS_VERSION  # defined in extract/versions.py (light: the store imports it)
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
MIN_QUOTE_WORDS = 4
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")
ATTACK_WORDS = re.compile(
    r"\b(?:attack|attacks|bombing|blast|explosion|assault|operation|raid|ambush|killing|strike|shooting|"
    r"killed|planted|carried out|detonated|targeted|stormed|bombings|ambushed)\b",
    re.I,
)
# Concrete, checkable content: figures, or completed events reported in the past perfect or passive.
FACT_CUES = re.compile(
    r"\d|\b(?:had|has|have|was|were)\s+(?:been\s+)?(?:\w+ly\s+)?(?:killed|arrested|detained|seized|recorded|"
    r"carried|planted|captured|released|opened|attacked|fitted|found|disrupted|occupied|retaken|raised|sent|"
    r"moved|met|signed|received|fled|died|launched|closed|deployed|withdrawn|charged|convicted|sentenced)\b",
    re.I,
)
GROUP_SPEAKER_KINDS = {"armed_group", "media_outlet"}
NEGATION = re.compile(r"\b(?:not|no|never|nor|cannot|can't|won't|isn't|aren't|wasn't|weren't|denied)\b", re.I)

KindLookup = Callable[[str], str | None]  # entity key -> entity kind


@dataclass
class _Speaker:
    key: str | None
    text: str
    mention: str
    role: str | None
    kind: str | None
    start: int | None = None  # the mention's span in the document
    end: int | None = None


@dataclass
class _State:
    doc: Doc
    text: str  # doc.text, built once: spaCy joins every token each time it is read
    mentions: list[MentionRecord]
    kind_of: KindLookup
    names: dict[str, str] = field(default_factory=dict)  # key -> fullest name in the document
    roles: dict[str, str] = field(default_factory=dict)
    roleless: set[str] = field(default_factory=set)  # keys whose mentions were searched for a role in vain
    last: _Speaker | None = None
    last_pos: int = -1  # where the last speaker's cue subject stood
    last_end: int = -1  # where the last claim's content ended

    @cached_property
    def sents(self) -> list[Span]:
        """The document's sentences, listed once (spaCy walks the whole document for each listing)."""
        return doc_sents(self.doc)

    @cached_property
    def sent_no(self) -> dict[int, int]:
        """Sentence position by its first token."""
        return {s.start: i for i, s in enumerate(self.sents)}

    @cached_property
    def last_first(self) -> list[MentionRecord]:
        """The mentions by start, last first (a stable sort, done once)."""
        return sorted(self.mentions, key=lambda m: m.start, reverse=True)


# -- quotes --------------------------------------------------------------------------------------
def quote_spans(text: str) -> list[tuple[int, int]]:
    """Content spans of direct quotes (marks excluded), curly or straight, across paragraphs."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"“([^”]*)”|«\s*([^»]*?)\s*»|„([^“”]*)[“”]", text):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        spans.append((m.start(group), m.end(group)))
    # Straight quotes pair up within a paragraph; an unpaired opener continues into the next
    # paragraph when that one opens with a quote mark (the newspaper convention).
    open_at: int | None = None
    for m in re.finditer(r'"|\n\s*\n', text):
        if m.group(0) == '"':
            if open_at is None:
                open_at = m.end()
            else:
                spans.append((open_at, m.start()))
                open_at = None
        elif open_at is not None:
            rest = text[m.end() :]
            if rest.startswith('"'):
                spans.append((open_at, m.start()))
                open_at = None  # the next paragraph's opening mark starts a new span
            else:
                open_at = None
    return sorted(s for s in spans if len(text[s[0] : s[1]].split()) >= MIN_QUOTE_WORDS)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


# -- speakers ------------------------------------------------------------------------------------
def _mention_at(state: _State, start: int, end: int) -> MentionRecord | None:
    best = None
    for m in state.mentions:
        overlaps = m.entity_key and m.start < end and start < m.end and m.label in SPEAKER_LABELS
        if overlaps and (best is None or (m.end - m.start) > (best.end - best.start)):
            best = m
    return best


def _np(tok: Token) -> Span:
    """The speaker's noun phrase without appositions, relative clauses or trailing modifiers."""
    left = min([tok.i, *(t.i for t in tok.lefts for t in t.subtree if t.dep_ != "punct")])
    right = tok.i
    for child in tok.rights:
        if child.dep_ in ("compound", "flat") or (child.dep_ == "prep" and child.lower_ == "of"):
            right = max(right, *(t.i for t in child.subtree))
    return tok.doc[left : right + 1]


def _role_near(state: _State, m: MentionRecord) -> str | None:
    """The role an article gives a person where it names them: an apposition or a title before."""
    span = state.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    prefixes: dict[str, str | None] = load_titles()["prefixes"]
    title = [prefixes.get(t.lower_) for t in span if t.lower_ in prefixes]
    for child in root.children:
        if child.dep_ == "relcl" and any(t.lower_ == "who" for t in child.lefts):
            words = [t for t in child.subtree if t.lower_ != "who"]
            return state.doc[words[0].i : words[-1].i + 1].text.strip(" ,") if words else None
        if child.dep_ == "appos":
            words = [t for t in child.subtree if not (t.dep_ == "punct" and t.i in (child.left_edge.i,))]
            text = state.doc[words[0].i : words[-1].i + 1].text.strip(" ,") if words else ""
            if text and len(text.split()) <= 14:
                return re.sub(r"^(?:a|an|the)\s+", "", text)
    before = [t for t in root.lefts if t.dep_ in ("compound", "amod", "nmod") and t.i < span.start]
    if before:
        start = min(t.left_edge.i for t in before)
        text = state.doc[start : span.start].text.strip(" ,")
        if (text and not text[0].isupper()) or len(text.split()) > 1:
            return re.sub(r"^(?:a|an|the)\s+", "", text) or None
    return next((t for t in title if t), None)  # "Professor Obi-Lawson": the title is the role


def _known(state: _State, key: str, mention: str) -> _Speaker:
    if key not in state.roles and key not in state.roleless:  # searched once per key: linear in the document
        for m in state.mentions:
            if m.entity_key == key:
                role = _role_near(state, m)
                if role:
                    state.roles[key] = role
                    break
        else:
            state.roleless.add(key)
    return _Speaker(key, state.names.get(key, mention), mention, state.roles.get(key), state.kind_of(key))


def _recent_subject_person(state: _State, tok: Token) -> MentionRecord | None:
    """The nearest person named as a clause subject in this or the previous two sentences."""
    index = state.sent_no[tok.sent.start]
    floor = state.sents[max(0, index - 2)].start_char
    for m in state.last_first:
        if not (floor <= m.start and m.end <= tok.idx) or not m.entity_key or state.kind_of(m.entity_key) != "person":
            continue
        span = state.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
            return m
    return None


GROUP_NOUNS = {"group", "organisation", "organization", "movement", "militant", "insurgent", "jihadist"}


def _earlier(state: _State, tok: Token) -> list[MentionRecord]:
    return sorted((m for m in state.mentions if m.end <= tok.idx and m.entity_key), key=lambda m: -m.start)


def _noun_speaker(state: _State, tok: Token, head: str, mention_text: str) -> _Speaker | None:
    """A speaker named by a common noun: "a spokesman for the bureau", "the general", "the group"."""
    for prep in tok.children:  # "a spokesperson for the ministry": the ministry speaks
        if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at", "from"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                m = _mention_at(state, pobj.left_edge.idx, pobj.idx + len(pobj.text))
                if m is not None and m.entity_key and state.kind_of(m.entity_key) != "person":
                    found = _known(state, m.entity_key, mention_text)
                    return _Speaker(found.key, found.text, mention_text, found.role or tok.text, found.kind)
    earlier = _earlier(state, tok)
    for m in earlier:  # "the former director" -> the nearest person whose stated role has that word
        if state.kind_of(m.entity_key or "") == "person":
            found = _known(state, m.entity_key or "", mention_text)
            if found.role and head in found.role.lower():
                return found
    if head in GROUP_NOUNS:
        for m in earlier:
            if state.kind_of(m.entity_key or "") == "armed_group":
                return _known(state, m.entity_key or "", mention_text)
    for m in earlier:  # "the monitors", "the panel" -> the organisation with that word in its name
        if m.label in ("ORG", "NORP") and head in m.text.lower():
            return _known(state, m.entity_key or "", mention_text)
    if head in ("spokesman", "spokesperson", "spokeswoman", "official", "source"):
        for m in earlier[:6]:
            if m.label == "ORG":
                found = _known(state, m.entity_key or "", mention_text)
                return _Speaker(found.key, found.text, mention_text, found.role or tok.text, found.kind)
    if state.last is not None and state.last.kind == "person" and tok.doc[tok.left_edge.i].lower_ == "the":
        return _Speaker(state.last.key, state.last.text, mention_text, state.last.role, state.last.kind)
    return None


_ISSUER_LABELS = ("ORG", "GPE", "NORP", "PERSON")
_ISSUING_VERBS = frozenset({"publish", "release", "issue", "produce", "circulate", "submit", "present", "post"})


def _issuer(state: _State, noun: Token) -> MentionRecord | None:
    """Who issued a statement noun: "the UN team's report", "a report by the panel", "a UN report",
    or the subject of "the panel published a report"."""
    np = _np(noun)
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "of", "from"):
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                found = _mention_at(state, pobj.left_edge.idx, pobj.idx + len(pobj.text))
                if found is not None and found.label in _ISSUER_LABELS:
                    return found
    inside = [m for m in state.mentions if m.entity_key and np.start_char <= m.start and m.end <= noun.idx]
    inside = [m for m in inside if m.label in _ISSUER_LABELS]
    if inside:
        return inside[-1]
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in _ISSUING_VERBS:
        subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            found = _mention_at(state, subject.idx, subject.idx + len(subject.text))
            if found is not None and found.label in _ISSUER_LABELS:
                return found
    return None


def _statement_speaker(state: _State, tok: Token, head: str, mention_text: str) -> _Speaker:
    """ "The report said": the report speaks, in the name of the body that issued it, named here or where
    the document introduced the report; never the group the report is about."""
    issuer = _issuer(state, tok)
    if issuer is None and tok.doc[tok.left_edge.i].lower_ in ("the", "this", "that", "its"):
        for earlier in reversed(tok.doc[: tok.i]):
            if earlier.lemma_.lower() == head and earlier.pos_ == "NOUN":
                issuer = _issuer(state, earlier)
                if issuer is not None:
                    break
    if issuer is None or not issuer.entity_key:
        return _Speaker(None, mention_text, mention_text, None, "document")
    found = _known(state, issuer.entity_key, mention_text)
    return _Speaker(found.key, found.text, mention_text, head, found.kind)


def resolve_speaker(state: _State, tok: Token) -> _Speaker | None:
    """Who the cue's subject is, with the span of the words that name them."""
    found = _resolve_speaker(state, tok)
    if found is not None:
        np = _np(tok) if tok.lower_ not in PRONOUNS else tok.doc[tok.i : tok.i + 1]
        found.start, found.end = np.start_char, np.end_char
        if found.mention != np.text:
            found.mention = np.text
    return found


def _resolve_speaker(state: _State, tok: Token) -> _Speaker | None:
    """Who the cue's subject is: a linked name, a pronoun, a statement, a title, or a plain phrase."""
    np = _np(tok)
    mention_text = np.text
    lower = tok.lower_
    if lower in PRONOUNS:
        if lower in ("he", "she"):
            subject = _recent_subject_person(state, tok)
            if subject is not None and (state.last is None or subject.start > state.last_pos):
                return _known(state, subject.entity_key or "", tok.text)
        if state.last is not None:
            return _Speaker(state.last.key, state.last.text, tok.text, state.last.role, state.last.kind)
        for m in reversed([m for m in state.mentions if m.end <= tok.idx and m.entity_key]):
            wanted = ("ORG", "NORP", "GPE") if lower in ("it", "we", "they") else ("PERSON",)
            if m.label in wanted and m.entity_key:
                return _known(state, m.entity_key, tok.text)
        return None
    # The name the head word belongs to first: a phrase's longest name may be a dateline ("WASHINGTON --").
    linked = _mention_at(state, tok.idx, tok.idx + len(tok.text)) or _mention_at(state, np.start_char, np.end_char)
    if linked is not None and linked.entity_key:
        return _known(state, linked.entity_key, mention_text)
    head = tok.lemma_.lower()
    lex = load_claims_lexicon()
    if head in lex.statement_nouns:
        return _statement_speaker(state, tok, head, mention_text)
    if tok.pos_ == "NOUN":
        found = _noun_speaker(state, tok, head, mention_text)
        if found is not None:
            return found
    if tok.pos_ in ("PROPN", "NOUN"):
        return _Speaker(None, mention_text, mention_text, None, None)
    return None


# -- content -------------------------------------------------------------------------------------
def _clip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,:;\"“'":
        start += 1
    while end > start and text[end - 1] in " \t\n,.;:\"”'":
        end -= 1
    return start, end


def _clause(tok: Token) -> tuple[int, int]:
    words = [t for t in tok.subtree if not (t.dep_ == "mark" and t.head == tok and t.lower_ in ("that", "whether"))]
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _content_of_cue(verb: Token) -> tuple[int, int] | None:
    for child in verb.children:
        if child.dep_ == "ccomp":
            return _clause(child)
    for child in verb.children:  # "denied harbouring fighters", "denied the report"
        if child.dep_ in ("xcomp", "dobj") and verb.lemma_.lower() in ("deny", "reject", "dismiss", "claim"):
            return _clause(child)
    return None


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ == "VERB":
        return _subject(verb.head)
    return None


def _cues(sent: Span, lex: ClaimsLexicon, quotes: list[tuple[int, int]]) -> Iterator[Token]:
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lex.cue_verbs and not _inside(tok.idx, quotes):
            yield tok


def _according_to(sent: Span) -> tuple[Token, tuple[int, int]] | None:
    for tok in sent:
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if pobj is None:
                continue
            phrase = list(tok.subtree)
            if phrase[0].i == sent.start:  # "According to X, CONTENT."
                rest = sent.doc[phrase[-1].i + 1 : sent.end]
            else:  # "CONTENT, according to X."
                rest = sent.doc[sent.start : phrase[0].i]
            if len(rest) < 3:
                continue
            return pobj, (rest.start_char, rest.end_char)
    return None


# -- classification ------------------------------------------------------------------------------
def _classify(content: str, cue_lemma: str, speaker: _Speaker, has_horizon: bool, lex: ClaimsLexicon) -> str:
    forced = lex.cue_verbs.get(cue_lemma)
    if forced == "denial":
        return "denial"
    future = has_horizon or forced == "forecast" or bool(lex.future.search(content))
    if speaker.kind in GROUP_SPEAKER_KINDS and ATTACK_WORDS.search(content) and not future:
        return "responsibility"
    if future:
        return "forecast"
    if forced == "assessment" or lex.any_estimative.search(content):
        return "assessment"
    if FACT_CUES.search(content) or speaker.kind not in (None, "person"):
        return "factual"
    return "assessment"  # a person's unhedged statement about the present is a judgement


def _estimative(content: str, lex: ClaimsLexicon) -> tuple[str, float, float] | None:
    if not lex.any_estimative.search(content):
        return None  # most contents: one search instead of one per phrase
    found = [
        (m.start(), -len(phrase), m.group(0), lo, hi)
        for p, phrase, lo, hi in lex.estimative
        if (m := p.search(content))
    ]
    if not found:
        return None
    _pos, _len, words, lo, hi = min(found)
    return words, lo, hi


def _sentence_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    last = doc.char_span(max(start, end - 1), end, alignment_mode="expand")
    s = first.sent.start_char if first is not None else start
    e = last.sent.end_char if last is not None else end
    return s, e


def _record(
    state: _State,
    start: int,
    end: int,
    quote: bool,
    cue: Token | None,
    cue_text: str,
    speaker: _Speaker,
    published: date | None,
    evidence: tuple[int, int],
    confidence: float | None = None,
) -> ClaimRecord | None:
    start, end = _clip(state.text, start, end)
    if end - start < 8:
        return None
    lex = load_claims_lexicon()
    content = state.text[start:end]
    horizon = find_horizon(content, published)
    cue_lemma = cue.lemma_.lower() if cue is not None else cue_text.lower()
    kind = _classify(content, cue_lemma, speaker, horizon is not None, lex)
    estimate = _estimative(content, lex)
    about = list(
        dict.fromkeys(m.entity_key for m in state.mentions if m.entity_key and start <= m.start and m.end <= end)
    )
    state.last = speaker
    state.last_end = end
    if cue is not None:
        state.last_pos = cue.idx
    return ClaimRecord(
        start=start,
        end=end,
        text=content,
        quote=quote,
        cue=cue_text,
        speaker_key=speaker.key,
        speaker_text=speaker.text,
        speaker_mention=speaker.mention,
        speaker_role=speaker.role,
        speaker_start=speaker.start,
        speaker_end=speaker.end,
        kind=kind,
        evidence=[evidence],
        about=about,
        probability_words=estimate[0] if estimate else None,
        band_low=estimate[1] if estimate else None,
        band_high=estimate[2] if estimate else None,
        horizon_text=horizon.text if horizon and kind == "forecast" else None,
        horizon_start=horizon.start.isoformat() if horizon and kind == "forecast" else None,
        horizon_end=horizon.end.isoformat() if horizon and kind == "forecast" else None,
        confidence=round(confidence, 3) if confidence is not None else None,
    )


def _names(mentions: list[MentionRecord]) -> dict[str, str]:
    """Each entity's fullest name in the document; written as a name rather than in capitals when a
    transcript label repeats it ("MARTIN SOLBERG:" beside "Martin Solberg")."""
    names: dict[str, str] = {}
    for m in mentions:
        descriptive = m.text[:1].islower() or m.text.lower().startswith("the ")  # "the former director"
        if not m.entity_key or descriptive:
            continue
        best = names.get(m.entity_key, "")
        if len(m.text) > len(best) or (len(m.text) == len(best) and best.isupper() and not m.text.isupper()):
            names[m.entity_key] = m.text
    return names


def extract_claims(
    doc: Doc, mentions: list[MentionRecord], published: date | None, kind_of: KindLookup
) -> list[ClaimRecord]:
    """Every attributed claim in the document, in text order, each with content and cue evidence."""
    state = _State(doc, doc_text(doc), mentions, kind_of, names=_names(mentions))
    quotes = quote_spans(state.text)
    model = load_attribution_model()
    if model is None:
        claims = _rule_claims(state, published, quotes)
    else:
        claims = _learned_claims(state, model, published, quotes)
    claims.sort(key=lambda c: c.start)
    return _drop_nested(claims)


def _learned_claims(
    state: _State, model: AttributionModel, published: date | None, quotes: list[tuple[int, int]]
) -> list[ClaimRecord]:
    """Claims from the learned attribution model, then quote paragraphs that continue a speaker."""
    doc, text = state.doc, state.text
    claims: list[ClaimRecord] = []
    for found in sorted(find_attributions(doc, model), key=lambda a: a.cue):
        if not _statement(doc[found.content.start : found.content.end]):
            continue
        cue = doc[found.cue]
        speaker = resolve_speaker(state, doc[found.source.head])
        if speaker is None:
            continue
        speaker.start, speaker.end = span_chars(doc, found.source)
        speaker.mention = text[speaker.start : speaker.end]
        start, end = _first_part(text, span_chars(doc, found.content), speaker.start, quotes)
        cue_text = "according to" if cue.lower_ == "according" else cue.text
        evidence = _sentence_span(doc, min(start, cue.idx), max(end, cue.idx + len(cue.text)))
        quote = any(s <= start + 1 and end - 1 <= e for s, e in quotes)
        record = _record(state, start, end, quote, cue, cue_text, speaker, published, evidence, found.confidence)
        if record is not None:
            claims.append(record)
    claims = _with_labelled_speech(state, claims, published)
    claims.extend(_continued_quotes(state, claims, quotes, published))
    return claims


def _label_speaker(state: _State, label: tuple[int, int]) -> _Speaker | None:
    """Who a transcript label or signature names: a person or group named there, or one named elsewhere
    in the document whose name or surname the label repeats ("PENCE:" after "Mike Pence")"""
    words = state.text[label[0] : label[1]]
    here = _mention_at(state, *label)
    if here is not None and here.label in ("PERSON", "ORG") and here.entity_key:
        return _known(state, here.entity_key, words)
    folded = words.casefold()
    for m in state.mentions:
        name = m.text.casefold()
        if m.label == "PERSON" and m.entity_key and (name == folded or name.endswith(" " + folded)):
            return _known(state, m.entity_key, words)
    return None


def _with_labelled_speech(state: _State, claims: list[ClaimRecord], published: date | None) -> list[ClaimRecord]:
    """Add the speech a transcript label or a dash signature attributes; a cue inside such speech is
    speech reported within it (one attribution per word, as for the learned cues)."""
    found: list[ClaimRecord] = []
    spans: list[LabelledSpeech] = []
    for speech in labelled_speech(state.text):
        if any(s.content[0] <= speech.label[0] < s.content[1] for s in spans):
            continue
        start, end = speech.content
        words = state.doc.char_span(start, end, alignment_mode="expand")
        if words is None or not _says_something(words):  # "ISKP: a primer" is a headline, not speech
            continue
        speaker = _label_speaker(state, speech.label)
        if speaker is None:
            continue
        speaker.start, speaker.end = speech.label
        line = (min(speech.label[0], start), max(speech.label[1], end))
        cue_text = state.text[speech.cue[0] : speech.cue[1]]
        quote = speech.form == "signed"
        record = _record(state, start, end, quote, None, cue_text, speaker, published, line)
        if record is not None:
            found.append(record)
            spans.append(speech)
    if not found:
        return claims
    kept = [c for c in claims if not any(s.content[0] <= c.start and c.end <= s.content[1] for s in spans)]
    kept = [c for c in kept if not any(s.label[0] <= (c.speaker_start or -1) < s.label[1] for s in spans)]
    return kept + found


def _first_part(
    text: str, content: tuple[int, int], source_start: int, quotes: list[tuple[int, int]]
) -> tuple[int, int]:
    """'"A," the general said, "B."': the claim is the quote's first part, A, as the rules have it."""
    if content[0] <= source_start or text[content[0]] not in '“"':
        return content
    for q_start, q_end in quotes:
        if q_end <= source_start and not re.search(r"\w", text[q_end:source_start]):
            return q_start, q_end
    return content


def _says_something(words: Span) -> bool:
    """Words with a verb: a statement, not a topic."""
    return any(t.pos_ in ("VERB", "AUX") for t in words)


def _statement(content: Span) -> bool:
    """Content that says something: a clause or a phrase; one bare word ("spoke to reporters") is not,
    nor a verbless phrase that opens with a preposition ("spoke to reporters on Sunday")."""
    if _says_something(content):
        return True
    return len(content) >= 2 and not (content[0].pos_ == "ADP" and content[0].lower_ not in ("about", "that"))


def _continued_quotes(
    state: _State, claims: list[ClaimRecord], quotes: list[tuple[int, int]], published: date | None
) -> list[ClaimRecord]:
    """A quote paragraph with no cue of its own continues the speaker of the claim just before it."""
    out: list[ClaimRecord] = []
    for q_start, q_end in quotes:
        if any(c.start < q_end and q_start < c.end for c in claims):
            continue
        before = [c for c in claims if c.end <= q_start and c.quote]
        if not before:
            continue
        last = max(before, key=lambda c: c.end)
        gap = state.text[last.end : q_start]
        if re.search(r"\w", gap) or "\n" not in gap:  # the next paragraph, opening with a quote mark
            continue
        line_end = state.text.find("\n", q_end)
        after = state.text[q_end : line_end if line_end >= 0 else len(state.text)]
        if re.search(r"\w", after):  # '"…," Mook said.': the paragraph names its own speaker
            continue
        kind = state.kind_of(last.speaker_key) if last.speaker_key else None
        speaker = _Speaker(
            last.speaker_key, last.speaker_text or "", last.speaker_mention or "", last.speaker_role, kind
        )
        speaker.start, speaker.end = last.speaker_start, last.speaker_end
        evidence = _sentence_span(state.doc, q_start, q_end)
        record = _record(state, q_start, q_end, True, None, "", speaker, published, evidence, last.confidence)
        if record is not None:
            out.append(record)
    return out


def _rule_claims(state: _State, published: date | None, quotes: list[tuple[int, int]]) -> list[ClaimRecord]:
    """The hand-written rules, used when the learned attribution model is not shipped."""
    lex = load_claims_lexicon()
    doc, text = state.doc, state.text
    quote_owner: dict[tuple[int, int], _Speaker] = {}
    claims: list[ClaimRecord] = []
    sents = state.sents
    for sent in sents:
        # Direct quotes that end (or start) in this sentence, attributed by a cue outside them.
        for q_start, q_end in quotes:
            if not (sent.start_char <= q_end <= sent.end_char + 1) or (q_start, q_end) in quote_owner:
                continue
            q_sent = doc.char_span(q_start, q_start + 1, alignment_mode="expand")
            scope = doc[min(q_sent.sent.start, sent.start) if q_sent is not None else sent.start : sent.end]
            cue = next((t for t in _cues(scope, lex, quotes) if _subject(t) is not None), None)
            speaker = None
            if cue is not None:
                subject = _subject(cue)
                speaker = resolve_speaker(state, subject) if subject is not None else None
            previous_end = max((e for s, e in quote_owner if e <= q_start), default=-1)
            gap = text[previous_end:q_start] if previous_end >= 0 else ""
            if previous_end >= 0 and len(re.findall(r"\w+", gap)) <= 4 and "\n\n" not in gap:
                owner = quote_owner[max((s, e) for s, e in quote_owner if e <= q_start)]
                quote_owner[(q_start, q_end)] = owner
                if "." not in gap:
                    continue  # '"First part," he said, "second part."': one claim, the first part
                speaker, cue = owner, None  # '"A," he said. "B."': B is a new claim by the same speaker
            if speaker is None and state.last is not None and 0 <= q_start - max(state.last_end, 0) <= 400:
                speaker = state.last  # a quote paragraph continuing the previous speaker's words
            if speaker is None:
                continue
            quote_owner[(q_start, q_end)] = speaker
            parts = [(x.start_char, x.end_char) for x in sents if x.start_char < q_end and q_start < x.end_char]
            for part_start, part_end in parts or [(q_start, q_end)]:
                s, e = max(q_start, part_start), min(q_end, part_end)
                evidence = _sentence_span(doc, min(s, cue.idx if cue else s), max(e, cue.idx if cue else e))
                state.last = speaker
                record = _record(state, s, e, True, cue, cue.text if cue else "", speaker, published, evidence)
                if record is not None:
                    claims.append(record)
        # Indirect speech: "X said that …", "X warned …", "according to X, …".
        for cue in _cues(sent, lex, quotes):
            content = _content_of_cue(cue)
            subject = _subject(cue)
            if content is None or subject is None or _inside(content[0], quotes):
                continue
            speaker = resolve_speaker(state, subject)
            if speaker is None:
                continue
            record = _record(
                state, *content, False, cue, cue.text, speaker, published, (sent.start_char, sent.end_char)
            )
            if record is not None:
                claims.append(record)
        according = _according_to(sent)
        if according is not None and not _inside(according[1][0], quotes):
            speaker = resolve_speaker(state, according[0])
            if speaker is not None:
                record = _record(
                    state,
                    *according[1],
                    False,
                    None,
                    "according to",
                    speaker,
                    published,
                    (sent.start_char, sent.end_char),
                )
                if record is not None:
                    claims.append(record)
    return claims


def _drop_nested(claims: list[ClaimRecord]) -> list[ClaimRecord]:
    """A reported clause inside another claim by the same speaker is the same claim."""
    kept: list[ClaimRecord] = []
    for claim in claims:
        outer = next(
            (k for k in kept if k.start <= claim.start and claim.end <= k.end and k.speaker_text == claim.speaker_text),
            None,
        )
        if outer is None:
            kept.append(claim)
    return kept


def negated(claim: ClaimRecord) -> bool:
    """Whether the claim asserts the negative (for agreement and contradiction)."""
    if claim.kind == "denial":
        return True
    if claim.band_high is not None and claim.band_high <= 0.45:
        return True
    return bool(NEGATION.search(claim.text))
