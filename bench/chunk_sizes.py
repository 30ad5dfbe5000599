"""Chunk size and overlap of the passage index, measured (issue 14, item 4).

Each variant is a fresh ingest of one corpus with ``RIDGELINE_CHUNK_TOKENS`` /
``RIDGELINE_CHUNK_OVERLAP_TOKENS`` (and ``RIDGELINE_CHUNK_SENTENCE_STARTS`` for a variant
written ``300/30s``), made once under ``--cache`` and timed. ``northwind`` scores every variant
on the seeded Northwind halves (:mod:`bench.tuning_split`) as :mod:`bench.fusion_grid` does:
the two legs and chat's hybrid (stop words, spelling, one hit per page, rule decomposition,
RRF k = ``DEFAULT_RRF_K``, weights 1/1). It prints the TUNE half only, plus the criterion
chosen before any untouched figure was looked at (the mean of tune hit@5, MRR, pairs R@5 and
pairs R@10), unless ``--untouched`` is given. Each variant's own line says how many chunks it
cut, how many start mid-sentence (first letter lower-case: a proxy that misses a sentence cut
before a capitalised word) and how many exceed the embedder's 256 word pieces (the vector leg
reads only their beginning).

``scifact``: the abstracts cut by each variant's splitter (the title counted against the budget,
as ingest counts a page title), a paper ranked by its best chunk (chat's one hit per citation);
nDCG@10 on the seeded train sample (tune) and the test queries (report). ``bench.retrieval
scifact`` indexes each abstract whole, so it does not see the chunk size at all.

``ingest`` only builds the indexes (for ``bench.fresh_sets --index``, ``ridgeline eval run``).

Usage (from the repository root; query vectors are shared with ``--cache``/query-vectors.pkl):
    python -m bench.chunk_sizes northwind --data /work/shared/data --variants 200/20 300/30
    python -m bench.chunk_sizes northwind ... --untouched      # after the choice is made
    python -m bench.chunk_sizes scifact --data /work/shared/data --variants 200/20 300/30
    python -m bench.chunk_sizes ingest --corpus DIR --name contoso-manuals --variants 300/30
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import lancedb

import ridgeline
from bench.corpus_io import read_jsonl
from bench.fresh_sets import chat_retriever
from bench.fusion_grid import northwind_sets
from bench.retrieval import DiskQueryEmbedder, _ranker
from bench.scifact import _cached_vectors, scifact_qrels, write_chunks
from bench.tuning_split import SPLIT_SEED, SetScore, score_set
from bench.windows import scifact_ndcg
from retrieval import schema
from retrieval.fusion import DEFAULT_RRF_K
from retrieval.lancedb import LanceDbIndex
from ridgeline.chunk_ids import chunk_id
from ridgeline.cli.stages import build_splitter
from ridgeline.protocols import Retriever
from ridgeline.providers.embedder import SentenceTransformerEmbedder, packaged_model_path
from ridgeline.settings import RetrievalMode, Settings
from ridgeline.types import Chunk, Page, indexed_text

_VARIANT = re.compile(r"^(\d+)/(\d+)(s?)$")
_EMBEDDER_WORD_PIECES = 256  # all-MiniLM-L6-v2 truncates past this, [CLS] and [SEP] included


@dataclass(frozen=True)
class Variant:
    """How the passages are cut: at most ``tokens`` tokens, ``overlap`` shared with the last."""

    tokens: int
    overlap: int
    sentence_starts: bool = False

    @classmethod
    def parse(cls, text: str) -> Variant:
        """``"300/30"`` or ``"300/30s"`` (chunks start at a sentence start)."""
        found = _VARIANT.match(text)
        if found is None:
            raise argparse.ArgumentTypeError(f"a variant is TOKENS/OVERLAP[s], got {text!r}")
        return cls(int(found.group(1)), int(found.group(2)), found.group(3) == "s")

    @property
    def name(self) -> str:
        return f"{self.tokens}/{self.overlap}{' sentence starts' if self.sentence_starts else ''}"

    @property
    def slug(self) -> str:
        return f"{self.tokens}-{self.overlap}{'-s' if self.sentence_starts else ''}"

    def settings(self, directory: Path) -> Settings:
        """Ingest settings: the environment's, with this cut (images not embedded: text only)."""
        return Settings(
            index_dir=directory,
            image_embedder="none",
            chunking="passage",
            chunk_tokens=self.tokens,
            chunk_overlap_tokens=self.overlap,
            chunk_sentence_starts=self.sentence_starts,
        )


