"""Pages as an analyst pastes them: HTML rendered to browser plain text, labelled line by line.

Rendering uses headless Debian chromium through Playwright with JavaScript disabled and every
network request aborted, then reads ``document.body.innerText`` (what a browser copy gives).
Rendered text is cached under ``.cache/pasted/`` in the repository (git-ignored); the gold data in
``../shared/eval`` is read in place and never copied.

Labels (see :func:`label_scrapinghub` and :func:`label_trafilatura`) and the train/evaluation
page split (:func:`page_part`) are shared by the training script and :func:`evaluate_pasted`.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from watchfloor.ingest.clean import clean_lines, clean_lines_lexicon, split_lines
from watchfloor.ingest.decode import decode_text, plain_characters

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = REPO_ROOT / ".cache" / "pasted"
SCRAPINGHUB = "scrapinghub"
TRAFILATURA = "trafilatura_eval"
SUFFIX = ".html.gz"
CACHE_VERSION = "1"  # bump when rendering changes


class RendererUnavailable(RuntimeError):
    """Chromium (or Playwright) is missing and a page is not in the render cache."""


def chromium_path() -> str | None:
    """The chromium binary, or None when it is not installed."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


class Renderer:
    """One headless chromium reused for many pages. Use as a context manager."""

    def __init__(self, timeout_ms: int = 30000) -> None:
        self.timeout_ms = timeout_ms
        self._pw: Any = None
        self._browser: Any = None
        self._context: Any = None
        self._page: Any = None

    def __enter__(self) -> Renderer:
        exe = chromium_path()
        if exe is None:
            raise RendererUnavailable(
                f"chromium not found at {CHROMIUM}: install it with "
                "`apt-get update -qq && apt-get install -y -qq chromium` to render pages"
            )
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:  # pragma: no cover - playwright is a dev dependency
            raise RendererUnavailable("playwright is not installed in this environment") from exc
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=exe, headless=True, args=LAUNCH_ARGS)
        self._new_context()
        return self

    def _new_context(self) -> None:
        if self._context is not None:
            self._context.close()
        self._context = self._browser.new_context(java_script_enabled=False)
        self._context.route("**/*", lambda route: route.abort())
        # One page reused for every render: a new page per render cost 0.41 s against 0.15 s, for the
        # same text (scripts are off, so nothing of one page survives into the next).
        self._page = self._context.new_page()
        self._page.set_default_timeout(self.timeout_ms)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for closer in (self._context, self._browser):
            if closer is not None:
                with contextlib.suppress(Exception):
                    closer.close()
        if self._pw is not None:
            self._pw.stop()
        self._page = self._context = self._browser = self._pw = None

    def render(self, html: str) -> str:
        """``document.body.innerText`` of the page, as a browser copy would give it."""
        if self._page is None:
            raise RuntimeError("Renderer used outside its `with` block")
        self._page.goto("about:blank")  # a fresh document: nothing of the previous page's styles is left
        self._page.set_content(html, wait_until="domcontentloaded")
        text = self._page.evaluate("() => document.body ? document.body.innerText : ''")
        return str(text or "")


def render_html_to_text(html: str) -> str:
    """Render one page (starts and stops a browser: use :class:`Renderer` for many pages)."""
    with Renderer() as renderer:
        return renderer.render(html)


