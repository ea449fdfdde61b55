"""Document highlighting (pure): escaping of untrusted text, layered spans, the focused span."""

from __future__ import annotations

import random

from watchfloor.extract.stance import StanceIndex, StanceInput, stance_links
from watchfloor.web.highlight import Span, highlight, mark_snippet


def test_article_text_is_escaped_and_only_our_tags_are_emitted() -> None:
    text = 'ISKP said <script>alert(1)</script> and <img src=x onerror="steal()">.'
    html = str(highlight(text, [Span(0, 4, "mention", 'ORG "x"', "/actors/5")]))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "onerror=&#34;steal()&#34;" in html
    assert html.startswith('<a class="hl-mention" title="ORG &#34;x&#34;" href="/actors/5">ISKP</a>')


def test_a_mention_inside_a_claim_sentence_carries_both_layers_and_the_focus_is_marked_once() -> None:
    text = "First sentence. Voss said ISKP would strike again. Last one."
    claim = Span(16, 50, "claim", "claim: forecast by Voss")
    mention = Span(26, 30, "mention", "ORG → ISKP", "/actors/5")
    html = str(highlight(text, [claim, mention], focus=(16, 50)))
    assert html.count('id="hl"') == 1
    assert '<a class="hl-claim hl-focus hl-mention"' in html and ">ISKP</a>" in html
    assert html.startswith('First sentence. <span class="hl-claim hl-focus"')
    assert html.endswith(" Last one.")
    plain = html.replace("</span>", "").replace("</a>", "")
    assert "".join(part.split(">", 1)[-1] for part in plain.split("<")) == text


def test_spans_outside_the_text_are_ignored() -> None:
    assert str(highlight("short", [Span(3, 99, "claim"), Span(-1, 2, "claim")])) == "short"


def test_search_snippet_markers_become_mark_elements_after_escaping() -> None:
    snippet = "\x02suicide\x03 attack <b>near</b> \x02Kabul\x03"
    assert str(mark_snippet(snippet, "\x02", "\x03")) == (
        "<mark>suicide</mark> attack &lt;b&gt;near&lt;/b&gt; <mark>Kabul</mark>"
    )


def test_the_stance_index_gives_the_same_links_as_comparing_every_pair() -> None:
    rng = random.Random(7)
    words = ["attack", "kabul", "strike", "ceasefire", "talks", "collapse", "group", "province", "recruit", "funds"]
    pool = [
        StanceInput(
            i,
            rng.choice(["a", "b", "c", "d"]),
            frozenset(rng.sample(["1", "2", "3"], rng.randint(0, 2))),
            " ".join(rng.sample(words, rng.randint(2, 6))),
            rng.random() < 0.3,
            rng.choice(["forecast", "assessment", "denial", "responsibility"]),
        )
        for i in range(120)
    ]
    expected = stance_links(pool)
    index = StanceIndex(pool)
    assert any(agree or contra for agree, contra in expected.values())
    for claim in pool:
        assert index.links(claim.id) == expected[claim.id], claim


def test_evidence_in_quotes_is_not_quoted_twice() -> None:
    from watchfloor.web.pages import quoted

    assert quoted('"The Taliban fight Daesh," said Dr. Haidari.') == '“The Taliban fight Daesh," said Dr. Haidari.”'
    assert quoted("“Within the next year”") == "“Within the next year”"
    assert quoted("plain words") == "“plain words”"
    assert quoted("claimed the bombing.\n") == "“claimed the bombing.”"
