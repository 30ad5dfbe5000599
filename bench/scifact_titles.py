"""SciFact with each abstract's title as the chunk's title, as ingestion gives Markdown sections
and titled documents: does BM25 reading the title (``search_text``) help? (issue 14)

The chunks hold the abstract as content and the paper title as ``title``; "BM25 titles" is a
copy of the index whose BM25 reads title + abstract (:func:`ridgeline.types.bm25_text`), "BM25
content" one whose BM25 reads the abstract alone (:func:`bench.fresh_sets.text_copy`).
The vectors are of title + abstract in both (the cache :mod:`bench.retrieval` keeps). Train qrels
(300 seeded queries) tune, test qrels report.

Usage (from the repository root):
    python -m bench.scifact_titles [--data ../shared/data] [--cache bench/out/retrieval]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bench.corpus_io import read_jsonl
from bench.fresh_sets import _VARIANTS, chat_retriever, text_copy
from bench.scifact import (
    _cached_vectors,
    _doc_text,
    _print_scifact_row,
    scifact_qrels,
    write_scifact,
)
from chat.query_cache import CachedQueryEmbedder
from retrieval.lancedb import LanceDbIndex
from ridgeline.protocols import TextEmbedder
from ridgeline.providers.embedder import SentenceTransformerEmbedder


def titled_index(directory: Path, corpus: list[dict[str, object]], vectors: np.ndarray) -> Path:
    """An index of the abstracts with their titles as chunk titles (made once)."""
    done = directory / "done"
    if done.exists():
        return directory
    index = LanceDbIndex(directory, dimension=vectors.shape[1])
    write_scifact(
        index,
        corpus,
        vectors,
        lambda row: str(row["text"]),
        title=lambda row: str(row["title"]) or None,
    )
    done.write_text("made\n", encoding="utf-8")
    return directory


def report(index_dir: Path, label: str, embedder: TextEmbedder, root: Path) -> None:
    queries = {str(q["_id"]): str(q["text"]) for q in read_jsonl(root / "queries.jsonl")}
    splits = scifact_qrels(root)
    index = LanceDbIndex(index_dir, dimension=embedder.dimension)
    for name, mode, rrf_k, text in _VARIANTS:
        retriever = chat_retriever(index, embedder, rrf_k, text)
        _print_scifact_row(f"{label:14s} {name:32s}", retriever, mode, queries, splits)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("bench/out/retrieval"))
    args = parser.parse_args()
    root = args.data / "beir-scifact"
    corpus = read_jsonl(root / "corpus.jsonl")
    texts = [_doc_text(row, titles=True) for row in corpus]
    vectors = _cached_vectors(texts, args.cache / "scifact-vectors-titles1.npy")
    directory = titled_index(args.cache / "scifact-index-chunk-titles", corpus, vectors)
    embedder = CachedQueryEmbedder(SentenceTransformerEmbedder(), size=4096)
    report(text_copy(directory, titles=True), "BM25 titles", embedder, root)
    report(text_copy(directory, titles=False), "BM25 content", embedder, root)


if __name__ == "__main__":
    main()