def _cache_dir_for(html_dir: Path) -> Path:
    key = hashlib.sha1(str(html_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return DEFAULT_CACHE / key


def page_ids(html_dir: Path) -> list[str]:
    return sorted(p.name[: -len(SUFFIX)] for p in html_dir.glob("*" + SUFFIX))


def rendered_pages(html_dir: Path, cache_dir: Path | None = None) -> Iterator[tuple[str, str]]:
    """(page id, pasted text) for every ``*.html.gz`` in ``html_dir``, rendered once and cached.

    Raises :class:`RendererUnavailable` when a page is not cached and chromium is missing.
    """
    cache = cache_dir if cache_dir is not None else _cache_dir_for(html_dir)
    cache.mkdir(parents=True, exist_ok=True)
    renderer: Renderer | None = None
    lock: IO[str] | None = None
    try:
        for page_id in page_ids(html_dir):
            cached = cache / f"{page_id}.txt"
            if lock is None and not cached.exists():
                # One renderer at a time per cache (parallel test workers): the others wait, then read.
                lock = (cache / ".render.lock").open("w")
                fcntl.flock(lock, fcntl.LOCK_EX)
            if cached.exists():
                yield page_id, cached.read_text("utf-8")
                continue
            if renderer is None:
                renderer = Renderer().__enter__()
            html, _ = decode_text(gzip.decompress((html_dir / f"{page_id}{SUFFIX}").read_bytes()))
            try:
                text = renderer.render(html)
            except Exception:
                renderer._new_context()
                text = renderer.render(html)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")  # concurrent test workers may render the same page
            tmp.write_text(text, "utf-8")
            tmp.replace(cached)
            yield page_id, text
    finally:
        if renderer is not None:
            renderer.__exit__(None, None, None)
        if lock is not None:
            lock.close()  # releases the lock


# --- the corpora --------------------------------------------------------------------------------


def corpus_dirs(data_dir: Path) -> dict[str, tuple[Path, Path]]:
    """corpus name -> (html dir, gold dir) under ``article_extraction``."""
    root = data_dir if (data_dir / "html").exists() else data_dir / "article_extraction"
    return {
        SCRAPINGHUB: (root / "html", root / "gt"),
        TRAFILATURA: (root / "trafilatura_eval" / "dev" / "html", root / "trafilatura_eval" / "dev" / "gt"),
    }


def page_part(page_id: str) -> str:
    """Deterministic page split, the same for both corpora: "train" (~11/16) or "eval"."""
    return "train" if hashlib.sha1(page_id.encode("utf-8")).hexdigest()[-1] < "b" else "eval"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_WORD = re.compile(r"\w+")


def _shingles(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def label_scrapinghub(text: str, article_body: str, titles: Iterable[str] = ()) -> list[str]:
    """Dense labels, one per non-blank line of ``text``: "article" or "furniture".

    A line of three tokens or more is article when ≥ 60 % of its 3-token shingles (lower-cased)
    occur in the gold body. A shorter line is article when its whole token sequence occurs there
    and it sits between the first and last such long article line. The gold body omits the
    headline, which watchfloor needs as the title: the first line equal to one of ``titles``
    (the page's ``<h1>`` / ``og:title``) is labelled article too.
    """
    gold = [t.lower() for t in _WORD.findall(article_body)]
    gold_sh = set(_shingles(gold, 3))
    gold_seq = " " + " ".join(gold) + " "
    title_set = {norm(t).casefold() for t in titles if len(norm(t)) > 8}
    spans = split_lines(text)
    labels: list[str] = []
    short_hits: list[int] = []
    for i, (s, e) in enumerate(spans):
        toks = [t.lower() for t in _WORD.findall(text[s:e])]
        if len(toks) >= 3:
            sh = _shingles(toks, 3)
            hit = sum(1 for x in sh if x in gold_sh) / len(sh)
            labels.append("article" if hit >= 0.6 else "furniture")
        else:
            labels.append("furniture")
            if toks and (" " + " ".join(toks) + " ") in gold_seq:
                short_hits.append(i)
    long_article = [i for i, lab in enumerate(labels) if lab == "article"]
    if long_article:
        for i in short_hits:
            if long_article[0] < i < long_article[-1]:
                labels[i] = "article"
    first_article = long_article[0] if long_article else len(spans)
    for i, (s, e) in enumerate(spans[:first_article]):
        if norm(text[s:e]).casefold() in title_set:
            labels[i] = "article"
            break
    return labels


def html_titles(html_path: Path) -> list[str]:
    """Headline candidates of a page: its ``og:title`` and ``<h1>`` texts."""
    import lxml.html

    html, _ = decode_text(gzip.decompress(html_path.read_bytes()))
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found = [str(v) for v in root.xpath("//meta[@property='og:title']/@content")]
    found += [norm(h.text_content()) for h in root.xpath("//h1")]
    return found


def label_trafilatura(text: str, gold: dict[str, Any]) -> list[str | None]:
    """Sparse labels per non-blank line: article (holds a `with` snippet), furniture (holds a
    `without` snippet) or None. A line holding both kinds is left unlabelled."""
    withs = [norm(s) for s in snippets(gold, "with") if norm(s)]
    withouts = [norm(s) for s in snippets(gold, "without") if norm(s)]
    title = norm(str(gold.get("title") or "")).casefold()
    labels: list[str | None] = []
    for s, e in split_lines(text):
        line = norm(text[s:e])
        a = any(w in line for w in withs) or (len(title) > 8 and line.casefold() == title)
        f = any(w in line for w in withouts)
        labels.append("article" if a and not f else "furniture" if f and not a else None)
    return labels


def snippet_counts(output: str, gold: dict[str, Any], counts: dict[str, int]) -> None:
    """trafilatura's evaluation: a `with` snippet found in ``output`` is a TP, missing an FN; a
    `without` snippet found is an FP, absent a TN (added to ``counts``)."""
    # Compared without invisible in-word characters and ligatures: ingest spells those out, a reader sees
    # the same text, and the gold keeps the page's soft hyphens.
    out = norm(plain_characters(output))
    for snip in snippets(gold, "with"):
        counts["tp" if norm(plain_characters(snip)) in out else "fn"] += 1
    for snip in snippets(gold, "without"):
        counts["fp" if norm(plain_characters(snip)) in out else "tn"] += 1


def snippet_prf(counts: dict[str, int]) -> dict[str, Any]:
    """Precision, recall and F1 of snippet counts, with the counts."""
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = round(2 * p * r / (p + r), 4) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": f1, **counts}


def snippets(gold: dict[str, Any], key: str) -> list[str]:
    """The `with`/`without` snippet list of a trafilatura_eval gold file (stored as a Python
    list literal in a string)."""
    value = gold.get(key, [])
    if isinstance(value, str):
        value = ast.literal_eval(value) if value.strip() else []
    return [str(v) for v in value]


def labelled_pages(
    data_dir: Path, part: str | None = None, corpora: Iterable[str] = (SCRAPINGHUB, TRAFILATURA)
) -> Iterator[tuple[str, str, str, list[str | None], dict[str, Any]]]:
    """(corpus, page id, pasted text, per-line labels, gold json) for pages of ``part``
    ("train", "eval" or None for all)."""
    dirs = corpus_dirs(data_dir)
    for corpus in corpora:
        html_dir, gt_dir = dirs[corpus]
        for page_id, text in rendered_pages(html_dir):
            if part is not None and page_part(page_id) != part:
                continue
            gold = json.loads((gt_dir / f"{page_id}.json").read_text("utf-8"))
            labels: list[str | None]
            if corpus == SCRAPINGHUB:
                titles = html_titles(html_dir / f"{page_id}{SUFFIX}")
                labels = list(label_scrapinghub(text, gold.get("articleBody", ""), titles))
            else:
                labels = label_trafilatura(text, gold)
            yield corpus, page_id, text, labels, gold


def check_data(data_dir: Path) -> None:
    """Raise a clear error when the pages cannot be rendered and are not cached."""
    for html_dir, _ in corpus_dirs(data_dir).values():
        if not html_dir.exists():
            raise FileNotFoundError(f"{html_dir} not found (expected ../shared/eval/article_extraction)")
        cache = _cache_dir_for(html_dir)
        missing = [i for i in page_ids(html_dir) if not (cache / f"{i}.txt").exists()]
        if missing and chromium_path() is None:
            raise RendererUnavailable(
                f"{len(missing)} pages of {html_dir} are not in the render cache {cache} and chromium "
                f"is missing ({CHROMIUM}); install it: apt-get update -qq && apt-get install -y -qq chromium"
            )


# --- scoring ------------------------------------------------------------------------------------

Cleaner = Callable[[str], "tuple[list[tuple[int, int]], list[Any]]"]


def _keep_all(text: str) -> tuple[list[tuple[int, int]], list[Any]]:
    return split_lines(text), []


CLEANERS: dict[str, Cleaner] = {"keep_all": _keep_all, "lexicon": clean_lines_lexicon, "model": clean_lines}


def _shingle_counter(text: str) -> Counter[tuple[str, ...]]:
    toks = _WORD.findall(plain_characters(text))
    return Counter(_shingles(toks, 4))


def shingle_prf(pages: list[tuple[str, str]]) -> dict[str, float]:
    """The scrapinghub benchmark metric over (predicted, gold) pairs: per-page normalised
    TP/FP/FN over multisets of 4-token shingles, precision and recall averaged over pages."""
    ps, rs = [], []
    for pred, gold in pages:
        p, g = _shingle_counter(pred), _shingle_counter(gold)
        tp = sum((p & g).values())
        fp = sum((p - g).values())
        fn = sum((g - p).values())
        total = tp + fp + fn
        if total == 0:
            ps.append(1.0)
            rs.append(1.0)
            continue
        tp_, fp_, fn_ = tp / total, fp / total, fn / total
        ps.append(tp_ / (tp_ + fp_) if tp_ + fp_ else 0.0)
        rs.append(tp_ / (tp_ + fn_) if tp_ + fn_ else 0.0)
    p_mean = sum(ps) / len(ps) if ps else 0.0
    r_mean = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p_mean * r_mean / (p_mean + r_mean) if p_mean + r_mean else 0.0
    return {"precision": round(p_mean, 4), "recall": round(r_mean, 4), "f1": round(f1, 4)}


def _line_scores(kept_flags: list[bool], labels: list[str | None]) -> tuple[int, int, int, int]:
    """(article kept, article total, furniture removed, furniture total)."""
    ak = at = fr = ft = 0
    for keep, lab in zip(kept_flags, labels, strict=True):
        if lab == "article":
            at += 1
            ak += keep
        elif lab == "furniture":
            ft += 1
            fr += not keep
    return ak, at, fr, ft


def kept_flags(text: str, cleaner: Cleaner) -> list[bool]:
    kept = set(cleaner(text)[0])
    return [span in kept for span in split_lines(text)]


def evaluate_pasted(data_dir: Path, part: str = "eval") -> dict[str, Any]:
    """Scores of each cleaner (keep_all, lexicon, model) on the pasted pages of ``part``.

    Per corpus and cleaner: furniture recall and article retention over labelled lines; on
    scrapinghub the benchmark's 4-shingle P/R/F1 of kept text against the gold body; on
    trafilatura_eval the snippet P/R/F1 of trafilatura's evaluation (`with` found = TP, missing =
    FN; `without` found = FP, absent = TN). Also the model's mean milliseconds per page.
    Raises :class:`RendererUnavailable` when chromium is missing and the cache is cold.
    """
    check_data(data_dir)
    pages = list(labelled_pages(data_dir, part))
    out: dict[str, Any] = {"part": part, "pages": {}, "scores": {}}
    timing: dict[str, float] = {}
    for corpus in (SCRAPINGHUB, TRAFILATURA):
        cp = [p for p in pages if p[0] == corpus]
        out["pages"][corpus] = len(cp)
        per: dict[str, Any] = {}
        for name, cleaner in CLEANERS.items():
            ak = at = fr = ft = 0
            shingle_pairs: list[tuple[str, str]] = []
            counts = {"tp": 0, "fn": 0, "fp": 0, "tn": 0}
            t0 = time.perf_counter()
            for _, _, text, labels, gold in cp:
                flags = kept_flags(text, cleaner)
                a, b, c, d = _line_scores(flags, labels)
                ak, at, fr, ft = ak + a, at + b, fr + c, ft + d
                kept_text = "\n".join(text[s:e] for (s, e), k in zip(split_lines(text), flags, strict=True) if k)
                if corpus == SCRAPINGHUB:
                    shingle_pairs.append((kept_text, gold.get("articleBody", "")))
                else:
                    snippet_counts(kept_text, gold, counts)
            timing[f"{corpus}/{name}"] = (time.perf_counter() - t0) * 1000 / max(len(cp), 1)
            entry: dict[str, Any] = {
                "furniture_recall": round(fr / ft, 4) if ft else None,
                "article_retention": round(ak / at, 4) if at else None,
                "furniture_lines": ft,
                "article_lines": at,
            }
            if corpus == SCRAPINGHUB:
                entry["shingle4"] = shingle_prf(shingle_pairs)
            else:
                entry["snippets"] = snippet_prf(counts)
            per[name] = entry
        out["scores"][corpus] = per
    out["ms_per_page_model"] = round(
        sum(timing[f"{c}/model"] * out["pages"][c] for c in out["pages"]) / max(sum(out["pages"].values()), 1), 2
    )
    return out


def warm_cache(data_dir: Path) -> dict[str, int]:
    """Render every page of both corpora into the cache; returns page counts."""
    counts = {}
    for corpus, (html_dir, _) in corpus_dirs(data_dir).items():
        counts[corpus] = sum(1 for _ in rendered_pages(html_dir))
    return counts


if __name__ == "__main__":  # python -m watchfloor.eval.pasted [DATA_DIR]: warm the render cache
    import sys

    arg = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT.parent / "shared" / "eval" / "article_extraction"
    print(warm_cache(arg))
