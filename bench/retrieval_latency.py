"""Query latency and ANN recall of the chat's retrieval path over the embedded LanceDB index.

Usage: python -m bench.retrieval_latency [N] [--chunks-per-document 1000] [--queries 200]
       [--rounds 2] [--fresh] [--compare-masked] [--section-titles]

Loads N chunks (384-d unit vectors, 12 random words, a category, a price and access lists) in
documents of ``--chunks-per-document`` through ``LanceDbIndex.bulk_load``, then times
``HybridRetriever.search`` built as ``/chat`` builds it (stop words dropped for BM25, one hit per
page, spelling correction) with precomputed query vectors (so no embedding time) per mode,
unfiltered, with a category + price filter, and with an access scope. The built index is kept in
``bench/out/retrieval_latency/N`` (with the corpus vectors, for recall) and reused by later
runs; ``--fresh`` rebuilds it. ``--section-titles`` gives every chunk a section heading path
as a manual's chunks have (rankings read titles to tell sections apart: ``ridgeline.places``),
in its own ``N-perM-titles`` folder; the words, vectors and filters stay the same.

Vectors are drawn around 2,000 random centres (cosine ~0.75 to their centre), as real
embeddings cluster; uniform random 384-d vectors have no neighbours worth the name and make any
ANN index look broken. Recall@10 of the vector ranking is measured against exact numpy search
over the same vectors. Each timing line gives wall-clock p50/p95 and process CPU p50/p95 (all
threads): on a shared machine the wall clock includes waiting for a core, the CPU time does not.
``--compare-masked`` also times an index whose filtered rankings are always masked and whose
records are looked up by id (as before :mod:`retrieval.lancedb.post_filter` and
:mod:`retrieval.lancedb.records`), the two taking turns query by query ("chat" / "masked").
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import lancedb
import numpy as np

from retrieval.lancedb import LanceDbIndex
from retrieval.lancedb.post_filter import PostFilter
from retrieval.retriever import HybridRetriever
from ridgeline.ranking import RankingQuery
from ridgeline.settings import RetrievalMode, Settings
from ridgeline.types import AccessScope, Chunk, NewDocument, SearchFilters, SourceDocument

DIMENSION = 384
CENTRES = 2_000
VOCABULARY = np.array([f"w{n}" for n in range(5000)])
CATEGORIES = np.array([f"cat{n}" for n in range(10)])
GROUPS = [f"group{n}" for n in range(20)]
CATALOG_FILTER = SearchFilters(include_category="cat3", max_price=500.0)
ACCESS_FILTER = SearchFilters(access=AccessScope(user_id="user7", group_ids=("group3", "group11")))
OUT = Path(__file__).resolve().parent / "out" / "retrieval_latency"
BUILT_MARKER = "built.txt"


class Corpus:
    """Deterministic synthetic vectors and words; ``draws`` seeds what is drawn around the
    centres (queries use another seed than the corpus, around the same centres)."""

    def __init__(self, seed: int, *, draws: int | None = None) -> None:
        self.rng = np.random.default_rng(seed)
        self.centres = self._normalise(self.rng.standard_normal((CENTRES, DIMENSION)))
        if draws is not None:
            self.rng = np.random.default_rng(draws)

    @staticmethod
    def _normalise(vectors: np.ndarray) -> np.ndarray:
        vectors = vectors.astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def vectors(self, count: int) -> np.ndarray:
        centres = self.centres[self.rng.integers(0, CENTRES, count)]
        noise = self.rng.standard_normal((count, DIMENSION)) * (0.9 / np.sqrt(DIMENSION))
        return self._normalise(centres + noise)

    def texts(self, count: int, words: int) -> list[str]:
        picked = VOCABULARY[self.rng.integers(0, len(VOCABULARY), (count, words))]
        return [" ".join(row) for row in picked]

    def access(self) -> dict[str, tuple[str, ...]]:
        roll = self.rng.random()
        if roll < 0.5:
            return {}
        if roll < 0.7:
            return {"access_users": (f"user{self.rng.integers(0, 100)}",)}
        return {"access_groups": tuple(self.rng.choice(GROUPS, size=2, replace=False))}


def documents(
    corpus: Corpus, total: int, per_document: int, sink: list[np.ndarray], *, titles: bool = False
) -> Iterator:
    """``total`` chunks in documents of ``per_document``; their vectors are added to ``sink``.
    With ``titles`` each document has ten sections, each chunk its section's heading path."""
    for start in range(0, total, per_document):
        count = min(per_document, total - start)
        doc_id = f"doc{start // per_document}.csv"
        texts = corpus.texts(count, 12)
        categories = CATEGORIES[corpus.rng.integers(0, len(CATEGORIES), count)]
        prices = corpus.rng.uniform(1, 1000, count)
        chunks = [
            Chunk(
                chunk_id=f"{doc_id}-{n}",
                document_id=doc_id,
                source=doc_id,
                citation=f"{doc_id}#id={n}",
                content=texts[n],
                title=_section_title(doc_id, n * 10 // count) if titles else None,
                category=str(categories[n]),
                price=float(prices[n]),
                **corpus.access(),  # type: ignore[arg-type]
            )
            for n in range(count)
        ]
        document = SourceDocument(
            document_id=doc_id, path=Path(doc_id), source=doc_id, content_hash="x", size_bytes=1
        )
        vectors = corpus.vectors(count)
        sink.append(vectors)
        yield NewDocument(document=document, chunks=chunks, vectors=vectors)


def _section_title(doc_id: str, section: int) -> str:
    return f"Owner's manual {doc_id} > Section {section + 1} > Care and Cleaning"


def load(
    directory: Path, total: int, per_document: int, *, fresh: bool, titles: bool = False
) -> np.ndarray:
    """The corpus vectors; builds the index in ``directory`` unless a finished one is there."""
    marker = directory / BUILT_MARKER
    if marker.exists() and not fresh:
        print(f"reusing {directory}: {marker.read_text().strip()}", flush=True)
        return np.load(directory / "vectors.npy")
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    index = LanceDbIndex(directory / "index", dimension=DIMENSION)
    sink: list[np.ndarray] = []
    started, started_cpu = time.perf_counter(), time.process_time()
    written = index.bulk_load(documents(Corpus(seed=7), total, per_document, sink, titles=titles))
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    vectors = np.concatenate(sink)
    np.save(directory / "vectors.npy", vectors)
    note = f"{written} chunks bulk-loaded and indexed in {wall:.1f} s wall, {cpu:.1f} s CPU"
    marker.write_text(note + f" (load average then: {_load()})\n")
    print(note, flush=True)
    return vectors


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def percentiles(
    runs: dict[str, Callable[[int], object]], queries: int
) -> dict[str, tuple[float, ...]]:
    """Wall p50, p95 and process-CPU p50, p95 per query, in ms, of each run.

    Several runs take turns query by query (the first one first on even queries, last on odd
    ones), so that a shared machine's load weighs on each alike.
    """
    for run in runs.values():
        run(0)  # warm caches
    samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in runs}
    for q in range(queries):
        for name in list(runs) if q % 2 == 0 else list(reversed(runs)):
            started, started_cpu = time.perf_counter(), time.process_time()
            runs[name](q)
            samples[name][0].append((time.perf_counter() - started) * 1000)
            samples[name][1].append((time.process_time() - started_cpu) * 1000)
    figures: dict[str, tuple[float, ...]] = {}
    for name, (wall, cpu) in samples.items():
        w, c = statistics.quantiles(wall, n=100), statistics.quantiles(cpu, n=100)
        figures[name] = (w[49], w[94], c[49], c[94])
    return figures


