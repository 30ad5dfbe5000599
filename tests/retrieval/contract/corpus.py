"""The contract corpus: a small catalog and a two-page manual, with every field a filter reads.

Query words appear in one form only (no "tent" beside "tents"), so BM25 gives the same scores
whether a backend stems (LanceDB) or not (Azure's standard analyzer), and the backends' top
results can be compared exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ridgeline.protocols import SearchIndex
from ridgeline.types import Chunk, ChunkKind, ImageAsset, SourceDocument
from tests.fakes import HashingEmbedder

DIMENSION = 64
IMAGE_DIMENSION = 3


@dataclass(frozen=True)
class _Product:
    content: str
    category: str
    brand: str | None
    price: float
    users: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    image: list[float] | None = None


_PRODUCTS = [
    _Product("TrailMaster X4 tent for four campers, waterproof fly", "tents", "Contoso", 250.0,
             image=[1.0, 0.0, 0.0]),
    _Product("Summit Lite tent for two hikers, light and packable", "tents", "Halvard", 180.0,
             image=[0.8, 0.6, 0.0]),
    _Product("Alpine Explorer boots, waterproof leather for rocky trails", "boots", "Contoso",
             140.0),
    _Product("Fell runner shoes with a grippy sole", "shoes", "Halvard", 120.0,
             groups=("staff",)),
    _Product("Merino socks for cold trails and long hikes", "socks", None, 15.5,
             image=[0.0, 1.0, 0.0]),
    _Product("Insulated jacket for winter camping", "jackets", "Contoso", 200.0, users=("ann",)),
]  # fmt: skip
_MANUAL = [
    "Pitching the TrailMaster: stake the four corners first, then raise the poles.",
    "Care of waterproof fabric: dry the fly before storage, never wash it hot.",
]


def document(document_id: str, *, content_hash: str = "h1") -> SourceDocument:
    return SourceDocument(
        document_id=document_id,
        path=Path(f"/data/{document_id}"),
        source=document_id,
        content_hash=content_hash,
        size_bytes=100,
    )


def product_chunks() -> list[Chunk]:
    return [
        Chunk(
            chunk_id=f"products.csv-{n}",
            document_id="products.csv",
            source="products.csv",
            citation=f"products.csv#id={n}",
            kind=ChunkKind.CATALOG,
            content=p.content,
            title=p.content.split(",")[0],
            category=p.category,
            brand=p.brand,
            price=p.price,
            access_users=p.users,
            access_groups=p.groups,
            images=(ImageAsset(path=f"img/{n}.png", ocr_text="LOGO"),) if p.image else (),
        )
        for n, p in enumerate(_PRODUCTS)
    ]


def manual_chunks(pages: list[str] = _MANUAL) -> list[Chunk]:
    return [
        Chunk(
            chunk_id=f"manual.pdf-{n}",
            document_id="manual.pdf",
            source="manual.pdf",
            citation=f"manual.pdf#page={n + 1}",
            content=text,
            page_number=n + 1,
        )
        for n, text in enumerate(pages)
    ]


def image_vectors() -> list[list[float] | None]:
    return [product.image for product in _PRODUCTS]


def write_corpus(index: SearchIndex, embedder: HashingEmbedder) -> list[Chunk]:
    products, manual = product_chunks(), manual_chunks()
    index.replace_document(
        document("products.csv"),
        products,
        embedder.embed_documents([c.content for c in products]),
        image_vectors=image_vectors(),
    )
    index.replace_document(
        document("manual.pdf"), manual, embedder.embed_documents([c.content for c in manual])
    )
    return products + manual
