"""The catalog products among the sources, with their typed attributes, for the composers.

Usage::

    products = products_in(hits)           # one per catalog record, in rank order
    products[0].value_of("weight")         # Attribute(value=1.1, unit="kg", ...) or None
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from chat.models.terms import content_terms, normalise
from retrieval.query.constraints import match_facet_value
from ridgeline.attribute_fields import RecordAttributes
from ridgeline.attributes import Attribute, extract_attributes, first_value
from ridgeline.types import ChunkKind, SearchHit

# Attributes that stand for "size", in the order they are tried.
_SIZE_ATTRIBUTES = ("volume", "floor_area", "persons", "dimensions")


@dataclass(frozen=True)
class Product:
    """A catalog record as the composers see it."""

    name: str
    price: float | None
    category: str | None
    citation: str
    rank: int
    score: float
    description: str
    attributes: dict[str, list[Attribute]] = field(default_factory=dict)

    def value_of(self, attribute: str) -> Attribute | None:
        """The numeric attribute (``price`` from the catalog field), or ``None``."""
        if attribute == "price":
            if self.price is None:
                return None
            text = f"${self.price:,.2f}"
            return Attribute("price", self.price, "USD", text, f"Price: {text}")
        return first_value(self.attributes, attribute)

    @property
    def shown_price(self) -> str:
        return f"${self.price:,.2f}" if self.price is not None else "price not listed"

    @property
    def name_terms(self) -> frozenset[str]:
        return content_terms(self.name)

    @property
    def kind(self) -> str:
        return kind_of(self.name)

    @property
    def materials(self) -> str | None:
        """The materials the record names, each once, in reading order ("leather, mesh")."""
        names = dict.fromkeys(str(a.value) for a in self.attributes.get("materials", []))
        return ", ".join(names) or None

    @property
    def generic_terms(self) -> frozenset[str]:
        """Name words that say what it is, not which one: its kind and its category's words
        ("Sleeping Bag" in "CozyNights Sleeping Bag"), even when it is the only one found."""
        return content_terms(self.category or "") | {self.kind}


def products_in(hits: Sequence[SearchHit]) -> list[Product]:
    """The catalog records among ``hits``, first occurrence of each name kept; a hit on a
    product's picture ranks the product where the picture ranks."""
    by_image = _image_ranks(hits)
    # A long record is cut into several chunks: without stored attributes, its facts are read
    # from the chunks that were found.
    texts: dict[str, list[str]] = {}
    stored: dict[str, RecordAttributes] = {}
    first: dict[str, tuple[int, SearchHit]] = {}
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        if chunk.kind != ChunkKind.CATALOG or not chunk.title:
            continue
        texts.setdefault(chunk.title, []).append(chunk.content)
        if chunk.attributes is not None:
            stored.setdefault(chunk.title, chunk.attributes)
        first.setdefault(chunk.title, (rank, hit))
    products = [
        _product(hit, rank, texts[name], stored.get(name), by_image)
        for name, (rank, hit) in first.items()
    ]
    return sorted(products, key=lambda p: p.rank)


def _product(
    hit: SearchHit,
    rank: int,
    texts: list[str],
    stored: RecordAttributes | None,
    by_image: dict[str, int],
) -> Product:
    """The record as a Product: the attributes stored at ingestion (read from the whole record)
    when the index has them, else those its found chunks state."""
    chunk = hit.chunk
    image_rank = min((by_image.get(i.path, rank) for i in chunk.images), default=rank)
    prose = [d for d in (_description(text) for text in texts) if d]
    attributes = (
        stored.as_extracted() if stored is not None else extract_attributes("\n".join(texts))
    )
    return Product(
        name=chunk.title or "",
        price=chunk.price,
        category=chunk.category,
        citation=chunk.citation,
        rank=min(rank, image_rank),
        score=hit.score,
        description=max(prose, key=_prose_weight, default=""),
        attributes=attributes,
    )


def _prose_weight(text: str) -> int:
    """Sentences that end, not a caption cut short with "…"."""
    return len(text) - (1000 if text.endswith("\u2026") or "Context:" in text else 0)


def _image_ranks(hits: Sequence[SearchHit]) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for rank, hit in enumerate(hits):
        if hit.chunk.kind == ChunkKind.IMAGE:
            for image in hit.chunk.images:
                ranks.setdefault(image.path, rank)
    return ranks


