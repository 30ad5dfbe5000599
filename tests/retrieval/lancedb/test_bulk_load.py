"""LanceDbIndex.bulk_load: many new documents appended in batches, indexed once at the end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.lancedb import LanceDbIndex
from ridgeline.types import ChunkKind, NewDocument, SearchFilters
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import ChunkSpec, make_chunks, make_document
from tests.retrieval.searching import search

pytestmark = pytest.mark.integration


def _new(embedder: HashingEmbedder, document_id: str, specs: list[ChunkSpec]) -> NewDocument:
    chunks = make_chunks(document_id, specs)
    vectors = np.array(embedder.embed_documents([c.content for c in chunks]), dtype=np.float32)
    return NewDocument(document=make_document(document_id), chunks=chunks, vectors=vectors)


def _shelf(embedder: HashingEmbedder, count: int) -> list[NewDocument]:
    """``count`` documents of three chunks each, with words shared by few chunks."""
    return [
        _new(
            embedder,
            f"doc{d}.txt",
            [(f"item{d}x{n} word{(d * 3 + n) % 17} shelf{d}", {}) for n in range(3)],
        )
        for d in range(count)
    ]


@pytest.fixture
def index(tmp_path: Path, hashing_embedder: HashingEmbedder) -> LanceDbIndex:
    return LanceDbIndex(tmp_path / "index", dimension=hashing_embedder.dimension)


def test_loaded_documents_are_listed_and_found_in_every_mode(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    documents = _shelf(hashing_embedder, 5)
    written = index.bulk_load(documents, batch_rows=4)
    assert written == 15 and index.count_chunks() == 15
    assert [d.document_id for d in index.list_documents()] == [f"doc{d}.txt" for d in range(5)]
    wanted = documents[3].chunks[1]
    vector = hashing_embedder.embed_query(wanted.content)
    for mode in ("text", "vectors", "hybrid"):
        hits = search(index, text="item3x1", vector=vector, mode=mode, top=2)  # type: ignore[arg-type]
        assert hits[0].chunk == wanted, mode  # the fused page carries full records too


def test_loaded_rows_are_inside_the_full_text_index(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    index.bulk_load(_shelf(hashing_embedder, 4), batch_rows=3)
    chunks = index._tables.get().chunks
    fts = next(i for i in chunks.list_indices() if i.index_type == "FTS")
    stats = chunks.index_stats(fts.name)
    assert stats is not None
    assert stats.num_unindexed_rows == 0 and stats.num_indexed_rows == 12


def test_records_and_filters_survive_the_columnar_write(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    product = {"kind": ChunkKind.CATALOG, "category": "tents", "price": 99.5}
    private = {"access_users": ("ana",), "category": "tents", "price": 20.0}
    item = _new(hashing_embedder, "p.csv", [("dome tent", product), ("tunnel tent", private)])
    index.bulk_load([item])
    hits = search(index, text="tent", vector=None, mode="text", top=5)
    assert {h.chunk for h in hits} == set(item.chunks)
    catalog = SearchFilters(include_category="tents", max_price=150.0)
    assert {
        h.chunk.chunk_id
        for h in search(index, text="tent", vector=None, mode="text", top=5, filters=catalog)
    } == {"p.csv-0", "p.csv-1"}


def test_a_document_already_in_the_index_is_refused_before_its_batch(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    existing = _new(hashing_embedder, "a.txt", [("alpha", {})])
    index.replace_document(existing.document, existing.chunks, existing.vectors)
    with pytest.raises(ValueError, match=r"'a\.txt' is already in the index"):
        index.bulk_load([_new(hashing_embedder, "b.txt", [("beta", {})]), existing])
    assert index.count_chunks() == 1  # b.txt shared the refused batch: not written


def test_a_document_given_twice_is_refused(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    twice = _new(hashing_embedder, "a.txt", [("alpha", {})])
    with pytest.raises(ValueError, match="given twice"):
        index.bulk_load([twice, twice])
    assert index.count_chunks() == 0


def test_a_bad_document_keeps_the_earlier_batches_whole(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    good = _shelf(hashing_embedder, 2)
    bad = _new(hashing_embedder, "bad.txt", [("nan here", {})])
    bad.vectors[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"chunk 'bad\.txt-0': vector contains NaN"):
        index.bulk_load([*good, bad], batch_rows=3)  # one batch per good document
    assert index.count_chunks() == 6
    assert [d.document_id for d in index.list_documents()] == ["doc0.txt", "doc1.txt"]
    assert all(d.content_hash == "h1" for d in index.list_documents())


def test_vectors_of_the_wrong_width_are_rejected_naming_the_shape(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    item = _new(hashing_embedder, "a.txt", [("alpha", {})])
    narrow = NewDocument(document=item.document, chunks=item.chunks, vectors=[[0.1, 0.2]])
    with pytest.raises(ValueError, match=r"\(1, 64\) vector block, got shape \(1, 2\)"):
        index.bulk_load([narrow])


def test_the_ann_index_is_built_once_at_the_end(tmp_path: Path) -> None:
    embedder = HashingEmbedder(dimension=16)
    index = LanceDbIndex(tmp_path, dimension=16, ann_min_rows=300)
    texts = [f"item {n} tag{n % 37} group{n % 11}" for n in range(400)]
    documents = [
        _new(embedder, f"part{p}.csv", [(t, {}) for t in texts[p * 100 : (p + 1) * 100]])
        for p in range(4)
    ]
    index.bulk_load(documents, batch_rows=100)
    vector_indexes = [i for i in index._tables.get().chunks.list_indices() if "vector" in i.columns]
    assert len(vector_indexes) == 1 and vector_indexes[0].num_unindexed_rows == 0
    vector = embedder.embed_query(texts[123])
    for mode in ("vectors", "hybrid"):  # hybrid asks the graph for more candidates
        hits = search(index, text="item 123", vector=vector, mode=mode, top=3)  # type: ignore[arg-type]
        assert hits[0].chunk.content == texts[123], mode


def test_image_vectors_are_loaded_with_their_chunks(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    index = LanceDbIndex(tmp_path, dimension=hashing_embedder.dimension)
    item = _new(hashing_embedder, "cat.csv", [("red tent", {}), ("plain text", {})])
    with_images = NewDocument(
        document=item.document,
        chunks=item.chunks,
        vectors=item.vectors,
        image_vectors=[[0.0, 1.0, 0.0], None],
    )
    index.bulk_load([with_images])
    assert index.image_dimension == 3
    hits = search(index, text="", vector=None, mode="vectors", top=5, image_vector=[0, 1, 0])
    assert [h.chunk.chunk_id for h in hits] == ["cat.csv-0"]
