"""Sentence-window retrieval against passages, in one sitting (issue 14, item 4).

Each configuration is an index of the same corpus cut one way: ``passage`` (the default, 200
tokens with overlap) or ``window N`` (``RIDGELINE_CHUNKING=sentence-window``,
``RIDGELINE_WINDOW_TOKENS=N``: windows of at most N tokens, grown back into passages of up to
200 tokens at read time, :mod:`retrieval.windows`). Every row is chat's retriever (stop words,
spelling correction, one hit per place, rule decomposition, RRF k = ``DEFAULT_RRF_K``, weights
1/1) wrapped in the :class:`retrieval.windows.PassageRetriever` that chat builds. The figures in
docs/benchmarks.md were printed at k=60, the default then; run now, it fuses with k=20.

``northwind``: the seeded tune and untouched halves (:mod:`bench.tuning_split`) and their pairs,
hit@5/MRR and R@5/R@10, the legs and hybrid; p50 of a hybrid search (cached query vectors).
``fresh``: a generated set (:mod:`bench.fresh_sets`): page or file hit@5/MRR and passage
hit@5/MRR (a source that holds the truth sentence). ``scifact``: windows inside each abstract,
the paper scored by its best window (one hit per citation); nDCG@10 on train (tune) and test.
Window sizes are chosen on the Northwind tune half (and SciFact train) only.

Usage (from the repository root; indexes are built once under ``--cache`` and timed):
    python -m bench.windows northwind --sizes 40 60 100
    python -m bench.windows fresh --set eval/sets/contoso-manuals-generated-qa.jsonl \
        --corpus ../shared/data/contoso-outdoor/manuals --name contoso-manuals --sizes 60
    python -m bench.windows scifact --sizes 60
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import ridgeline
from bench.corpus_io import read_jsonl
from bench.fresh_sets import passage_scores, questions, sentences, text_copy
from bench.fusion_grid import northwind_sets
from bench.retrieval import _FORMS, _HEADER, DiskQueryEmbedder, _ranker, _row
from bench.scifact import _cached_vectors, ndcg_at_k, scifact_qrels, write_chunks
from bench.tuning_split import SPLIT_SEED, score_set
from ingestion.splitter import TokenSplitter
from retrieval.lancedb import LanceDbIndex
from retrieval.multi_query import MultiQueryRetriever
from retrieval.retriever import HybridRetriever
from retrieval.windows import PassageRetriever
from ridgeline.chunk_ids import chunk_id
from ridgeline.protocols import Retriever, TextEmbedder
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.settings import RetrievalMode, Settings
from ridgeline.types import Chunk, Page, indexed_text

PASSAGE_TOKENS = 200


def label(size: int | None) -> str:
    return "passage" if size is None else f"window {size}"


def corpus_index(corpus: Path, directory: Path, size: int | None) -> tuple[Path, float]:
    """The corpus ingested as ``ridgeline ingest`` would with these settings (made once; the
    seconds of the ingest that made it, read back from a marker file)."""
    done = directory.with_name(directory.name + ".done")
    settings = Settings(index_dir=directory, image_embedder="none")
    if size is not None:
        settings = settings.model_copy(
            update={"chunking": "sentence-window", "window_tokens": size}
        )
    rl = ridgeline.open(directory, settings=settings)
    if not done.exists():
        started = time.perf_counter()
        rl.ingest([corpus])
        done.write_text(f"{time.perf_counter() - started:.1f}\n", encoding="utf-8")
    return directory, float(done.read_text(encoding="utf-8"))


def chat_retriever(
    index: LanceDbIndex, embedder: TextEmbedder, size: int | None, candidates: int = 50
) -> PassageRetriever:
    hybrid = HybridRetriever(
        index=index,
        embedder=embedder,
        candidates=candidates,
        drop_stop_words=True,
        distinct_pages=True,
        correct_spelling=True,
    )
    return PassageRetriever(
        MultiQueryRetriever(hybrid),
        index=index,
        chunking="passage" if size is None else "sentence-window",
        tokenizer=TiktokenTokenizer(),
        passage_tokens=PASSAGE_TOKENS,
        window_tokens=size or PASSAGE_TOKENS,
    )


def p50_ms(retriever: Retriever, texts: Sequence[str]) -> float:
    took = []
    for text in texts:
        started = time.perf_counter()
        retriever.search(text, mode="hybrid", top=5)
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


def northwind(args: argparse.Namespace) -> None:
    sets = northwind_sets(args.data, args.seed)
    embedder = DiskQueryEmbedder(SentenceTransformerEmbedder(), args.cache / "query-vectors.pkl")
    print(_HEADER)
    for size in args.sizes:
        name = "northwind-index" if size is None else f"northwind-window{size}-index"
        built, ingest_s = corpus_index(args.data / "northwind", args.cache / name, size)
        index = LanceDbIndex(built, dimension=384)
        retriever = chat_retriever(index, embedder, size, args.candidates)
        for mode in args.modes:
            started = time.perf_counter()
            cells = [
                score_set(_ranker(retriever, mode, _FORMS["as asked"]), s) for s in sets.values()
            ]
            print(_row(label(size), mode, "as asked", cells, time.perf_counter() - started))
        latency = p50_ms(retriever, [q.text for q in sets["untouched"]])
        print(
            f"{label(size):30s} {index.count_chunks()} chunks, ingest {ingest_s:.0f} s,"
            f" hybrid p50 {latency:.1f} ms",
            flush=True,
        )
        embedder.save()


def fresh(args: argparse.Namespace) -> None:
    asked = questions(args.question_set)
    truths = sentences(args.question_set)
    cache = args.cache / f"{args.name}-query-vectors.pkl"
    embedder = DiskQueryEmbedder(SentenceTransformerEmbedder(), cache)
    print(f"{args.question_set.name}: {len(asked)} questions")
    for size in args.sizes:
        name = f"{args.name}-index" if size is None else f"{args.name}-window{size}-index"
        built, ingest_s = corpus_index(args.corpus, args.cache / name, size)
        # BM25 over the chunk content, as the default writes it (RIDGELINE_BM25_TITLES off).
        index = LanceDbIndex(text_copy(built, titles=False), dimension=384)
        retriever = chat_retriever(index, embedder, size)
        for mode in args.modes:
            score = score_set(_ranker(retriever, mode, str), asked)
            passage_hit, passage_mrr = passage_scores(retriever, mode, truths)
            print(
                f"{label(size):12s} {mode:8s} hit@5 {score.hit5:.3f} MRR {score.mrr:.3f} |"
                f" passage hit@5 {passage_hit:.3f} MRR {passage_mrr:.3f}",
                flush=True,
            )
        latency = p50_ms(retriever, [q.text for q in asked])
        print(
            f"{label(size):12s} {index.count_chunks()} chunks, ingest {ingest_s:.0f} s,"
            f" hybrid p50 {latency:.1f} ms",
            flush=True,
        )
        embedder.save()


def scifact(args: argparse.Namespace) -> None:
    root = args.data / "beir-scifact"
    corpus = read_jsonl(root / "corpus.jsonl")
    queries = {str(q["_id"]): str(q["text"]) for q in read_jsonl(root / "queries.jsonl")}
    splits = scifact_qrels(root)
    embedder = DiskQueryEmbedder(SentenceTransformerEmbedder(), args.cache / "scifact-queries.pkl")
    for size in args.sizes:
        directory = scifact_index(args.cache, corpus, size)
        for titles in (True, False):
            index = LanceDbIndex(text_copy(directory, titles=titles), dimension=384)
            # Papers are ranked by citation: growing 100 windows into passages changes no rank.
            retriever = chat_retriever(index, embedder, size).inner
            for mode in args.modes:
                cells = [
                    f"{split} nDCG@10 {scifact_ndcg(retriever, mode, queries, qrels):.3f}"
                    for split, qrels in splits.items()
                ]
                bm25 = "BM25 titles" if titles else "BM25 content"
                print(f"{label(size):10s} {bm25:12s} {mode:8s} {' | '.join(cells)}", flush=True)
        embedder.save()


def scifact_ndcg(
    retriever: Retriever, mode: RetrievalMode, queries: dict[str, str], qrels: dict[str, set[str]]
) -> float:
    """Papers ranked by their best chunk (chat's one hit per citation, ``corpus.jsonl#id=X``)."""
    scores = []
    for query_id, relevant in qrels.items():
        # top=100 as bench.retrieval scores SciFact: the depth of each ranking follows top.
        hits = retriever.search(queries[query_id], mode=mode, top=100)
        ranked = [hit.chunk.citation.rsplit("=", 1)[-1] for hit in hits]
        scores.append(ndcg_at_k(ranked, relevant))
    return float(np.mean(scores))


def scifact_index(cache: Path, corpus: list[dict[str, object]], size: int | None) -> Path:
    """Abstracts as chunks, or cut into windows by the ingestion splitter; titles as chunk titles,
    vectors of title + text, as :mod:`bench.scifact_titles` writes the passage index."""
    name = "scifact-index-chunk-titles" if size is None else f"scifact-window{size}-index"
    directory = cache / name
    if (directory / "done").exists():
        return directory
    chunks = [chunk for row in corpus for chunk in scifact_chunks(row, size)]
    started = time.perf_counter()
    texts = [indexed_text(chunk) for chunk in chunks]
    suffix = "titles1" if size is None else f"window{size}"
    vectors = _cached_vectors(texts, cache / f"scifact-vectors-{suffix}.npy")
    index = LanceDbIndex(directory, dimension=vectors.shape[1])
    write_chunks(index, chunks, vectors, batch=2000)
    (directory / "done").write_text(f"{time.perf_counter() - started:.1f}\n", encoding="utf-8")
    print(
        f"{label(size)}: {len(chunks)} chunks, embedded and written in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return directory


def scifact_chunks(row: dict[str, object], size: int | None) -> list[Chunk]:
    """One paper's chunks, ids ordered within the paper so that its windows are neighbours."""
    paper = str(row["_id"])
    title = str(row["title"]) or None
    if size is None:
        contents = [str(row["text"])]
    else:
        page = Page(source="corpus.jsonl", text=str(row["text"]), title=title)
        splitter = TokenSplitter(
            tokenizer=TiktokenTokenizer(), chunk_tokens=size, overlap_tokens=0, windows=True
        )
        contents = splitter.split_page(page)
    return [
        Chunk(
            chunk_id=chunk_id(f"p{paper}", n, window=size is not None),
            document_id="",
            source="corpus.jsonl",
            citation=f"corpus.jsonl#id={paper}",
            content=content,
            title=title,
        )
        for n, content in enumerate(contents)
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("benchmark", choices=["northwind", "fresh", "scifact"])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("bench/out/retrieval"))
    parser.add_argument("--seed", type=int, default=SPLIT_SEED)
    parser.add_argument("--sizes", type=int, nargs="+", default=[60], help="window tokens")
    parser.add_argument("--no-passage", dest="passage", action="store_false")
    parser.add_argument("--modes", nargs="+", default=["hybrid", "text", "vectors"])
    parser.add_argument("--candidates", type=int, default=50, help="northwind: per ranking")
    parser.add_argument("--set", type=Path, dest="question_set", help="fresh: the question set")
    parser.add_argument("--corpus", type=Path, help="fresh: the folder the set was written on")
    parser.add_argument("--name", default="fresh", help="fresh: the indexes' name in --cache")
    args = parser.parse_args(argv)
    args.sizes = ([None] if args.passage else []) + args.sizes
    {"northwind": northwind, "fresh": fresh, "scifact": scifact}[args.benchmark](args)


if __name__ == "__main__":
    main()
