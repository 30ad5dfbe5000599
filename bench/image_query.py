"""Query by image: does a held-out photo of a product find that product?

Two protocols over ``contoso-outdoor/images/N/k.jpg`` (20 products, 82 photos):

- last held out: each product's last photo queries the other 62 (20 queries);
- each held out in turn: every photo queries the other 81 (82 queries, the steadier figure).

A product's score is its best photo's similarity. Prints top-1 and top-3 product accuracy for
several descriptor designs, the packaged EfficientNet-Lite0 features alone and fused with the
descriptors (the default), index-free (numpy cosine), then for the default through the real
LanceDB index and ``HybridRetriever`` image queries (both protocols), and each embedder's cost
per image (process CPU and wall time; the network is loaded before timing).

Usage: python -m bench.image_query [--data ../shared/data] [--variants all|default] [--no-index]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.no_text import NoTextEmbedder
from ingestion.enrich.factory import build_image_embedder
from retrieval.lancedb import LanceDbIndex
from retrieval.retriever import HybridRetriever
from ridgeline.protocols import ImageEmbedder
from ridgeline.providers.efficientnet_embedder import EfficientNetLiteEmbedder
from ridgeline.providers.fused_image_embedder import FusedImageEmbedder
from ridgeline.providers.visual_embedder import VisualSimilarityEmbedder
from ridgeline.settings import Settings
from ridgeline.types import Chunk, ChunkKind, ImageAsset, SourceDocument, citation_for

DESCRIPTORS = "version 2: colour + layout + edges + gist, centred"
LITE0 = "EfficientNet-Lite0 (1280-d average-pooled features)"
DEFAULT = "EfficientNet-Lite0 + version 2, equal weight (default)"
VARIANTS: dict[str, dict[str, object]] = {
    "version 1: colour + layout + edges, weighted": {
        "descriptors": ("colour", "layout", "edges"),
        "weights": {"colour": 0.7, "layout": 1.0, "edges": 1.3},
        "centred": False,
    },
    "colour histogram only": {"descriptors": ("colour",)},
    "layout only": {"descriptors": ("layout",)},
    "edges only": {"descriptors": ("edges",)},
    "gist only": {"descriptors": ("gist",)},
    "texture only": {"descriptors": ("texture",)},
    "colour + layout + edges, centred": {"descriptors": ("colour", "layout", "edges")},
    "version 2, not centred": {"centred": False},
    "version 2, no foreground weighting": {"foreground": False},
    "version 2 + texture": {"descriptors": ("colour", "layout", "edges", "gist", "texture")},
}


class RememberedImages:
    """An image embedder that embeds each photo once per run (the embedders are deterministic,
    so the figures are the same; every protocol below re-reads the same 82 photos)."""

    def __init__(self, embedder: ImageEmbedder) -> None:
        self._embedder = embedder
        self._vectors: dict[Path, list[float]] = {}
        self.name, self.text_aligned = embedder.name, embedder.text_aligned

    @property
    def dimension(self) -> int:
        return self._embedder.dimension

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        missing = [p for p in dict.fromkeys(image_paths) if p not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed_images(missing), strict=True))
        return [self._vectors[p] for p in image_paths]

    def embed_text(self, text: str) -> list[float]:
        return self._embedder.embed_text(text)


@dataclass(frozen=True)
class Split:
    gallery: list[tuple[str, Path]]  # (product id, photo)
    queries: list[tuple[str, Path]]


def held_out_split(images: Path) -> Split:
    if not images.is_dir():
        raise SystemExit(f"{images} not found: pass --data pointing at the shared data folder")
    gallery, queries = [], []
    for product in sorted(p for p in images.iterdir() if p.is_dir()):
        photos = sorted(product.glob("*.jpg"), key=lambda p: int(p.stem))
        queries.append((product.name, photos[-1]))
        gallery.extend((product.name, photo) for photo in photos[:-1])
    return Split(gallery=gallery, queries=queries)


def product_ranking(scores: np.ndarray, products: Sequence[str]) -> list[str]:
    best: dict[str, float] = {}
    for product, score in zip(products, scores, strict=True):
        best[product] = max(best.get(product, -1.0), float(score))
    return sorted(best, key=lambda p: -best[p])


def accuracy(rankings: Sequence[list[str]], truths: Sequence[str]) -> tuple[float, float]:
    top1 = np.mean([r[0] == t for r, t in zip(rankings, truths, strict=True)])
    top3 = np.mean([t in r[:3] for r, t in zip(rankings, truths, strict=True)])
    return float(top1), float(top3)


def index_free(embedder: ImageEmbedder, split: Split) -> tuple[float, float]:
    gallery = np.array(embedder.embed_images([p for _, p in split.gallery]))
    queries = np.array(embedder.embed_images([p for _, p in split.queries]))
    products = [product for product, _ in split.gallery]
    rankings = [product_ranking(gallery @ q, products) for q in queries]
    return accuracy(rankings, [product for product, _ in split.queries])


def leave_one_out(embedder: ImageEmbedder, split: Split) -> tuple[float, float]:
    """Every photo held out in turn (82 queries instead of 20: a steadier figure)."""
    photos = split.gallery + split.queries
    vectors = np.array(embedder.embed_images([p for _, p in photos]))
    products = [product for product, _ in photos]
    rankings = []
    for i, query in enumerate(vectors):
        others = [j for j in range(len(photos)) if j != i]
        rankings.append(product_ranking(vectors[others] @ query, [products[j] for j in others]))
    return accuracy(rankings, products)


def index_photos(
    index: LanceDbIndex, embedder: ImageEmbedder, photos: Sequence[tuple[str, Path]]
) -> None:
    """Write every photo as an image chunk of its product's document, with its image vector."""
    for product in sorted({p for p, _ in photos}):
        paths = [photo for p, photo in photos if p == product]
        chunks = [
            Chunk(
                chunk_id=_chunk_id(product, photo),
                document_id=product,
                source="products.csv",
                citation=citation_for("products.csv", record_id=product),
                content=f"photo {photo.name} of product {product}",
                kind=ChunkKind.IMAGE,
                images=(ImageAsset(path=str(photo)),),
            )
            for photo in paths
        ]
        document = SourceDocument(
            document_id=product,
            path=paths[0].parent,
            source="products.csv",
            content_hash=product,
            size_bytes=0,
        )
        image_vectors = embedder.embed_images(paths)
        index.replace_document(document, chunks, [[1.0]] * len(chunks), image_vectors=image_vectors)


