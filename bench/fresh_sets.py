"""Retrieval on the generated, hand-checked question sets nobody tuned on (issue 14).

``eval/sets/northwind-generated-qa.jsonl`` and ``eval/sets/contoso-manuals-generated-qa.jsonl``
(how they were made: ``eval/sets/README.md``) against an index of their corpus: the two legs,
the hybrid default and the candidate that was not shipped (RRF k=20, BM25 x1.25), all with chat's
options and rule decomposition, as :mod:`bench.fusion_grid` runs them, over a copy of the index
whose BM25 reads the chunk content (the default); ``--titles`` adds the same rows over a copy
whose BM25 reads title or section path + content (``RIDGELINE_BM25_TITLES``): same chunks, same
vectors. Each row also scores the passage: a source that holds the truth sentence.

Usage (from the repository root; build the index with ``ridgeline ingest`` first):
    python -m bench.fresh_sets --set eval/sets/northwind-generated-qa.jsonl \
        --index bench/out/retrieval/northwind-index [--titles] [--fusion RRF_K BM25_WEIGHT ...]
"""

from __future__ import annotations

import argparse
import re
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import lancedb

from bench.corpus_io import read_jsonl
from bench.retrieval import DiskQueryEmbedder, _ranker, truth_pages
from bench.tuning_split import Question, score_set
from retrieval import schema
from retrieval.lancedb import LanceDbIndex
from retrieval.lancedb.tables import put_titles_first, text_index_config
from retrieval.multi_query import MultiQueryRetriever
from retrieval.retriever import HybridRetriever
from ridgeline.protocols import Retriever, TextEmbedder
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.settings import RetrievalMode

_LAST_CITATION = re.compile(r"\[([^\[\]]+)\]\s*$")
# (label, mode, RRF k, BM25 weight); the vector weight stays 1.
_VARIANTS: tuple[tuple[str, RetrievalMode, int, float], ...] = (
    ("BM25 leg", "text", 60, 1.0),
    ("vectors leg", "vectors", 60, 1.0),
    ("hybrid k=60, BM25 x1 (default until 2026-12-08)", "hybrid", 60, 1.0),
    ("candidate (k=20, BM25 x1.25)", "hybrid", 20, 1.25),
)


def questions(path: Path) -> list[Question]:
    rows = read_jsonl(path)
    return [Question(str(r["question"]), truth_citations(str(r["truth"]))) for r in rows]


def sentences(path: Path) -> dict[str, str]:
    """Each question's truth sentence (its citation taken off), whitespace collapsed."""
    rows = read_jsonl(path)
    return {
        str(r["question"]): " ".join(_LAST_CITATION.sub("", str(r["truth"])).split()) for r in rows
    }


def passage_scores(
    retriever: Retriever, mode: RetrievalMode, truths: dict[str, str]
) -> tuple[float, float]:
    """(hit@5, MRR@10) of the passage: a source whose content holds the truth sentence (its
    first 60 characters), the quote chat would show, not only the right page or file."""
    hits, ranks = 0, 0.0
    for question, sentence in truths.items():
        found = retriever.search(question, mode=mode, top=10)
        holds = [sentence[:60] in " ".join(h.chunk.content.split()) for h in found]
        hits += any(holds[:5])
        ranks += next((1 / (n + 1) for n, held in enumerate(holds) if held), 0.0)
    return hits / len(truths), ranks / len(truths)


def truth_citations(truth: str) -> tuple[str, ...]:
    """The pages the truth cites; for a file without pages (Markdown), its closing citation."""
    if "#page=" in truth:
        return tuple(truth_pages(truth))
    found = _LAST_CITATION.search(truth)
    if found is None:
        raise ValueError(f"no citation at the end of the truth: {truth[-80:]!r}")
    return (found.group(1),)


def text_copy(index_dir: Path, *, titles: bool) -> Path:
    """A copy of the index whose BM25 reads title + content, or content alone (made once):
    the same chunks and vectors whatever ``RIDGELINE_BM25_TITLES`` the index was written with."""
    copy = index_dir.with_name(index_dir.name + ("-bm25-titles" if titles else "-bm25-content"))
    if not (copy / "done").exists():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(index_dir, copy)
        chunks = lancedb.connect(copy).open_table(schema.CHUNKS_TABLE)
        chunks.update(values_sql={schema.SEARCH_TEXT_COLUMN: schema.CONTENT_COLUMN})
        if titles:
            put_titles_first(chunks)
        chunks.create_index(schema.SEARCH_TEXT_COLUMN, config=text_index_config(), replace=True)
        (copy / "done").write_text("made\n", encoding="utf-8")
    return copy


def chat_retriever(
    index: LanceDbIndex, embedder: TextEmbedder, rrf_k: int, text: float
) -> Retriever:
    hybrid = HybridRetriever(
        index=index,
        embedder=embedder,
        rrf_k=rrf_k,
        weights={"text": text, "vector": 1.0},
        drop_stop_words=True,
        distinct_pages=True,
        correct_spelling=True,
    )
    return MultiQueryRetriever(hybrid, rrf_k=rrf_k)


def report(
    index_dir: Path,
    label: str,
    asked: Sequence[Question],
    truths: dict[str, str],
    embedder: TextEmbedder,
    extra: Sequence[tuple[int, float]] = (),
) -> None:
    index = LanceDbIndex(index_dir, dimension=embedder.dimension)
    added = [(f"hybrid k={k}, BM25 x{w:g}", "hybrid", k, w) for k, w in extra]
    variants: list[tuple[str, RetrievalMode, int, float]] = [*_VARIANTS, *added]
    for name, mode, rrf_k, text in variants:
        started = time.perf_counter()
        retriever = chat_retriever(index, embedder, rrf_k, text)
        score = score_set(_ranker(retriever, mode, str), asked)
        passage_hit, passage_mrr = passage_scores(retriever, mode, truths)
        seconds = time.perf_counter() - started
        print(
            f"{label:14s} {name:48s} hit@5 {score.hit5:.3f} MRR {score.mrr:.3f} | passage"
            f" hit@5 {passage_hit:.3f} MRR {passage_mrr:.3f}  ({seconds:.0f} s)",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", type=Path, required=True, dest="question_set")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--titles", action="store_true", help="also BM25 over title + content")
    parser.add_argument(
        "--fusion",
        nargs=2,
        action="append",
        default=[],
        metavar=("RRF_K", "BM25_WEIGHT"),
        help="another hybrid row with this RRF k and BM25 weight (repeatable)",
    )
    args = parser.parse_args(argv)
    asked = questions(args.question_set)
    cache = args.index.with_name(args.index.name + "-query-vectors.pkl")
    embedder = DiskQueryEmbedder(SentenceTransformerEmbedder(), cache)
    print(f"{args.question_set.name}: {len(asked)} questions; index {args.index}")
    truths = sentences(args.question_set)
    extra = [(int(k), float(w)) for k, w in args.fusion]
    report(text_copy(args.index, titles=False), "BM25 content", asked, truths, embedder, extra)
    if args.titles:
        report(text_copy(args.index, titles=True), "BM25 titles", asked, truths, embedder)
    embedder.save()


if __name__ == "__main__":
    main()
