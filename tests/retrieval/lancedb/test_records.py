"""Records read back at the row addresses their ranking saw, and by id when those moved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from retrieval.lancedb import LanceDbIndex
from retrieval.lancedb import records as records_module
from ridgeline.ranking import RankingQuery
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import IndexWriter, make_chunks, make_document

pytestmark = pytest.mark.integration


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """How ``fetch`` read its records: "taken" at addresses, "records" looked up by id."""
    seen: list[str] = []
    run_all: Callable[[dict[str, Any]], dict[str, list[dict[str, Any]]]] = records_module.run_all

    def spying(queries: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        seen.extend(queries)
        return run_all(queries)

    monkeypatch.setattr(records_module, "run_all", spying)
    return seen


def _rank(index: LanceDbIndex, text: str) -> list[str]:
    [ranking] = index.rank([RankingQuery(field="text", text=text, top=5)])
    return [entry.chunk_id for entry in ranking]


def test_ranked_chunks_are_taken_at_their_addresses(
    index: LanceDbIndex, write: IndexWriter, reads: list[str]
) -> None:
    chunks = write("a.txt", [("red tent", {}), ("blue tent", {}), ("green boots", {})])
    ranked = _rank(index, "tent")
    assert sorted(ranked) == ["a.txt-0", "a.txt-1"]
    assert index.fetch(ranked) == {c.chunk_id: c for c in chunks[:2]}
    assert reads == ["taken"]


def test_chunks_never_ranked_are_looked_up_by_id(
    index: LanceDbIndex, write: IndexWriter, reads: list[str]
) -> None:
    chunks = write("a.txt", [("red tent", {}), ("green boots", {})])
    _rank(index, "tent")
    assert index.fetch(["a.txt-0", "a.txt-1"]) == {c.chunk_id: c for c in chunks}
    assert reads == ["taken", "records"]  # a.txt-1 was not in the ranking


def test_a_chunk_rewritten_after_its_ranking_is_read_as_it_is_now(
    index: LanceDbIndex, write: IndexWriter, reads: list[str]
) -> None:
    write("a.txt", [("red tent", {})])
    ranked = _rank(index, "tent")
    [rewritten] = write("a.txt", [("red tent, now waterproof", {})])  # same id, new row
    assert index.fetch(ranked) == {rewritten.chunk_id: rewritten}
    assert reads == ["taken", "records"]  # nothing live at the old address


def test_a_chunk_deleted_after_its_ranking_drops_out(
    index: LanceDbIndex, write: IndexWriter
) -> None:
    write("a.txt", [("red tent", {})])
    write("b.txt", [("blue tent", {})])
    ranked = _rank(index, "tent")
    index.delete_document("a.txt")
    assert list(index.fetch(ranked)) == ["b.txt-0"]


def test_an_index_told_not_to_looks_every_record_up_by_id(
    tmp_path: Path, hashing_embedder: HashingEmbedder, reads: list[str]
) -> None:
    index = LanceDbIndex(
        tmp_path / "index", dimension=hashing_embedder.dimension, fetch_by_address=False
    )
    [chunk] = make_chunks("a.txt", [("red tent", {})])
    vectors = hashing_embedder.embed_documents([chunk.content])
    index.replace_document(make_document("a.txt"), [chunk], vectors)
    assert index.fetch(_rank(index, "tent")) == {chunk.chunk_id: chunk}
    assert reads == ["records"]