def ingested(corpus: Path, directory: Path, variant: Variant) -> tuple[Path, float]:
    """The corpus ingested with the variant's cut (made once; the ingest's seconds are kept in a
    marker file, whose absence means a run was cut off: the directory is made again)."""
    import shutil

    done = directory.with_name(directory.name + ".done")
    if not done.exists():
        shutil.rmtree(directory, ignore_errors=True)
        started = time.perf_counter()
        ridgeline.open(directory, settings=variant.settings(directory)).ingest([corpus])
        done.write_text(f"{time.perf_counter() - started:.1f}\n", encoding="utf-8")
    return directory, float(done.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ChunkStats:
    count: int
    mid_sentence: int
    over_embedder: int
    median_tokens: float


def chunk_stats(directory: Path) -> ChunkStats:
    """What the cut produced, read back from the index's own table."""
    from transformers import AutoTokenizer  # the embedder's own word pieces

    from ridgeline.providers.tokenizer import TiktokenTokenizer

    rows = lancedb.connect(directory).open_table(schema.CHUNKS_TABLE).to_arrow()
    contents = [str(c) for c in rows[schema.CONTENT_COLUMN].to_pylist()]
    titles = rows["title"].to_pylist()
    # What the embedder reads: the title, then the content (ridgeline.types.indexed_text).
    embedded = [
        c if not t or c.startswith(t) else f"{t}\n{c}"
        for c, t in zip(contents, titles, strict=True)
    ]
    pieces = AutoTokenizer.from_pretrained(packaged_model_path())
    tokenizer = TiktokenTokenizer()
    return ChunkStats(
        count=len(contents),
        mid_sentence=sum(starts_mid_sentence(c) for c in contents),
        over_embedder=sum(
            len(pieces(text)["input_ids"]) > _EMBEDDER_WORD_PIECES for text in embedded
        ),
        median_tokens=statistics.median(tokenizer.count(c) for c in contents),
    )


def starts_mid_sentence(content: str) -> bool:
    """A chunk whose first letter is lower-case (after bullets, quotes, brackets) starts inside a
    sentence; a capitalised start may still be one, so this counts a lower bound."""
    first = next((ch for ch in content if ch.isalnum()), "")
    return first.islower()


def northwind(args: argparse.Namespace) -> None:
    sets = northwind_sets(args.data, args.seed)
    if not args.untouched:
        sets = {name: rows for name, rows in sets.items() if name.endswith("tune")}
    embedder = DiskQueryEmbedder(SentenceTransformerEmbedder(), args.cache / "query-vectors.pkl")
    print(f"Northwind, seed {args.seed}: " + ", ".join(f"{n} {len(r)}" for n, r in sets.items()))
    print(f"{'variant':22s} {'mode':8s} " + " | ".join(_HEADERS[name] for name in sets))
    for variant in args.variants:
        built, seconds = ingested(
            args.data / "northwind", args.cache / f"northwind-{variant.slug}", variant
        )
        index = LanceDbIndex(built, dimension=embedder.dimension)
        for mode, retriever in _retrievers(index, embedder):
            cells = {
                name: score_set(_ranker(retriever, mode, str), rows) for name, rows in sets.items()
            }
            print(f"{variant.name:22s} {mode:8s} {_cells(cells)}", flush=True)
            embedder.save()
        stats = chunk_stats(built)
        print(
            f"{variant.name:22s} {stats.count} chunks (median {stats.median_tokens:.0f} tokens),"
            f" {stats.mid_sentence} start mid-sentence, {stats.over_embedder} over"
            f" {_EMBEDDER_WORD_PIECES} word pieces; ingest {seconds:.0f} s",
            flush=True,
        )


_HEADERS = {
    "tune": "tune hit@5 MRR",
    "untouched": "untouched hit@5 MRR",
    "pairs-tune": "pairs-tune R@5 R@10 | tune mean of 4",
    "pairs-untouched": "pairs-untouched R@5 R@10",
}


def tune_criterion(single: SetScore, pairs: SetScore) -> float:
    """The one figure a variant is chosen by, fixed before the untouched half was printed."""
    return (single.hit5 + single.mrr + pairs.recall5 + pairs.recall10) / 4


def _cells(cells: dict[str, SetScore]) -> str:
    shown = []
    for name, score in cells.items():
        if name.startswith("pairs"):
            shown.append(f"{score.recall5:.3f} {score.recall10:.3f}")
        else:
            shown.append(f"{score.hit5:.3f} {score.mrr:.3f}")
        if name == "pairs-tune":
            shown[-1] += f" | {tune_criterion(cells['tune'], score):.3f}"
    return " | ".join(shown)


def _retrievers(
    index: LanceDbIndex, embedder: DiskQueryEmbedder
) -> list[tuple[RetrievalMode, Retriever]]:
    """Chat's retriever (rule decomposition included) in each mode; the legs ignore RRF k."""
    chat = chat_retriever(index, embedder, DEFAULT_RRF_K, 1.0)
    return [("hybrid", chat), ("text", chat), ("vectors", chat)]


def scifact(args: argparse.Namespace) -> None:
    """Abstracts cut by each variant (title as every chunk's title, counted against the budget),
    a paper ranked by its best chunk; nDCG@10 on the train sample (tune) and test (report)."""
    root = args.data / "beir-scifact"
    corpus = read_jsonl(root / "corpus.jsonl")
    queries = {str(q["_id"]): str(q["text"]) for q in read_jsonl(root / "queries.jsonl")}
    splits = scifact_qrels(root)
    embedder = DiskQueryEmbedder(SentenceTransformerEmbedder(), args.cache / "scifact-queries.pkl")
    for variant in args.variants:
        directory, count = scifact_index(args.cache, corpus, variant)
        retriever = chat_retriever(
            LanceDbIndex(directory, dimension=embedder.dimension), embedder, DEFAULT_RRF_K, 1.0
        )
        for mode in ("hybrid", "text", "vectors"):
            cells = [
                f"{split} nDCG@10 {scifact_ndcg(retriever, mode, queries, qrels):.3f}"
                for split, qrels in splits.items()
            ]
            print(f"{variant.name:22s} {mode:8s} {' | '.join(cells)}  ({count} chunks)", flush=True)
            embedder.save()


def scifact_index(
    cache: Path, corpus: list[dict[str, object]], variant: Variant
) -> tuple[Path, int]:
    """The abstracts cut as ``ridgeline ingest`` would cut a page with this variant (made once)."""
    directory = cache / f"scifact-{variant.slug}"
    splitter = build_splitter(variant.settings(directory))
    chunks = [
        Chunk(
            chunk_id=chunk_id(f"p{row['_id']}", n),
            document_id="",
            source="corpus.jsonl",
            citation=f"corpus.jsonl#id={row['_id']}",
            content=content,
            title=str(row["title"]) or None,
        )
        for row in corpus
        for n, content in enumerate(
            splitter.split_page(
                Page(source="corpus.jsonl", text=str(row["text"]), title=str(row["title"]) or None)
            )
        )
    ]
    if not (directory / "done").exists():
        texts = [indexed_text(chunk) for chunk in chunks]
        vectors = _cached_vectors(texts, cache / f"scifact-vectors-{variant.slug}.npy")
        write_chunks(
            LanceDbIndex(directory, dimension=vectors.shape[1]), chunks, vectors, batch=2000
        )
        (directory / "done").write_text("written\n", encoding="utf-8")
    return directory, len(chunks)


def ingest(args: argparse.Namespace) -> None:
    for variant in args.variants:
        built, seconds = ingested(args.corpus, args.cache / f"{args.name}-{variant.slug}", variant)
        print(f"{variant.name}: {built} ({seconds:.0f} s)", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("benchmark", choices=["northwind", "scifact", "ingest"])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("bench/out/chunks"))
    parser.add_argument("--seed", type=int, default=SPLIT_SEED)
    parser.add_argument(
        "--variants", type=Variant.parse, nargs="+", default=[Variant(200, 20)], metavar="T/O[s]"
    )
    parser.add_argument("--untouched", action="store_true", help="also the untouched half")
    parser.add_argument("--corpus", type=Path, help="ingest: the folder to ingest")
    parser.add_argument("--name", default="corpus", help="ingest: the indexes' name in --cache")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    {"northwind": northwind, "scifact": scifact, "ingest": ingest}[args.benchmark](args)


if __name__ == "__main__":
    main()
