"""Ridgeline beside two widely used hybrid retrievers, on the same chunks, embedder and questions.

The chunks are those of the Northwind index that ``python -m bench.retrieval northwind`` builds
(under ``--cache``); every system indexes the same text per chunk (the chunk's title and content,
what Ridgeline embeds) and embeds it with the same packaged all-MiniLM-L6-v2, computed once and
handed to all three, so "ingest" below is the time to build each system's indexes from text and
vectors (embedding time is printed once, apart). Questions: the Northwind QA set split with the
documented seed (:mod:`bench.tuning_split`); nothing here was tuned on either half.

- LangChain: ``EnsembleRetriever`` over ``BM25Retriever`` and an ``InMemoryVectorStore``
  retriever, equal weights (its defaults).
- LlamaIndex: ``QueryFusionRetriever`` (reciprocal rerank, one query: no LLM) over its
  ``BM25Retriever`` and a ``VectorStoreIndex`` retriever.
- Ridgeline: ``HybridRetriever`` with the chat defaults over a fresh LanceDB index of the same
  chunks, and the same behind the multi-query layer.

Each answers with chunks; the metric (truth page in the top 5, MRR@10, recall@5/@10 of two-page
questions) reads the distinct pages in the order they first appear. Latency p50/p95 is per query.

Needs the ``peers`` extra (``pip install -e .[peers]``); ``make test`` does not install it.

Usage:
    python -m bench.peers [--data ../shared/data] [--cache bench/out/retrieval] [--seed 14]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.corpus_io import read_jsonl
from bench.retrieval import _northwind_index, truth_pages
from bench.tuning_split import SPLIT_SEED, Question, paired, score_set, split_half
from ingestion.splitter import embedding_text
from retrieval.lancedb import LanceDbIndex
from retrieval.multi_query import MultiQueryRetriever
from retrieval.retriever import HybridRetriever
from ridgeline.errors import FeatureNotAvailableError
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.types import Chunk, SourceDocument

_PER_LEG = 20  # chunks each leg returns, so that ten distinct pages remain after fusion
Rank = Callable[[str, int], list[str]]  # question, top -> citations, best first


@dataclass(frozen=True)
class Corpus:
    chunks: list[Chunk]
    texts: list[str]  # what every system indexes and embeds, per chunk
    vectors: list[list[float]]


class MemoEmbedder:
    """The packaged MiniLM, each text embedded once (documents were embedded up front)."""

    def __init__(self, texts: Sequence[str], vectors: Sequence[list[float]]) -> None:
        self._model = SentenceTransformerEmbedder()
        self._known = dict(zip(texts, vectors, strict=True))

    def documents(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in texts if t not in self._known]
        if missing:
            self._known.update(zip(missing, self._model.embed_documents(missing), strict=True))
        return [self._known[t] for t in texts]

    def query(self, text: str) -> list[float]:
        if text not in self._known:
            self._known[text] = self._model.embed_query(text)
        return self._known[text]


def load_corpus(index: LanceDbIndex, directory: Path) -> Corpus:
    import lancedb

    ids = lancedb.connect(directory).open_table("chunks").to_arrow().column("chunk_id")
    fetched = index.fetch([str(i) for i in ids.to_pylist()])
    chunks = [fetched[k] for k in sorted(fetched)]
    texts = [embedding_text(c) for c in chunks]
    started = time.perf_counter()
    vectors = SentenceTransformerEmbedder().embed_documents(texts)
    seconds = time.perf_counter() - started
    print(f"embedded {len(texts)} chunks once for all systems in {seconds:.0f} s")
    return Corpus(chunks=chunks, texts=texts, vectors=vectors)


def pages(citations: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(citations))


def langchain_ensemble(corpus: Corpus, memo: MemoEmbedder) -> Rank:
    try:
        from langchain_classic.retrievers import EnsembleRetriever  # type: ignore[import-not-found,unused-ignore]
        from langchain_community.retrievers import BM25Retriever  # type: ignore[import-not-found,unused-ignore]
        from langchain_core.documents import Document
        from langchain_core.embeddings import Embeddings
        from langchain_core.vectorstores import InMemoryVectorStore
    except ImportError as exc:
        raise FeatureNotAvailableError(
            f"the peers benchmark needs the peers extra (pip install -e .[peers]): {exc}"
        ) from exc

    class Same(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return memo.documents(texts)

        def embed_query(self, text: str) -> list[float]:
            return memo.query(text)

    docs = [
        Document(page_content=t, metadata={"citation": c.citation})
        for c, t in zip(corpus.chunks, corpus.texts, strict=True)
    ]
    bm25 = BM25Retriever.from_documents(docs, k=_PER_LEG)
    store = InMemoryVectorStore.from_documents(docs, embedding=Same())
    vectors = store.as_retriever(search_kwargs={"k": _PER_LEG})
    ensemble = EnsembleRetriever(retrievers=[bm25, vectors], weights=[0.5, 0.5])
    return lambda q, top: pages([d.metadata["citation"] for d in ensemble.invoke(q)])[:top]


def llamaindex_fusion(corpus: Corpus, memo: MemoEmbedder) -> Rank:
    try:
        from llama_index.core import VectorStoreIndex  # type: ignore[import-not-found,unused-ignore]
        from llama_index.core.base.embeddings.base import BaseEmbedding  # type: ignore[import-not-found,unused-ignore]
        from llama_index.core.llms import MockLLM  # type: ignore[import-not-found,unused-ignore]
        from llama_index.core.retrievers import QueryFusionRetriever  # type: ignore[import-not-found,unused-ignore]
        from llama_index.core.schema import TextNode  # type: ignore[import-not-found,unused-ignore]
        from llama_index.retrievers.bm25 import BM25Retriever  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise FeatureNotAvailableError(
            f"the peers benchmark needs the peers extra (pip install -e .[peers]): {exc}"
        ) from exc

    class Same(BaseEmbedding):  # type: ignore[misc]
        def _get_query_embedding(self, query: str) -> list[float]:
            return memo.query(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return memo.documents([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return memo.documents(texts)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return memo.query(query)

    nodes = [
        TextNode(text=t, id_=c.chunk_id, metadata={"citation": c.citation})
        for c, t in zip(corpus.chunks, corpus.texts, strict=True)
    ]
    index = VectorStoreIndex(nodes, embed_model=Same(model_name="all-MiniLM-L6-v2"))
    fusion: Any = QueryFusionRetriever(
        [
            index.as_retriever(similarity_top_k=_PER_LEG),
            BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=_PER_LEG),
        ],
        llm=MockLLM(),
        mode="reciprocal_rerank",
        similarity_top_k=_PER_LEG,
        num_queries=1,
        use_async=False,
    )
    return lambda q, top: pages([n.node.metadata["citation"] for n in fusion.retrieve(q)])[:top]


def ridgeline_pair(corpus: Corpus, memo: MemoEmbedder, directory: Path) -> dict[str, Rank]:
    index = LanceDbIndex(directory, dimension=len(corpus.vectors[0]))
    by_document: dict[str, list[int]] = {}
    for n, chunk in enumerate(corpus.chunks):
        by_document.setdefault(chunk.document_id, []).append(n)
    for document_id, rows in by_document.items():
        chunks = [corpus.chunks[n].model_copy(update={"content": corpus.texts[n]}) for n in rows]
        index.replace_document(
            _source_document(document_id), chunks, [corpus.vectors[n] for n in rows]
        )
    index.optimize()

    class Same:
        def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
            return memo.documents(texts)

        def embed_query(self, text: str) -> list[float]:
            return memo.query(text)

    hybrid = HybridRetriever(index=index, embedder=Same(), correct_spelling=True)  # type: ignore[arg-type]
    multi = MultiQueryRetriever(hybrid)
    return {
        "Ridgeline hybrid": lambda q, top: [
            h.chunk.citation for h in hybrid.search(q, mode="hybrid", top=top)
        ],
        "Ridgeline hybrid + decomposition": lambda q, top: [
            h.chunk.citation for h in multi.search(q, mode="hybrid", top=top)
        ],
    }


def _source_document(document_id: str) -> SourceDocument:
    return SourceDocument(
        document_id=document_id,
        path=Path(document_id),
        source=document_id,
        content_hash=document_id,
        size_bytes=0,
    )


def _timed(rank: Rank, latencies: list[float]) -> Rank:
    def run(question: str, top: int) -> list[str]:
        started = time.perf_counter()
        ranked = rank(question, top)
        latencies.append((time.perf_counter() - started) * 1000)
        return ranked

    return run


def _report(name: str, rank: Rank, sets: dict[str, list[Question]], ingest_s: float) -> None:
    latencies: list[float] = []
    timed = _timed(rank, latencies)
    scores = {label: score_set(timed, rows) for label, rows in sets.items()}
    p50 = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    cells = " | ".join(
        f"{label} hit@5 {s.hit5:.3f} MRR {s.mrr:.3f}"
        + (f" R@5 {s.recall5:.3f} R@10 {s.recall10:.3f}" if s.multi else "")
        for label, s in scores.items()
    )
    print(f"{name:34s} ingest {ingest_s:5.1f} s  p50 {p50:5.1f} ms p95 {p95:5.1f} ms  {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("bench/out/retrieval"))
    parser.add_argument("--seed", type=int, default=SPLIT_SEED)
    args = parser.parse_args()
    questions = [
        Question(text=str(r["question"]), pages=tuple(truth_pages(str(r["truth"]))))
        for r in read_jsonl(args.data / "eval" / "northwind-qa.jsonl")
    ]
    _, untouched = split_half(questions, seed=args.seed)
    sets = {"untouched": untouched, "pairs-untouched": paired(untouched, seed=args.seed)}
    index = _northwind_index(args.data, args.cache)
    corpus = load_corpus(index, args.cache / "northwind-index")
    memo = MemoEmbedder(corpus.texts, corpus.vectors)
    builders: dict[str, Callable[[], Rank]] = {
        "LangChain EnsembleRetriever": lambda: langchain_ensemble(corpus, memo),
        "LlamaIndex QueryFusionRetriever": lambda: llamaindex_fusion(corpus, memo),
    }
    for name, build in builders.items():
        started = time.perf_counter()
        rank = build()
        _report(name, rank, sets, time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        ours = ridgeline_pair(corpus, memo, Path(tmp) / "index")
        ingest_s = time.perf_counter() - started
        for name, rank in ours.items():
            _report(name, rank, sets, ingest_s)


if __name__ == "__main__":
    main()