def _chunk_id(product: str, photo: Path) -> str:
    return f"{product}-{photo.stem}"


def through_retriever(
    embedder: ImageEmbedder,
    gallery: Sequence[tuple[str, Path]],
    queries: Sequence[tuple[str, Path]],
) -> tuple[float, float]:
    """Index ``gallery``, then query with ``HybridRetriever.search("", image=photo)`` for each
    query photo: the image-vector ranking of the real index. A query photo that is also in the
    gallery is left out of its own ranking (so the gallery can be every photo, each in turn)."""
    with tempfile.TemporaryDirectory() as tmp:
        index = LanceDbIndex(Path(tmp), dimension=1)
        index_photos(index, embedder, gallery)
        # Every photo of a product shares its citation: one hit per citation would keep only
        # the query photo itself in the each-in-turn run, and drop its product (0.00).
        retriever = HybridRetriever(
            index=index,
            embedder=NoTextEmbedder(run="image-only"),
            image_embedder=embedder,
            distinct_pages=False,
        )
        rankings = []
        for product, photo in queries:
            hits = retriever.search("", mode="hybrid", top=len(gallery), image=photo)
            own = _chunk_id(product, photo)
            products = [h.chunk.document_id for h in hits if h.chunk.chunk_id != own]
            rankings.append(list(dict.fromkeys(products)))
    return accuracy(rankings, [product for product, _ in queries])


def variants(*, every: bool) -> Iterator[tuple[str, ImageEmbedder]]:
    """(label, embedder) to score; the fused one reuses its parts' remembered vectors."""
    if every:
        for name, options in VARIANTS.items():
            yield name, RememberedImages(VisualSimilarityEmbedder(**options))  # type: ignore[arg-type]
    descriptors = RememberedImages(VisualSimilarityEmbedder())
    lite0 = RememberedImages(EfficientNetLiteEmbedder())
    yield DESCRIPTORS, descriptors
    yield LITE0, lite0
    yield DEFAULT, FusedImageEmbedder([lite0, descriptors])


def cost_per_image(embedder: ImageEmbedder, photos: Sequence[Path]) -> tuple[float, float]:
    """Milliseconds per image (process CPU, wall) to load, describe and embed ``photos``."""
    embedder.embed_images(photos[:1])  # a model loads once per process: not a per-image cost
    cpu, wall = time.process_time(), time.perf_counter()
    embedder.embed_images(photos)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return 1000 * cpu / len(photos), 1000 * wall / len(photos)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--variants", choices=["all", "default"], default="all")
    parser.add_argument("--no-index", action="store_true", help="skip the retriever runs")
    args = parser.parse_args()
    split = held_out_split(args.data / "contoso-outdoor" / "images")
    print(f"gallery {len(split.gallery)} photos, {len(split.queries)} held-out queries")
    print(f"{'image embedder':62s} {'dim':>4s}  last held out (20)     each held out in turn (82)")
    for name, embedder in variants(every=args.variants == "all"):
        last1, last3 = index_free(embedder, split)
        each1, each3 = leave_one_out(embedder, split)
        print(
            f"{name:62s} {embedder.dimension:4d}  top-1 {last1:.2f} top-3 {last3:.2f}    "
            f"top-1 {each1:.2f} top-3 {each3:.2f}"
        )
    photos = [photo for _, photo in split.gallery + split.queries]
    for embedder in (VisualSimilarityEmbedder(), EfficientNetLiteEmbedder()):
        cpu, wall = cost_per_image(embedder, photos)
        print(f"{embedder.name}: {cpu:.1f} ms CPU, {wall:.1f} ms wall per image")
    embedder = build_image_embedder(Settings(image_embedder="efficientnet+visual"))  # the default
    assert embedder is not None
    cpu, wall = cost_per_image(embedder, photos)
    print(f"{embedder.name} (default): {cpu:.1f} ms CPU, {wall:.1f} ms wall per image")
    if not args.no_index:
        remembered = RememberedImages(embedder)
        top1, top3 = through_retriever(remembered, split.gallery, split.queries)
        print(
            "through LanceDbIndex + HybridRetriever, last held out: "
            f"top-1 {top1:.2f} top-3 {top3:.2f}"
        )
        everything = split.gallery + split.queries
        top1, top3 = through_retriever(remembered, everything, everything)
        print(
            "through LanceDbIndex + HybridRetriever, each held out in turn: "
            f"top-1 {top1:.2f} top-3 {top3:.2f}"
        )


if __name__ == "__main__":
    main()