class PrecomputedEmbedder:
    """A TextEmbedder that answers each benchmark query with its precomputed vector."""

    name = "precomputed"
    max_input_tokens = 256
    dimension = DIMENSION

    def __init__(self, texts: list[str], vectors: np.ndarray) -> None:
        self._vectors = dict(zip(texts, vectors.tolist(), strict=True))

    def embed_query(self, text: str) -> list[float]:
        return self._vectors[text]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vectors[t] for t in texts]


def chat_retriever(index: LanceDbIndex, embedder: PrecomputedEmbedder) -> HybridRetriever:
    """The retriever as ``wiring.build_chat_service`` builds it (no query-image models)."""
    return HybridRetriever(
        index=index,
        embedder=embedder,
        rrf_k=Settings().rrf_k,
        drop_stop_words=True,
        distinct_pages=True,
        correct_spelling=True,
    )


def wait_for_vocabulary(index: LanceDbIndex, *, timeout_s: float = 120.0) -> None:
    """Spelling correction counts a large index's words in the background; let it finish."""
    deadline = time.monotonic() + timeout_s
    while not len(index.vocabulary()) and time.monotonic() < deadline:
        time.sleep(0.5)


def measure(retrievers: dict[str, HybridRetriever], texts: list[str], queries: int) -> None:
    modes: list[RetrievalMode] = ["text", "vectors", "hybrid"]
    filters: dict[str, SearchFilters | None] = {
        "unfiltered": None,
        "category+price": CATALOG_FILTER,
        "access": ACCESS_FILTER,
    }
    print(f"load average before: {_load()}", flush=True)
    for mode in modes:
        for label, selected in filters.items():

            def searcher(
                retriever: HybridRetriever,
                mode: RetrievalMode = mode,
                selected: SearchFilters | None = selected,
            ) -> Callable[[int], object]:
                return lambda q: retriever.search(texts[q], mode=mode, top=5, filters=selected)

            runs = {name: searcher(retriever) for name, retriever in retrievers.items()}
            for name, (p50, p95, cpu50, cpu95) in percentiles(runs, queries).items():
                print(
                    f"{mode:<8} {label:<15} {name:<12} wall p50 {p50:7.2f} p95 {p95:7.2f} ms   "
                    f"cpu p50 {cpu50:7.2f} p95 {cpu95:7.2f} ms",
                    flush=True,
                )
    print(f"load average after: {_load()}", flush=True)


