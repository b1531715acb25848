"""The only module that touches FAISS files: an inner-product index keyed by card id (exact up
to EXACT_LIMIT cards, an HNSW graph above), written atomically beside a manifest; an index
whose fingerprint no longer matches the database's vectors is refused."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from compare.errors import CompareError

INDEX_FILE = "cards.faiss"
MANIFEST_FILE = "manifest.json"


class StaleIndexError(CompareError, RuntimeError):
    """The index on disk does not match the database: rebuild it with `compare index`."""


class BrokenIndexError(StaleIndexError):
    """The index file cannot be read (truncated, overwritten): it is rebuilt from the database."""


def fingerprint(entries: list[tuple[int, str]]) -> str:
    """Identity of a set of vectors: (card id, text hash) pairs."""
    digest = hashlib.sha256()
    for card_id, text_hash in sorted(entries):
        digest.update(f"{card_id}:{text_hash};".encode())
    return digest.hexdigest()


@dataclass
class Manifest:
    model: str
    dim: int
    count: int
    fingerprint: str


def read_manifest(index_dir: Path) -> Manifest | None:
    path = Path(index_dir) / MANIFEST_FILE
    if not path.exists() or not (Path(index_dir) / INDEX_FILE).exists():
        return None
    try:
        return Manifest(**json.loads(path.read_text()))
    except (ValueError, TypeError):
        return None


def write_index(index_dir: Path, ids: np.ndarray, matrix: np.ndarray, manifest: Manifest) -> None:
    """Build and write atomically: readers see the old pair of files or the new one."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    index = build_faiss_index(ids, matrix, manifest.dim)
    tmp_index = index_dir / f".{INDEX_FILE}.tmp"
    tmp_manifest = index_dir / f".{MANIFEST_FILE}.tmp"
    faiss.write_index(index, str(tmp_index))
    tmp_manifest.write_text(json.dumps(manifest.__dict__, indent=2))
    os.replace(tmp_index, index_dir / INDEX_FILE)
    os.replace(tmp_manifest, index_dir / MANIFEST_FILE)


class VectorIndex:
    def __init__(self, index: faiss.Index, manifest: Manifest) -> None:
        self.index = index
        self.manifest = manifest

    @classmethod
    def load(cls, index_dir: Path, expected_fingerprint: str | None = None) -> VectorIndex:
        manifest = read_manifest(index_dir)
        if manifest is None:
            raise StaleIndexError(f"no index in {index_dir}: run `compare index`")
        if expected_fingerprint is not None and manifest.fingerprint != expected_fingerprint:
            raise StaleIndexError(f"the index in {index_dir} is stale (cards or vectors changed): run `compare index`")
        try:
            index = faiss.read_index(str(Path(index_dir) / INDEX_FILE))
        except RuntimeError as error:  # truncated or not an index at all
            raise BrokenIndexError(f"the index file in {index_dir} is unreadable ({str(error)[-120:]})") from None
        if index.ntotal != manifest.count:
            raise BrokenIndexError(f"the index file in {index_dir} holds {index.ntotal} vectors, not {manifest.count}")
        if (graph := _graph(index)) is not None:
            graph.hnsw.efSearch = QUERY_EF
        return cls(index, manifest)

    def vector(self, card_id: int) -> np.ndarray | None:
        try:
            return self.index.reconstruct(int(card_id))
        except RuntimeError:  # not in the index
            return None

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(card id, cosine) best first."""
        k = min(k, self.index.ntotal)
        if k <= 0:
            return []
        scores, ids = self.index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def search_many(self, matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.index.ntotal)
        return self.index.search(np.ascontiguousarray(matrix, dtype=np.float32), k)


# Up to this many vectors search is exact (inner product over every vector). Above it, an HNSW
# graph, chosen over IVF by `bench/ann.py`: at 100k synthetic cards HNSW gives recall@10 0.964 at
# 0.30 ms a query where IVF (4 sqrt(n) lists) gives 0.953 at 0.87 ms with 32 probed, and its
# all-pairs neighbour lists grow as about n^1.3 where clustered IVF grew as n^1.5. A query searches
# wide (efSearch 192: recall@10 0.951 at 1M cards in bench/latency.py); pairings' search of every
# card at once is narrower (32: recall 0.96 at 100k, 0.88 at 1M), to stay within minutes.
EXACT_LIMIT = 20_000
HNSW_LINKS = 32  # M: links per vector
HNSW_BUILD_EF = 64  # efConstruction
QUERY_EF = 192  # efSearch for a query (like, search)
ALL_PAIRS_EF = 32  # efSearch for every card's neighbours at once (pairings)


def build_faiss_index(ids: np.ndarray, matrix: np.ndarray, dim: int) -> faiss.Index:
    """An index over `matrix` whose results are card ids, and which gives a card's vector back."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if len(ids) <= EXACT_LIMIT:
        inner: faiss.Index = faiss.IndexFlatIP(dim)
    else:
        inner = faiss.IndexHNSWFlat(dim, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = HNSW_BUILD_EF
        inner.hnsw.efSearch = QUERY_EF
    index = faiss.IndexIDMap2(inner)
    if len(ids):
        index.add_with_ids(matrix, ids.astype(np.int64))
    return index


def _graph(index: faiss.Index) -> faiss.IndexHNSW | None:
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else index
    return inner if isinstance(inner, faiss.IndexHNSW) else None


def neighbours_of_all(
    ids: np.ndarray, matrix: np.ndarray, k: int, index: faiss.Index | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(scores, card ids) of each vector's k nearest by inner product (itself included), exact up
    to EXACT_LIMIT vectors, else from the HNSW graph. `index` is the index of these very vectors
    where one is built already (it is built here otherwise)."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    n, dim = matrix.shape
    k = min(k, n)
    if n == 0 or k == 0:
        return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
    index = index if index is not None else build_faiss_index(ids, matrix, dim)
    graph = _graph(index)
    if graph is None:
        return index.search(matrix, k)
    query_ef, graph.hnsw.efSearch = graph.hnsw.efSearch, ALL_PAIRS_EF
    try:
        return index.search(matrix, k)
    finally:
        graph.hnsw.efSearch = query_ef