def in_asked_category(question: str, products: list[Product]) -> tuple[str | None, list[Product]]:
    """The category the question names (among the products' own) and its products; else the
    kind of product it names by the last word of their names ("a jacket": the "... Jacket"
    products, whatever their category); all products when it names neither."""
    categories = sorted({p.category for p in products if p.category})
    found = match_facet_value(question, categories)
    if found is not None:
        return found[0], [p for p in products if p.category == found[0]]
    kind = asked_kind(question, products)
    if kind is not None:
        return kind_name(kind, products), [p for p in products if p.kind == kind]
    return None, products


def asked_kind(question: str, products: Sequence[Product]) -> str | None:
    """The kind of product ``question`` asks for, as the last word of some products' names
    ("jacket" for "RainGuard Hiking Jacket"); None when it names no such word. When it names
    several ("tent or tarp"), the one of the best-ranked product."""
    asked = content_terms(question)
    return next((p.kind for p in products if p.kind in asked), None)


def asked_kinds(question: str, hits: Sequence[SearchHit]) -> frozenset[str]:
    """The kinds of product among ``hits``' catalog records that ``question`` asks for."""
    asked = content_terms(question)
    names = (h.chunk.title for h in hits if h.chunk.kind == ChunkKind.CATALOG and h.chunk.title)
    return frozenset(kind for name in names if (kind := kind_of(name)) in asked)


def kind_of(name: str) -> str:
    """The normalised last word of a product name: what it is ("Jacket", "Tent", "Bag")."""
    return normalise(_last_word(name))


def kind_name(kind: str, products: Sequence[Product]) -> str:
    """What an answer calls the products of ``kind``: the last word of such a product's name as
    written, in the plural ("compasses"; the kind itself is a stem: "compas", "shad")."""
    word = next((_last_word(p.name).lower() for p in products if p.kind == kind), kind)
    if word.endswith(("ss", "x", "ch", "sh")):
        return f"{word}es"
    if word.endswith("s"):  # already plural: "Hiking Pants", "Sandals"
        return word
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return f"{word[:-1]}ies"
    return f"{word}s"


def _last_word(name: str) -> str:
    words = re.findall(r"[A-Za-z]+", name)
    return words[-1] if words else ""


def size_attribute(products: list[Product]) -> str:
    """The size measure most of ``products`` state (litres for packs, floor area for tents)."""
    counts = {a: sum(p.value_of(a) is not None for p in products) for a in _SIZE_ATTRIBUTES}
    return max(_SIZE_ATTRIBUTES, key=lambda a: counts[a])


def named_products(question: str, products: list[Product]) -> list[Product]:
    """Products the question names by a distinctive part of their name ("Ptarmigan 2"); else
    the one product with a word of its own that the question uses ("the GPS" for the
    "Pathfinder GPS Handheld"), when no other product found has one."""
    asked = content_terms(question)
    common = common_terms(products)
    named = []
    touched = []
    for product in products:
        own = distinct_terms(product, common)
        if own and len(own & asked) >= max(1, (len(own) + 1) // 2):
            named.append(product)
        elif own & asked:
            touched.append(product)
    return named or (touched if len(touched) == 1 else [])


def distinct_terms(product: Product, common: frozenset[str]) -> frozenset[str]:
    """The words of ``product``'s name that tell it apart: not its kind or category words, nor
    ``common`` (the words other products found share, :func:`common_terms`)."""
    return product.name_terms - common - product.generic_terms


def common_terms(products: list[Product]) -> frozenset[str]:
    """Name words shared by several products ("tent", a brand) do not tell them apart."""
    seen: dict[str, int] = {}
    for product in products:
        for term in product.name_terms:
            seen[term] = seen.get(term, 0) + 1
    return frozenset(term for term, count in seen.items() if count > 1)


_FIELD = re.compile(r"^\s*(\w[\w ]{0,20}):\s*(.*)$")


def _description(content: str) -> str:
    """The record's prose: its description field, else its first line of prose that is not
    a field (image captions and OCR text that follow it are not the product's prose)."""
    lines = [line.strip() for line in content.splitlines() if line.strip()]
    for line in lines:
        match = _FIELD.match(line)
        if match and match.group(1).lower() in {"description", "details", "summary"}:
            return match.group(2)
    prose = [ln for ln in lines[1:] if not _FIELD.match(ln) and not ln.startswith("[")]
    return prose[0] if prose else ""