def recall_at_10(
    retriever: HybridRetriever,
    corpus_vectors: np.ndarray,
    texts: list[str],
    queries: np.ndarray,
    *,
    per_document: int,
) -> float:
    """Share of the exact top 10 (numpy, cosine) that the vector ranking returns."""
    exact = np.argsort(-(queries @ corpus_vectors.T), axis=1)[:, :10]
    found = 0
    for text, truth in zip(texts, exact, strict=True):
        hits = retriever.search(text, mode="vectors", top=10)
        got = {h.chunk.chunk_id for h in hits}
        found += len(got & {f"doc{i // per_document}.csv-{i % per_document}" for i in truth})
    return found / (10 * len(queries))


def indexes(directory: Path, *, compare: bool) -> dict[str, LanceDbIndex]:
    """The index as ``/chat`` opens it; with ``compare``, also one that always masks filtered
    rankings and looks fetched records up by id (main before this work), to time both in one
    run."""
    opened = {"chat": LanceDbIndex(directory, dimension=DIMENSION)}
    if compare:
        always_mask = PostFilter(min_rows=sys.maxsize)
        opened["masked"] = LanceDbIndex(
            directory, dimension=DIMENSION, post_filter=always_mask, fetch_by_address=False
        )
    return opened


def allowed_by_access(directory: Path, total: int, per_document: int) -> np.ndarray:
    """Which corpus rows (in corpus order) ``ACCESS_FILTER`` lets through, read from the index
    and checked here in Python: the truth the filtered rankings are scored against."""
    scope = ACCESS_FILTER.access
    assert scope is not None
    columns = ["chunk_id", "access_public", "access_users", "access_groups"]
    chunks = lancedb.connect(str(directory)).open_table("chunks")
    rows = chunks.search().select(columns).limit(None).to_arrow().to_pylist()
    allowed = np.zeros(total, dtype=bool)
    for row in rows:
        document, number = row["chunk_id"].removeprefix("doc").split(".csv-")
        allowed[int(document) * per_document + int(number)] = (
            row["access_public"]
            or scope.user_id in row["access_users"]
            or bool(set(scope.group_ids) & set(row["access_groups"]))
        )
    return allowed


