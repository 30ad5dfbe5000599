"""What reading a chunk's place costs the rankings: 3 columns (before) against 5, query by query.

One hit per place (``ridgeline.places``) needs each ranked chunk's page number and title besides
its id, citation and price, so LanceDB rankings read two more columns. This bench times chat's
retriever over the cached :mod:`bench.retrieval_latency` index, taking turns query by query
between rankings that read the old three columns and the five read now (the same process,
index and queries, so a shared machine's load weighs on both alike). Every chunk of that corpus
is its own place, so both return the same hits; only the reads differ.

Usage (build the index first with ``python -m bench.retrieval_latency N [--section-titles]``):
    python -m bench.ranked_columns 100000-per1000-titles [--queries 200]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import bench.retrieval_latency as latency
import retrieval.lancedb.rankings as rankings
from retrieval.lancedb import LanceDbIndex
from ridgeline.settings import RetrievalMode
from ridgeline.types import SearchFilters

_FIVE = list(rankings._RANKED_COLUMNS)
_THREE = ["chunk_id", "citation", "price"]
_FILTERS: dict[str, SearchFilters | None] = {
    "unfiltered": None,
    "category+price": latency.CATALOG_FILTER,
    "access": latency.ACCESS_FILTER,
}


def main(folder: str, queries: int) -> None:
    drawn = latency.Corpus(seed=7, draws=11)
    texts = [f"{words} q{n}" for n, words in enumerate(drawn.texts(queries, 3))]
    embedder = latency.PrecomputedEmbedder(texts, drawn.vectors(queries))
    index = LanceDbIndex(latency.OUT / folder / "index", dimension=latency.DIMENSION)
    retriever = latency.chat_retriever(index, embedder)
    latency.wait_for_vocabulary(index)
    print(f"{folder}: {queries} queries; load average {latency._load()}", flush=True)
    modes: list[RetrievalMode] = ["text", "vectors", "hybrid"]
    for mode in modes:
        for label, filters in _FILTERS.items():

            def reading(
                columns: list[str],
                mode: RetrievalMode = mode,
                filters: SearchFilters | None = filters,
            ) -> Callable[[int], object]:
                def search(q: int) -> object:
                    rankings._RANKED_COLUMNS = columns
                    return retriever.search(texts[q], mode=mode, top=5, filters=filters)

                return search

            runs = {"3 columns": reading(_THREE), "5 columns": reading(_FIVE)}
            for name, (p50, p95, cpu50, _) in latency.percentiles(runs, queries).items():
                print(
                    f"{mode:8s} {label:15s} {name:10s} wall p50 {p50:6.2f} p95 {p95:6.2f} ms"
                    f"  cpu p50 {cpu50:6.2f} ms",
                    flush=True,
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a folder of bench/out/retrieval_latency")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    main(args.folder, args.queries)
