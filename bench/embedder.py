"""Text embedder speed and quality: sentence-transformers fp32 vs ONNX Runtime fp32 and int8.

Throughput: texts/s embedding the same SciFact abstracts (title + text, truncated by the model
at 256 word pieces) with each embedder, interleaved (A, B, C, A, B, C, ...) so load from other
processes on a shared machine hits every variant alike; every round is printed.

Quality: SciFact (BEIR) test split, dense retrieval only: exact cosine of each of the 300 test
queries against all 5,183 documents, nDCG@10 over qrels/test.tsv. Corpus vectors are cached per
variant under ``--out`` (delete them to re-embed). ``--corpus-sample N`` keeps every judged
document plus unjudged ones up to N in all, for a quicker relative comparison on a busy machine
(its nDCG is higher than the full corpus's and only comparable between variants).

Usage:
    python -m bench.embedder [--data ../shared/data/beir-scifact] [--texts 200] [--rounds 2]
        [--variants minilm minilm-onnx minilm-onnx-int8] [--corpus-sample N]
        [--skip-quality] [--skip-throughput]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.corpus_io import read_qrels
from eval.retrieval_metrics import ndcg_at_k
from ridgeline.protocols import TextEmbedder
from ridgeline.providers.embedder_registry import build_text_embedder
from ridgeline.settings import Settings

VARIANTS = ["minilm", "minilm-onnx", "minilm-onnx-int8"]


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def document_text(row: dict[str, object]) -> str:
    return f"{row['title']} {row['text']}".strip()  # as BEIR's own dense evaluation joins them


def measure_throughput(
    embedders: dict[str, TextEmbedder], texts: Sequence[str], rounds: int
) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {name: [] for name in embedders}
    for round_no in range(1, rounds + 1):
        for name, embedder in embedders.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            embedder.embed_documents(texts)
            rate = len(texts) / (time.perf_counter() - started)
            # CPU seconds of all this process's threads: less swayed by other processes' load.
            cpu_rate = len(texts) / (time.process_time() - cpu_started)
            rates[name].append(rate)
            print(
                f"  round {round_no} {name:18s} {rate:7.2f} texts/s  {cpu_rate:7.2f} texts/cpu-s",
                flush=True,
            )
    return rates


def corpus_vectors(embedder: TextEmbedder, name: str, texts: list[str], out: Path) -> np.ndarray:
    path = out / f"scifact-corpus-{len(texts)}-{name}.npy"
    if path.exists():
        cached = np.load(path)
        if len(cached) == len(texts):
            return cached
    started = time.perf_counter()
    vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    print(f"  {name}: embedded {len(texts)} documents in {time.perf_counter() - started:.0f} s")
    out.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def sample_corpus(
    corpus: list[dict[str, object]], qrels: dict[str, set[str]], size: int | None
) -> list[dict[str, object]]:
    """The whole corpus, or every judged document plus the first unjudged ones up to ``size``."""
    if size is None or size >= len(corpus):
        return corpus
    judged = set().union(*qrels.values())
    others = [row for row in corpus if str(row["_id"]) not in judged]
    keep = judged | {str(row["_id"]) for row in others[: max(0, size - len(judged))]}
    return [row for row in corpus if str(row["_id"]) in keep]


def scifact_ndcg(
    embedder: TextEmbedder, name: str, data: Path, out: Path, sample: int | None
) -> float:
    qrels = read_qrels(data / "qrels" / "test.tsv")
    corpus = sample_corpus(read_jsonl(data / "corpus.jsonl"), qrels, sample)
    doc_ids = [str(row["_id"]) for row in corpus]
    documents = corpus_vectors(embedder, name, [document_text(row) for row in corpus], out)
    queries = {str(r["_id"]): str(r["text"]) for r in read_jsonl(data / "queries.jsonl")}
    query_ids = [qid for qid in qrels if qid in queries]
    query_vectors = np.asarray(embedder.embed_documents([queries[q] for q in query_ids]))
    scores = query_vectors @ documents.T
    total = 0.0
    for row, query_id in enumerate(query_ids):
        top = np.argsort(-scores[row], kind="stable")[:10]
        total += ndcg_at_k(sorted(qrels[query_id]), [doc_ids[i] for i in top], k=10) or 0.0
    return total / len(query_ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/beir-scifact"))
    parser.add_argument("--out", type=Path, default=Path("bench/out/embedder"))
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--variants", nargs="+", default=VARIANTS, choices=VARIANTS)
    parser.add_argument("--corpus-sample", type=int, help="judged docs + distractors, in all")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    if not (args.data / "corpus.jsonl").exists():
        raise SystemExit(f"SciFact not found at {args.data} (expected corpus.jsonl there)")

    embedders = {name: build_text_embedder(Settings(text_embedder=name)) for name in args.variants}
    for name, embedder in embedders.items():  # load models and build ONNX files first
        started = time.perf_counter()
        embedder.embed_documents(["warm up"])
        print(f"loaded {name} in {time.perf_counter() - started:.1f} s")

    if not args.skip_throughput:
        corpus = read_jsonl(args.data / "corpus.jsonl")[: args.texts]
        texts = [document_text(row) for row in corpus]
        print(f"throughput over {len(texts)} SciFact abstracts, {args.rounds} interleaved rounds")
        rates = measure_throughput(embedders, texts, args.rounds)
        base = np.mean(rates[args.variants[0]])
        for name, values in rates.items():
            mean = float(np.mean(values))
            print(f"{name:18s} mean {mean:7.2f} texts/s  x{mean / base:.2f} vs {args.variants[0]}")

    if not args.skip_quality:
        size = args.corpus_sample or "all 5,183"
        print(f"SciFact test nDCG@10 (dense, exact cosine, 300 queries, {size} documents)")
        for name, embedder in embedders.items():
            ndcg = scifact_ndcg(embedder, name, args.data, args.out, args.corpus_sample)
            print(f"{name:18s} nDCG@10 {ndcg:.4f}", flush=True)


if __name__ == "__main__":
    main()
