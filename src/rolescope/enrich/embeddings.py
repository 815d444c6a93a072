"""Text embeddings for semantic job matching: all-MiniLM-L6-v2 distilled into a static model.

The model (``models/static_minilm``, 7.6 MB, built by ``scripts/distill_static_model.py``; its
SOURCE.md gives the licence and how far it agrees with full MiniLM) gives every token of MiniLM's
vocabulary one 256-wide vector; a text's embedding is the mean of its tokens' vectors, L2-normalised.
It runs on numpy and the ``tokenizers`` package through model2vec, the optional extra
``pip install "rolescope[semantic]"``: no torch. Without the extra, :func:`available` is False and
job matching ranks without embeddings.

Texts are read up to ``MAX_TOKENS`` tokens: MiniLM itself reads 256, and longer windows agreed less
with it (the distillation script's docstring has the figures).
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from rolescope.errors import DataError, NotReady

MODEL_DIR = Path(__file__).parent / "models" / "static_minilm"
MAX_TOKENS = 256
INSTALL_HINT = 'install the extra: pip install "rolescope[semantic]"'
# Bump when what is embedded for a posting changes (fields, window); the model's own hash is added.
TEXT_VERSION = "v1"


def available() -> bool:
    """True when the optional extra (model2vec) is installed, so texts can be embedded."""
    return importlib.util.find_spec("model2vec") is not None


@cache
def model_version() -> str:
    """The embedding step's version: the shipped model's content hash and ``TEXT_VERSION``.

    A rebuilt model gets a new version, so every stored embedding counts as out of date.
    """
    digest = hashlib.sha256((MODEL_DIR / "model.safetensors").read_bytes()).hexdigest()[:12]
    return f"embeddings.static_minilm.{digest}.{TEXT_VERSION}"


def posting_text(title: str | None, description: str | None) -> str:
    """What is embedded for a posting: its title, then its description (the window cuts the end)."""
    return f"{title or ''}\n\n{description or ''}".strip()


class StaticEmbedder:
    """The shipped static model, loaded once: ``embed(texts)`` gives one unit vector per text."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        if not available():
            raise NotReady("semantic matching needs the optional model2vec package", hint=INSTALL_HINT)
        from model2vec import StaticModel

        try:
            self.model_: Any = StaticModel.from_pretrained(str(model_dir))  # a local folder: never the hub
        except (OSError, ValueError) as exc:
            raise DataError(
                f"the embedding model in {model_dir} could not be read: {exc}",
                hint="reinstall rolescope, or rebuild it: python scripts/distill_static_model.py",
            ) from None
        self.dims = int(self.model_.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dims)`` float32, each row of length 1 (all zeros for a text with no tokens)."""
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        raw = self.model_.encode(
            list(texts), max_length=MAX_TOKENS, normalize=False, use_multiprocessing=False
        )
        vectors = np.asarray(raw, dtype=np.float32).reshape(len(texts), self.dims)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


_LOCK = threading.Lock()


@cache
def _default() -> StaticEmbedder:
    return StaticEmbedder()


def default_embedder() -> StaticEmbedder:
    """The shipped model, loaded on first use and kept. NotReady when the extra is not installed."""
    with _LOCK:  # one load, even when two web requests arrive together
        return _default()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Embed ``texts`` with the shipped model: L2-normalised float32 rows, one per text.

    >>> vectors = embed(["LLM engineer", "Builds retrieval over documents"])  # doctest: +SKIP
    >>> vectors.shape, float(vectors[0] @ vectors[0])  # doctest: +SKIP
    ((2, 256), 1.0)
    """
    return default_embedder().embed(texts)
