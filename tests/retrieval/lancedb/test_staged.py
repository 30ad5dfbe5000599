"""New documents staged as data files by a worker (another process) and committed by the index."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from retrieval.lancedb import LanceDbIndex
from retrieval.lancedb.staged import LanceStager, StagedAppend
from ridgeline.types import NewDocument
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import make_chunks, make_document
from tests.retrieval.searching import search

pytestmark = pytest.mark.integration


def _shelf(embedder: HashingEmbedder, names: list[str]) -> list[NewDocument]:
    documents = []
    for name in names:
        chunks = make_chunks(name, [(f"{name} lantern part{n} bright", {}) for n in range(3)])
        vectors = np.array(embedder.embed_documents([c.content for c in chunks]), np.float32)
        documents.append(NewDocument(make_document(name), chunks, vectors))
    return documents


def _stage_in_child(stager: LanceStager, documents: list[NewDocument]) -> StagedAppend:
    """Stage in a fresh process, as a Ray actor does: only the stager is shared."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(stager.stage, (documents,))


@pytest.fixture
def index(tmp_path: Path, hashing_embedder: HashingEmbedder) -> LanceDbIndex:
    return LanceDbIndex(tmp_path / "index", dimension=hashing_embedder.dimension)


def test_staged_documents_appear_only_when_committed_and_equal_a_bulk_load(
    tmp_path: Path, index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    documents = _shelf(hashing_embedder, ["a.txt", "b.txt"])
    staged = _stage_in_child(index.stager(), documents)
    assert staged.document_ids == ("a.txt", "b.txt") and staged.chunks == 6
    assert index.count_chunks() == 0 and index.list_documents() == []  # written, not committed

    assert index.commit_staged(staged) == 6
    loaded = LanceDbIndex(tmp_path / "loaded", dimension=hashing_embedder.dimension)
    loaded.bulk_load(documents)
    assert index.list_documents() == loaded.list_documents()
    ids = [chunk.chunk_id for d in documents for chunk in d.chunks]
    assert index.fetch(ids) == loaded.fetch(ids)
    vector = hashing_embedder.embed_query("b.txt lantern part2")
    for mode in ("text", "vectors", "hybrid"):
        hits = search(index, text="b.txt part2", vector=vector, mode=mode, top=1)  # type: ignore[arg-type]
        assert hits[0].chunk == documents[1].chunks[2], mode


def test_a_document_the_index_holds_is_refused_before_anything_is_committed(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    index.commit_staged(index.stager().stage(_shelf(hashing_embedder, ["a.txt"])))
    again = index.stager().stage(_shelf(hashing_embedder, ["c.txt", "a.txt"]))
    with pytest.raises(ValueError, match=r"a\.txt"):
        index.commit_staged(again)
    assert [d.document_id for d in index.list_documents()] == ["a.txt"]
    assert index.count_chunks() == 3


def test_image_vectors_are_not_staged_before_the_writer_added_their_column(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    (document,) = _shelf(hashing_embedder, ["photo.txt"])
    with_images = NewDocument(
        document.document, document.chunks, document.vectors, [[1.0, 0.0, 0.0]] * 3
    )
    with pytest.raises(ValueError, match="image-vector column"):
        index.stager().stage([with_images])
    assert index.count_chunks() == 0
