"""The only module that touches FAISS files: an exact inner-product index keyed by card id,
written atomically beside a manifest; an index whose fingerprint no longer matches the
database's vectors is refused.

Exact search (IndexFlatIP) is right up to a few hundred thousand cards; beyond that switch to
IndexHNSWFlat or IVF and check its recall against this exact index first.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

INDEX_FILE = "cards.faiss"
MANIFEST_FILE = "manifest.json"


class StaleIndexError(RuntimeError):
    """The index on disk does not match the database: rebuild it with `compare index`."""


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
        return cls(faiss.read_index(str(Path(index_dir) / INDEX_FILE)), manifest)

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


# Up to this many vectors search is exact (inner product over every vector). Above it, an
# inverted-file index (4 sqrt(n) lists, IVF_PROBES of them searched) keeps one query near a
# millisecond, and all-pairs neighbour lists (pairings) are computed cluster by cluster;
# `bench/latency.py` prints the recall of both against exact search.
EXACT_LIMIT = 20_000
IVF_PROBES = 16


def build_faiss_index(ids: np.ndarray, matrix: np.ndarray, dim: int) -> faiss.Index:
    """An index over `matrix` whose results are card ids, and which gives a card's vector back."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if len(ids) <= EXACT_LIMIT:
        index: faiss.Index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    else:
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, int(4 * len(ids) ** 0.5), faiss.METRIC_INNER_PRODUCT)
        index.train(matrix)
        index.nprobe = IVF_PROBES
        index.set_direct_map_type(faiss.DirectMap.Hashtable)  # vector(card id) by reconstruct
    if len(ids):
        index.add_with_ids(matrix, ids.astype(np.int64))
    return index


def neighbours_of_all(ids: np.ndarray, matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, card ids) of each vector's k nearest by inner product (itself included): exact up
    to EXACT_LIMIT vectors; above it, the vectors are clustered (sqrt(n) k-means clusters) and
    each cluster's members are compared, as one matrix product, with the members of the
    IVF_PROBES clusters nearest to it, so the work grows with n^1.5 instead of n^2."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    n, dim = matrix.shape
    k = min(k, n)
    if n == 0 or k == 0:
        return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
    if n <= EXACT_LIMIT:
        return build_faiss_index(ids, matrix, dim).search(matrix, k)
    clusters = int(n**0.5)
    kmeans = faiss.Kmeans(dim, clusters, niter=10, seed=1, spherical=True)
    kmeans.train(matrix[np.random.default_rng(1).choice(n, min(n, 50 * clusters), replace=False)])
    assigned = kmeans.index.search(matrix, 1)[1][:, 0]
    nearby = kmeans.index.search(kmeans.centroids, min(IVF_PROBES, clusters))[1]
    members = [np.flatnonzero(assigned == cluster) for cluster in range(clusters)]
    scores, hits = np.zeros((n, k), dtype=np.float32), np.full((n, k), -1, dtype=np.int64)
    for cluster, queries in enumerate(members):
        if not len(queries):
            continue
        pool = np.concatenate([members[other] for other in nearby[cluster]])
        found = min(k, len(pool))
        similarity = matrix[queries] @ matrix[pool].T
        best = np.argpartition(-similarity, found - 1, axis=1)[:, :found]
        best_scores = np.take_along_axis(similarity, best, axis=1)
        order = np.argsort(-best_scores, axis=1)
        scores[queries, :found] = np.take_along_axis(best_scores, order, axis=1)
        hits[queries, :found] = ids[pool[np.take_along_axis(best, order, axis=1)]]
    return scores, hits