def filtered_recall_at_10(
    index: LanceDbIndex,
    corpus_vectors: np.ndarray,
    queries: np.ndarray,
    allowed: np.ndarray,
    *,
    per_document: int,
) -> float:
    """Share of the exact top 10 among the rows ``ACCESS_FILTER`` lets through that the vector
    ranking of a hybrid search (50 rows, no exact re-scoring) puts in its first 10."""
    rows = np.flatnonzero(allowed)
    exact = rows[np.argsort(-(queries @ corpus_vectors[rows].T), axis=1)[:, :10]]
    found = 0
    for vector, truth in zip(queries, exact, strict=True):
        asked = RankingQuery(field="vector", vector=vector.tolist(), top=50, filters=ACCESS_FILTER)
        got = {entry.chunk_id for entry in index.rank([asked])[0][:10]}
        found += len(got & {f"doc{i // per_document}.csv-{i % per_document}" for i in truth})
    return found / (10 * len(queries))


def main(
    total: int,
    *,
    per_document: int,
    queries: int,
    rounds: int,
    fresh: bool,
    compare: bool,
    titles: bool = False,
) -> None:
    directory = OUT / f"{total}-per{per_document}{'-titles' if titles else ''}"
    corpus_vectors = load(directory, total, per_document, fresh=fresh, titles=titles)
    queries_corpus = Corpus(seed=7, draws=11)  # not corpus rows, same clusters
    # Numbered, so that two queries drawing the same words keep their own vectors.
    texts = [f"{words} q{n}" for n, words in enumerate(queries_corpus.texts(queries, 3))]
    query_vectors = queries_corpus.vectors(queries)
    embedder = PrecomputedEmbedder(texts, query_vectors)
    retrievers = {}
    allowed: np.ndarray | None = None
    for name, index in indexes(directory / "index", compare=compare).items():
        retrievers[name] = chat_retriever(index, embedder)
        wait_for_vocabulary(index)
        recall = recall_at_10(
            retrievers[name],
            corpus_vectors,
            texts[:100],
            query_vectors[:100],
            per_document=per_document,
        )
        print(
            f"N={total} {name}: vector recall@10 vs exact (100 queries): {recall:.3f}", flush=True
        )
        if allowed is None:
            allowed = allowed_by_access(directory / "index", total, per_document)
        recall = filtered_recall_at_10(
            index, corpus_vectors, query_vectors[:100], allowed, per_document=per_document
        )
        print(f"N={total} {name}: access-filtered vector recall@10: {recall:.3f}", flush=True)
    for round_ in range(1, rounds + 1):
        print(f"-- round {round_}", flush=True)
        measure(retrievers, texts, queries)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("total", nargs="?", type=int, default=10_000)
    parser.add_argument("--chunks-per-document", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached index")
    parser.add_argument(
        "--compare-masked",
        action="store_true",
        help="also time an index that masks every filtered ranking, query by query in turn",
    )
    parser.add_argument(
        "--section-titles", action="store_true", help="chunks carry section heading paths"
    )
    args = parser.parse_args()
    main(
        args.total,
        per_document=args.chunks_per_document,
        queries=args.queries,
        rounds=args.rounds,
        fresh=args.fresh,
        compare=args.compare_masked,
        titles=args.section_titles,
    )
