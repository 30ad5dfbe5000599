"""Access control is enforced inside the index query, in every mode and with every filter.

A seeded random world of users, groups and documents: for each user, each mode (BM25, text
vector, hybrid, image vector, hybrid + image) and with or without catalog filters, the results
must be exactly the matching chunks the user may read, so nothing leaks and nothing readable is
lost; a small ``top`` must still be filled from readable chunks (a prefilter, not a cut).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from retrieval.lancedb import LanceDbIndex
from ridgeline.types import AccessScope, Chunk, SearchFilters, SourceDocument
from tests.fakes import HashingEmbedder
from tests.retrieval.searching import search

pytestmark = pytest.mark.integration

WORDS = ("alpha", "bravo", "charlie", "delta", "echo")
CATEGORIES = ("tents", "boots", "stoves")
GROUPS = tuple(f"g{n}" for n in range(8))
USERS = tuple(f"u{n}" for n in range(30))
IMAGE_DIMENSION = 8


@dataclass(frozen=True)
class World:
    index: LanceDbIndex
    chunks: list[Chunk]
    with_image: set[str]
    memberships: dict[str, tuple[str, ...]]


def _access(rng: random.Random) -> dict[str, tuple[str, ...]]:
    if rng.random() < 0.3:
        return {}  # public
    users = tuple(rng.sample(USERS, rng.randint(0, 3)))
    groups = tuple(rng.sample(GROUPS, rng.randint(0 if users else 1, 2)))
    return {"access_users": users, "access_groups": groups}


def _document(rng: random.Random, number: int) -> list[Chunk]:
    doc_id = f"doc{number}.pdf"
    access = _access(rng)
    return [
        Chunk(
            chunk_id=f"{doc_id}-{n}",
            document_id=doc_id,
            source=doc_id,
            citation=f"{doc_id}#page={n + 1}",
            content=" ".join(rng.choices(WORDS, k=3)),
            category=rng.choice((*CATEGORIES, None)),
            price=round(rng.uniform(1, 100), 2),
            **access,  # type: ignore[arg-type]
        )
        for n in range(rng.randint(1, 4))
    ]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    rng = random.Random(20240611)
    embedder = HashingEmbedder(dimension=16)
    index = LanceDbIndex(
        tmp_path_factory.mktemp("acl"), dimension=16, image_dimension=IMAGE_DIMENSION
    )
    everything: list[Chunk] = []
    with_image: set[str] = set()
    for number in range(40):
        chunks = _document(rng, number)
        images = [
            [rng.uniform(-1, 1) for _ in range(IMAGE_DIMENSION)] if rng.random() < 0.5 else None
            for _ in chunks
        ]
        with_image |= {c.chunk_id for c, v in zip(chunks, images, strict=True) if v is not None}
        document = SourceDocument(
            document_id=chunks[0].document_id,
            path=Path(chunks[0].source),
            source=chunks[0].source,
            content_hash="h",
            size_bytes=1,
        )
        vectors = embedder.embed_documents([c.content for c in chunks])
        index.replace_document(document, chunks, vectors, image_vectors=images)
        everything += chunks
    memberships = {user: tuple(rng.sample(GROUPS, rng.randint(0, 3))) for user in USERS}
    return World(index, everything, with_image, memberships)


def _may_read(chunk: Chunk, scope: AccessScope) -> bool:
    if not chunk.access_users and not chunk.access_groups:
        return True
    return scope.user_id in chunk.access_users or bool(
        set(scope.group_ids) & set(chunk.access_groups)
    )


def _passes(chunk: Chunk, filters: SearchFilters) -> bool:
    if filters.include_category is not None and chunk.category != filters.include_category:
        return False
    if filters.max_price is not None and (chunk.price is None or chunk.price > filters.max_price):
        return False
    return _may_read(chunk, filters.access) if filters.access is not None else True


def _scopes(world: World) -> list[AccessScope]:
    """Ten users drawn by a seeded choice, someone anonymous, and a group-only scope."""
    users = random.Random(7).sample(sorted(world.memberships), 10)
    scopes = [AccessScope(user_id=u, group_ids=world.memberships[u]) for u in users]
    return [*scopes, AccessScope(), AccessScope(group_ids=("g1", "g5"))]


MODES = ["text", "vectors", "hybrid", "image", "hybrid+image"]


def _search(world: World, mode: str, filters: SearchFilters, top: int) -> list[str]:
    vector = HashingEmbedder(dimension=16).embed_query("alpha")
    image = [0.5] * IMAGE_DIMENSION if "image" in mode else None
    hits = search(
        world.index,
        text="" if mode == "image" else "alpha",  # an image alone: the image ranking only
        vector=None if mode == "image" else vector,
        mode="vectors" if mode == "image" else mode.removesuffix("+image"),  # type: ignore[arg-type]
        top=top,
        filters=filters,
        image_vector=image,
    )
    return [h.chunk.chunk_id for h in hits]


def _expected(world: World, mode: str, filters: SearchFilters) -> set[str]:
    allowed = {c.chunk_id for c in world.chunks if _passes(c, filters)}
    has_word = {c.chunk_id for c in world.chunks if "alpha" in c.content.split()}
    if mode == "text":
        return allowed & has_word
    if mode == "image":
        return allowed & world.with_image
    return allowed  # a text-vector ranking reaches every allowed chunk


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "catalog", [{}, {"include_category": "tents"}, {"max_price": 50.0}], ids=["all", "cat", "price"]
)
def test_every_user_gets_exactly_the_chunks_they_may_read(
    world: World, mode: str, catalog: dict[str, object]
) -> None:
    everything = len(world.chunks)
    for scope in _scopes(world):
        filters = SearchFilters(access=scope, **catalog)  # type: ignore[arg-type]
        expected = _expected(world, mode, filters)
        found = _search(world, mode, filters, top=everything)
        assert len(found) == len(set(found))
        assert set(found) == expected, f"{scope} in {mode} mode"
        # A small page is filled from readable chunks only: the filter is inside the query.
        page = _search(world, mode, filters, top=3)
        assert set(page) <= expected and len(page) == min(3, len(expected)), f"{scope} {mode}"


def test_the_world_mixes_public_private_and_group_chunks(world: World) -> None:
    public = [c for c in world.chunks if not c.access_users and not c.access_groups]
    assert 0 < len(public) < len(world.chunks) / 2
    assert any(c.access_users and not c.access_groups for c in world.chunks)
    assert any(c.access_groups and not c.access_users for c in world.chunks)


def test_someone_without_access_never_sees_a_private_document(world: World) -> None:
    private = next(c for c in world.chunks if c.access_users or c.access_groups)
    stranger = AccessScope(user_id="nobody", group_ids=("no-such-group",))
    hits = search(
        world.index,
        text=private.content,
        vector=None,
        mode="text",
        top=len(world.chunks),
        filters=SearchFilters(access=stranger),
    )
    assert private.chunk_id not in {h.chunk.chunk_id for h in hits}
    assert all(not h.chunk.access_users and not h.chunk.access_groups for h in hits)


def test_facets_count_only_readable_chunks(world: World) -> None:
    scope = AccessScope(user_id="u3", group_ids=world.memberships["u3"])
    counts = world.index.facets("category", filters=SearchFilters(access=scope))
    readable = [c for c in world.chunks if _may_read(c, scope) and c.category is not None]
    assert counts == {
        name: sum(1 for c in readable if c.category == name)
        for name in CATEGORIES
        if any(c.category == name for c in readable)
    }
